import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from research.topics import (
    FORMAT_VERSION,
    ArabicTopicModel,
    EmbedderMismatchError,
    ModelIntegrityError,
    read_model_metadata,
)

load_model = ArabicTopicModel.load



@pytest.fixture(scope="module")
def saved(seeds_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "model"
    seeds_model.save(path, corpus_hash="abc")
    return path


def test_only_data_files(saved):
    assert sorted(p.name for p in saved.iterdir()) == ["arrays.safetensors", "embeddings.npy",
                                                       "model.json", "vocabulary.json"]
    meta = read_model_metadata(saved)
    assert meta["format_version"] == FORMAT_VERSION == 2
    assert meta["embedder"]["model"] == "multilingual-e5-small"
    assert meta["metadata"]["corpus_hash"] == "abc"
    assert meta["analyzer"]["normalizer"]["diacritics"] is True
    assert "bertopic" in meta["versions"]


def test_reload_same_process(saved, seeds_model, seeds_embeddings):
    loaded = load_model(saved)
    assert loaded.topic_table().equals(seeds_model.topic_table())
    np.testing.assert_array_equal(loaded.predict(embeddings=seeds_embeddings), seeds_model.labels_)
    # BERTopic's own API works on the reloaded model
    assert loaded.bertopic_.get_topic(0)[0][0] == seeds_model.bertopic_.get_topic(0)[0][0]


def test_reload_in_fresh_process_and_transform_seed(saved, seeds_dir, seeds_prepared,
                                                    seeds_model, _hermetic_cache):
    seed = next(seeds_dir.glob("004_*.txt"))
    code = (
        "import json, sys\n"
        "from research.pipeline import transform_files\n"
        "from research.topics import ArabicTopicModel\n"
        f"m = ArabicTopicModel.load({str(saved)!r})\n"
        f"r = transform_files(m, [{str(seed)!r}])\n"
        "print(json.dumps(r.passages['topic'].tolist()))\n"
    )
    env = {"RESEARCH_CACHE_DIR": str(_hermetic_cache), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    passages = seeds_prepared.passages
    mask = (passages["article_id"] == seed.stem).to_numpy()
    expected = seeds_model.labels_[mask].tolist()
    assert len(got) == len(expected)
    agree = np.mean(np.array(got) == np.array(expected))
    assert agree >= 0.9


def test_embeddings_are_memory_mapped_read_only(saved, seeds_model, seeds_embeddings):
    loaded = load_model(saved)
    assert isinstance(loaded.embeddings_, np.memmap) and loaded.embeddings_.mode == "r"
    assert not loaded.embeddings_.flags.writeable
    np.testing.assert_array_equal(loaded.embeddings_, seeds_model.embeddings_)
    np.testing.assert_array_equal(loaded.embedding_labels_, seeds_model.embedding_labels_)
    labels, conf = loaded.predict(embeddings=seeds_embeddings, return_confidence=True)
    np.testing.assert_array_equal(labels, seeds_model.labels_)
    assert (conf == 1.0).all()


def test_format_1_folder_still_loads(tmp_path, old_release_run):
    """A model saved in format 1 (embeddings inside arrays.safetensors), by older code."""
    model_v1 = old_release_run / "model"
    meta = read_model_metadata(model_v1)
    assert meta["format_version"] == 1 and "embeddings.npy" not in meta["files"]
    old = load_model(model_v1)
    assert old.embeddings_.shape == (len(old.embedding_labels_), 384)
    assert not isinstance(old.embeddings_, np.memmap)
    # a fitted text is its own nearest neighbour: its raw embedding gets its topic
    raw = np.asarray(old.embeddings_) + old.center_
    np.testing.assert_array_equal(old.predict(embeddings=raw), old.embedding_labels_)
    # saved again, it is a format 2 folder that loads back the same model
    old.save(tmp_path / "v2")
    assert read_model_metadata(tmp_path / "v2")["format_version"] == FORMAT_VERSION
    again = load_model(tmp_path / "v2")
    assert isinstance(again.embeddings_, np.memmap)
    np.testing.assert_array_equal(again.embeddings_, old.embeddings_)
    np.testing.assert_array_equal(again.embedding_labels_, old.embedding_labels_)
    assert again.topic_table().equals(old.topic_table())


def test_files_are_read_once_on_load(saved, monkeypatch):
    opened = []
    read_bytes = Path.read_bytes

    def counting(self):
        opened.append(self.name)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    load_model(saved)
    assert sorted(opened) == ["arrays.safetensors", "vocabulary.json"]  # once each
    assert "embeddings.npy" not in opened  # streamed for its checksum, then mapped


@pytest.mark.parametrize("name", ["arrays.safetensors", "vocabulary.json", "model.json",
                                  "embeddings.npy"])
def test_flipped_bytes_are_refused(saved, tmp_path, name):
    copy = tmp_path / "m"
    shutil.copytree(saved, copy)
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (copy / name).write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError):
        load_model(copy)


def test_missing_file_refused(saved, tmp_path):
    copy = tmp_path / "m"
    shutil.copytree(saved, copy)
    (copy / "vocabulary.json").unlink()
    with pytest.raises(ModelIntegrityError, match="missing"):
        load_model(copy)
    shutil.copy(saved / "vocabulary.json", copy / "vocabulary.json")
    (copy / "embeddings.npy").unlink()
    with pytest.raises(ModelIntegrityError, match="missing"):
        load_model(copy)
    with pytest.raises(ModelIntegrityError, match="missing"):
        read_model_metadata(copy)
    with pytest.raises(ModelIntegrityError, match="not a saved topic model"):
        load_model(tmp_path)


def test_other_embedding_model_refused(saved):
    class Other:
        def describe(self):
            return {"model": "sentence-transformers/LaBSE", "engine": "sentence-transformers",
                    "model_version": "rev-1"}

    with pytest.raises(EmbedderMismatchError, match="refusing"):
        load_model(saved, embedder=Other())


def test_rerun_themes_only(seeds_run, tmp_path):
    from research.pipeline import rerun_themes
    from research.themes import load_themes

    kept = [t for t in load_themes() if t.id != "libya"]
    before = (seeds_run / "passages.csv").read_bytes()
    tables = rerun_themes(seeds_run, kept, out=tmp_path / "themes")
    shares = tables["article_themes"]
    assert "libya" not in set(shares["theme"])
    assert shares.groupby("article_id")["share"].sum().round(6).eq(1).all()
    assert (tmp_path / "themes" / "trends_time.csv").is_file()
    assert (seeds_run / "passages.csv").read_bytes() == before  # the run is untouched
    # the shipped theme set reproduces the run's own tables
    same = rerun_themes(seeds_run)
    from research.runs import read_table

    original = read_table(seeds_run / "article_themes.csv")
    assert abs(same["article_themes"]["share"].to_numpy()
               - original["share"].to_numpy()).max() < 1e-5
    with pytest.raises(ValueError, match="another folder"):
        rerun_themes(seeds_run, out=seeds_run)
