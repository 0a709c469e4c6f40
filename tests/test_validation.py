"""research sample / research evaluate: the validation protocol (issue 12, part 6)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from research.cli import main
from research.validation import evaluate_articles, read_labels, stratified_sample

# A tiny run and its labels whose figures are known by hand.
ARTICLES = pd.DataFrame({
    "article_id": ["a", "b", "c", "d", "e", "f"],
    "counterpart": ["John Kerry", "King Salman bin Abdulaziz", "", "Jim Mattis", "", ""],
    "counterpart_country": ["US", "SA", "", "US", "", ""],
    "counterpart_confidence": [0.9, 0.6, 0.0, 0.9, 0.0, 0.0],
    "engagement_type": ["hosted", "call", "none", "meeting", "none", "none"],
    "date": ["2015-08-02", "2015-07-31", "", "2017-12-02", "", ""],
    "date_min": ["2015-08-02", "2015-07-31", "2015-07-01", "2017-12-02", "", ""],
    "date_max": ["2015-08-02", "2015-07-31", "2015-08-30", "2017-12-02", "", ""],
    "dominant_theme": ["bilateral_relations", "bilateral_relations", "domestic_politics",
                       "counterterrorism", "other", "other"],
    "dominant_topic": [0, 0, 1, 2, 1, 3],
})
LABELS = pd.DataFrame({
    "article_id": ["a", "b", "c", "d", "e", "f", "zz"],
    "theme": ["bilateral_relations", "economic_cooperation", "domestic_politics",
              "counterterrorism", "other", "domestic_politics", "other"],
    # "King Salman" is a names_en spelling of the gazetteer's King Salman bin Abdulaziz
    "counterpart": ["John Kerry", "King Salman", "Hailemariam Desalegn", "", "", "", ""],
    "counterpart_country": ["US", "SA", "ET", "", "", "", ""],
    "engagement_type": ["hosted", "message", "meeting", "none", "none", "none", "none"],
    "engagement_date": ["2015-08-02", "2015-07-30", "2015-07-10", "", "", "", ""],
    "split": ["dev", "dev", "dev", "test", "test", "test", "test"],
})


def test_evaluate_on_a_fixture_known_by_hand():
    from research.annotate import load_gazetteer

    gaz = load_gazetteer()

    def same(name):
        try:
            return gaz.person(name).id
        except KeyError:
            return name.lower()

    r = evaluate_articles(ARTICLES, LABELS, same_person=same, n_boot=200)
    assert r["missing_articles"] == ["zz"] and r["n_articles"] == 6
    # predicted a, b, d: a and b right, d wrong (no engagement) -> precision 2/3
    assert r["counterpart_precision"]["value"] == pytest.approx(2 / 3, abs=1e-4)
    assert r["counterpart_precision"]["n"] == 3
    # labelled a, b, c: c missed -> recall 2/3
    assert r["counterpart_recall"]["value"] == pytest.approx(2 / 3, abs=1e-4)
    assert r["counterpart_f1"]["value"] == pytest.approx(2 / 3, abs=1e-4)
    # countries labelled for a, b, c: US, SA right, ET missed
    assert r["country_agreement"]["value"] == pytest.approx(2 / 3, abs=1e-4)
    # types of labelled engagements: a right, b (message vs call) and c wrong
    assert r["engagement_type_accuracy"]["value"] == pytest.approx(1 / 3, abs=1e-4)
    # dates labelled for a, b, c: a exact; b a day off, outside its one-day window;
    # c inside its window
    assert r["date_exact"]["value"] == pytest.approx(1 / 3, abs=1e-4)
    assert r["date_within_window"]["value"] == pytest.approx(2 / 3, abs=1e-4)
    # themes: a, c, d, e right; b, f wrong
    assert r["theme_accuracy"]["value"] == pytest.approx(4 / 6, abs=1e-4)
    assert r["per_theme"]["domestic_politics"] == {"precision": 1.0, "recall": 0.5,
                                                   "n_label": 2, "n_predicted": 1}
    assert r["confusion"].loc["domestic_politics", "other"] == 1
    for name in ("counterpart_precision", "theme_accuracy", "date_exact"):
        m = r[name]
        assert m["ci_low"] <= m["value"] <= m["ci_high"]
    # calibration table: the 0.9 predictions (a, d) half right, the 0.6 one (b) right
    bins = {(b["confidence_from"], b["n"]): b["precision"] for b in r["counterpart_by_confidence"]}
    assert bins[(0.5, 1)] == 1.0 and bins[(0.8, 2)] == 0.5


def test_labels_file_is_checked(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("id,theme\nx,other\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs an 'article_id' column"):
        read_labels(path)
    path.write_text("article_id,notes\nx,hello\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no label column"):
        read_labels(path)
    path.write_text("article_id,theme\nx,other\nx,other\n", encoding="utf-8")
    with pytest.raises(ValueError, match="repeated article_id"):
        read_labels(path)


def test_stratified_sample_is_proportional_seeded_and_split():
    articles = pd.DataFrame({"article_id": [f"a{i:02d}" for i in range(40)],
                             "source": ["x"] * 30 + ["y"] * 10, "period": "2015-W31"})
    one = stratified_sample(articles, 8, strata=["source", "period"], random_state=3)
    assert one.groupby("source").size().to_dict() == {"x": 6, "y": 2}
    assert one["split"].value_counts().to_dict() == {"dev": 4, "test": 4}
    shuffled = articles.sample(frac=1, random_state=0)
    again = stratified_sample(shuffled, 8, strata=["source", "period"], random_state=3)
    assert one["article_id"].tolist() == again["article_id"].tolist()
    assert one["split"].tolist() == again["split"].tolist()
    with pytest.raises(ValueError, match="n must be in"):
        stratified_sample(articles, 41, strata=["source"])


def test_sample_and_evaluate_commands(seeds_run, tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    assert main(["sample", str(seeds_run), "--n", "4", "--seed", "0", "--out", str(sheet)]) == 0
    table = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    assert len(table) == 4 and (table["text"] != "").all() and (table["theme"] == "").all()
    assert sheet.with_suffix(".xlsx").is_file()
    from openpyxl import load_workbook

    assert load_workbook(sheet.with_suffix(".xlsx"))["labels"].sheet_view.rightToLeft
    # a researcher's labels: the seeds' engagements as the manifest records them
    truth = {"000": ("Mike Pompeo", "2019-01-10"), "001": ("Jim Mattis", "2017-12-02"),
             "002": ("Antony Blinken", "2024-06-10"), "003": ("Dan Coats", ""),
             "004": ("Bernard Émié", "2021-03-10")}
    table["counterpart"] = [truth[a[:3]][0] for a in table["article_id"]]
    table["engagement_date"] = [truth[a[:3]][1] for a in table["article_id"]]
    table["theme"] = ["gaza_humanitarian" if a.startswith("002") else "counterterrorism"
                      for a in table["article_id"]]
    table.to_csv(sheet, index=False)
    out = tmp_path / "evaluation"
    assert main(["evaluate", str(seeds_run), str(sheet), "--out", str(out),
                 "--n-boot", "100"]) == 0
    result = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert result["counterpart_precision"]["value"] == 1.0
    assert result["counterpart_recall"]["value"] == 1.0
    assert (out / "evaluation_confusion.csv").is_file()
    assert "counterpart_precision" in capsys.readouterr().out
