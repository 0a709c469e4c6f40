"""Runs and models saved before the redesign into one subpackage per stage still load.

The run is ``research run seeds --manifest seeds/manifest.csv --period year`` as the
code of commit f6ed0b6 (the parent of the redesign, 0bbd8f8) writes it, built from git
history by the ``old_release_run`` fixture.
"""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from research.figures import FIGURES, INTERACTIVE, write_figures
from research.pipeline import rerun_themes
from research.runs import load_run


@pytest.fixture(scope="module")
def old_run(old_release_run):
    return load_run(old_release_run)


def test_old_model_loads_and_predicts_its_own_topics(old_run):
    from research.embed import embedder_from_record
    from research.topics import read_model_metadata

    # that code embedded with precision "auto": bfloat16 on a CPU with native bfloat16,
    # so the model is loaded with the embedder it records, as its user would load it
    recorded = read_model_metadata(old_run.path / "model")["embedder"]
    embedder = embedder_from_record(recorded)
    assert embedder.describe() == recorded
    model = old_run.model(embedder)
    passages = pd.read_csv(old_run.path / "passages.csv")
    expected = passages["topic"].to_numpy()
    np.testing.assert_array_equal(model.predict(embeddings=old_run.embeddings), expected)
    # from the text: the embedding cache keys and the engine build are unchanged
    np.testing.assert_array_equal(model.predict(passages["text"].tolist()), expected)


def test_old_run_redraws_and_recomputes_themes(old_run, tmp_path):
    old = old_run.path
    drawn = {Path(p).stem for p in write_figures(old, tmp_path / "figures")}
    # only the figures of tables added after the redesign are skipped (with a warning)
    newer = {"theme_margins_counterpart", "theme_margins_period", "theme_change",
             "topic_words_over_time", "topic_hierarchy"}
    assert drawn == (set(FIGURES) | set(INTERACTIVE)) - newer
    tables = rerun_themes(old, out=tmp_path / "rerun")
    old_articles = pd.read_csv(old / "articles.csv")
    assert sorted(tables["articles"]["article_id"]) == sorted(old_articles["article_id"])
    assert {"theme_margins", "theme_change"} <= set(tables)
