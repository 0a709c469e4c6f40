"""Topic words per period: c-TF-IDF of each topic within each period.

BERTopic's ``topics_over_time`` breaks on pandas 3, and its ``global_tuning`` averages
a period's word weights with the topic's global ones, so a period can show a word
none of its passages contains. :func:`topic_words_over_time` computes the words
itself, from the run's passages, with the topic model's vectorizer (the
:class:`research.text.ArabicAnalyzer` settings and the fitted vocabulary).

The c-TF-IDF variant
--------------------
The one the topic model uses (BERTopic's ``ClassTfidfTransformer`` with
``reduce_frequent_words=True``; Grootendorst 2022)::

    score(x, c, t) = sqrt(tf(x, c, t) / sum_x tf(x, c, t)) * log(1 + A / f(x))

``tf(x, c, t)``: occurrences of term ``x`` in the passages of topic ``c`` in period
``t`` (each passage weighted by its article's weight in the period); ``f(x)``: the
occurrences of ``x`` in all the passages given; ``A``: the average number of term
occurrences per topic (the idf is the global one of the topics, as in BERTopic's
``topics_over_time``, without ``global_tuning``). Only terms that occur in the
period's passages of the topic are listed, so a word is never shown for a period
where it does not occur; each term is displayed in the spelling most frequent in
those same passages (:func:`research.text.surface_forms`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from research.text import display_term, surface_forms

from ._periods import Period, article_period_weights, period_dates

__all__ = ["TOPIC_WORD_COLUMNS", "topic_words_over_time"]

#: Columns of ``topic_words_over_time.csv``.
TOPIC_WORD_COLUMNS = ["period", "topic", "rank", "term", "word", "score", "count", "n_passages"]


def topic_words_over_time(passages: pd.DataFrame, articles: pd.DataFrame, period: Period,
                          vectorizer, *, n_words: int = 10) -> pd.DataFrame:
    """Top c-TF-IDF words of each topic within each period (see the module docstring).

    Parameters
    ----------
    passages : DataFrame
        ``article_id, text, topic``.
    articles : DataFrame
        ``article_id``, ``date``/``date_min``/``date_max`` (as placed on the time axis).
    period : {"week", "month", "quarter", "year"}
    vectorizer : sklearn CountVectorizer
        The topic model's fitted vectorizer (its analyzer and ``vocabulary_``), e.g.
        ``ArabicTopicModel.bertopic_.vectorizer_model``.
    n_words : int, default=10
        Words per (period, topic).

    Returns
    -------
    DataFrame
        :data:`TOPIC_WORD_COLUMNS`: ``term`` normalised as modelled, ``word`` as
        written in the period's passages, ``count`` its (weighted) occurrences there,
        ``n_passages`` the topic's passages in the period. Periods in time order
        (``undated`` last), topics ascending, ranks from 0.
    """
    import scipy.sparse as sp

    if passages.empty:
        return pd.DataFrame(columns=TOPIC_WORD_COLUMNS)
    texts = passages["text"].astype(str).tolist()
    counts = sp.csr_matrix(vectorizer.transform(texts), dtype=float)
    terms = np.asarray(vectorizer.get_feature_names_out(), dtype=object)
    topics = passages["topic"].to_numpy()
    topic_ids = sorted(pd.unique(topics))
    onehot = sp.csr_matrix((np.ones(len(topics)), ([topic_ids.index(t) for t in topics],
                                                   np.arange(len(topics)))),
                           shape=(len(topic_ids), len(topics)))
    per_topic = onehot @ counts
    f = np.asarray(counts.sum(axis=0)).ravel()
    avg = int(np.asarray(per_topic.sum(axis=1)).mean())
    idf = np.log(1 + avg / np.where(f > 0, f, 1))

    weights = article_period_weights(
        articles[articles["article_id"].isin(set(passages["article_id"]))]
        .drop_duplicates("article_id"), period)
    row_of = pd.Series(np.arange(len(passages)), index=passages["passage_id"].to_numpy())
    members = passages[["passage_id", "article_id", "topic"]].merge(weights, on="article_id")
    order = sorted(pd.unique(members["period"]),
                   key=lambda p: (pd.isna(period_dates([p])[0]), str(p)))
    rows = []
    for (label, topic), group in sorted(members.groupby(["period", "topic"]),
                                        key=lambda kv: (order.index(kv[0][0]), kv[0][1])):
        idx = row_of.loc[group["passage_id"]].to_numpy()
        w = group["weight"].to_numpy(float)
        tf = np.asarray(counts[idx].T @ w).ravel()
        present = np.flatnonzero(tf > 0)
        if not len(present):
            continue
        score = np.sqrt(tf[present] / tf[present].sum()) * idf[present]
        top = present[np.lexsort((terms[present], -score))][:n_words]
        forms = surface_forms([texts[i] for i in idx])
        by_term = dict(zip(present, score, strict=True))
        for rank, j in enumerate(top):
            rows.append({"period": label, "topic": int(topic), "rank": rank, "term": terms[j],
                         "word": display_term(terms[j], forms), "score": by_term[j],
                         "count": tf[j], "n_passages": len(idx)})
    return pd.DataFrame(rows, columns=TOPIC_WORD_COLUMNS)
