"""Topic curation on a fitted model: merging topics and naming them.

A mixin of :class:`~research.topics.ArabicTopicModel` (``merge_topics``,
``set_topic_labels``); ``research topics RUN`` applies them to a saved run
(:func:`research.pipeline.curate_topics`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._space import canonical_numbers, text_keys

__all__ = ["TopicCuration"]


class TopicCuration:
    """Merging and naming topics of a fitted :class:`~research.topics.ArabicTopicModel`."""

    def set_topic_labels(self, labels: dict[int, str]) -> None:
        """Name topics (topic curation): ``{topic: "label"}``, shown as ``"5: label"``.

        An empty string removes a topic's label (back to its three best words).

        Raises
        ------
        ValueError
            For a topic the model does not have, or the outlier topic ``-1``.
        """
        check_is_fitted(self, "labels_")
        known = set(self.embedding_labels_.tolist()) - {-1}
        unknown = sorted(set(map(int, labels)) - known)
        if unknown:
            raise ValueError(f"no topics {unknown}; the topics are {sorted(known)}")
        current = dict(getattr(self, "topic_labels_", {}))
        for topic, label in labels.items():
            label = str(label).strip()
            if label:
                current[int(topic)] = label
            else:
                current.pop(int(topic), None)
        self.topic_labels_ = dict(sorted(current.items()))
        self._attach_bertopic()

    def merge_topics(self, groups: Sequence[Sequence[int]],
                     documents: Sequence[str]) -> dict[int, int]:
        """Merge groups of topics (topic curation) and recompute the topic words.

        Each group becomes one topic; topics are then renumbered canonically (by
        size, as after a fit), c-TF-IDF and words are recomputed from ``documents``,
        and a label set on the group's first topic carries over.

        Parameters
        ----------
        groups : sequence of sequence of int
            Topics to merge, e.g. ``[[3, 7], [1, 4, 9]]``; groups may not overlap.
        documents : sequence of str
            The texts the model was fitted on (a run's passages whose
            ``topic_source`` is ``"fit"``), any order.

        Returns
        -------
        dict of int to int
            Old topic -> new topic, for every topic (``-1`` -> ``-1``).

        Raises
        ------
        ValueError
            For unknown or overlapping topics, a group of fewer than two topics, or
            documents that are not the fitted texts.
        """
        check_is_fitted(self, "labels_")
        documents = [str(d) for d in documents]
        keys = text_keys(documents)
        canon = sorted(set(keys))
        if len(canon) != len(self.embedding_labels_):
            raise ValueError(f"{len(canon)} distinct documents; the model was fitted on "
                             f"{len(self.embedding_labels_)}: pass the fitted texts")
        known = set(self.embedding_labels_.tolist()) - {-1}
        mapping = {t: t for t in known | {-1}}
        seen: set[int] = set()
        for group in groups:
            members = sorted({int(t) for t in group})
            if len(members) < 2:
                raise ValueError(f"a merge needs at least two topics, got {list(group)}")
            if set(members) - known:
                raise ValueError(f"no topics {sorted(set(members) - known)}; the topics are "
                                 f"{sorted(known)}")
            if set(members) & seen:
                raise ValueError(f"topics {sorted(set(members) & seen)} are in two merges")
            seen |= set(members)
            for t in members:
                mapping[t] = members[0]
        merged = np.asarray([mapping[t] for t in self.embedding_labels_.tolist()], np.int64)
        copies = np.bincount(np.searchsorted(canon, keys), minlength=len(canon))
        renumbered = canonical_numbers(merged, copies, canon)
        new_of = dict(zip(merged.tolist(), renumbered.tolist(), strict=True))
        new_of[-1] = -1
        old_to_new = {t: int(new_of[mapping[t]]) for t in sorted(mapping)}
        label_of = dict(zip(canon, renumbered.tolist(), strict=True))
        order = np.argsort(np.asarray(keys), kind="stable")
        self._update_topics(self.bertopic_, [documents[i] for i in order],
                            [label_of[keys[i]] for i in order])
        self.labels_ = np.asarray([label_of[k] for k in keys], dtype=np.int64)
        self.embedding_labels_ = renumbered
        old_labels = getattr(self, "topic_labels_", {})
        self.topic_labels_ = dict(sorted(
            (old_to_new[t], label) for t, label in old_labels.items() if mapping[t] == t))
        self._attach_bertopic()
        return old_to_new
