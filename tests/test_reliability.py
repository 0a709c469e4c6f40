"""Nothing lost, nothing unsafe, same answer twice (bad inputs, integrity, determinism)."""

import hashlib
import shutil
import subprocess
import sys
from datetime import date

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from research.text import clean_article, is_arabic_word, normalize_arabic
from tests.conftest import SEEDS, SEEDS_RUN, read_table

ARABIC = "استقبل الرئيس عبد الفتاح السيسي اليوم وزير الخارجية وبحث الجانبان مكافحة الإرهاب."


def _env(cache):
    return {"RESEARCH_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin",
            "MPLBACKEND": "Agg"}


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory):
    """The five seeds plus one file of every kind of bad input."""
    folder = tmp_path_factory.mktemp("bad_corpus")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    files = {
        "empty.txt": b"",
        "whitespace.txt": b"  \n\t \n",
        "binary.txt": bytes(range(256)) * 40,
        # Latin-1 French: invalid UTF-8, and not Arabic when read as Windows-1256
        "invalid_utf8.txt": "Le président a reçu à Paris le ministre, où il a été accueilli."
                            .encode("latin-1"),
        "cp1256.txt": ARABIC.encode("cp1256"),
        "utf16.txt": "وأكد الوزير حرص بلاده على دعم جهود التهدئة في قطاع غزة.".encode("utf-16"),
        "page.txt": ("<!DOCTYPE html><html><body><p>" + ARABIC + "</p></body></html>").encode(),
        "saved_page.html": ("<html><body><p>" + ARABIC + "</p></body></html>").encode(),
        "very_short.txt": "نعم".encode(),
        "english.txt": b"The president received the foreign minister in Cairo today.",
        "duplicate.txt": next(SEEDS.glob("001_*.txt")).read_bytes(),
        "huge.txt": (ARABIC + "\n").encode() * 150_000,  # about 13 MB
        "notes.docx": b"PK\x03\x04 not an article",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "broken_link.txt").symlink_to(folder / "does-not-exist.txt")
    (folder / "manifest.csv").write_text(
        "file,date,outlet\n"
        "000_01aeee41cd1430c7.txt,2019-01-10,\n"
        "001_970751b9ad7a4582.txt,not a date,\n"
        "002_25fe7f9002335ffe.txt,,\n"
        "missing_article.txt,2020-01-01,\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def bad_run(bad_corpus, tmp_path_factory, _hermetic_cache):
    out = tmp_path_factory.mktemp("bad_run") / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "research.cli", "run", str(bad_corpus), "--out", str(out),
         "--manifest", str(bad_corpus / "manifest.csv"), "--period", "year", "--n-boot", "200"],
        capture_output=True, text=True, env=_env(_hermetic_cache), timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_every_bad_input_is_reported_with_its_reason(bad_run, bad_corpus):
    report = read_table(bad_run / "ingest_report.csv")
    inputs = {p.name for p in bad_corpus.iterdir() if p.name != "manifest.csv"}
    assert sorted(report["item"]) == sorted(inputs)  # each input exactly once
    status = report.set_index("item")["status"]
    reason = report.set_index("item")["reason"]
    expected = {
        "empty.txt": "empty", "whitespace.txt": "whitespace", "binary.txt": "binary",
        "invalid_utf8.txt": "undecodable", "english.txt": "not Arabic",
        "huge.txt": "too long",
        "notes.docx": "unsupported file type", "broken_link.txt": "unreadable",
    }
    for item, words in expected.items():
        assert status[item] == "skipped", item
        assert words in reason[item], (item, reason[item])
    # saved web pages (also one saved as .txt) are extracted with trafilatura
    good = ["cp1256.txt", "utf16.txt", "very_short.txt", "duplicate.txt", "page.txt",
            "saved_page.html"] + [
        p.name for p in SEEDS.glob("*.txt")]
    for item in good:
        assert status[item] == "loaded", (item, reason[item])
    encodings = report.set_index("item")["encoding"]
    assert encodings["cp1256.txt"] == "cp1256" and encodings["utf16.txt"].startswith("utf-16")
    # totals: loaded rows are exactly the articles
    articles = read_table(bad_run / "articles.csv")
    assert sorted(articles["article_id"]) == sorted(report.loc[report["status"] == "loaded",
                                                               "article_id"])


def test_manifest_problems_are_reported_not_fatal(bad_run):
    notes = read_table(bad_run / "annotation_notes.csv")
    kinds = set(notes["kind"])
    assert "manifest_bad_date" in kinds and "manifest_unmatched" in kinds
    assert notes["message"].str.contains("missing_article").any()
    articles = read_table(bad_run / "articles.csv").set_index("article_id")
    assert articles.at["000_01aeee41cd1430c7", "date_source"] == "manifest"
    assert articles.at["001_970751b9ad7a4582", "date_source"] != "manifest"


def test_two_processes_write_identical_tables(seeds_run, tmp_path, _hermetic_cache):
    out = tmp_path / "again"
    cmd = [sys.executable, "-m", "research.cli", "run", str(SEEDS), "--out", str(out),
           "--manifest", SEEDS_RUN["manifest"], "--period", SEEDS_RUN["period"]]
    subprocess.run(cmd, check=True, capture_output=True, env=_env(_hermetic_cache), timeout=600)
    tables = sorted(p.name for p in seeds_run.glob("*.csv"))
    assert len(tables) >= 15

    def digest(p):
        return hashlib.sha256(p.read_bytes()).hexdigest()

    assert {t: digest(out / t) for t in tables} == {t: digest(seeds_run / t) for t in tables}
    assert digest(out / "embeddings.npy") == digest(seeds_run / "embeddings.npy")


def test_saved_model_files_hold_no_pickle(seeds_run):
    for path in (seeds_run / "model").iterdir():
        head = path.read_bytes()[:2]
        assert head != b"\x80\x04" and head != b"\x80\x05", path.name  # pickle protocols 4/5
        assert path.suffix in {".json", ".safetensors", ".npy"}
        if path.suffix == ".npy":  # a plain array, readable without pickle
            assert np.load(path, allow_pickle=False).dtype == np.float32


# -- properties ---------------------------------------------------------------------------
arabic_words = st.lists(st.sampled_from(
    ["الإرهاب", "غزّة", "مكافحــة", "فى", "السيسي", "إلى", "المساعدات", "٢٠٢٤", "مصطفى",
     "التَّعاون"]), min_size=1, max_size=30).map(" ".join)


@given(arabic_words)
def test_normalisation_never_empties_arabic_text(text):
    assume(any(is_arabic_word(t) for t in text.split()))  # digits-only text has no letters
    normalised = normalize_arabic(text)
    assert any(is_arabic_word(t) for t in normalised.split())
    assert len(normalised.split()) == len(text.split())  # no word lost or merged


prose = st.lists(st.sampled_from(["أكد الرئيس أهمية التعاون", "وبحث الجانبان مكافحة الإرهاب",
                                  "وتناول اللقاء الأوضاع في غزة"]), min_size=2, max_size=6)
noise = st.sampled_from(["اقرأ أيضاً", "قد يهمك أيضاً", "عنوان قصير", "لم تشترك بعد",
                         "صورة - أرشيفية", "ترشيحاتنا"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(prose.map(lambda s: " ".join(s) + "."), st.lists(noise, max_size=3)),
                min_size=1, max_size=6))
def test_cleaning_never_removes_the_article_body(blocks):
    lines = []
    body = []
    for paragraph, junk in blocks:
        lines.append(paragraph)
        body.append(paragraph)
        lines.extend(junk)
    cleaned = clean_article("\n".join(lines), title="عنوان")
    kept = cleaned.body.splitlines()
    assert [ln for ln in kept if ln in body] == body  # every prose paragraph, in order
    removed = [ln for ln, _ in cleaned.removed]
    assert len(kept) + len(removed) == len(lines)  # nothing vanishes without a reason



date_text = st.lists(st.sampled_from(
    ["استقبل الرئيس عبد الفتاح السيسي", "وزير الخارجية الأمريكي", "مايك بومبيو", "أنتوني بلينكن",
     "اليوم الخميس", "أمس", "يوم الأحد الماضي", "10 يناير 2019", "٢ ديسمبر ٢٠١٧",
     "يونيو (حزيران) 2020", "حدود الرابع من يونيو 1967", "31 فبراير 2018", "عام 2024",
     "في القاهرة", "جيمس ماتيس", "برنار إيمييه", "غزة", "2+2", "32 مارس", "الخميس المقبل"]),
    min_size=1, max_size=12).map(" ".join)


@settings(max_examples=120, deadline=None)
@given(date_text, st.one_of(st.none(), st.dates(min_value=date(2014, 1, 1),
                                                 max_value=date(2025, 12, 31))))
def test_date_inference_never_crashes_and_stays_in_its_window(text, reference):
    from research.annotate import annotate_text

    result = annotate_text("", text, reference_date=reference)
    if result.date is not None:
        assert result.date_min is not None and result.date_max is not None
        assert result.date_min <= result.date <= result.date_max
    if result.date_min is not None and result.date_max is not None:
        assert result.date_min <= result.date_max
    assert result.date_source in {"text", "event", "tenure", "unknown"}
