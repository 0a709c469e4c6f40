"""BERTopic users at home (issue 15): its methods, one assignment, a plain BERTopic export."""

import copy
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone

from research.cli import main
from research.topics import (
    EMBEDDING_MODEL_DIR,
    ArabicTopicModel,
    center_embeddings,
    topic_prototypes,
)
from tests.conftest import read_table


def _docs(seeds_prepared) -> list[str]:
    return seeds_prepared.passages["text"].tolist()


def test_bertopic_methods_on_the_fitted_model(seeds_model, seeds_prepared, seeds_embeddings):
    docs = _docs(seeds_prepared)
    topics, probs = seeds_model.transform(docs, seeds_embeddings)
    np.testing.assert_array_equal(topics, seeds_model.labels_)
    np.testing.assert_array_equal(probs, np.ones(len(docs)))

    table = seeds_model.topic_table()
    info = seeds_model.get_topic_info()
    assert list(info.columns[:5]) == ["Topic", "Count", "Name", "CustomName", "Representation"]
    assert info["Topic"].tolist() == table["topic"].tolist()
    assert info["Count"].tolist() == table["size"].tolist()
    assert info["CustomName"].tolist() == table["label"].tolist()  # corpus spelling
    assert info["Count"].sum() == len(docs) == 30
    assert seeds_model.get_topic(0) == seeds_model.bertopic_.get_topic(0)
    assert [t for t, _ in seeds_model.get_topic(0)][:3] == table["top_terms"][0].split(" | ")[:3]

    doc_info = seeds_model.get_document_info(docs)
    assert doc_info["Document"].tolist() == docs
    assert doc_info["Topic"].tolist() == seeds_model.labels_.tolist()
    assert (doc_info["Probability"] == 1.0).all()
    labels = dict(zip(table["topic"], table["label"], strict=True))
    assert doc_info["CustomName"].tolist() == [labels[t] for t in seeds_model.labels_]


def test_bertopic_figures_use_the_corpus_labels(seeds_model, seeds_prepared, seeds_embeddings):
    labels = seeds_model.topic_table()["label"].tolist()
    bar = seeds_model.visualize_barchart(topics=[0, 1, 2])
    assert [a.text for a in bar.layout.annotations][:3] == labels[:3]
    docs = _docs(seeds_prepared)
    fig = seeds_model.visualize_documents(docs, embeddings=seeds_embeddings,
                                          hide_annotations=True)
    shown = {tr.name for tr in fig.data if tr.name}
    assert shown >= set(labels) - {"-1: outliers"}
    hier = seeds_model.visualize_hierarchy()
    assert set(hier.layout.yaxis.ticktext) == set(labels)
    topics = seeds_model.visualize_topics()
    assert len(topics.data) >= 1


def test_fit_transform_returns_the_fit(seeds_model, seeds_prepared, seeds_embeddings):
    topics, probs = clone(seeds_model).fit_transform(_docs(seeds_prepared), seeds_embeddings)
    np.testing.assert_array_equal(topics, seeds_model.labels_)
    np.testing.assert_array_equal(probs, np.ones(len(topics)))


def test_inner_bertopic_transform_is_the_vote_after_reload(seeds_model, seeds_prepared,
                                                            seeds_embeddings, tmp_path):
    seeds_model.save(tmp_path / "model")
    loaded = ArabicTopicModel.load(tmp_path / "model")
    docs = _docs(seeds_prepared)
    # BERTopic's own reloaded assignment (cosine to its keyword-based topic vectors)
    # is not the model's: the inner object must not give it
    centred = center_embeddings(seeds_embeddings, loaded.center_)
    topics, probs = loaded.bertopic_.transform(docs, embeddings=centred)
    np.testing.assert_array_equal(topics, seeds_model.labels_)
    np.testing.assert_array_equal(probs, np.ones(len(docs)))
    by_docs, _ = loaded.bertopic_.transform(docs)  # embeds itself
    np.testing.assert_array_equal(by_docs, seeds_model.labels_)
    new = "وبحث الجانبان جهود إدخال المساعدات الإنسانية إلى قطاع غزة عبر معبر رفح"
    np.testing.assert_array_equal(loaded.bertopic_.transform(new)[0], loaded.predict([new]))
    assert loaded.get_topic_info()["CustomName"].tolist() == \
        seeds_model.get_topic_info()["CustomName"].tolist()
    orphan = copy.copy(loaded.bertopic_)
    orphan.assign_ = None
    with pytest.raises(RuntimeError, match=r"ArabicTopicModel\.predict"):
        orphan.transform(docs)


def test_topic_prototypes_fix_what_centroids_get_wrong():
    # unit vectors at these angles; the 60-degree point is topic -1's but closer to
    # topic 3's centroid: a linear boundary at about 65 degrees separates them
    angles = np.deg2rad([0, 5, 10, 60, 70, 75, 80, 85, 90])
    x = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    labels = np.array([-1, -1, -1, -1, 3, 3, 3, 3, 3])
    centroids = np.stack([x[labels == t].mean(axis=0) for t in (-1, 3)])
    centroid_topics = np.array([-1, 3])[np.argmax(x @ centroids.T, axis=1)]
    assert (centroid_topics == labels).sum() == 8  # the centroids miss the 60-degree point
    topics, prototypes, agreement = topic_prototypes(x, labels)
    assert topics.tolist() == [-1, 3]
    assert agreement == 1.0
    np.testing.assert_array_equal(topics[np.argmax(x @ prototypes.T, axis=1)], labels)
    np.testing.assert_allclose(np.linalg.norm(prototypes, axis=1), 1.0, atol=1e-6)
    # separable by the centroids already: they are returned unchanged
    easy = np.array([-1, -1, -1, 3, 3, 3, 3, 3, 3])
    _, protos, agree = topic_prototypes(x, easy)
    assert agree == 1.0
    expected = np.stack([x[easy == t].mean(axis=0) for t in (-1, 3)])
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(protos, expected, atol=1e-6)
    with pytest.raises(ValueError, match="as many labels"):
        topic_prototypes(x, labels[:3])


# Runs in an isolated interpreter (-I: no PYTHONPATH, no user site, cwd elsewhere) in
# which `research` cannot be imported at all (even the editable install is blocked).
PLAIN_BERTOPIC = """
import json, sys
sys.modules["research"] = None  # any `import research` now raises ImportError
import numpy as np
from bertopic import BERTopic
folder, docs_file, out_file = sys.argv[1:4]
docs = json.load(open(docs_file, encoding="utf-8"))
model = BERTopic.load(folder)
topics, probs = model.transform(docs)
info = model.get_topic_info()
np.save(out_file + ".npy", model.embedding_model.embed(docs))
assert not any(m == "research" or m.startswith("research.") for m in sys.modules
               if sys.modules[m] is not None)
json.dump({"topics": [int(t) for t in topics], "custom": info["CustomName"].tolist(),
           "info_topics": info["Topic"].tolist(), "backend": type(model.embedding_model).__name__},
          open(out_file, "w", encoding="utf-8"), ensure_ascii=False)
"""


def test_export_opens_as_plain_bertopic_without_research(seeds_run, tmp_path, capsys):
    out = tmp_path / "bertopic"
    assert main(["export", str(seeds_run), "--bertopic", str(out)]) == 0
    assert "BERTopic.load" in capsys.readouterr().out
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["config.json", "topics.json", "topic_embeddings.safetensors",
                            "ctfidf.safetensors", "ctfidf_config.json", EMBEDDING_MODEL_DIR])
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["embedding_model"] == str((out / EMBEDDING_MODEL_DIR).resolve())
    st_config = json.loads((out / EMBEDDING_MODEL_DIR / "config_sentence_transformers.json")
                           .read_text(encoding="utf-8"))
    assert st_config["default_prompt_name"] == "passage"
    assert st_config["prompts"]["passage"] == "passage: "
    modules = json.loads((out / EMBEDDING_MODEL_DIR / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == \
        ["Transformer", "Pooling", "Normalize", "Dense", "Normalize"]

    passages = read_table(seeds_run / "passages.csv")
    docs_file = tmp_path / "docs.json"
    docs_file.write_text(json.dumps(passages["text"].tolist(), ensure_ascii=False),
                         encoding="utf-8")
    result = tmp_path / "result.json"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RESEARCH_CACHE_DIR")}
    env["HF_HUB_OFFLINE"] = "1"
    proc = subprocess.run([sys.executable, "-I", "-c", PLAIN_BERTOPIC, str(out), str(docs_file),
                           str(result)], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(result.read_text(encoding="utf-8"))
    assert got["backend"] == "SentenceTransformerBackend"

    # the embedding model folder reproduces the package's centred embeddings
    model = ArabicTopicModel.load(seeds_run / "model")
    expected = center_embeddings(np.load(seeds_run / "embeddings.npy"), model.center_)
    np.testing.assert_allclose(np.load(str(result) + ".npy"), expected, atol=1e-4)

    agreement = float(np.mean(np.array(got["topics"]) == passages["topic"].to_numpy()))
    print(f"plain BERTopic.load(...).transform agrees with the package on "
          f"{agreement:.1%} of {len(passages)} training passages")
    assert agreement >= 0.95
    topics = read_table(seeds_run / "topics.csv")
    assert got["info_topics"] == topics["topic"].tolist()
    assert got["custom"] == topics["label"].tolist()


def test_export_needs_a_target(seeds_run, capsys):
    assert main(["export", str(seeds_run)]) == 2
    assert "--bertopic DIR" in capsys.readouterr().err
