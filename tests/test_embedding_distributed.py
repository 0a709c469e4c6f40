"""Embedding on a Dask cluster: the same embeddings as in one process, in the same cache."""

from __future__ import annotations

import hashlib
import importlib.util

import numpy as np
import pytest

from research.embed import EmbeddingCache, get_embedder
from tests.conftest import SEEDS


def _fake(chunk):  # logic test of the cache: a deterministic fake embedding
    return np.array([[int(hashlib.sha256(t.encode()).hexdigest()[:6], 16) % 97, len(t)]
                     for t in chunk], dtype=np.float32)


def test_cache_stores_chunks_as_they_complete(tmp_path):
    texts = [f"text {i}" for i in range(6)]
    cache = EmbeddingCache(tmp_path, "fake", chunk_size=2)

    def lost_worker(chunks):  # results in completion order, then a failure
        assert chunks == [texts[0:2], texts[2:4], texts[4:6]]
        yield 2, _fake(chunks[2])
        yield 0, _fake(chunks[0])
        raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError, match="worker lost"):
        cache.get_or_compute(texts, _fake, map_chunks=lost_worker)
    assert len(cache) == 4
    computed = []
    out = cache.get_or_compute(texts, lambda chunk: computed.append(chunk) or _fake(chunk))
    assert computed == [texts[2:4]]  # the run resumes with the one missing chunk
    assert np.array_equal(out, _fake(texts))


def test_cache_refuses_a_chunk_of_the_wrong_shape(tmp_path):
    cache = EmbeddingCache(tmp_path, "fake", chunk_size=2)
    with pytest.raises(ValueError, match="chunk 0 of 2 texts"):
        cache.get_or_compute(["a", "b"], lambda chunk: _fake(chunk)[:1])
    assert len(cache) == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"workers": 0}, "workers must be None or an int >= 1, got 0"),
    ({"workers": True}, "workers must be None or an int >= 1"),
    ({"dask_scheduler": ""}, "dask_scheduler must be None or an address"),
    ({"workers": 2, "dask_scheduler": "tcp://host:8786"}, "not both"),
    ({"workers": 2, "cache_dir": False}, "need the embedding cache"),
])
def test_invalid_distributed_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        get_embedder(**kwargs)


def test_without_the_extra_the_error_names_it(monkeypatch, tmp_path, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "distributed" else real(name, *a))
    hint = 'pip install "arabic-news-topics[distributed]"'
    with pytest.raises(ImportError, match=hint.replace("[", r"\[").replace("]", r"\]")):
        get_embedder(workers=2)
    from research.cli import main

    assert main(["run", str(SEEDS), "--out", str(tmp_path / "run"), "--workers", "2"]) == 2
    assert hint in capsys.readouterr().err
    assert not (tmp_path / "run" / "run.json").exists()


def test_cli_options_reach_the_config_and_round_trip(tmp_path, capsys):
    from research.cli import main
    from research.pipeline import read_config_file

    toml = tmp_path / "run.toml"
    assert main(["run", "seeds", "--out", "runs/x", "--workers", "3",
                 "--write-config", str(toml)]) == 0
    values = read_config_file(toml)
    assert values["workers"] == 3 and "dask_scheduler" not in values
    assert main(["run", "--config", str(toml), "--workers", "0"]) == 2
    assert "workers must be None or an int >= 1, got 0" in capsys.readouterr().err
    assert main(["run", "--config", str(toml), "--dask-scheduler", "tcp://host:8786"]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["run", "seeds", "--out", "runs/x", "--dask-scheduler", "tcp://host:8786",
                 "--write-config", str(toml)]) == 0
    assert read_config_file(toml)["dask_scheduler"] == "tcp://host:8786"


@pytest.fixture(scope="session")
def cluster_embedder(tmp_path_factory):
    """The default embedder on a local cluster of two worker processes (started once)."""
    pytest.importorskip("distributed")
    embedder = get_embedder(cache_dir=tmp_path_factory.mktemp("dask-cache"), workers=2)
    yield embedder
    embedder.close()


def test_cluster_embeddings_are_identical_and_cached(cluster_embedder, embedder,
                                                     seeds_prepared, seeds_embeddings):
    texts = seeds_prepared.passages["text"].tolist()
    cache = cluster_embedder.cache("passage")
    # 8 chunks: both workers embed some, more than the 4 submitted ahead
    cache.chunk_size = 4
    from distributed import get_task_stream

    with get_task_stream(cluster_embedder.dask_client) as stream:
        out = cluster_embedder.embed_passages(texts)
    assert len(stream.data) == 8 and len({task["worker"] for task in stream.data}) == 2
    # bit for bit the single-process embeddings (the torch engine, float32)
    assert cluster_embedder.describe() == embedder.describe()
    assert out.dtype == np.float32 and np.array_equal(out, seeds_embeddings)
    n_unique = len(set(texts))
    assert len(cache) == n_unique
    assert len(list(cache.path.glob("shard-*.npz"))) == -(-n_unique // 4) == 8
    # the cache is the single source of truth: one process now computes nothing
    computed = []
    single = get_embedder(cache_dir=cache.path.parents[1])
    again = single.cache("passage").get_or_compute(texts, computed.append)
    assert computed == [] and np.array_equal(again, seeds_embeddings)


def test_a_running_scheduler_is_used_by_address(cluster_embedder, embedder, tmp_path):
    address = cluster_embedder.dask_client.scheduler.address
    remote = get_embedder(cache_dir=tmp_path, dask_scheduler=address)
    words = ["السيسي", "قمة ثنائية", "التعاون الاقتصادي"]
    try:
        out = remote.embed_queries(words)
    finally:
        remote.close()
    assert np.array_equal(out, embedder.embed_queries(words))
    assert len(remote.cache("query")) == 3


def test_a_repeat_embeds_in_one_process(seeds_run, tmp_path):
    import json
    import shutil

    from research.pipeline import config_from_record

    copy = tmp_path / "run"
    shutil.copytree(seeds_run, copy)
    record = json.loads((copy / "run.json").read_text(encoding="utf-8"))
    assert record["config"]["workers"] is None and record["config"]["dask_scheduler"] is None
    record["config"]["workers"] = 2
    (copy / "run.json").write_text(json.dumps(record), encoding="utf-8")
    config = config_from_record(copy, out=tmp_path / "again")
    assert config.workers is None and config.dask_scheduler is None
