import json

from research.pipeline import RunConfig, article_topic_shares, dominant_topics, run
from tests.conftest import SEEDS, SEEDS_RUN, read_table


def test_tables_and_columns(seeds_run):
    expected = {
        "articles.csv": ["article_id", "title", "n_passages", "dominant_topic"],
        "passages.csv": ["article_id", "passage_id", "text", "n_tokens", "topic"],
        "topics.csv": ["topic", "size", "label", "top_words"],
        "topic_words.csv": ["topic", "label", "rank", "term", "word", "score"],
        "article_topics.csv": ["article_id", "topic", "share"],
        "ingest_report.csv": ["item", "article_id", "status", "reason"],
    }
    for name, cols in expected.items():
        table = read_table(seeds_run / name)
        assert set(cols) <= set(table.columns), name
    articles = read_table(seeds_run / "articles.csv")
    assert sorted(articles["article_id"]) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert (articles["n_passages"] >= 3).all()
    assert (read_table(seeds_run / "topics.csv")["topic"] >= 0).sum() >= 2


def test_every_input_accounted_for(seeds_run):
    report = read_table(seeds_run / "ingest_report.csv")
    assert set(report.loc[report["status"] == "loaded", "article_id"]) == {
        p.stem for p in SEEDS.glob("*.txt")}
    record = json.loads((seeds_run / "run.json").read_text())
    counts = record["counts"]
    assert counts["loaded"] + counts["skipped"] + counts["filtered"] == counts["input_items"]
    assert set(record["timings_s"]) >= {"ingest", "clean_segment", "embed", "fit", "save"}
    assert record["embedder"]["model"] == "multilingual-e5-small"
    assert len(record["inputs"]["sha256"]) >= 5


def test_seed_002_headlines_never_reach_passages(seeds_run, seeds_dir):
    passages = read_table(seeds_run / "passages.csv")
    text = "\n".join(passages["text"])
    raw = next(seeds_dir.glob("002_*.txt")).read_text().splitlines()
    start = raw.index("اقرأ أيضاً")
    block = [ln for ln in raw[start + 1:] if ln.strip() and not ln.startswith("وختم")]
    block = block[:block.index("البابا تواضروس الثاني يروي لقاءه الغريب مع الرئيس مرسي") + 1]
    assert len(block) == 12
    for line in block:
        assert line not in text, line
    assert "وختم المتحدث الرسمي بأن اللقاء شهد تأكيد الجانبين" in text
    removed = read_table(seeds_run / "removed_lines.csv")
    assert set(block) <= set(removed["line"])


def test_two_runs_identical_tables(seeds_run, tmp_path):
    again = run(RunConfig(corpus=str(SEEDS), out=str(tmp_path / "again"), **SEEDS_RUN))
    for name in ["passages.csv", "topics.csv", "articles.csv", "topic_words.csv",
                 "article_topics.csv"]:
        assert (again / name).read_bytes() == (seeds_run / name).read_bytes(), name


def test_shares_and_dominant_topic():
    import pandas as pd

    passages = pd.DataFrame({"article_id": ["a", "a", "a", "b"], "topic": [0, 1, -1, -1],
                             "n_words": [10, 30, 60, 5]})
    shares = article_topic_shares(passages)
    assert shares.groupby("article_id")["share"].sum().round(9).eq(1).all()
    assert shares.query("article_id == 'a' and topic == -1")["share"].item() == 0.6
    dom = dominant_topics(shares)
    assert dom["a"] == 1  # outliers never dominate when a real topic exists
    assert dom["b"] == -1
