# ---
# jupyter:
#   kernelspec:
#     display_name: Python (arabic-news-topics)
#     language: python
#     name: arabic-news-topics
# ---

# %% [markdown]
# # 6. Effects and change: how much of the shift is the counterpart, how much the time?
#
# Counterparts and periods are confounded: Mattis and Pompeo belong to 2017-19, Blinken
# to 2021-24. Shares per counterpart and shares per period, read side by side, cannot
# tell "Blinken is about Gaza" from "2024 is about Gaza". As the Structural Topic
# Model's `estimateEffect` does for topic prevalence, `research.trends.theme_effects`
# regresses each theme's article share on counterpart, period and outlet together
# (a fractional logit, Papke & Wooldridge 1996, with standard errors clustered by
# story) and reports **predicted shares**: per counterpart with the period held at its
# observed mix, per period with the counterpart mix held fixed.
#
# Then: did a theme change between two spans of time (bootstrap interval, permutation
# p-value, Benjamini-Hochberg over themes)? Which BERTopic topics emerge or fade in a
# period against their trailing window? Which words carry a topic in each period?
#
# The five seed articles are far too few for any of this, and the tables say so. The
# second half runs on the SaudiNewsNet articles that mention السيسي (July-August 2015)
# when that run is available.

# %% tags=["parameters"]
corpus = "../seeds"
run_dir = "../runs/seeds"
theme_a = "counterterrorism"
theme_b = "gaza_humanitarian"
# SaudiNewsNet: a run folder made with
#   research run ../shared/corpora/saudinewsnet --filter السيسي --out runs/sisi2015
# (about 10 minutes on two cores). With fit_sisi = True the notebook makes it itself
# when the corpus is present; otherwise that section is skipped.
sisi_corpus = "../../shared/corpora/saudinewsnet"
sisi_run_dir = "../runs/sisi2015"
fit_sisi = False

# %%
# %matplotlib inline
from pathlib import Path

import pandas as pd

from research.pipeline import counted_articles, ensure_run, rerun_themes
from research.plotting import (
    plot_theme_change,
    plot_theme_margins,
    plot_topic_words_over_time,
)
from research.runs import load_run
from research.trends import central_span, change_date, period_of, theme_change, time_axis_dates

pd.set_option("display.max_colwidth", 70)
pd.set_option("display.width", 160)
run = ensure_run(corpus, run_dir, period="year")
run.articles[["article_id", "counterpart", "date", "date_min", "date_max"]]

# %% [markdown]
# ## The seeds: five articles, one per engagement
# The confounding in miniature: each counterpart appears in one article, in its own
# year. No model can separate counterpart from time here, and with five articles none
# is fitted: every theme's row says why.

# %%
effects = run.table("theme_effects")
effects[["theme", "term", "estimate", "ci_low", "ci_high", "n", "status"]].head(3)

# %%
fig = plot_theme_margins(run.table("theme_margins"), by="counterpart",
                         themes=[theme_a, theme_b])

# %% [markdown]
# What the seeds do show is descriptive: the raw shares per counterpart and per year
# (notebook 3), each an average over one or two articles.

# %%
raw = run.table("trends_counterpart")
raw[raw["theme"].isin([theme_a, theme_b])].pivot(index="counterpart", columns="theme",
                                                  values="share").round(2)

# %% [markdown]
# ## Did it change?
# The run splits time at 2023-10-07 (the start of the Gaza war) when both sides hold at
# least three articles, otherwise at the median date. With two or three articles a
# side, nothing is tested.

# %%
change = run.table("theme_change")
fig = plot_theme_change(change)
change[["theme", "before", "after", "n_before", "n_after", "status"]].head(3)

# %% [markdown]
# ## Topics: emerging, fading, and their words per period
# A topic is flagged when its share in a period departs from its share in the four
# periods before beyond the bootstrap noise and at least doubles (or halves); a period
# with fewer than five articles is not tested.

# %%
emerging = run.table("topics_emerging")
emerging["status"].value_counts()

# %% [markdown]
# Words of each topic within each period (c-TF-IDF computed on that period's passages
# only, so no word is shown for a period it does not occur in).

# %%
fig = plot_topic_words_over_time(run.table("topic_words_over_time"), run.topics,
                                 n_topics=3, n_words=5, emerging=emerging)

# %% [markdown]
# ## SaudiNewsNet: the articles that mention السيسي
# A run written by an older version of the package lacks the new tables: they are then
# recomputed in memory with `rerun_themes` (the same stages as `research run`; nothing
# is written into the run folder).

# %%
names = ["theme_effects", "theme_margins", "theme_change", "topics_emerging",
         "topic_words_over_time"]
sisi = None
if Path(sisi_run_dir, "run.json").is_file():
    sisi = load_run(sisi_run_dir)
elif fit_sisi and Path(sisi_corpus).is_dir():
    sisi = ensure_run(sisi_corpus, sisi_run_dir, contains=["السيسي"])
if sisi is None:
    tables = None
    message = (f"SaudiNewsNet section skipped: no run at {sisi_run_dir} "
               f"(corpus {'present' if Path(sisi_corpus).is_dir() else 'absent'})")
elif all((sisi.path / f"{name}.csv").is_file() for name in names):
    tables = {name: sisi.table(name) for name in names}
    message = f"{sisi.path}: tables read"
else:
    tables = rerun_themes(sisi.path)
    message = f"{sisi.path}: tables recomputed (older run)"
message

# %% [markdown]
# ### Effects: counterpart, week and outlet together
# Log odds ratios against the reference level (the counterpart, week and outlet with
# the most articles). Counterparts with fewer than five articles are pooled into
# "other counterparts"; articles that report no engagement of the president are not a
# counterpart level and are left out of this model.

# %%
if tables is None:
    shown = message
else:
    fx = tables["theme_effects"]
    shown = fx[fx["theme"].isin([theme_a, theme_b]) & (fx["covariate"] == "counterpart")][
        ["theme", "level", "reference", "estimate", "ci_low", "ci_high", "p_value",
         "n_level", "status"]].round(3)
shown

# %% [markdown]
# ### Predicted shares: the numbers to quote
# Per counterpart, averaged over the model's articles with the week and outlet as
# observed; the cross is the raw mean, for comparison.

# %%
if tables is not None:
    margins = tables["theme_margins"]
    fig = plot_theme_margins(margins, by="counterpart", themes=[theme_a, theme_b])
    m = margins[(margins["theme"] == theme_a) & (margins["covariate"] == "counterpart")]
    m = m.set_index("level")
    # estimated levels only, not the pooled one
    named = m[~m.index.str.startswith("other ") & m["status"].str.startswith("ok")]
    if named.empty:
        quote = (f"No counterpart margin of {theme_a} could be estimated: "
                 f"{'; '.join(sorted(set(m['status'])))}")
    else:
        top, base = named["share"].idxmax(), named["n_level"].idxmax()
        quote = (f"Holding the week and outlet at their observed mix, {top}'s engagements "
                 f"carry a {theme_a} share of {m.loc[top, 'share']:.2f} "
                 f"[{m.loc[top, 'ci_low']:.2f}, {m.loc[top, 'ci_high']:.2f}] against "
                 f"{m.loc[base, 'share']:.2f} [{m.loc[base, 'ci_low']:.2f}, "
                 f"{m.loc[base, 'ci_high']:.2f}] for {base} (raw means "
                 f"{m.loc[top, 'observed']:.2f} and {m.loc[base, 'observed']:.2f}).")
else:
    quote = message
quote

# %%
if tables is not None:
    fig = plot_theme_margins(tables["theme_margins"], by="period", themes=[theme_a, theme_b])

# %% [markdown]
# ### Did it change?
# 2015 has no 2023-10-07: the run splits at the median date. A researcher's own
# comparison, the week of the Cairo Declaration (30 July) against the week of the Suez
# Canal opening (6 August):

# %%
if tables is not None:
    fig = plot_theme_change(tables["theme_change"])
    articles = time_axis_dates(counted_articles(sisi.articles, "stories"))
    weeks = theme_change(tables.get("article_themes", sisi.article_themes), articles,
                         before="2015-W31", after="2015-W32")
    shown = weeks[["theme", "share_before", "share_after", "difference", "ci_low", "ci_high",
                   "p_value", "p_adjusted", "significant"]].round(3)
    print("run's split:", change_date(articles))
else:
    shown = message
shown

# %% [markdown]
# ### Emerging topics
# The Cairo Declaration (week 31) and the Suez Canal opening (week 32) with the
# evidence: share in the week, baseline (the four weeks before), the bootstrap
# interval of the difference, the adjusted p-value and the fold change.

# %%
if tables is not None:
    em = tables["topics_emerging"]
    shown = em[em["status"].isin(["emerging", "fading"])][
        ["period", "topic", "label", "status", "share", "baseline", "ci_low", "ci_high",
         "p_adjusted", "fold", "n_passages"]].round(3)
else:
    shown = message
shown

# %% [markdown]
# Words of the four largest topics week by week (the weeks of the central 95% of the
# dates); emerging and fading weeks are marked.

# %%
if tables is not None:
    first, last, _ = central_span(articles["date"])
    fig = plot_topic_words_over_time(tables["topic_words_over_time"], sisi.topics,
                                     emerging=tables["topics_emerging"],
                                     shown=(period_of(first, "week"), period_of(last, "week")))
