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


#: The commit before the redesign into one subpackage per stage (0bbd8f8): its runs
#: and models (format 1) must still load.
OLD_RELEASE = "f6ed0b6"


@pytest.fixture(scope="session")
def old_release_run(tmp_path_factory):
    """The seeds run as the code of :data:`OLD_RELEASE` wrote it (from git history).

    Built at test time (``git archive`` of that commit, run in a subprocess with this
    environment's libraries) rather than committed: a saved model is a binary file.
    Skipped where the clone has no history (a shallow clone).
    """
    import subprocess
    import sys

    base = tmp_path_factory.mktemp("old_release")
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", OLD_RELEASE],
                                 capture_output=True, check=True, timeout=120).stdout
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        pytest.skip(f"commit {OLD_RELEASE} not available ({exc}): shallow clone?")
    subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
    out = base / "run"
    env = {**os.environ, "PYTHONPATH": str(base), "RESEARCH_CACHE_DIR": str(base / "cache"),
           "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "research.cli", "run", str(SEEDS), "--out", str(out),
         "--manifest", str(SEEDS / "manifest.csv"), "--period", "year"],
        cwd=str(base), capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def check_representative_docs(model, documents, topics) -> None:
    """Each topic's representative documents are distinct texts of that very topic.

    ``documents`` and ``topics``: the fitted texts and their final topics (copies
    allowed). BERTopic picks the representatives under the fit's own topic numbers;
    after the outlier vote, canonical numbering or a merge they must follow the final
    topics (issue 13).
    """
    topic_of = dict(zip(documents, topics, strict=True))
    chosen = model.bertopic_.representative_docs_
    assert set(chosen) == set(topic_of.values())
    for topic, docs in chosen.items():
        distinct = {d for d, t in topic_of.items() if t == topic}
        assert len(docs) == len(set(docs)) == min(3, len(distinct)), topic
        assert all(topic_of[d] == topic for d in docs), topic
