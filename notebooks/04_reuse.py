# ---
# jupyter:
#   kernelspec:
#     display_name: Python (arabic-news-topics)
#     language: python
#     name: arabic-news-topics
# ---

# %% [markdown]
# # 4. Reusing the fitted model on new articles
#
# Load the model saved with a run (checksums and the embedding model are verified; no
# pickle), apply it to an article it has never seen, and compare with the fit: a fitted
# article sent through `transform` again gets back the topics it got in the fit.
# Then open the model as a plain BERTopic model, without this package.

# %% tags=["parameters"]
corpus = "../seeds"
run_dir = "../runs/seeds"
new_article = (
    "استقبل الرئيس عبد الفتاح السيسي اليوم وزير الخارجية البريطاني، وبحث الجانبان جهود "
    "إدخال المساعدات الإنسانية إلى قطاع غزة عبر معبر رفح وضرورة التوصل إلى وقف دائم لإطلاق "
    "النار وتبادل المحتجزين.\n"
    "كما تناول اللقاء التعاون في مكافحة الإرهاب والتطرف وتجفيف منابع تمويل الجماعات "
    "الإرهابية، وتبادل المعلومات بين الأجهزة الأمنية في البلدين."
)

# %%
import pandas as pd

from research.pipeline import ensure_run, transform_articles, transform_texts

pd.set_option("display.max_colwidth", 90)
run = ensure_run(corpus, run_dir)
model = run.model()
model.metadata_["embedder"], model.metadata_["metadata"]["corpus_hash"][:16]

# %% [markdown]
# ## A new article

# %%
new = transform_texts(model, [new_article], ids=["new-article"])
new.passages[["passage_id", "topic", "topic_label", "confidence", "text"]]

# %%
new.article_topics

# %% [markdown]
# ## Fitted articles, transformed again
# The same cleaning, segmentation and embedding model as the fit; each passage is
# assigned by its nearest fitted passages, so the fit is reproduced.

# %%
from research.corpus import read_corpus

again = transform_articles(model, read_corpus(corpus).articles)
compare = again.passages[["passage_id", "topic"]].merge(
    run.passages[["passage_id", "topic"]], on="passage_id", suffixes=("_transform", "_fit"))
agreement = (compare["topic_transform"] == compare["topic_fit"]).mean()
print(f"{len(compare)} passages, agreement with the fit: {agreement:.0%}")
compare.head(10)

# %% [markdown]
# ## The model in plain BERTopic
# `research export RUN --bertopic DIR` (or `model.export_bertopic(DIR)`) writes a folder
# that `BERTopic.load(DIR)` opens with only `bertopic` and `sentence-transformers`
# installed: BERTopic's safetensors format plus `DIR/embedding_model`, a
# sentence-transformers model that adds the `"passage: "` prompt, normalises and centres
# as the fit did. Its topic embeddings are fitted so that BERTopic's cosine assignment
# reproduces the model's neighbour vote. The export is written beside the run.

# %%
from pathlib import Path

from bertopic import BERTopic

export_dir = model.export_bertopic(Path(f"{run_dir}_bertopic"))
plain = BERTopic.load(str(export_dir))
type(plain.embedding_model).__name__, sorted(p.name for p in export_dir.iterdir())

# %%
plain.get_topic_info()[["Topic", "Count", "Name", "CustomName"]]

# %%
plain_topics, _ = plain.transform(run.passages["text"].tolist())
plain_agreement = (plain_topics == run.passages["topic"].to_numpy()).mean()
print(f"{len(plain_topics)} training passages, plain BERTopic agrees with the package on "
      f"{plain_agreement:.0%}")
