# ---
# jupyter:
#   kernelspec:
#     display_name: Python (arabic-news-topics)
#     language: python
#     name: arabic-news-topics
# ---

# %% [markdown]
# # 5. Checking the run on your own corpus: sample, label, evaluate, report
#
# Counterparts, engagement dates and themes are inferred from Arabic text by rules and a
# zero-shot model. Before a figure goes into a report, check them against your own
# reading of a sample of *your* corpus:
#
# 1. **Sample**: `research sample RUN --n 100 --seed 0 --out sheet.csv` draws a stratified
#    random sample of the run's articles (by outlet and publication period) and marks
#    half of it `test`. It also writes `sheet.xlsx` with a right-to-left sheet.
# 2. **Label**: read every article in full and fill in `theme`, `counterpart`,
#    `counterpart_country`, `engagement_type` and `engagement_date`, following
#    `docs/labelling_guidelines.md`. Do not look at the run's columns while labelling.
# 3. **Evaluate**: adjust on the `dev` half only; score the `test` half once, at the end:
#    `research evaluate RUN sheet.csv --split test`.
# 4. **Report** the test figures with their intervals and n next to every figure you
#    publish.
#
# This notebook runs the protocol on the seeds, whose engagements a researcher
# established (`seeds/manifest.csv`), and on the SaudiNewsNet labels shipped in
# `benchmarks/labels/` when that corpus and its run are present.

# %% tags=["parameters"]
corpus = "../seeds"
run_dir = "../runs/seeds"
sample_size = 4
# a filled labelling sheet of the corpus (default: the seeds' labels, shipped)
labels = "../benchmarks/labels/seeds_5.csv"
# optional: the SaudiNewsNet Sisi run and its shipped labels (scored when both exist)
sisi_run = "../runs/sisi2015"
sisi_labels = "../benchmarks/labels/saudinewsnet_sisi_2015_120.csv"

# %%
from pathlib import Path

import pandas as pd

from research.pipeline import ensure_run
from research.validation import evaluate_run, evaluation_table, read_labels, sample_run, write_sheet

pd.set_option("display.max_colwidth", 60)
run = ensure_run(corpus, run_dir, manifest=f"{corpus}/manifest.csv", period="year")

# %% [markdown]
# ## 1. A labelling sheet
# The same seed always draws the same articles; each stratum (outlet × period) gets a
# share of the sample proportional to its size.

# %%
sheet = sample_run(run_dir, sample_size, random_state=0, corpus=corpus)
sheet_dir = Path(f"{run_dir}_labelling")  # beside the run: the run folder stays as written
sheet_dir.mkdir(exist_ok=True)
paths = write_sheet(sheet, sheet_dir / "labelling_sheet.csv")
sheet[["article_id", "split", "date", "title"]]

# %% [markdown]
# ## 2. Labels
# The seeds' labels were made by reading each article in full; counterparts and dates
# follow the researcher's manifest (`seeds/manifest.csv`), themes a reader's judgement
# (notes in the file). All five are `test`: nothing was adjusted on them.

# %%
labelled = read_labels(labels)
labelled[["article_id", "theme", "counterpart", "engagement_type", "engagement_date"]]

# %% [markdown]
# ## 3. Evaluation
# The run above was given the manifest, which overrides counterparts and dates, so
# scoring it would only score the manifest. What a researcher needs to know is how well
# the package *infers* them, so the seeds are run again **without** the manifest and
# that run is scored. Every figure comes with a 95 % percentile-bootstrap interval over
# the labelled articles and its n (five articles: the intervals are wide, as they
# should be). Counterpart precision is over articles the run gives a counterpart,
# recall over articles whose label has one.

# %%
inferred_dir = f"{run_dir}_inferred"
ensure_run(corpus, inferred_dir, period="year")
seeds_result = evaluate_run(inferred_dir, labels, split="test", n_boot=500)
evaluation_table(seeds_result)

# %%
seeds_result["confusion"]

# %% [markdown]
# ## 4. The SaudiNewsNet labels
# 120 articles of the SaudiNewsNet Sisi subset (July-August 2015), sampled with
# `research sample --n 120 --seed 0` and labelled by reading them in full, half `dev`
# and half `test`. Shown when the corpus has been run into `sisi_run`
# (`research run ../shared/corpora/saudinewsnet --filter السيسي --out runs/sisi2015`).

# %%
if (Path(sisi_run) / "run.json").is_file() and Path(sisi_labels).is_file():
    for split in ("dev", "test"):
        result = evaluate_run(sisi_run, sisi_labels, split=split, out=False, n_boot=500)
        print(f"split {split}: {result['n_articles']} articles")
        print(evaluation_table(result).to_string())
        print(pd.DataFrame(result["counterpart_by_confidence"]).to_string(index=False))
else:
    print(f"no SaudiNewsNet run at {sisi_run}: skipped")
