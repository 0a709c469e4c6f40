"""Reading text folders and tables with research.corpus."""

from __future__ import annotations

import json
import shutil
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from research.corpus import (
    ARTICLE_COLUMNS,
    PARAGRAPH_COLUMNS,
    RECURRING_COLUMNS,
    REPORT_COLUMNS,
    Corpus,
    CorpusFilter,
    arabic_share,
    decode_bytes,
    paragraph_key,
    parse_date_column,
    read_corpus,
    recurring_lines,
    split_paragraphs,
)

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"

# Made-up Arabic sentences (not from any corpus).
AR1 = "استقبل الرئيس اليوم وزير الخارجية لبحث التعاون بين البلدين في مجالات الطاقة والتعليم."
AR2 = "أعلنت الوزارة عن افتتاح مدرسة جديدة في المدينة تستوعب ألف طالب وطالبة."
AR3 = "ناقش المجلس خطة لتطوير الطرق والجسور خلال العام المقبل بتكلفة كبيرة."
AR4 = "شهدت الأسواق ارتفاعا في أسعار الخضروات والفواكه مع بداية الموسم الصيفي."
AR5 = "قال المتحدث الرسمي إن الاجتماع تناول قضايا المنطقة وسبل دعم الاستقرار."


def check_invariants(corpus: Corpus) -> None:
    report, articles = corpus.report, corpus.articles
    assert list(report.columns) == list(REPORT_COLUMNS)
    assert list(articles.columns[: len(ARTICLE_COLUMNS)]) == list(ARTICLE_COLUMNS)
    assert report["item"].is_unique
    assert set(report["status"]) <= {"loaded", "skipped", "filtered"}
    loaded = report[report["status"] == "loaded"]
    assert len(loaded) == len(articles)
    assert loaded["article_id"].tolist() == articles["article_id"].tolist()
    assert articles["article_id"].is_unique
    assert (loaded["reason"] == "").all()
    assert (report.loc[report["status"] != "loaded", "reason"] != "").all()
    assert report["n_chars"].dtype == np.int64
    for column in articles.columns:
        assert pd.api.types.is_string_dtype(articles[column]), column
        assert not articles[column].isna().any(), column


def reasons(corpus: Corpus) -> dict[str, tuple[str, str]]:
    return {row.item: (row.status, row.reason) for row in corpus.report.itertuples()}


@pytest.fixture()
def text_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a_utf8.txt").write_bytes(AR1.encode("utf-8"))
    (folder / "b_bom.txt").write_bytes(b"\xef\xbb\xbf" + AR2.encode("utf-8"))
    (folder / "c_cp1256.txt").write_bytes(AR3.encode("cp1256"))
    (folder / "d_utf16.txt").write_bytes(AR4.encode("utf-16"))
    (folder / "e_crlf.txt").write_bytes(("عنوان\r\n" + AR5 + "\r\n").encode("utf-8"))
    (folder / "f_empty.txt").write_bytes(b"")
    (folder / "g_blank.txt").write_bytes(b" \n\t \r\n")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    (folder / "h_binary.txt").write_bytes(png)
    (folder / "i_english.txt").write_text("The minister met the ambassador today.", "utf-8")
    (folder / "j_dup.txt").write_text("  " + AR1.replace(" ", "\n ", 3) + "\n", "utf-8")
    (folder / "k_latin1.txt").write_bytes("café résumé naïve".encode("latin-1"))
    (folder / "notes.md").write_text("# notes", "utf-8")
    (folder / "manifest.csv").write_text("file,date\na_utf8.txt,2020-01-01\n", "utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "sub").mkdir()
    return folder


def test_text_folder_decodes_each_encoding(text_folder: Path) -> None:
    corpus = read_corpus(text_folder)
    check_invariants(corpus)
    articles = corpus.articles.set_index("article_id")
    assert articles.loc["a_utf8", "text"] == AR1
    assert articles.loc["b_bom", "text"] == AR2
    assert articles.loc["c_cp1256", "text"] == AR3
    assert articles.loc["d_utf16", "text"] == AR4
    assert articles.loc["e_crlf", "text"] == "عنوان\n" + AR5 + "\n"
    assert articles["encoding"].to_dict() == {
        "a_utf8": "utf-8", "b_bom": "utf-8-sig", "c_cp1256": "cp1256", "d_utf16": "utf-16",
        "e_crlf": "utf-8", "j_dup": "utf-8",
    }
    assert (articles["title"] == "").all() and (articles["date"] == "").all()
    assert articles.loc["a_utf8", "source_file"] == "a_utf8.txt"
    assert corpus.kind == "text_folder"


def test_text_folder_reports_every_bad_item(text_folder: Path) -> None:
    corpus = read_corpus(text_folder)
    got = reasons(corpus)
    assert got["f_empty.txt"] == ("skipped", "empty file")
    assert got["g_blank.txt"] == ("skipped", "whitespace only")
    assert got["h_binary.txt"] == ("skipped", "binary file")
    assert got["i_english.txt"][0] == "skipped"
    assert got["i_english.txt"][1].startswith("not Arabic (Arabic letters 0% of letters")
    assert got["j_dup.txt"] == ("loaded", "")  # a copy under another name: a story's copy
    assert got["k_latin1.txt"][0] == "skipped"
    assert got["k_latin1.txt"][1].startswith("undecodable (tried utf-8")
    assert got["notes.md"] == ("skipped", "unsupported file type (.md)")
    assert got["sub"][0] == "skipped"
    # manifest.csv and hidden files are metadata, not input items.
    assert "manifest.csv" not in got and ".DS_Store" not in got
    # Every other entry of the folder appears exactly once.
    entries = {p.name for p in text_folder.iterdir()} - {"manifest.csv", ".DS_Store"}
    assert set(got) == entries
    assert corpus.summary()["n_loaded"] == 6
    blank = corpus.report.set_index("item").loc["g_blank.txt"]
    assert blank["n_chars"] == 5 and blank["article_id"] == "g_blank"


def test_min_arabic_ratio_zero_keeps_english(text_folder: Path) -> None:
    corpus = read_corpus(text_folder, min_arabic_ratio=0.0)
    assert "i_english" in set(corpus.articles["article_id"])


def test_min_chars(text_folder: Path) -> None:
    corpus = read_corpus(text_folder, min_chars=75)
    got = reasons(corpus)
    short = [r for s, r in got.values() if r.startswith("too short")]
    assert short and all(r.endswith("chars)") for r in short)
    check_invariants(corpus)


def test_seeds_load_with_stem_ids(tmp_path: Path) -> None:
    corpus = read_corpus(SEEDS)
    check_invariants(corpus)
    stems = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert len(stems) == 5
    assert corpus.articles["article_id"].tolist() == stems
    assert (corpus.report["status"] == "loaded").all()
    # A manifest next to the seeds is metadata, not an article (on a copy: seeds/ is immutable).
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    (copy / "manifest.csv").write_text("article_id,date\nx,2020-01-01\n", "utf-8")
    again = read_corpus(copy)
    assert again.articles["article_id"].tolist() == stems
    assert len(again.report) == len(list(SEEDS.glob("*.txt"))) + len(
        [p for p in SEEDS.iterdir() if p.suffix != ".txt" and p.name != "manifest.csv"]
    )
    assert again.articles["text"].tolist() == corpus.articles["text"].tolist()


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


def test_csv_with_text_and_metadata(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "news.csv", pd.DataFrame({
        "id": ["n1", "n2", "n3"],
        "title": ["عنوان أول", "عنوان ثان", "عنوان ثالث"],
        "text": [AR1, AR2 + "\r\nسطر ثان", ""],
        "date": ["2015-08-01", "2015-08-02 10:00:00", "2015-08-03"],
        "source": ["okaz", "spa", "okaz"],
        "url": ["http://a", "http://b", "http://c"],
        "page": [1, 2, 3],
    }))
    corpus = read_corpus(path)
    check_invariants(corpus)
    a = corpus.articles
    assert a["article_id"].tolist() == ["n1", "n2"]
    assert a["text"].tolist() == [AR1, AR2 + "\nسطر ثان"]
    assert a["title"].tolist() == ["عنوان أول", "عنوان ثان"]
    assert a["date"].tolist() == ["2015-08-01", "2015-08-02"]
    assert a["date_raw"].tolist() == ["", "2015-08-02 10:00:00"]
    assert a["source"].tolist() == ["okaz", "spa"] and a["page"].tolist() == ["1", "2"]
    assert a["source_file"].tolist() == ["news.csv:row 1", "news.csv:row 2"]
    assert reasons(corpus)["news.csv:row 3"] == ("skipped", "missing text")
    assert corpus.report["article_id"].tolist() == ["n1", "n2", "n3"]


def test_csv_content_column_and_default_ids(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "snn.csv", pd.DataFrame({
        "content": [AR1, AR2],
        "date_extracted": ["2015-07-21 02:51:32", ""],
        "author": ["كاتب", ""],
    }))
    corpus = read_corpus(path)
    a = corpus.articles
    assert a["article_id"].tolist() == ["snn-1", "snn-2"]
    assert a["text"].tolist() == [AR1, AR2]
    assert a["date"].tolist() == ["2015-07-21", ""]
    assert a["date_extracted"].tolist() == ["2015-07-21 02:51:32", ""]
    assert "content" not in a.columns and (a["title"] == "").all()


def test_csv_without_text_column_raises(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", pd.DataFrame({"body": [AR1], "headline": ["x"]}))
    with pytest.raises(ValueError, match=r"'text' or 'content'.*\['body', 'headline'\]"):
        read_corpus(path)


def test_csv_malformed_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(f"id,text\nr1,{AR1}\nr2,{AR2},extra\n\nr3,\"{AR3}\n{AR4}\"\n", "utf-8")
    corpus = read_corpus(path)
    check_invariants(corpus)
    got = reasons(corpus)
    assert got["rows.csv:row 2"] == ("skipped", "malformed CSV row (3 fields, header has 2)")
    assert corpus.articles["article_id"].tolist() == ["r1", "r3"]
    assert corpus.articles["text"].iloc[1] == f"{AR3}\n{AR4}"


def test_cp1256_csv(tmp_path: Path) -> None:
    path = tmp_path / "win.csv"
    path.write_bytes(f"text,source\r\n{AR1},x\r\n".encode("cp1256"))
    corpus = read_corpus(path)
    assert corpus.articles["text"].tolist() == [AR1]
    assert corpus.articles["encoding"].tolist() == ["cp1256"]


def test_jsonl(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "j1", "text": AR1, "title": "ع", "tags": ["a", "b"], "n": 3},
                   ensure_ascii=False),
        "",
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"text": "", "id": "j5"}),
        json.dumps({"text": AR2, "date": "2015/8/2", "extra": None}, ensure_ascii=False),
        json.dumps({"content": AR3}, ensure_ascii=False),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    corpus = read_corpus(path)
    check_invariants(corpus)
    got = reasons(corpus)
    assert got["feed.jsonl:row 3"][0] == "skipped"
    assert got["feed.jsonl:row 3"][1].startswith("malformed JSON line: ")
    assert got["feed.jsonl:row 4"] == (
        "skipped", "malformed JSON line: expected an object, got list")
    assert got["feed.jsonl:row 5"] == ("skipped", "missing text")
    # 'text' is the text field of this file; a record with only 'content' has no text.
    assert got["feed.jsonl:row 7"] == ("skipped", "missing text")
    assert "feed.jsonl:row 2" not in got  # blank lines are not items
    a = corpus.articles
    assert a["article_id"].tolist() == ["j1", "feed-6"]
    assert a["tags"].iloc[0] == '["a", "b"]' and a["n"].iloc[0] == "3"
    assert a["date"].tolist() == ["", "2015-08-02"] and a["extra"].tolist() == ["", ""]


def test_jsonl_content_only_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"content": AR1, "source": "s"}, ensure_ascii=False), "utf-8")
    assert read_corpus(path).articles["text"].tolist() == [AR1]
    path.write_text(json.dumps({"body": AR1}, ensure_ascii=False), "utf-8")
    with pytest.raises(ValueError, match="found columns"):
        read_corpus(path)


def test_csv_round_trip(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", pd.DataFrame({"text": [AR1, AR2], "x": ["", "1"]}))
    articles = read_corpus(path).articles
    articles.to_csv(tmp_path / "out.csv", index=False)
    back = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(back, articles, check_dtype=False)


def test_filter_on_tables(tmp_path: Path) -> None:
    voweled = "التقى السِّيسِي اليوم بالوزير " + AR1
    path = write_csv(tmp_path / "f.csv", pd.DataFrame({
        "text": [voweled, AR2, AR3, AR4],
        "title": ["", "زيارة السيسي", "", ""],
        "source": ["a", "b", "a", "c"],
        "date": ["2015-08-01", "2015-08-15", "", "2015-09-01"],
    }))
    corpus = read_corpus(path, filter=CorpusFilter(contains="السيسي"))
    check_invariants(corpus)
    assert corpus.articles["article_id"].tolist() == ["f-1", "f-2"]
    assert reasons(corpus)["f.csv:row 3"] == ("filtered", "filter: text does not contain السيسي")
    by_source = read_corpus(path, filter=CorpusFilter(sources=("a", "c")))
    assert by_source.articles["article_id"].tolist() == ["f-1", "f-3", "f-4"]
    assert reasons(by_source)["f.csv:row 2"] == ("filtered", "filter: source b not in a, c")
    by_date = read_corpus(path, filter=CorpusFilter(date_from="2015-08-01", date_to="2015-08-31"))
    assert by_date.articles["article_id"].tolist() == ["f-1", "f-2"]
    got = reasons(by_date)
    assert got["f.csv:row 4"] == ("filtered", "filter: date outside 2015-08-01..2015-08-31")
    assert got["f.csv:row 3"][1].startswith("filter: no date")


def test_filter_validation_and_describe() -> None:
    f = CorpusFilter(contains="مصر", sources=["okaz"], date_to="2015-08-11")
    assert f.contains == ("مصر",) and f.sources == ("okaz",)
    assert f.describe() == {"contains": ["مصر"], "sources": ["okaz"], "date_from": None,
                            "date_to": "2015-08-11"}
    assert f.is_active and not CorpusFilter().is_active
    with pytest.raises(ValueError, match="ISO date"):
        CorpusFilter(date_from="01/08/2015")
    with pytest.raises(ValueError, match="not be after"):
        CorpusFilter(date_from="2015-08-02", date_to="2015-08-01")
    with pytest.raises(ValueError, match="non-empty"):
        CorpusFilter(contains=("",))
    with pytest.raises(TypeError, match="CorpusFilter"):
        read_corpus(SEEDS, filter={"contains": "x"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"min_arabic_ratio must be in \[0, 1\], got 2"):
        read_corpus(SEEDS, min_arabic_ratio=2)


def test_unsupported_file_and_missing_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    odd = tmp_path / "x.parquet"
    odd.write_bytes(b"PAR1")
    with pytest.raises(ValueError, match=r"'\.parquet'.*\.csv, \.tsv, \.jsonl, \.txt"):
        read_corpus(odd)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "datasets", None)  # make `import datasets` fail
    with pytest.raises(FileNotFoundError, match="no_such_corpus.*looked in.*datasets"):
        read_corpus("no_such_corpus")
    with pytest.raises(FileNotFoundError, match="looked in"):
        read_corpus(tmp_path / "missing" / "file.csv")


def test_hub_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def load_dataset(name: str) -> dict[str, list[dict[str, str]]]:
        calls.append(name)
        return {"train": [{"content": AR1, "source": "s", "date_extracted": "2015-07-21 1:2:3"},
                          {"content": "", "source": "s"}]}

    fake = types.ModuleType("datasets")
    fake.load_dataset = load_dataset  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "datasets", fake)
    monkeypatch.chdir(tmp_path)
    corpus = read_corpus("fake_hub_corpus")
    check_invariants(corpus)
    assert calls == ["fake_hub_corpus"] and corpus.kind == "hub"
    assert corpus.articles["article_id"].tolist() == ["train-0"]
    assert corpus.articles["date"].tolist() == ["2015-07-21"]
    assert corpus.report["item"].tolist() == ["fake_hub_corpus:train:0", "fake_hub_corpus:train:1"]


def test_empty_folder_warns(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="no articles loaded"):
        corpus = read_corpus(tmp_path)
    assert corpus.articles.empty and list(corpus.articles.columns) == list(ARTICLE_COLUMNS)
    assert corpus.report.empty


ARABIC_TEXT = st.text(
    alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى ،.\n")), min_size=1
).filter(lambda s: any(c.isalpha() for c in s))


@settings(max_examples=60, deadline=None)
@given(text=ARABIC_TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256"]))
def test_decode_round_trip(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding == "cp1256":  # a few bytes of cp1256 can be valid UTF-8 (test below)
        try:
            data.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    decoded = decode_bytes(data)
    assert decoded.error == ""
    assert decoded.text == text
    if encoding != "cp1256":  # cp1256 bytes of Arabic text are not valid UTF-8
        assert decoded.encoding == encoding


def test_short_cp1256_that_is_also_valid_utf8_reads_as_utf8() -> None:
    """Found by the round trip: "أ،" in cp1256 is C3 A1, UTF-8 for "á". Two bytes cannot
    tell the encodings apart; UTF-8 is tried first, and such a file is then reported as
    not Arabic, never loaded as garbled Arabic."""
    assert decode_bytes("أ،".encode("cp1256")) == ("á", "utf-8", "")


def test_arabic_share() -> None:
    assert arabic_share("مصر egypt") == (3 / 8, 8)
    assert arabic_share("123 !!") == (0.0, 0)
    assert arabic_share("") == (0.0, 0)


def test_read_files(text_folder: Path, tmp_path: Path) -> None:
    from research.corpus import read_files

    paths = [text_folder / "c_cp1256.txt", text_folder / "a_utf8.txt", text_folder / "notes.md",
             tmp_path / "gone.txt", text_folder / "j_dup.txt", text_folder / "sub"]
    corpus = read_files(paths)
    check_invariants(corpus)
    assert corpus.kind == "files" and corpus.source == str(tmp_path.resolve())
    assert corpus.articles["article_id"].tolist() == ["c_cp1256", "a_utf8", "j_dup"]
    j_dup = "  " + AR1.replace(" ", "\n ", 3) + "\n"  # AR1 as another file spaces it
    assert corpus.articles["text"].tolist() == [AR3, AR1, j_dup]
    assert corpus.report["item"].tolist() == [str(p) for p in paths]
    assert corpus.report["reason"].tolist()[2:] == [
        "unsupported file type (.md)", "file not found", "",
        "folder (read folders with read_corpus)"]


# ----------------------------------------------------------- date columns (dates kind 4)
@pytest.mark.parametrize(
    "value",
    [
        "2019-10-20", "2019/10/20", "2019.10.20", "2019-10-20 14:05:00", "2019-10-20T14:05:00Z",
        "2019-10-20T14:05:00+02:00", "20/10/2019", "20-10-2019", "20.10.2019", "10/20/2019",
        "10/20/2019 14:05", "10/20/2019 2:05 PM", "20/10/19", "10/20/19", "٢٠/١٠/٢٠١٩",
        "٢٠١٩-١٠-٢٠", "\u200f20\u200f/10\u200f/2019", "\u202b2019-10-20\u202c", " 2019-10-20 ",
        "20-Oct-2019", "Oct 20, 2019", "20 October 2019",
    ],
)  # fmt: skip
def test_date_column_formats(value):
    assert parse_date_column([value]) == (["2019-10-20"], [""])


@pytest.mark.parametrize(
    "value", ["yesterday", "2019-02-30", "32/10/2019", "20/20/2019", "10/20-2019", "20191020",
              "0/5/2019", "2019"],
)
def test_date_column_values_that_cannot_be_read_are_noted(value):
    assert parse_date_column([value]) == ([""], [f"date not understood: {value}"])


def test_ambiguous_date_column_is_resolved_by_its_unambiguous_values():
    day_first = ["01/02/2019", "13/02/2019", "05/05/2019", ""]
    assert parse_date_column(day_first) == (
        ["2019-02-01", "2019-02-13", "2019-05-05", ""], ["", "", "", ""])
    month_first = ["01/02/2019", "02/13/2019 10:00"]
    assert parse_date_column(month_first)[0] == ["2019-01-02", "2019-02-13"]


def test_ambiguous_date_column_left_empty_with_a_note_when_unresolved():
    iso, notes = parse_date_column(["01/02/2019", "03/04/2019"])
    assert iso == ["", ""]
    assert notes[0].startswith("date not understood: 01/02/2019 (day first gives 2019-02-01")
    iso, notes = parse_date_column(["01/02/2019", "13/02/2019", "02/13/2019"])
    assert iso == ["", "2019-02-13", "2019-02-13"]
    assert "both day-first and month-first" in notes[0] and notes[1:] == ["", ""]


def test_csv_date_column_is_read_as_a_whole(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "sheet.csv", pd.DataFrame({
        "text": [AR1, AR2, AR3, AR4],
        "date": ["01/02/2019", "13/02/2019", "غدا", ""],
    }))
    a = read_corpus(path).articles
    assert a["date"].tolist() == ["2019-02-01", "2019-02-13", "", ""]
    assert a["date_origin"].tolist() == ["date", "date", "", ""]
    assert a["date_raw"].tolist() == ["01/02/2019", "13/02/2019", "غدا", ""]
    assert a["date_note"].tolist() == ["", "", "date not understood: غدا", ""]


def test_jsonl_date_column_is_read_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [{"text": AR1, "date": "10/02/2019"}, {"text": AR2, "date": "10/20/2019 14:05"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    assert read_corpus(path).articles["date"].tolist() == ["2019-10-02", "2019-10-20"]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.dates(min_value=pd.Timestamp("1990-01-01").date(),
                      max_value=pd.Timestamp("2029-12-31").date()), min_size=1, max_size=8),
    st.sampled_from(["day first", "month first"]), st.sampled_from("-/."), st.booleans(),
    st.booleans(),
)
def test_date_column_round_trips(days, order, sep, pad, short_year):
    def write(d):
        a, b = (d.day, d.month) if order == "day first" else (d.month, d.day)
        year = f"{d.year % 100:02d}" if short_year else str(d.year)
        return sep.join([f"{a:02d}" if pad else str(a), f"{b:02d}" if pad else str(b), year])

    iso, notes = parse_date_column([write(d) for d in days])
    told = any(d.day > 12 for d in days)
    for d, got, note in zip(days, iso, notes, strict=True):
        if told or d.day == d.month:
            assert (got, note) == (d.isoformat(), "")
        else:
            assert got == "" and note.startswith("date not understood: ")
# A byline and a contact line (made up) that an outlet prints under many stories.
BYLINE = "الرياض - وكالة الأنباء"
CONTACT = "للتواصل مع المحرر عبر البريد الإلكتروني للصحيفة"


def test_paragraph_frequencies_per_outlet_count_filtered_items(tmp_path: Path) -> None:
    texts = [f"{BYLINE}\n{AR1}", f"{BYLINE}\n{AR2}", f"{BYLINE}\n{AR3}\n{CONTACT}",
             f"{BYLINE}\n{AR4}\n{CONTACT}", f"{BYLINE}\n{AR5}",
             f"{BYLINE}\n{AR1}"]  # the last: an exact duplicate, counted once
    path = write_csv(tmp_path / "p.csv", pd.DataFrame({
        "text": texts, "source": ["a", "a", "a", "b", "b", "a"]}))
    corpus = read_corpus(path, filter=CorpusFilter(contains="الرئيس"))  # only AR1 passes
    check_invariants(corpus)
    assert corpus.articles["article_id"].tolist() == ["p-1", "p-6"]  # p-6: a copy, loaded
    table = corpus.paragraphs
    assert list(table.columns) == list(PARAGRAPH_COLUMNS)
    counts = {(s, k): (a, n) for s, k, a, n in table.itertuples(index=False)}
    # the byline: in 3 articles of outlet a (2 of them filtered out) and 2 of outlet b
    assert counts[("a", paragraph_key(BYLINE))] == (3, 3)
    assert counts[("b", paragraph_key(BYLINE))] == (2, 2)
    # the contact line: once in each outlet, so not listed
    assert ("a", paragraph_key(CONTACT)) not in counts
    # the lines of the loaded article that recur in its outlet
    lines = recurring_lines(corpus.articles, table)
    assert list(lines.columns) == list(RECURRING_COLUMNS)
    assert lines[["article_id", "line", "source", "n_stories"]].values.tolist() == [
        ["p-1", BYLINE, "a", 3], ["p-6", BYLINE, "a", 3]]


def test_paragraph_key_ignores_marks_and_copies_count_as_one_story(tmp_path: Path) -> None:
    assert paragraph_key("الرئيس  السيسي\u200f") == paragraph_key(" الرَّئيس السيـسي")
    assert paragraph_key("الرئيس السيسي") != paragraph_key("الرئيس السيسى")
    assert split_paragraphs("  أ\r\n\nب \r ج ") == ["أ", "ب", "ج"]
    # two versions of one story (same longest paragraph) and a third story
    texts = [f"{AR1} {AR2}\n{AR3}", f"{AR1} {AR2}\n{AR3}\n{AR4}", f"{AR5}\n{AR3}"]
    corpus = read_corpus(write_csv(tmp_path / "c.csv", pd.DataFrame({"text": texts})))
    counts = corpus.paragraphs.set_index("paragraph_key")
    assert (counts.loc[paragraph_key(AR3), ["n_articles", "n_stories"]] == [3, 2]).all()
    assert set(corpus.paragraphs["source"]) == {""}  # no source column: one outlet


# ------------------------------------------------------------- tables as Excel saves them
def _rows() -> pd.DataFrame:
    return pd.DataFrame({"id": ["x1", "x2"], "title": ["أ", "ب"], "text": [AR1, AR2],
                         "source": ["outlet", "outlet"]})


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_delimiter_is_sniffed_from_the_header(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "table.csv"
    _rows().to_csv(path, index=False, sep=sep)
    corpus = read_corpus(path)
    check_invariants(corpus)
    assert corpus.articles["article_id"].tolist() == ["x1", "x2"]
    assert corpus.articles["text"].tolist() == [AR1, AR2]


def test_excel_unicode_text_export_is_a_table(tmp_path: Path) -> None:
    # Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated, saved as .txt
    data = _rows().to_csv(index=False, sep="\t", lineterminator="\r\n").encode("utf-16")
    (tmp_path / "export.txt").write_bytes(data)
    single = read_corpus(tmp_path / "export.txt")
    check_invariants(single)
    assert single.articles["article_id"].tolist() == ["x1", "x2"]
    assert single.articles["title"].tolist() == ["أ", "ب"]
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "export.txt").write_bytes(data)
    (folder / "article.txt").write_text(AR3, encoding="utf-8")
    corpus = read_corpus(folder)
    check_invariants(corpus)
    assert sorted(corpus.articles["article_id"]) == ["article", "x1", "x2"]
    assert set(corpus.report["item"]) == {"article.txt", "export.txt:row 1", "export.txt:row 2"}


def test_table_without_text_column_names_the_delimiters_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("id;body\nx1;" + AR1 + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"each delimiter: comma .*; semicolon \['id', 'body'\]"):
        read_corpus(path)


_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>السيسي يستقبل وزير الخارجية الأمريكي | موقع الأخبار</title>
{meta}
<meta property="og:title" content="السيسي يستقبل وزير الخارجية الأمريكي">
<meta property="og:url" content="https://news.example/politics/{n}">
</head><body>
<nav><a href="/">الرئيسية</a> | <a href="/sports">رياضة</a></nav>
<article><h1>السيسي يستقبل وزير الخارجية الأمريكي</h1>
<p>استقبل الرئيس عبد الفتاح السيسي {day} بقصر الاتحادية وزير الخارجية الأمريكي مايك بومبيو،
بحضور وزير الخارجية سامح شكري، حيث تناول اللقاء سبل تعزيز العلاقات الاستراتيجية.</p>
<p>وصرح المتحدث الرسمي باسم رئاسة الجمهورية بأن الرئيس أكد أهمية التعاون في مكافحة
الإرهاب والتطرف، وتبادل المعلومات بين الأجهزة المعنية في البلدين.</p></article>
<aside class="related"><h3>اقرأ أيضا</h3><ul><li><a href="/a">الأهلي يفوز على الزمالك</a></li>
<li><a href="/b">ارتفاع أسعار الذهب</a></li></ul></aside>
<footer>جميع الحقوق محفوظة © 2019</footer></body></html>
"""


def test_saved_web_pages_are_extracted(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")  # the [html] extra, installed by `make`
    dated = _PAGE.format(meta='<meta property="article:published_time" '
                              'content="2019-01-10T12:30:00+02:00">', day="اليوم الخميس", n=1)
    (tmp_path / "dated.html").write_text(dated, encoding="utf-8")
    # no date in the markup: a date in the body or the footer's year is not the page's
    undated = _PAGE.format(meta="", day="يوم الخميس 3 يناير 2019", n=2)
    (tmp_path / "undated.htm").write_text(undated, encoding="utf-8")
    (tmp_path / "empty_page.html").write_text(
        "<html><body><script>var a = 1;</script></body></html>", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    got = reasons(corpus)
    assert got["dated.html"] == got["undated.htm"] == ("loaded", "")
    assert got["empty_page.html"] == ("skipped",
                                      "HTML page with no article text found (trafilatura)")
    a = corpus.articles.set_index("article_id")
    assert a.loc["dated", "title"] == "السيسي يستقبل وزير الخارجية الأمريكي"
    assert (a.loc["dated", "date"], a.loc["dated", "date_origin"]) == ("2019-01-10", "date")
    assert (a.loc["undated", "date"], a.loc["undated", "date_origin"]) == ("", "")
    assert a.loc["dated", "url"] == "https://news.example/politics/1"
    text = a.loc["dated", "text"]
    assert text.startswith("استقبل الرئيس عبد الفتاح السيسي")  # the headline is the title
    for chrome in ("الرئيسية", "الأهلي", "اقرأ أيضا", "جميع الحقوق"):
        assert chrome not in text


def test_saved_web_page_without_the_html_extra(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if not installed
    (tmp_path / "page.html").write_text(_PAGE.format(meta="", day="", n=3), encoding="utf-8")
    status, reason = reasons(read_corpus(tmp_path))["page.html"]
    assert status == "skipped" and "install the html extra" in reason
