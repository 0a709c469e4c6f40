# ---
# jupyter:
#   kernelspec:
#     display_name: Python (arabic-news-topics)
#     language: python
#     name: arabic-news-topics
# ---

# %% [markdown]
# # 2. Topics
#
# The BERTopic topics of the run: sizes, top words (in the corpus spelling, and as
# modelled after normalisation), the document map, and each article's topic mix.
# Everything is read from the run's tables; the map uses the coordinates fixed at fit
# time, so it is identical every time it is drawn.

# %% tags=["parameters"]
corpus = "../seeds"
run_dir = "../runs/seeds"
n_words = 8

# %%
import pandas as pd

from research.pipeline import ensure_run
from research.plotting import plot_article_topics, plot_document_map, plot_topic_words

pd.set_option("display.max_colwidth", 120)
run = ensure_run(corpus, run_dir)
run.topics

# %% [markdown]
# ## Top words per topic (c-TF-IDF)

# %%
fig = plot_topic_words(run.topic_words, n_words=n_words)

# %% [markdown]
# ## Document map
# Passages at their fixed 2-D UMAP coordinates, coloured by topic (grey: outliers).

# %%
fig = plot_document_map(run.table("document_map"), run.topics)

# %% [markdown]
# ## Topic mix of each article
# Shares weight passages by their number of words.

# %%
fig = plot_article_topics(run.article_topics, run.articles, run.topics)

# %% [markdown]
# ## Representative passages
# The passages of each topic, shortest first, to read what a topic is about.

# %%
labelled = run.passages.merge(run.topics[["topic", "label"]], on="topic", how="left")
for _, rows in labelled.groupby("topic"):
    print(f"--- {rows['label'].iloc[0]} ({len(rows)} passages)")
    for text in rows.sort_values("n_words")["text"].head(2):
        print("   ", text[:200])
