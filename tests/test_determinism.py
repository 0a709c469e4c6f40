"""Same text, same answer: row order, copies of a passage, transform, other CPUs (issue 13)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from research.corpus import read_corpus
from research.figures import write_figures
from research.pipeline import RunConfig, run, transform_articles
from research.runs import load_run
from tests.conftest import SEEDS, SEEDS_RUN

# Tables whose rows carry an id, and the columns to sort them by.
KEYED = {
    "articles": ["article_id"],
    "passages": ["passage_id"],
    "article_topics": ["article_id", "topic"],
    "passage_themes": ["passage_id", "theme"],
    "article_themes": ["article_id", "theme"],
    "topics": ["topic"],
    "topic_words": ["topic", "rank"],
    "topic_themes": ["topic"],
    "trends_time": ["period", "theme"],
    "trends_counterpart": ["counterpart", "theme"],
    "contrast_time": ["period"],
    "document_map": ["passage_id"],
}


def seeds_csv(path, order) -> str:
    """The seed articles as a CSV, rows in ``order`` (what a spreadsheet re-export does)."""
    articles = read_corpus(SEEDS).articles
    table = pd.DataFrame({"id": articles["article_id"], "text": articles["text"],
                          "source": "seeds"}).iloc[list(order)]
    table.to_csv(path, index=False)
    return str(path)


# Provenance: where each article was in the input file (differs with the row order).
PROVENANCE = ["source_file"]


def sorted_bytes(run_dir, name) -> bytes:
    table = load_run(run_dir).table(name).drop(columns=PROVENANCE, errors="ignore")
    table = table.sort_values(KEYED[name], kind="stable").reset_index(drop=True)
    return table.to_csv(index=False, float_format="%.6g").encode()


@pytest.fixture(scope="module")
def shuffled_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("shuffled")
    orders = [range(5), [3, 0, 4, 2, 1], [4, 3, 2, 1, 0]]
    return [run(RunConfig(corpus=seeds_csv(base / f"corpus{i}.csv", order),
                          out=str(base / f"run{i}"), n_boot=50))
            for i, order in enumerate(orders)]


def test_row_order_gives_the_same_topics_and_tables(shuffled_runs):
    from sklearn.metrics import adjusted_rand_score

    first = load_run(shuffled_runs[0]).passages.set_index("passage_id")["topic"]
    for other in shuffled_runs[1:]:
        topics = load_run(other).passages.set_index("passage_id")["topic"].reindex(first.index)
        assert adjusted_rand_score(first, topics) == 1.0
        assert (topics == first).all()  # canonical numbering: the same numbers too
        for name in KEYED:
            assert sorted_bytes(other, name) == sorted_bytes(shuffled_runs[0], name), name


def test_row_order_gives_the_same_figures(shuffled_runs, tmp_path):
    drawn = [sorted((p.name, p.read_bytes()) for p in write_figures(r, tmp_path / str(i))
                    if p.suffix == ".png")
             for i, r in enumerate(shuffled_runs[:2])]
    assert drawn[0] == drawn[1]


def test_identical_passages_get_one_topic(tmp_path):
    from research.text import prepare_passages

    articles = read_corpus(SEEDS).articles
    paragraphs = {ln.strip() for t in articles["text"] for ln in t.split("\n")}
    passages = prepare_passages(articles).passages
    # a passage that is a whole paragraph of its article, as a wire copy would repeat it
    paragraph = next(t for t in passages["text"] if t in paragraphs and len(t.split()) > 40)
    intro = ("نقلت وكالة أنباء أخرى اليوم الخبر نفسه بمقدمة مختلفة كتبها محررها في العاصمة، "
             "وأضافت إليه تفاصيل عن الوفد المرافق والبرنامج الذي أعلنته الرئاسة للزيارة، "
             "ثم أوردت نص البيان الرسمي كما صدر دون أي تغيير في كلماته.")
    assert len(intro.split()) >= 25  # a passage of its own
    table = pd.concat([pd.DataFrame({"id": articles["article_id"], "text": articles["text"]}),
                       pd.DataFrame({"id": ["wire-copy"], "text": [intro + "\n" + paragraph]})],
                      ignore_index=True).assign(source="seeds")
    table.to_csv(tmp_path / "corpus.csv", index=False)
    out = run(RunConfig(corpus=str(tmp_path / "corpus.csv"), out=str(tmp_path / "run"),
                        n_boot=50))
    fitted = load_run(out).passages
    same = fitted[fitted["text"] == paragraph]
    assert len(same) == 2 and set(same["article_id"]) >= {"wire-copy"}
    assert same["topic"].nunique() == 1


def test_transform_reproduces_the_fit(seeds_run):
    fitted = load_run(seeds_run)
    again = transform_articles(fitted.model(), read_corpus(SEEDS).articles)
    merged = again.passages.merge(fitted.passages, on="passage_id", suffixes=("_new", "_fit"))
    assert len(merged) == len(fitted.passages)
    assert (merged["topic_new"] == merged["topic_fit"]).all()
    assert (merged["confidence"] == 1.0).all()


AVX2 = {"ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "ATEN_CPU_CAPABILITY": "avx2"}


@pytest.mark.skipif(sys.platform != "linux", reason="kernel restriction test runs on Linux")
def test_kernels_restricted_to_avx2_give_identical_tables_and_figures(seeds_run, tmp_path):
    """An AVX2-only CPU computes what this one does: the run pins the kernels to AVX2."""
    env = {**os.environ, **AVX2, "RESEARCH_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "avx2"
    args = ["run", str(SEEDS), "--out", str(out), "--precision", "float32",
            "--manifest", SEEDS_RUN["manifest"], "--period", SEEDS_RUN["period"]]
    subprocess.run([sys.executable, "-m", "research.cli", *args], env=env, check=True,
                   capture_output=True, text=True)
    for name in KEYED:
        assert (out / f"{name}.csv").read_bytes() == (seeds_run / f"{name}.csv").read_bytes(), \
            name
    assert np.array_equal(np.load(out / "embeddings.npy"), np.load(seeds_run / "embeddings.npy"))
    mine = {p.name: p.read_bytes() for p in write_figures(seeds_run, tmp_path / "f1")}
    theirs = {p.name: p.read_bytes() for p in write_figures(out, tmp_path / "f2")}
    assert mine == theirs


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"),
                    reason="the kernels are pinned on x86-64 only")
def test_numba_compiles_for_haswell_features_only():
    """UMAP's numba kernels are the same machine code on every AVX2 CPU.

    numba adds the host's own features to ``NUMBA_CPU_NAME`` unless
    ``NUMBA_CPU_FEATURES`` is set: with the name alone an AVX-512 machine compiled
    UMAP with 512-bit vectors (``zmm`` registers), other sums, and other topics (on the
    seeds, at ``min_topic_size=5``, 0 clustered passages instead of 28).
    """
    code = ("import research\nresearch.reproducible_environment()\n"
            "import numba, numpy as np\n"
            "@numba.njit(fastmath=True)\n"
            "def total(x):\n    s = 0.0\n    for v in x:\n        s += v * v\n    return s\n"
            "total(np.ones(64, dtype=np.float32))\n"
            "asm = ''.join(total.inspect_asm().values())\n"
            "print(numba.config.CPU_NAME, repr(numba.config.CPU_FEATURES), 'zmm' in asm,"
            " 'ymm' in asm)\n")
    out = run_without_kernel_variables(code)
    # haswell's own features only: 256-bit AVX2 vectors, never AVX-512's 512-bit ones
    assert out == ["haswell", "''", "False", "True"]


def test_kernel_pinning_warns_when_too_late():
    code = ("import warnings, numpy, research\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n"
            "    state = research.reproducible_environment()\n"
            "print(state['pinned'], len(w))\n")
    assert run_without_kernel_variables(code) == ["partly", "1"]
    early = ("import research\nstate = research.reproducible_environment()\nimport numpy\n"
             "print(state['pinned'], state['ATEN_CPU_CAPABILITY'])\n")
    assert run_without_kernel_variables(early) == ["yes", "avx2"]


def run_without_kernel_variables(code: str) -> list[str]:
    """Run ``python -c code`` with none of the kernel variables set; its printed words."""
    from research import KERNEL_ENVIRONMENT  # the variables, to clear them for a child

    env = {k: v for k, v in os.environ.items() if k not in KERNEL_ENVIRONMENT}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True).stdout.split()
