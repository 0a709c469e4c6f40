# ---
# jupyter:
#   kernelspec:
#     display_name: Python (arabic-news-topics)
#     language: python
#     name: arabic-news-topics
# ---

# %% [markdown]
# # 1. Corpus overview
#
# What went into the analysis: every input item and what became of it, what cleaning
# removed, how articles were cut into passages, and who each article's counterpart is and
# when the engagement happened, with the evidence.
#
# This notebook only **reads** a run folder written by `research run` (it runs the
# pipeline first if the folder does not exist yet).

# %% tags=["parameters"]
corpus = "../seeds"
run_dir = "../runs/seeds"

# %%
import pandas as pd

from research.pipeline import ensure_run

pd.set_option("display.max_colwidth", 80)
run = ensure_run(corpus, run_dir)
run.record["counts"]

# %% [markdown]
# ## Ingest report
# One row per input item: loaded, or skipped/filtered with the reason. Nothing is dropped
# silently.

# %%
run.ingest_report

# %%
run.ingest_report.groupby(["status", "reason"], dropna=False).size().rename("items")

# %% [markdown]
# ## What cleaning removed
# Related-links blocks, prompts, captions and repeated headlines, line by line.

# %%
run.removed_lines.groupby(["article_id", "reason"]).size().unstack(fill_value=0)

# %%
run.removed_lines.head(20)

# %% [markdown]
# ## Passages
# Topics are modelled on passages (paragraphs merged or split to 25-120 words), because a
# single article mixes themes.

# %%
run.passages.groupby("article_id").agg(passages=("passage_id", "size"),
                                        words=("n_words", "sum"),
                                        max_tokens=("n_tokens", "max"))

# %%
run.passages[["passage_id", "n_words", "n_tokens", "text"]].head(10)

# %% [markdown]
# ## Articles: counterpart and date, with the evidence

# %%
cols = [c for c in ["article_id", "title", "counterpart", "counterpart_role",
                    "counterpart_country", "date", "date_min", "date_max", "date_source",
                    "date_evidence", "engagement_evidence", "n_passages"]
        if c in run.articles.columns]
run.articles[cols]
