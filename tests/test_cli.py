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


def test_version_and_help_groups(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"research {version('arabic-news-topics')} " \
                                      "(arabic-news-topics)\n"
    text = build_parser()._subparsers._group_actions[0].choices["run"].format_help()
    for group in ("input:", "embedding:", "topics:", "trends:", "output:", "examples:"):
        assert f"\n{group}\n" in text, group
    assert "research run seeds --out runs/seeds --manifest seeds/manifest.csv" in text


def test_a_corrupted_model_is_one_line_not_a_traceback(seeds_run, tmp_path, _hermetic_cache):
    import shutil

    broken = tmp_path / "model"
    shutil.copytree(seeds_run / "model", broken)
    arrays = next(p for p in sorted(broken.iterdir()) if p.suffix in (".safetensors", ".npy"))
    data = bytearray(arrays.read_bytes())
    data[len(data) // 2] ^= 0xFF
    arrays.write_bytes(bytes(data))
    article = tmp_path / "a.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    env = {"RESEARCH_CACHE_DIR": str(_hermetic_cache), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin"}
    proc = subprocess.run([sys.executable, "-m", "research.cli", "--quiet", "transform",
                           str(broken), str(article)], capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("research transform: error: "), proc.stderr
    assert arrays.name in lines[0] and "Traceback" not in proc.stderr


def test_quiet_silences_every_progress_bar_of_the_package():
    """--quiet sets TQDM_DISABLE, which tqdm reads only as a default of ``disable``.

    So the package's bars (zips read, articles annotated, texts embedded) go through
    one helper that never passes ``disable=False``, and nothing else calls tqdm.
    """
    import os
    import re
    from pathlib import Path

    code = ("from research._io import progress_bar as p; "
            "print(p(range(3), show=True).disable, p(range(3), show=False).disable)")
    env = {k: v for k, v in os.environ.items() if k != "TQDM_DISABLE"}
    loud = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    quiet = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**env, "TQDM_DISABLE": "1"}, check=True)
    assert loud.stdout.split() == ["False", "True"]
    assert quiet.stdout.split() == ["True", "True"]
    package = Path(__file__).resolve().parents[1] / "research"
    callers = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                     if re.search(r"\btqdm\(", p.read_text(encoding="utf-8")))
    assert callers == ["_io.py"]


def test_stage_messages_and_quiet(seeds_run, tmp_path, _hermetic_cache):
    """A run prints each stage and its time on stderr; --quiet prints none and no bars."""
    env = {"RESEARCH_CACHE_DIR": str(_hermetic_cache), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin"}
    corpus = tmp_path / "tiny"
    corpus.mkdir()
    import shutil

    from tests.conftest import SEEDS

    for seed in sorted(SEEDS.glob("*.txt"))[:4]:
        shutil.copy(seed, corpus / seed.name)
    loud = subprocess.run(
        [sys.executable, "-m", "research.cli", "run", str(corpus), "--out", str(tmp_path / "r"),
         "--period", "year", "--n-boot", "50"], capture_output=True, text=True, env=env,
        timeout=900)
    assert loud.returncode == 0, loud.stderr[-2000:]
    for stage in ("ingest", "annotate", "embed", "fit", "document map", "themes trends"):
        assert f"research: {stage} ...\n" in loud.stderr
        assert f"research: {stage} done in " in loud.stderr
    assert "it/s" in loud.stderr  # progress bars (model loading at least) show by default
    article = tmp_path / "a.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    for flag in ([], ["--quiet"]):
        proc = subprocess.run([sys.executable, "-m", "research.cli", *flag, "transform",
                               str(seeds_run / "model"), str(article)],
                              capture_output=True, text=True, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert ("it/s" in proc.stderr) is not bool(flag), proc.stderr
