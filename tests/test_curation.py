"""Topic curation: merging and naming topics of a saved run into a new run folder."""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from research.cli import main
from research.pipeline import curate_topics
from research.runs import load_run
from tests.conftest import check_representative_docs


def _digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def curated(seeds_run, tmp_path_factory):
    before = _digest(seeds_run)
    old = load_run(seeds_run)
    sizes = old.topics.query("topic != -1").set_index("topic")["size"]
    smallest = sorted(sizes.sort_values(kind="stable").index[:2].tolist())
    out = tmp_path_factory.mktemp("curated") / "run"
    curate_topics(seeds_run, out, merge=[smallest], labels={smallest[1]: "الملف المدمج",
                                                           0: "counterterrorism"})
    assert _digest(seeds_run) == before  # the original run is untouched
    return old, load_run(out), smallest, int(sizes[smallest].sum())


def test_merged_topics_follow_through_every_table(curated):
    old, new, merged, merged_size = curated
    topic_map = {int(k): v for k, v in new.record["curation"]["topic_map"].items()}
    assert topic_map[merged[0]] == topic_map[merged[1]]
    target = topic_map[merged[0]]
    # every passage keeps its text and gets its old topic's new number
    np.testing.assert_array_equal(new.passages["passage_id"], old.passages["passage_id"])
    np.testing.assert_array_equal(new.passages["topic"],
                                  old.passages["topic"].map(topic_map).to_numpy())
    topics = new.topics.set_index("topic")
    assert len(topics.drop(index=-1, errors="ignore")) == len(
        old.topics.query("topic != -1")) - 1
    assert topics.loc[target, "size"] == merged_size
    # sizes renumbered canonically: largest first
    assert topics.drop(index=-1, errors="ignore")["size"].is_monotonic_decreasing
    assert set(new.topic_words["topic"]) == set(topics.index) - {-1} | (
        {-1} & set(new.topic_words["topic"]))
    assert new.record["counts"]["topics"] == len(topics.drop(index=-1, errors="ignore"))
    shares = new.article_topics.groupby("article_id")["share"].sum()
    np.testing.assert_allclose(shares, 1.0, atol=1e-5)  # CSV keeps 6 significant digits
    assert set(new.topic_themes["topic"]) == set(new.topics["topic"])
    assert (new.document_map[["x", "y"]].to_numpy() == old.document_map[["x", "y"]]
            .to_numpy()).all()
    hierarchy = new.topic_hierarchy
    assert len(hierarchy) == len(topics.drop(index=-1, errors="ignore")) - 1
    fitted = new.passages[new.passages["topic_source"] == "fit"]
    check_representative_docs(new.model(), fitted["text"].tolist(), fitted["topic"].tolist())


def test_labels_are_kept_in_the_model_and_the_tables(curated):
    old, new, merged, _ = curated
    topic_map = {int(k): v for k, v in new.record["curation"]["topic_map"].items()}
    labels = new.topics.set_index("topic")["label"]
    assert labels[topic_map[merged[1]]] == f"{topic_map[merged[1]]}: الملف المدمج"
    assert labels[topic_map[0]] == f"{topic_map[0]}: counterterrorism"
    model = new.model()
    assert model.topic_table().set_index("topic")["label"].equals(labels)
    assert model.get_topic_info().set_index("Topic")["CustomName"][topic_map[0]] == (
        f"{topic_map[0]}: counterterrorism")
    # the saved model reproduces the curated topics of the fitted passages
    fitted = (new.passages["topic_source"] == "fit").to_numpy()
    np.testing.assert_array_equal(model.predict(embeddings=new.embeddings[fitted]),
                                  new.passages.loc[fitted, "topic"].to_numpy())
    record = new.record["curation"]
    assert record["merge"] == [merged]
    assert record["labels"] == {str(merged[1]): "الملف المدمج", "0": "counterterrorism"}


def test_bad_edits_are_refused(seeds_run, tmp_path):
    topics = load_run(seeds_run).topics.query("topic != -1")["topic"].tolist()
    with pytest.raises(ValueError, match="no topics"):
        curate_topics(seeds_run, tmp_path / "a", merge=[[topics[0], 999]])
    with pytest.raises(ValueError, match="in two merges"):
        curate_topics(seeds_run, tmp_path / "b", merge=[topics[:2], topics[1:3]])
    with pytest.raises(ValueError, match="at least two topics"):
        curate_topics(seeds_run, tmp_path / "c", merge=[[topics[0]]])
    with pytest.raises(ValueError, match="new run folder"):
        curate_topics(seeds_run, seeds_run, labels={topics[0]: "x"})
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    with pytest.raises(ValueError, match="not empty"):
        curate_topics(seeds_run, tmp_path / "full", labels={topics[0]: "x"})


def test_cli_reads_flags_and_an_edits_file(seeds_run, tmp_path, capsys):
    topics = load_run(seeds_run).topics.query("topic != -1")["topic"].tolist()
    edits = tmp_path / "edits.yaml"
    edits.write_text(f"merge:\n  - [{topics[-2]}, {topics[-1]}]\nlabels:\n"
                     f"  {topics[0]}: مكافحة الإرهاب\n", encoding="utf-8")
    out = tmp_path / "cli"
    assert main(["topics", str(seeds_run), "--edits", str(edits),
                 "--label", f'{topics[1]}="Gaza aid"', "--out", str(out)]) == 0
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))["curation"]
    assert record["merge"] == [[topics[-2], topics[-1]]]
    assert record["labels"] == {str(topics[0]): "مكافحة الإرهاب", str(topics[1]): "Gaza aid"}
    assert (out / "figures" / "topic_words.png").is_file()
    assert main(["topics", str(seeds_run), "--label", "five=x", "--out",
                 str(tmp_path / "bad")]) == 2
    assert "--label takes" in capsys.readouterr().err
    assert isinstance(pd.read_csv(out / "topics.csv"), pd.DataFrame)
