"""Export a fitted :class:`~research.topics.ArabicTopicModel` as a plain BERTopic folder.

:func:`export_bertopic` writes BERTopic's own safetensors format, which ``BERTopic.load``
opens in an environment with only ``bertopic`` and ``sentence-transformers``::

    DIR/
        config.json  topics.json  topic_embeddings.safetensors    # BERTopic.save
        ctfidf.safetensors  ctfidf_config.json                    # (save_ctfidf=True)
        embedding_model/                                          # sentence-transformers

``config.json`` names ``DIR/embedding_model`` by its absolute path (BERTopic's
``save_embedding_model``), a sentence-transformers model that embeds as this package
does and centres on the fit's mean (:func:`research.embed.save_sentence_transformer`),
so ``BERTopic.load(DIR).transform(docs)`` embeds documents itself.

BERTopic's format keeps neither UMAP/HDBSCAN nor a custom vectorizer, and a reloaded
BERTopic assigns a document to the topic whose embedding is most cosine-similar. The
exported topic embeddings are therefore prototypes fitted to reproduce the model's
neighbour vote on the fitted passages (:func:`research.topics.topic_prototypes`), not
BERTopic's keyword-based topic vectors (which, after the package's final topic update,
reproduce under 10% of the SaudiNewsNet run's topics). The vectorizer is reloaded as a
plain ``CountVectorizer`` with the model's vocabulary of normalised terms: topic words,
labels, ``transform`` and the figures work; recomputing topic words of new documents
(``update_topics``) in the export would tokenise with scikit-learn's word pattern and
the model's n-gram range, without the Arabic normalisation and stop words.
"""

from __future__ import annotations

import copy
import logging
import os
from pathlib import Path

from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils.validation import check_is_fitted

from research.embed import resolve_embedder, save_sentence_transformer

from ._space import topic_prototypes

__all__ = ["export_bertopic", "EMBEDDING_MODEL_DIR"]

logger = logging.getLogger(__name__)

#: Folder of the sentence-transformers model inside an export.
EMBEDDING_MODEL_DIR = "embedding_model"


def export_bertopic(model, path: str | os.PathLike) -> Path:
    """Write ``model`` as a folder that plain ``BERTopic.load(path)`` opens.

    Parameters
    ----------
    model : ArabicTopicModel
        A fitted (or loaded) model.
    path : path
        Folder to write (created; files of an earlier export are replaced).

    Returns
    -------
    Path
        The folder (absolute). ``BERTopic.load(str(path))`` gives a model whose
        ``transform(docs)`` embeds ``docs`` with ``path/embedding_model`` and assigns
        each to the most cosine-similar topic prototype; ``get_topic_info()`` has the
        model's labels as ``CustomName``. When the folder is moved, load it with
        ``BERTopic.load(new, embedding_model=f"{new}/embedding_model")``.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        When ``model`` is not fitted.
    ValueError
        When the model's topics are not numbered ``0..k-1`` (plus ``-1``), which
        BERTopic's format requires.
    """
    check_is_fitted(model, "labels_")
    path = Path(path).resolve()
    path.mkdir(parents=True, exist_ok=True)
    bt = copy.copy(model.bertopic_)
    topics, prototypes, agreement = topic_prototypes(model.embeddings_, model.embedding_labels_)
    has_outliers = int(-1 in bt.topic_sizes_)
    expected = list(range(-has_outliers, len(bt.topic_sizes_) - has_outliers))
    if sorted(bt.topic_sizes_) != expected or topics.tolist() != expected:
        raise ValueError(f"topics must be numbered {expected[:3]}...: BERTopic maps row i of "
                         f"the topic embeddings to topic i - {has_outliers}; got "
                         f"{sorted(bt.topic_sizes_)}")
    bt.topic_embeddings_ = prototypes
    # BERTopic's format keeps a vectorizer's own parameters only; the Arabic analyzer's
    # nested ones would break CountVectorizer(**params) at load time
    bt.vectorizer_model = CountVectorizer(ngram_range=tuple(model.ngram_range),
                                          min_df=bt.vectorizer_model.min_df)
    bt.vectorizer_model.vocabulary_ = dict(model.bertopic_.vectorizer_model.vocabulary_)
    st_dir = save_sentence_transformer(resolve_embedder(model.embedder),
                                       path / EMBEDDING_MODEL_DIR, center=model.center_)
    bt.save(str(path), serialization="safetensors", save_embedding_model=str(st_dir),
            save_ctfidf=True)
    logger.info("exported BERTopic model to %s: the topic prototypes reproduce %.1f%% of the "
                "fitted topics", path, 100 * agreement)
    return path
