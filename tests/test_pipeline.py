import json

import numpy as np
import pandas as pd
import pytest

from research.cli import main
from research.corpus import CorpusFilter, read_corpus, recurring_lines
from research.pipeline import (
    RunConfig,
    annotate,
    article_topic_shares,
    dominant_topics,
    recheck_filter,
    run,
)
from research.text import prepare_passages
from tests.conftest import SEEDS, SEEDS_RUN, read_table
from tests.synthetic_outlet import write_outlet_csv


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
    # the hierarchy is a binary tree over the topics, and nr_topics is recorded
    assert counts["hierarchy_merges"] == len(read_table(seeds_run / "topic_hierarchy.csv")) \
        == counts["topics"] - 1
    assert "nr_topics" in record["config"]


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


# --- Teasers of other stories on a synthetic outlet (tests/synthetic_outlet.py) -------


@pytest.fixture(scope="module")
def outlet_run(tmp_path_factory):
    """`research run` on the synthetic outlet, keeping articles that mention السيسي."""
    folder = tmp_path_factory.mktemp("outlet")
    rows = write_outlet_csv(folder / "outlet.csv")
    out = folder / "run"
    assert main(["run", str(folder / "outlet.csv"), "--out", str(out), "--filter", "السيسي",
                 "--period", "year", "--n-boot", "50"]) == 0
    return rows, out


def test_filter_is_checked_again_after_teasers_are_removed(outlet_run):
    rows, out = outlet_run
    report = read_table(out / "ingest_report.csv").set_index("article_id")
    for row in rows:
        status, reason = report.loc[row["id"], ["status", "reason"]]
        if row["sisi_in_body"] == "yes":
            assert status == "loaded", row["id"]
        elif "السيسي" in row["text"]:  # only in its teasers
            assert status == "filtered", row["id"]
            assert reason.startswith("filter: السيسي only in removed lines ("), reason
        else:
            assert (status, reason) == ("filtered", "filter: text does not contain السيسي")
    assert report["reason"].str.contains("only in removed lines").sum() >= 10
    counts = json.loads((out / "run.json").read_text())["counts"]
    articles = read_table(out / "articles.csv")
    assert counts["input_items"] == len(rows) == len(report)
    assert counts["loaded"] + counts["skipped"] + counts["filtered"] == counts["input_items"]
    assert counts["loaded"] == counts["articles"] == len(articles)
    expected = {row["id"]: row["counterpart"] for row in rows if row["sisi_in_body"] == "yes"}
    assert dict(zip(articles["article_id"], articles["counterpart"], strict=True)) == expected


def test_teasers_never_reach_passages_and_every_removed_line_has_a_reason(outlet_run):
    rows, out = outlet_run
    passages = read_table(out / "passages.csv")
    removed = read_table(out / "removed_lines.csv")
    assert (removed["reason"] != "").all()
    for row in rows:
        text = " ".join(passages.loc[passages["article_id"] == row["id"], "text"])
        lines = set(removed.loc[removed["article_id"] == row["id"], "line"])
        read = "السيسي" in row["text"]  # passed the filter at ingest, then was cleaned
        for teaser in row["teasers"].splitlines():
            assert teaser not in text, (row["id"], teaser)
            assert teaser in lines or not read, (row["id"], teaser)  # kept or filtered after
        if row["sisi_in_body"] == "yes":
            for paragraph in row["body"].splitlines():
                assert paragraph in text, (row["id"], paragraph)  # no body paragraph lost


def test_teaser_only_mentions_give_no_counterpart(tmp_path):
    rows = write_outlet_csv(tmp_path / "outlet.csv")
    corpus = read_corpus(tmp_path / "outlet.csv")
    prepared = prepare_passages(corpus.articles,
                                recurring=recurring_lines(corpus.articles, corpus.paragraphs))
    annotations = annotate(prepared.articles, None)[0].set_index("article_id")
    teaser_only = [r["id"] for r in rows if r["sisi_in_body"] == "no" and "السيسي" in r["text"]]
    assert len(teaser_only) >= 10
    assert (annotations.loc[teaser_only, ["counterpart", "people_mentioned"]] == "").all(
        axis=None)
    expected = {r["id"]: r["counterpart"] for r in rows if r["sisi_in_body"] == "yes"}
    assert annotations.loc[list(expected), "counterpart"].to_dict() == expected
    # without a filter the selection is not checked again
    same, report = recheck_filter(prepared, corpus.report, CorpusFilter())
    assert same is prepared and report is corpus.report
    kept, report = recheck_filter(prepared, corpus.report, CorpusFilter(contains="السيسي"))
    assert set(kept.articles["article_id"]) == {r["id"] for r in rows
                                                if r["sisi_in_body"] == "yes"}
    assert set(kept.passages["article_id"]) <= set(kept.articles["article_id"])
    assert (report["status"] == "loaded").sum() == len(kept.articles)
    assert len(corpus.report) == len(report)


# ------------------------------------------------ every input counted as a researcher means it
ENGLISH = ("The two leaders discussed counterterrorism cooperation and the humanitarian "
           "situation in Gaza, reviewed the reconstruction of the region, and agreed to keep "
           "in close contact over the coming weeks, the readout said.")
ARABIC_INTRO = ("افتتح الرئيس عبد الفتاح السيسي اليوم عددا من مشروعات الإسكان والطرق الجديدة في "
                "شرق القاهرة، وتفقد سير العمل في المشروعات القومية، ووجه الحكومة بسرعة الانتهاء "
                "من المراحل المتبقية قبل نهاية العام الحالي.")


@pytest.fixture(scope="module")
def counted_corpus(tmp_path_factory):
    """The seeds plus two word-for-word wire copies of seed 001 from other outlets, a
    headline-only item and an article with an English readout paragraph."""
    from research.corpus import read_corpus

    seeds = read_corpus(SEEDS).articles
    mattis = seeds.set_index("article_id").loc["001_970751b9ad7a4582", "text"]
    rows = [{"id": a, "text": t, "source": "seeds", "date": ""}
            for a, t in zip(seeds["article_id"], seeds["text"], strict=True)]
    rows += [{"id": "copy-b", "text": mattis, "source": "outlet-b", "date": ""},
             {"id": "copy-c", "text": mattis, "source": "outlet-c", "date": ""},
             {"id": "headline-only", "text": "السيسي يفتتح مشروعات جديدة للطرق في شرق القاهرة",
              "source": "outlet-b", "date": "2019-03-05"},
             {"id": "readout", "source": "outlet-c", "date": "2017-12-03",
              "text": ARABIC_INTRO + "\n" + ENGLISH + "\n" + ARABIC_INTRO.replace("اليوم", "أمس")}]
    path = tmp_path_factory.mktemp("counted") / "corpus.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    out = path.parent
    return {count: run(RunConfig(corpus=str(path), out=str(out / count), count=count,
                                 n_boot=50, period="auto"))
            for count in ("stories", "copies")}


def test_verbatim_copies_join_the_story_and_count_as_copies(counted_corpus):
    stories = read_table(counted_corpus["stories"] / "articles.csv").set_index("article_id")
    report = read_table(counted_corpus["stories"] / "ingest_report.csv")
    assert (report["status"] == "loaded").all()  # copies from other items are not skipped
    group = stories.loc[["001_970751b9ad7a4582", "copy-b", "copy-c"]]
    assert group["dup_group"].nunique() == 1 and group["is_representative"].sum() == 1
    for count, expected in (("stories", 1), ("copies", 3)):
        by_cp = read_table(counted_corpus[count] / "trends_counterpart.csv")
        n = by_cp.loc[by_cp["counterpart"] == "Jim Mattis", "n_articles"].iloc[0]
        assert n == expected, count


def test_headline_only_item_is_scored_on_its_headline(counted_corpus):
    out = counted_corpus["stories"]
    passages = read_table(out / "passages.csv")
    mine = passages[passages["article_id"] == "headline-only"]
    assert len(mine) == 1 and mine["text"].iloc[0].startswith("السيسي يفتتح")
    shares = read_table(out / "article_themes.csv")
    assert shares.loc[shares["article_id"] == "headline-only", "share"].sum() == pytest.approx(1)
    articles = read_table(out / "articles.csv").set_index("article_id")
    assert articles.loc["headline-only", "dominant_theme"] != ""


def test_non_arabic_passage_is_assigned_and_no_topic_is_wordless(counted_corpus):
    out = counted_corpus["stories"]
    passages = read_table(out / "passages.csv")
    english = passages[passages["text"].str.contains("readout said", regex=False)]
    assert english["topic_source"].tolist() == ["non_arabic"]
    record = json.loads((out / "run.json").read_text())
    assert record["counts"]["non_arabic_passages"] == 1
    words = read_table(out / "topic_words.csv")
    topics = read_table(out / "topics.csv")
    for topic in topics.loc[topics["topic"] != -1, "topic"]:
        assert (words["topic"] == topic).sum() > 0, topic
    assert (topics.loc[topics["topic"] != -1, "top_words"] != "").all()


def test_auto_period_and_publication_time_basis_in_a_run(counted_corpus):
    record = json.loads((counted_corpus["stories"] / "run.json").read_text())
    # the seeds' engagements span 2017-2024: quarters (research.trends.auto_period)
    assert record["trend_period"] == record["time_axis"]["period"] == "quarter"
    articles = read_table(counted_corpus["stories"] / "articles.csv").set_index("article_id")
    assert articles.loc["headline-only", "time_basis"] == "engagement"  # its date column
    assert set(articles["time_basis"]) <= {"engagement", "publication"}


def _stories(n_stories: int = 40):
    """Articles (one representative each, dated over two years) and their passages."""
    articles = pd.DataFrame({
        "article_id": [f"s{i:03d}" for i in range(n_stories)],
        "is_representative": True,
        "date": [f"{2016 + i % 2}-0{1 + i % 9}-1{i % 10}" for i in range(n_stories)],
        "date_min": "", "date_max": "", "date_source": "manifest",
    })
    articles["date_min"] = articles["date_max"] = articles["date"]
    rows = [{"article_id": a, "passage_id": f"{a}-{j}", "text": f"نص {i} فقرة {j}"}
            for i, a in enumerate(articles["article_id"]) for j in range(1 + i % 4)]
    return articles, pd.DataFrame(rows)


def test_fit_sample_is_stratified_and_a_function_of_the_texts():
    from research.pipeline import FIT_SAMPLE_AUTO, fit_sample

    articles, passages = _stories()
    total = passages["text"].nunique()
    everything = fit_sample(articles, passages, None)  # below the automatic size
    assert total < FIT_SAMPLE_AUTO and not everything.record["applied"]
    assert everything.article_ids == frozenset(articles["article_id"])
    assert fit_sample(articles, passages, 0).article_ids == everything.article_ids
    got = fit_sample(articles, passages, 30, period="year", random_state=1)
    record = got.record
    assert record["applied"] and record["strata"] == "year" and record["n_strata"] == 2
    # 30 of the 100 passages: 30% of the 40 stories, 6 from each year's 20
    assert total == 100 and record["fitted_stories"] == 12
    year = articles.set_index("article_id")["date"].str.slice(0, 4)
    assert year[sorted(got.article_ids)].value_counts().to_dict() == {"2016": 6, "2017": 6}
    assert abs(record["fitted_passages"] - 30) <= 12
    # not the order of the rows, nor the ids: the sample follows the texts
    shuffled = fit_sample(articles.sample(frac=1, random_state=3),
                          passages.sample(frac=1, random_state=4), 30, period="year",
                          random_state=1)
    assert shuffled.article_ids == got.article_ids
    renamed = {a: f"x-{a}" for a in articles["article_id"]}
    again = fit_sample(articles.replace({"article_id": renamed}),
                       passages.replace({"article_id": renamed}), 30, period="year",
                       random_state=1)
    assert again.article_ids == {renamed[a] for a in got.article_ids}
    # another seed, another sample; a copy (not a representative) is never sampled
    assert fit_sample(articles, passages, 30, period="year",
                      random_state=2).article_ids != got.article_ids
    articles.loc[0, "is_representative"] = False
    assert "s000" not in fit_sample(articles, passages, 30, period="year").article_ids
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="fit_sample"):
            fit_sample(articles, passages, bad)
        with pytest.raises(ValueError, match="fit_sample"):
            RunConfig(corpus="c", out="o", fit_sample=bad)


def test_run_on_a_fit_sample_predicts_the_other_stories(tmp_path, seeds_run):
    out = tmp_path / "sampled"
    assert main(["run", str(SEEDS), "--out", str(out), "--manifest",
                 str(SEEDS / "manifest.csv"), "--period", "year", "--n-boot", "20",
                 "--fit-sample", "12"]) == 0
    record = json.loads((out / "run.json").read_text())
    sample = record["fit_sample"]
    assert record["config"]["fit_sample"] == 12
    assert sample["applied"] and sample["requested"] == 12 and sample["strata"] == "year"
    assert 4 <= sample["fitted_passages"] < sample["passages"]
    passages = read_table(out / "passages.csv")
    sources = passages.groupby("article_id")["topic_source"].agg(set)
    fitted = sources[sources.map(lambda s: "fit" in s)].index
    assert len(fitted) == sample["fitted_stories"] < len(sources)
    assert sources.drop(fitted).map(lambda s: s <= {"not_sampled", "non_arabic"}).all()
    assert record["counts"]["not_sampled_passages"] == int(
        (passages["topic_source"] == "not_sampled").sum()) > 0
    # the stories outside the sample have the topics the saved model predicts for them
    from research.topics import ArabicTopicModel

    model = ArabicTopicModel.load(out / "model")
    emb = np.load(out / "embeddings.npy")
    rest = (passages["topic_source"] == "not_sampled").to_numpy()
    assert (model.predict(embeddings=emb[rest]) == passages.loc[rest, "topic"]).all()
    # the full run records that no sample was drawn
    full = json.loads((seeds_run / "run.json").read_text())["fit_sample"]
    assert full["requested"] == "auto" and not full["applied"]
    assert full["fitted_passages"] == full["passages"]
