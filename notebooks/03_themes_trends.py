# ---
# jupyter:
#   kernelspec:
#     display_name: Python (arabic-news-topics)
#     language: python
#     name: arabic-news-topics
# ---

# %% [markdown]
# # 3. Themes and trends: counterterrorism versus Gaza humanitarian aid
#
# Named, stable themes (shipped in `research/data/themes.yaml`, editable) scored on every
# passage with the embedding model (zero-shot, calibrated, with an explicit "other"),
# aggregated into article shares, and compared across periods and counterparts with
# seeded bootstrap intervals. Groups with few articles are flagged, never hidden.

# %% tags=["parameters"]
corpus = "../seeds"
run_dir = "../runs/seeds"
theme_a = "counterterrorism"
theme_b = "gaza_humanitarian"

# %%
import pandas as pd

from research.pipeline import ensure_run
from research.plotting import plot_contrast, plot_theme_heatmap, plot_theme_trends
from research.themes import load_themes

pd.set_option("display.max_colwidth", 80)
run = ensure_run(corpus, run_dir, period="year")
pd.DataFrame([{"id": t.id, "name": t.name, "arabic": t.name_ar} for t in load_themes()])

# %% [markdown]
# ## Each article's themes
# Shares weight passages by their length and sum to 1 per article. The axis score places
# an article between counterterrorism (+1) and Gaza humanitarian aid (−1).

# %%
shares = run.table("article_themes").pivot(index="article_id", columns="theme", values="share")
cols = [c for c in ["counterpart", "date", "dominant_theme", "axis_score"]
        if c in run.articles.columns]
run.articles.set_index("article_id")[cols].join(shares[[theme_a, theme_b]]).round(3)

# %% [markdown]
# ## Topics mapped to themes, with the evidence

# %%
run.table("topic_themes")

# %% [markdown]
# ## Over time
# Articles dated only to a window spread their weight evenly over its days; undated
# articles are counted in a separate row.

# %%
trends = run.table("trends_time")
fig = plot_theme_trends(trends)
trends[trends["theme"].isin([theme_a, theme_b])]

# %% [markdown]
# ## By counterpart

# %%
by_counterpart = run.table("trends_counterpart")
fig = plot_theme_heatmap(by_counterpart, by="counterpart")

# %% [markdown]
# ## The contrast: counterterrorism minus Gaza humanitarian aid

# %%
fig = plot_contrast(run.table("contrast_time"), by="period")
run.table("contrast_counterpart")

# %% [markdown]
# ## BERTopic topics over time and per counterpart
# Computed from the run's passages (BERTopic's own `topics_over_time` fails on pandas 3).

# %%
run.table("topics_per_counterpart").pivot(index="counterpart", columns="topic", values="share")
