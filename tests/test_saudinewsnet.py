"""Reading SaudiNewsNet-style folders of daily zips (synthetic, and the real corpus if present)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from research.corpus import Corpus, CorpusFilter, read_corpus

REAL_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "saudinewsnet"

# Made-up articles in the SaudiNewsNet schema.
DAY1 = [
    {"source": "okaz", "url": "http://x/1", "date_extracted": "2015-07-21 02:51:32",
     "title": "لقاء في القاهرة", "author": "محرر",
     "content": "التقى الرئيس السِّيسي اليوم وفدا من رجال الأعمال لبحث فرص الاستثمار."},
    {"source": "spa", "url": "http://x/2", "date_extracted": "2015-07-21 08:00:00",
     "title": "طقس", "author": "", "content": "   "},
    {"source": "spa", "url": "http://x/3", "date_extracted": "2015-07-21 09:10:00",
     "title": "السيسي يستقبل الوزير", "author": "",
     "content": "استقبل رئيس الجمهورية وزير الخارجية وناقشا العلاقات الثنائية."},
]
DAY2 = [
    {"source": "okaz", "url": "http://x/4", "date_extracted": "2015-08-02 10:00:00",
     "title": "اقتصاد", "author": "",
     "content": "ارتفعت أسعار النفط في الأسواق العالمية هذا الأسبوع."},
    "not an article",
    {"source": "aawsat", "url": "http://x/6", "date_extracted": "2015-08-02 11:00:00",
     "title": "نسخة", "author": "",
     "content": "التقى الرئيس السِّيسي اليوم وفدا من رجال الأعمال لبحث فرص الاستثمار."},
    {"source": "aawsat", "url": "http://x/7", "date_extracted": "2015-08-02 12:00:00",
     "title": "رياضة", "author": "كاتب",
     "content": "فاز الفريق في المباراة النهائية بثلاثة أهداف."},
    # the okaz item of 21 July again (same url), collected a second time
    {"source": "okaz", "url": "http://x/1", "date_extracted": "2015-08-02 13:00:00",
     "title": "لقاء في القاهرة", "author": "",
     "content": "التقى الرئيس السيسي اليوم وفدا من رجال الأعمال لبحث فرص الاستثمار."},
]


def write_zip(path: Path, articles: list[object]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.stem + ".json", json.dumps(articles, ensure_ascii=False))


@pytest.fixture()
def mini_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "saudinewsnet"
    root.mkdir()
    write_zip(root / "2015-08-02.zip", DAY2)
    write_zip(root / "2015-07-21.zip", DAY1)
    (root / "2015-07-22.zip").write_bytes(b"not a zip")
    (root / "README.md").write_text("# mini corpus", "utf-8")
    return root


def check_accounted(corpus: Corpus) -> None:
    report = corpus.report
    assert report["item"].is_unique
    assert set(report["status"]) <= {"loaded", "skipped", "filtered"}
    loaded = report[report["status"] == "loaded"]
    assert loaded["article_id"].tolist() == corpus.articles["article_id"].tolist()
    assert corpus.articles["article_id"].is_unique


def test_reads_daily_zips_in_order(mini_corpus: Path) -> None:
    corpus = read_corpus(mini_corpus)
    check_accounted(corpus)
    assert corpus.kind == "saudinewsnet"
    a = corpus.articles
    # aawsat's word-for-word copy of okaz's article is another item: it is loaded (it
    # joins the story's near-duplicate group later); the same url again is skipped
    assert a["article_id"].tolist() == ["2015-07-21-0000", "2015-07-21-0002", "2015-08-02-0000",
                                        "2015-08-02-0002", "2015-08-02-0003"]
    assert list(a.columns) == ["article_id", "title", "text", "source_file", "encoding", "date",
                               "date_origin", "date_extracted", "source", "url", "author"]
    assert (a["date_origin"] == "date_extracted").all()
    assert a["date"].tolist() == ["2015-07-21", "2015-07-21", "2015-08-02", "2015-08-02",
                                  "2015-08-02"]
    assert a["date_extracted"].iloc[0] == "2015-07-21 02:51:32"
    assert a["text"].iloc[0] == DAY1[0]["content"] and a["title"].iloc[0] == "لقاء في القاهرة"
    assert a["source_file"].iloc[2] == "2015-08-02.zip:0"
    status = {r.item: (r.status, r.reason) for r in corpus.report.itertuples()}
    assert status["2015-07-21.zip:1"] == ("skipped", "whitespace only")
    assert status["2015-08-02.zip:1"] == ("skipped",
                                          "malformed article (expected an object, got str)")
    assert status["2015-08-02.zip:2"] == ("loaded", "")
    assert status["2015-08-02.zip:4"] == ("skipped", "duplicate url http://x/1 "
                                                     "(first: 2015-07-21.zip:0)")
    assert status["2015-07-22.zip"][1].startswith("unreadable zip")
    assert status["README.md"] == ("skipped", "documentation file, not an article")
    assert len(corpus.report) == len(DAY1) + len(DAY2) + 2


def test_filters_while_streaming(mini_corpus: Path) -> None:
    corpus = read_corpus(mini_corpus, filter=CorpusFilter(contains=("السيسي",)))
    check_accounted(corpus)
    # Diacritics in the text do not prevent a match; the title counts too.
    assert corpus.articles["article_id"].tolist() == ["2015-07-21-0000", "2015-07-21-0002",
                                                      "2015-08-02-0002"]
    filtered = corpus.report[corpus.report["status"] == "filtered"]
    assert filtered["item"].tolist() == ["2015-08-02.zip:0", "2015-08-02.zip:3"]
    # The same item collected twice is reported as a duplicate, not as filtered.
    dup = corpus.report.set_index("item").loc["2015-08-02.zip:4"]
    assert (dup["status"], dup["reason"]) == ("skipped", "duplicate url http://x/1 "
                                                         "(first: 2015-07-21.zip:0)")

    by_source = read_corpus(mini_corpus, filter=CorpusFilter(sources=("aawsat",),
                                                             date_from="2015-08-01"))
    # With okaz filtered out, aawsat's copy of the okaz article is kept.
    assert by_source.articles["article_id"].tolist() == ["2015-08-02-0002", "2015-08-02-0003"]
    assert set(by_source.articles["source"]) == {"aawsat"}


@pytest.fixture(scope="module")
def real_sisi() -> Corpus:
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"SaudiNewsNet corpus not found at {REAL_CORPUS}")
    # The bare name resolves to ../shared/corpora/saudinewsnet from the project root.
    return read_corpus("saudinewsnet", filter=CorpusFilter(contains=("السيسي",)))


@pytest.mark.corpus
def test_real_corpus_filter(real_sisi: Corpus) -> None:
    corpus = real_sisi
    assert corpus.source == str(REAL_CORPUS.resolve()) and corpus.kind == "saudinewsnet"
    check_accounted(corpus)
    n_zips = len(list(REAL_CORPUS.glob("*.zip")))
    articles_in_report = corpus.report["item"].str.contains(r"\.zip:\d+$").sum()
    assert articles_in_report == 31_030
    assert len(corpus.report) == articles_in_report + (len(list(REAL_CORPUS.iterdir())) - n_zips)
    assert 100 < len(corpus.articles) < 400
    assert corpus.articles["text"].str.contains("السيسي").mean() > 0.9
    assert (corpus.articles["date"].str.match(r"2015-0[78]-\d\d")).all()
    counts = corpus.report["status"].value_counts()
    assert counts.sum() == len(corpus.report) and counts["filtered"] > 25_000
