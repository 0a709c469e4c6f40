import subprocess
import sys

import pytest

from research.cli import build_parser, main
from tests.conftest import read_table

NEW_ARTICLE = (
    "استقبل الرئيس عبد الفتاح السيسي اليوم وزير الخارجية الفرنسي، وبحث الجانبان جهود إدخال "
    "المساعدات الإنسانية إلى قطاع غزة عبر معبر رفح، وضرورة التوصل إلى وقف دائم لإطلاق النار "
    "وتبادل المحتجزين، وأكد الرئيس رفض مصر أي محاولات لتهجير الفلسطينيين من أراضيهم.\n"
    "كما تناول اللقاء التعاون في مكافحة الإرهاب والتطرف وتجفيف منابع تمويل الجماعات "
    "الإرهابية، وتبادل المعلومات بين الأجهزة الأمنية في البلدين، وتطورات الأوضاع في ليبيا."
)


def test_parser_lists_commands(capsys):
    parser = build_parser()
    assert parser.parse_args(["run", "seeds", "--out", "x"]).command == "run"
    assert parser.parse_args(["rerun", "runs/seeds"]).command == "rerun"
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "seeds", "--period", "fortnight"])
    capsys.readouterr()
    # --out is required, from the command line or a config file
    assert main(["run", "seeds"]) == 2
    assert capsys.readouterr().err == ("research run: error: no out: give CORPUS and --out OUT, "
                                       "or out in a --config file\n")


def test_figures_command_needs_a_run(tmp_path, capsys):
    assert main(["figures", str(tmp_path), "--to", str(tmp_path / "f")]) == 2
    assert "not a run folder" in capsys.readouterr().err


def test_transform_new_article_in_fresh_process(seeds_run, tmp_path, _hermetic_cache):
    article = tmp_path / "new_article.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    out_csv = tmp_path / "new_passages.csv"
    env = {"RESEARCH_CACHE_DIR": str(_hermetic_cache), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "research.cli", "transform", str(seeds_run / "model"),
         str(article), "--out", str(out_csv)],
        capture_output=True, text=True, env=env, check=True,
    )
    assert "new_article" in proc.stdout
    table = read_table(out_csv)
    topics = set(read_table(seeds_run / "topics.csv")["topic"])
    assert len(table) >= 1 and set(table["topic"]) <= topics
    assert table["confidence"].between(0, 1).all()
