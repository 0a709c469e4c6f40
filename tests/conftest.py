"""Shared fixtures: offline, hermetic cache, and the real seeds run (computed once)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Pin the math kernels before numpy, torch or numba are imported (as the `research`
# command does): the tests then see the results of any x86-64 CPU with AVX2.
from research import reproducible_environment  # noqa: E402  (imports nothing heavy)

reproducible_environment()

from research.runs import read_table  # noqa: E402, F401  (re-exported for the tests)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SAUDINEWSNET = ROOT.parent / "shared" / "corpora" / "saudinewsnet"
# The options of `make run` (Makefile RUN_ARGS); test_packaging checks they agree.
SEEDS_RUN = {"manifest": str(SEEDS / "manifest.csv"), "period": "year"}

# Set before any test imports the libraries: nothing may reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session", autouse=True)
def _hermetic_cache(tmp_path_factory):
    """Every test session gets its own embedding cache (a fresh machine's state)."""
    cache = tmp_path_factory.mktemp("cache")
    old = os.environ.get("RESEARCH_CACHE_DIR")
    os.environ["RESEARCH_CACHE_DIR"] = str(cache)
    yield cache
    if old is None:
        os.environ.pop("RESEARCH_CACHE_DIR", None)
    else:
        os.environ["RESEARCH_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def embedder():
    from research.embed import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def seeds_prepared():
    from research.corpus import read_corpus
    from research.text import prepare_passages

    return prepare_passages(read_corpus(SEEDS).articles)


@pytest.fixture(scope="session")
def seeds_embeddings(seeds_prepared, embedder):
    return embedder.embed_passages(seeds_prepared.passages["text"].tolist())


@pytest.fixture(scope="session")
def seeds_model(seeds_prepared, seeds_embeddings, embedder):
    from research.topics import ArabicTopicModel

    return ArabicTopicModel(embedder).fit(seeds_prepared.passages["text"].tolist(),
                                          embeddings=seeds_embeddings)


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory):
    """The real pipeline on the seeds, exactly as `make run` runs it (see SEEDS_RUN)."""
    from research.pipeline import RunConfig, run

    out = tmp_path_factory.mktemp("runs") / "seeds"
    return run(RunConfig(corpus=str(SEEDS), out=str(out), **SEEDS_RUN))
