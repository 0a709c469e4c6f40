"""Runs a researcher can describe and share: config files, rerun, Parquet and Excel."""

import json
import os
import shutil
from datetime import date

import pandas as pd
import pytest

from research.cli import main
from research.pipeline import config_from_record, read_config_file
from research.runs import TABLES, WORKBOOK_SHEETS, load_run, read_table, typed_table, write_tables
from tests.conftest import SEEDS, SEEDS_RUN


def test_config_file_paths_are_relative_to_it(tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "run.toml").write_text(
        'corpus = "../corpus"\nout = "runs/a"\nperiod = "week"\nn_boot = 200\n'
        'contains = "السيسي"\nsources = ["aawsat", "okaz"]\nduplicate_threshold = 1\n'
        'date_from = 2015-01-01\nthemes = "themes.yaml"\nguided = false\n', encoding="utf-8")
    assert read_config_file(folder / "run.toml") == {
        "corpus": str(folder / "../corpus"), "out": str(folder / "runs/a"), "period": "week",
        "n_boot": 200, "contains": ("السيسي",), "sources": ("aawsat", "okaz"),
        "duplicate_threshold": 1.0, "date_from": "2015-01-01",
        "themes": str(folder / "themes.yaml"), "guided": False}


@pytest.mark.parametrize("text, message", [
    ("periods = 'week'\n",
     "unknown key 'periods'; valid keys: corpus, out, model, engine, precision, min_words, "
     "max_words, min_topic_size, nr_topics, random_state, cache_dir, workers, dask_scheduler, "
     "manifest, period, guided, n_boot, contains, sources, date_from, date_to, count, "
     "duplicate_threshold, themes, gazetteer, events, fit_sample"),
    ("n_boot = '200'\n", "n_boot must be an integer, got str '200'"),
    ("min_topic_size = 2.5\n", "min_topic_size must be an integer, got float 2.5"),
    ("guided = 1\n", "guided must be true or false, got int 1"),
    ("sources = [1]\n", "sources must be list of strings, got list [1]"),
])
def test_config_file_errors_are_one_line(tmp_path, capsys, text, message):
    path = tmp_path / "run.toml"
    path.write_text(text)
    assert main(["run", "--config", str(path)]) == 2
    assert capsys.readouterr().err == f"research run: error: {path}: {message}\n"


def test_config_file_with_a_flag_overriding_it_gives_the_seeds_run(seeds_run, tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    config = folder / "run.toml"
    corpus = os.path.relpath(SEEDS, folder)
    manifest = os.path.relpath(SEEDS_RUN["manifest"], folder)
    config.write_text(f'corpus = "{corpus}"\nout = "out"\nmanifest = "{manifest}"\n'
                      'period = "month"\n', encoding="utf-8")
    assert main(["run", "--config", str(config), "--period", SEEDS_RUN["period"]]) == 0
    out = folder / "out"
    assert json.loads((out / "run.json").read_text())["trend_period"] == "year"
    for name in ["passages", "topics", "articles", "topic_words", "article_topics",
                 "trends_time"]:
        assert (out / f"{name}.csv").read_bytes() == (seeds_run / f"{name}.csv").read_bytes()


def test_rerun_repeats_the_run_with_identical_tables(seeds_run, tmp_path, capsys):
    assert main(["rerun", str(seeds_run), "--out", str(tmp_path / "again")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"run repeated into {tmp_path / 'again'}",
        f"all {len(TABLES)} tables identical to {seeds_run}"]
    assert (tmp_path / "again" / "inputs" / "themes.yaml").read_bytes() == \
        (seeds_run / "inputs" / "themes.yaml").read_bytes()


def test_rerun_refuses_a_changed_data_file(seeds_run, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(seeds_run / "inputs", copy / "inputs")
    shutil.copy(seeds_run / "run.json", copy / "run.json")
    config = config_from_record(copy, out=tmp_path / "new")
    assert (config.themes, config.out) == (str(copy / "inputs" / "themes.yaml"),
                                           str(tmp_path / "new"))
    with open(copy / "inputs" / "themes.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    with pytest.raises(ValueError, match=r"inputs/themes.yaml changed since the run"):
        config_from_record(copy, out=tmp_path / "new")


def test_typed_table_kinds():
    table = pd.DataFrame({
        "item": ["a.txt", "b.txt", "c.bin"], "article_id": ["a", "b", ""],
        "status": ["loaded", "loaded", "skipped"], "reason": [float("nan")] * 3,
        "n_chars": [120.0, 80.0, 0.0], "is_representative": [True, False, None],
        "n_passages": [3, 2, 0], "extra": ["x", None, "z"]})
    typed = typed_table("ingest_report", table)
    assert typed.dtypes.astype(str).to_dict() == {
        "item": "str", "article_id": "str", "status": "str", "reason": "str",
        "n_chars": "int64", "is_representative": "boolean", "n_passages": "int64",
        "extra": "str"}
    assert typed["reason"].tolist() == ["", "", ""]
    assert typed["extra"].tolist() == ["x", "", "z"]
    assert typed["is_representative"].tolist() == [True, False, pd.NA]
    dates = typed_table("articles", pd.DataFrame({"date": ["2017-05-03", ""],
                                                  "counterpart_confidence": [0.9, None],
                                                  "dominant_topic": [1, None]}))
    assert dates["date"].tolist() == [date(2017, 5, 3), None]
    assert dates["dominant_topic"].dtype == "Int64"
    assert dates["dominant_topic"].tolist() == [1, pd.NA]
    with pytest.raises(ValueError, match=r"articles.dominant_topic: values are not of kind "
                                         r"'int': not an integer: 1.5"):
        typed_table("articles", pd.DataFrame({"dominant_topic": [1.5]}))


def test_parquet_next_to_csv_with_dtypes(seeds_run):
    csv = read_table(seeds_run / "articles.csv")
    parquet = pd.read_parquet(seeds_run / "articles.parquet")
    kinds = parquet.dtypes.astype(str)
    assert kinds[["n_passages", "dominant_topic", "group_size"]].tolist() == ["int64"] * 3
    assert kinds[["is_representative", "date", "date_min", "title"]].tolist() == \
        ["bool", "object", "object", "str"]
    assert parquet["date"].tolist() == [date.fromisoformat(d) if d else None
                                        for d in csv["date"]]
    assert parquet["is_representative"].tolist() == [True] * 5
    trends = pd.read_parquet(seeds_run / "trends_time.parquet")
    assert trends.dtypes.astype(str)[["n_articles", "few_articles", "share"]].tolist() == \
        ["int64", "bool", "float64"]
    # every table of the run, both ways; the run reads Parquet
    assert {p.stem for p in seeds_run.glob("*.parquet")} == set(TABLES)
    run = load_run(seeds_run)
    pd.testing.assert_frame_equal(run.articles, parquet)


def test_csv_unchanged_by_the_parquet_writer(seeds_run, tmp_path):
    tables = {name: read_table(seeds_run / f"{name}.csv") for name in TABLES}
    write_tables(tmp_path, tables)
    for name in TABLES:
        assert (tmp_path / f"{name}.csv").read_bytes() == \
            (seeds_run / f"{name}.csv").read_bytes(), name
        pd.testing.assert_frame_equal(read_table(tmp_path / f"{name}.parquet"),
                                      load_run(seeds_run).table(name), check_like=False)


def test_duckdb_reads_the_types(seeds_run):
    duckdb = pytest.importorskip("duckdb")
    path = str(seeds_run / "articles.parquet")
    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()[i][:2]
                 for i in range(len(pd.read_parquet(path).columns)))
    assert [types[c] for c in ["date", "n_passages", "is_representative", "axis_score",
                               "title"]] == ["DATE", "BIGINT", "BOOLEAN", "DOUBLE", "VARCHAR"]


def test_old_run_without_parquet_reads_csv(old_release_run):
    old = old_release_run
    run = load_run(old)
    assert not list(old.glob("*.parquet"))
    assert run.articles["date"].tolist() == read_table(old / "articles.csv")["date"].tolist()


def test_export_xlsx_right_to_left_summary_sheets(seeds_run, tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "seeds.xlsx"
    assert main(["export", str(seeds_run), "--xlsx", str(out)]) == 0
    assert capsys.readouterr().out == f"workbook written to {out}\n"
    book = load_workbook(out)
    assert book.sheetnames == ["articles", "topics", "themes_by_period",
                               "themes_by_counterpart"]
    run = load_run(seeds_run)
    for sheet_name, table_name in WORKBOOK_SHEETS.items():
        sheet, table = book[sheet_name], run.table(table_name)
        assert sheet.sheet_view.rightToLeft
        assert sheet.freeze_panes == "B2"
        assert [c.value for c in sheet[1]] == list(table.columns)
        assert all(c.font.bold for c in sheet[1])
        assert sheet.max_row == len(table) + 1
        assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])
    header = [c.value for c in book["articles"][1]]
    first = {h: c.value for h, c in zip(header, book["articles"][2], strict=True)}
    assert first["date"].date() == run.articles["date"].iloc[0]
    assert first["n_passages"] == run.articles["n_passages"].iloc[0]
    assert first["is_representative"] is True


def test_write_config_reads_back_to_the_same_options(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "seeds", "--out", "runs/x", "--filter", "السيسي", "--period", "year",
                 "--write-config", "study/run.toml"]) == 0
    assert capsys.readouterr().out == ("config written to study/run.toml; run it with "
                                       "`research run --config study/run.toml`\n")
    assert not (tmp_path / "runs").exists()
    back = read_config_file(tmp_path / "study" / "run.toml")
    assert os.path.normpath(back.pop("corpus")) == str(tmp_path / "seeds")
    assert os.path.normpath(back.pop("out")) == str(tmp_path / "runs" / "x")
    assert back == {"model": "multilingual-e5-small", "engine": "auto",
                    "precision": "float32", "min_words": 25, "max_words": 120,
                    "random_state": 0, "period": "year", "guided": True, "n_boot": 1000,
                    "contains": ("السيسي",), "sources": (), "count": "stories",
                    "duplicate_threshold": 0.7}
