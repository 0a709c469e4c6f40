"""The entry point: seeds end to end, manifests and their conflicts, corpus dates."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from research.annotate import (
    ANNOTATION_COLUMNS,
    DATE_SOURCES,
    annotate_articles,
    annotate_text,
    hijri_to_gregorian,
    parse_iso_window,
    read_manifest,
)
from research.text import clean_article

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SAUDINEWSNET = ROOT.parent / "shared" / "corpora" / "saudinewsnet"

EXPECTED = {  # counterpart, exact day expected from text + calendar (None: window only)
    "000_01aeee41cd1430c7": ("Mike Pompeo", "2019-01-10"),
    "001_970751b9ad7a4582": ("Jim Mattis", "2017-12-02"),
    "002_25fe7f9002335ffe": ("Antony Blinken", None),
    "003_632c1272aabde735": ("Dan Coats", None),
    "004_177a8408c150f05d": ("Bernard Émié", "2021-03-10"),
}


def seed_articles() -> pd.DataFrame:
    rows = [
        {
            "article_id": p.stem,
            "source_file": p.name,
            "title": "",
            "text": p.read_text(encoding="utf-8"),
        }
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def seeds_annotated():
    return annotate_articles(seed_articles())


@pytest.fixture(scope="module")
def seed_manifest():
    return read_manifest(SEEDS / "manifest.csv")


# ----------------------------------------------------------------------------- seeds
def test_columns_and_types(seeds_annotated):
    out, notes = seeds_annotated
    assert list(out.columns[:4]) == ["article_id", "source_file", "title", "text"]
    assert set(ANNOTATION_COLUMNS) <= set(out.columns)
    assert set(out.date_source) <= set(DATE_SOURCES)
    assert (
        out.counterpart_confidence.between(0, 1).all() and out.date_confidence.between(0, 1).all()
    )
    assert list(notes.columns) == ["article_id", "kind", "message"]


def test_seeds_counterpart_and_date_without_manifest(seeds_annotated, seed_manifest):
    out, notes = seeds_annotated
    truth = dict(zip(seed_manifest.article_id, seed_manifest.date, strict=True))
    for row in out.itertuples():
        name, day = EXPECTED[row.article_id]
        assert row.counterpart == name
        assert row.counterpart_country in {"US", "FR"}
        t_lo, t_hi = parse_iso_window(truth[row.article_id])
        lo, hi = date.fromisoformat(row.date_min), date.fromisoformat(row.date_max)
        assert lo <= t_lo and t_hi <= hi or (lo <= t_hi and t_lo <= hi and t_lo != t_hi)
        if day:
            assert (row.date, row.date_min, row.date_max) == (day, day, day)
            assert row.date_source == "event" and row.date_confidence >= 0.8
        else:
            assert row.date == "" and row.date_source == "tenure"
    assert "date_unknown" not in set(notes.kind)


def test_seed_windows_are_narrow_where_the_text_allows(seeds_annotated):
    out = seeds_annotated[0].set_index("article_id")
    blinken = out.loc["002_25fe7f9002335ffe"]
    assert (blinken.date_min, blinken.date_max) == ("2023-10-07", "2024-10-16")  # Oct 7 .. Kamel
    assert "blinken-cairo-2024-06-10" in blinken.date_evidence
    coats = out.loc["003_632c1272aabde735"]
    assert (coats.date_min, coats.date_max) == ("2017-03-16", "2019-08-15")  # Coats as DNI
    emie = out.loc["004_177a8408c150f05d"]
    assert "rejected" in emie.date_evidence and "1967" in emie.date_evidence
    assert "Jim Mattis:" in out.loc["001_970751b9ad7a4582"].people_mentioned


def test_related_headlines_are_ignored():
    text = (SEEDS / "002_25fe7f9002335ffe.txt").read_text(encoding="utf-8")
    body = clean_article(text).body
    assert "علييف" not in body and "وختم المتحدث الرسمي" in body
    ann = annotate_text("", text)
    assert "Mahmoud Abbas" not in ann.people_mentioned
    assert ann.counterpart.name == "Antony Blinken"
    # Without its marker line the block is read as text, and its headlines count.
    unmarked = annotate_text("", text.replace("اقرأ أيضاً", ""))
    assert "Mahmoud Abbas" in unmarked.people_mentioned


def test_title_given_separately():
    text = (SEEDS / "000_01aeee41cd1430c7.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    ann = annotate_text(title, body)
    assert ann.counterpart.name == "Mike Pompeo" and ann.date == date(2019, 1, 10)


# ----------------------------------------------------------------------------- manifest
def test_seed_manifest_overrides_and_agrees(seed_manifest):
    out, notes = annotate_articles(seed_articles(), seed_manifest)
    assert (out.date_source == "manifest").all() and (out.date_confidence == 1.0).all()
    # no conflict with the manifest; the one note is Mattis's meeting with Egypt's
    # defence minister (a minister's engagement, not the president's)
    assert notes[["article_id", "kind", "message"]].values.tolist() == [
        ["001_970751b9ad7a4582", "minister_engagement", "Sedki Sobhy with Jim Mattis"]]
    assert {"outlet", "notes"} <= set(out.columns)
    coats = out.set_index("article_id").loc["003_632c1272aabde735"]
    assert (coats.date, coats.date_min, coats.date_max) == ("", "2018-01-18", "2019-08-15")


def write_manifest(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "manifest.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_manifest_date_outside_tenure_is_reported(tmp_path):
    path = write_manifest(
        tmp_path,
        [
            {"file": "001_970751b9ad7a4582.txt", "date": "2016-01-05", "outlet": "Asharq Al-Awsat"},
            {
                "article_id": "004_177a8408c150f05d",
                "date": "2021-03-10",
                "counterpart": "Emmanuel Macron",
            },
            {"file": "999_missing.txt", "date": "2020-01-01"},
        ],
    )
    out, notes = annotate_articles(seed_articles(), read_manifest(path))
    mattis = out.set_index("article_id").loc["001_970751b9ad7a4582"]
    assert (mattis.date, mattis.date_source, mattis.outlet) == (
        "2016-01-05",
        "manifest",
        "Asharq Al-Awsat",
    )
    assert mattis.date_confidence == 0.5 and "conflict" in mattis.date_evidence
    by_kind = notes.groupby("kind").article_id.apply(list).to_dict()
    assert "001_970751b9ad7a4582" in by_kind["manifest_conflict"]
    assert any("Jim Mattis" in m for m in notes.message)
    assert by_kind["manifest_counterpart_differs"] == ["004_177a8408c150f05d"]
    assert len(by_kind["manifest_unmatched"]) == 1
    assert out.set_index("article_id").loc["004_177a8408c150f05d"].counterpart == "Emmanuel Macron"


def test_manifest_official_outside_tenure(tmp_path):
    path = write_manifest(
        tmp_path,
        [{"file": "000_01aeee41cd1430c7.txt", "date": "2016-05-01", "counterpart": "Mike Pompeo"}],
    )
    _, notes = annotate_articles(seed_articles(), read_manifest(path))
    assert any("Mike Pompeo held no listed office" in m for m in notes.message)


def test_read_manifest_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_manifest(tmp_path / "nope.csv")
    with pytest.raises(ValueError, match="key column 'file' or 'article_id'"):
        read_manifest(write_manifest(tmp_path, [{"name": "x", "date": "2019-01-01"}]))
    with pytest.raises(ValueError, match=r"row 2: date '10/01/2019' is not an ISO date"):
        read_manifest(write_manifest(tmp_path, [{"file": "a.txt", "date": "10/01/2019"}]))
    with pytest.raises(ValueError, match="duplicate file"):
        read_manifest(write_manifest(tmp_path, [{"file": "a.txt"}, {"file": "a.txt"}]))


def test_malformed_manifest_date_can_be_reported(tmp_path):
    path = write_manifest(tmp_path, [{"file": "000_01aeee41cd1430c7.txt", "date": "Jan 2019"}])
    out, notes = annotate_articles(seed_articles(), read_manifest(path, errors="report"))
    assert notes.kind[notes.kind != "minister_engagement"].tolist() == ["manifest_bad_date"]
    assert out.set_index("article_id").loc["000_01aeee41cd1430c7"].date == "2019-01-10"  # inferred


# ----------------------------------------------------------------------------- corpus dates
def test_reference_date_resolves_relative_words():
    df = pd.DataFrame(
        [
            {
                "article_id": "a",
                "title": "السيسي يستقبل كيري",
                "text": "استقبل الرئيس عبد الفتاح السيسي أمس وزير الخارجية الأمريكي في القاهرة.",
                "date_extracted": "2015-08-03 10:00:00",
                "date": "2015-08-03",
            }
        ]
    )
    out, notes = annotate_articles(df)
    row = out.iloc[0]
    assert (row.counterpart, row.date, row.date_source) == ("John Kerry", "2015-08-02", "text")
    assert "relative to the publication date" in row.date_evidence and notes.empty


def test_corpus_date_counts_like_a_manifest_date():
    df = pd.DataFrame(
        [
            {
                "article_id": "a",
                "title": "",
                "date": "2019-01-10",
                "text": "استقبل الرئيس السيسي وزير الخارجية الأمريكي مايك بومبيو.",
            }
        ]
    )
    row = annotate_articles(df)[0].iloc[0]
    assert (row.date, row.date_source, row.counterpart) == ("2019-01-10", "manifest", "Mike Pompeo")


def test_undated_article_is_listed():
    df = pd.DataFrame([{"article_id": "u", "title": "", "text": "ارتفعت أسعار النفط في الأسواق."}])
    out, notes = annotate_articles(df)
    assert out.date_source.iloc[0] == "unknown" and out.counterpart.iloc[0] == ""
    assert notes.kind.tolist() == ["date_unknown"]


def test_missing_columns():
    with pytest.raises(ValueError, match=r"lack required columns \['text'\]"):
        annotate_articles(pd.DataFrame({"article_id": ["a"]}))


# ----------------------------------------------------------------------------- SaudiNewsNet
@pytest.mark.corpus
@pytest.mark.skipif(not SAUDINEWSNET.is_dir(), reason="../shared/corpora/saudinewsnet absent")
def test_saudinewsnet_sisi_articles():
    rows = []
    for name in ("2015-07-24.zip", "2015-07-31.zip", "2015-08-06.zip"):
        with zipfile.ZipFile(SAUDINEWSNET / name) as zf:
            for member in zf.namelist():
                for i, r in enumerate(json.loads(zf.read(member))):
                    if "السيسي" in r["content"] + r["title"]:
                        rows.append(
                            {
                                "article_id": f"{name[:10]}-{i:04d}",
                                "title": r["title"],
                                "text": r["content"],
                                "date_extracted": r["date_extracted"],
                            }
                        )
    out, _ = annotate_articles(pd.DataFrame(rows))
    text = out[out.date_source == "text"]
    lag = (pd.to_datetime(text.date) - pd.to_datetime(text.date_extracted.str[:10])).dt.days
    assert len(text) >= 40 and (lag.abs() <= 2).mean() >= 0.9
    meets = out[out.title.str.contains("يتباحث مع السيسي|يبحث مع السيسي|يلتقي الرئيس اليمني")]
    assert len(meets) >= 3 and (meets.counterpart != "").all()
    assert set(meets.counterpart) <= {
        "King Salman bin Abdulaziz",
        "Mohammed bin Salman",
        "Abdrabbuh Mansur Hadi",
    }


# ------------------------------------------------- explicit dates before the calendar (6)
POMPEO = "استقبل الرئيس عبد الفتاح السيسي وزير الخارجية الأمريكي مايك بومبيو في القاهرة"


def pompeo(text: str, **columns) -> tuple[pd.Series, pd.DataFrame]:
    """Annotate one made-up article on Pompeo's visit; the calendar has 2019-01-10."""
    df = pd.DataFrame([{"article_id": "p", "title": "", "text": text, **columns}])
    out, notes = annotate_articles(df)
    return out.iloc[0], notes


def test_calendar_guesses_pompeo_without_a_date():
    row, _ = pompeo(f"{POMPEO}، وبحثا العلاقات الثنائية.")
    assert (row.date, row.date_source) == ("2019-01-10", "event")


def test_maghrebi_month_is_read_not_guessed_from_the_calendar():
    row, notes = pompeo(f"{POMPEO} يوم 12 ماي 2019، وبحثا العلاقات الثنائية.")
    assert (row.date, row.date_source) == ("2019-05-12", "text") and notes.empty


def test_hijri_date_is_read_not_guessed_from_the_calendar():
    row, notes = pompeo(f"{POMPEO} يوم 1 رمضان 1440 هـ، وبحثا العلاقات الثنائية.")
    assert (row.date, row.date_source) == (hijri_to_gregorian(1440, 9, 1).isoformat(), "text")
    assert row.date == "2019-05-06" and "Hijri" in row.date_evidence and notes.empty


def test_month_first_date_column_is_read_not_guessed_from_the_calendar():
    row, notes = pompeo(f"{POMPEO}، وبحثا العلاقات الثنائية.", date="10/20/2019")
    assert (row.date, row.date_source) == ("2019-10-20", "manifest")
    assert row.date_confidence == 1.0 and notes.empty  # no calendar guess to contradict it


@pytest.mark.parametrize(
    "text", [f"{POMPEO} يوم 12 سبتمر 2019.", f"{POMPEO} يوم 30 رمضان 1440 هـ.",
             f"{POMPEO} بتاريخ 35/10/2019."],
)
def test_unreadable_text_date_leaves_the_date_unknown_with_a_note(text):
    row, notes = pompeo(text)
    assert row.date == "" and row.date_source != "event"
    assert "no calendar guess" in row.date_evidence
    (message,) = notes.loc[notes.kind == "date_not_understood", "message"]
    assert message.startswith("date not understood: ")


def test_unreadable_date_column_leaves_the_date_unknown_with_a_note():
    row, notes = pompeo(f"{POMPEO}، وبحثا العلاقات الثنائية.", date="20/20/2019")
    assert row.date == "" and row.date_source != "event"
    (message,) = notes.loc[notes.kind == "date_not_understood", "message"]
    assert "20/20/2019" in message


def test_date_column_read_as_a_whole():
    df = pd.DataFrame({"article_id": ["a", "b"], "title": "", "text": f"{POMPEO}.",
                       "date": ["01/02/2019", "13/02/2019"]})
    out, notes = annotate_articles(df)
    assert out.date.tolist() == ["2019-02-01", "2019-02-13"] and notes.empty


def test_corpus_reader_date_note_reaches_the_notes(tmp_path):
    from research.corpus import read_corpus
    from research.pipeline import annotate

    path = tmp_path / "news.csv"
    pd.DataFrame({"id": ["a", "b"], "text": [f"{POMPEO}.", f"{POMPEO} وبحثا التعاون."],
                  "date": ["2019-05-12", "أمس"]}).to_csv(path, index=False)
    articles = read_corpus(path).articles
    assert articles.date_note.tolist() == ["", "date not understood: أمس"]
    out, notes = annotate(articles.assign(body=articles.text), None)
    assert out.date.tolist() == ["2019-05-12", ""]
    assert notes.kind.tolist() == ["date_not_understood"] and "أمس" in notes.message[0]


# ----------------------------------------------------- weekdays and calendars (2, 5)
BLINKEN = "استقبل الرئيس عبد الفتاح السيسي وزير الخارجية الأمريكي أنتوني بلينكن"


def test_weekday_that_contradicts_the_date_lowers_confidence():
    row, notes = pompeo(f"{BLINKEN} يوم الأحد 18 سبتمبر 2024 في القاهرة.")  # a Wednesday
    assert (row.date, row.date_source, row.date_confidence) == ("2024-09-18", "text", 0.5)
    (message,) = notes.loc[notes.kind == "date_weekday_conflict", "message"]
    assert "Wednesday" in message and "الاحد" in message


def test_candidate_that_agrees_with_the_weekday_is_preferred():
    text = (f"القاهرة - الأربعاء 18 سبتمبر 2024:\n{BLINKEN}، الأحد 17 سبتمبر 2024، في"
            " القاهرة وبحثا وقف إطلاق النار.")
    row, notes = pompeo(text)
    assert (row.date, row.date_confidence) == ("2024-09-18", 0.8)
    assert "rejected '17 سبتمبر 2024'" in row.date_evidence and notes.empty


def test_hijri_and_gregorian_that_disagree_are_reported():
    row, notes = pompeo(f"{POMPEO} الخميس 5 رمضان 1440هـ الموافق 9 مايو 2019.")
    assert (row.date, row.date_confidence) == ("2019-05-09", 0.8)  # the Thursday
    assert notes.kind.tolist() == ["date_calendar_conflict"]
    assert "2019-05-10" in notes.message[0] and "9 مايو 2019" in notes.message[0]


@pytest.mark.parametrize("weekday, expected", [("الخميس", "2019-01-10"), ("الأربعاء", "")])
def test_dateline_weekday_checks_the_calendar_engagement(weekday, expected):
    row, _ = pompeo(f"القاهرة - {weekday}:\n{POMPEO}، وبحثا العلاقات الثنائية.")
    assert row.date == expected
    assert (row.date_source == "event") == bool(expected)


def test_relative_weekday_still_dates_from_the_publication_day():
    row, notes = pompeo(f"يلتقي الرئيس، اليوم الخميس، {POMPEO[6:]}.",
                        date_extracted="2019-01-12 08:00:00")
    assert (row.date, row.date_source) == ("2019-01-10", "text")


@pytest.mark.parametrize(
    "when, expected", [("يوم 10 يناير", "2019-01-10"), ("يوم 3 شوال", ""), ("يوم 9 مايو", "")]
)
def test_date_without_a_year_must_agree_with_the_calendar_engagement(when, expected):
    row, _ = pompeo(f"{POMPEO} {when}، وبحثا العلاقات الثنائية.")
    assert row.date == expected
    assert (row.date_source == "event") == bool(expected)
    if not expected:
        assert "not used: the text gives" in row.date_evidence


def test_weekday_of_an_explicit_date_is_not_a_relative_word():
    # "يوم الأربعاء" belongs to the date; resolved against the publication day alone
    # it would be Wednesday 25 September.
    row, _ = pompeo(f"{BLINKEN} يوم الأربعاء 18 سبتمبر 2024 في القاهرة.",
                    date_extracted="2024-09-25 08:00:00")
    assert (row.date, row.date_confidence) == ("2024-09-18", 0.8)
