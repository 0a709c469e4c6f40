"""The stages of a run, each a function on tidy tables that returns new tables.

No stage modifies its inputs. :func:`research.pipeline.run` composes them in order;
:func:`research.pipeline.rerun_themes` composes the last ones (themes and trends) on
a saved run.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from research.annotate import annotate_articles, read_manifest
from research.corpus import (
    Corpus,
    CorpusFilter,
    arabic_share,
    duplicate_table,
    near_duplicate_groups,
    read_corpus,
)
from research.text import Prepared
from research.themes import ThemeTables, theme_seed_topic_list, theme_tables
from research.topics import (
    ArabicTopicModel,
    canonical_unique,
    center_embeddings,
    document_map,
    text_keys,
)
from research.trends import auto_period, central_span, period_of, time_axis_dates, trend_tables

from ._config import RunConfig

__all__ = [
    "ARTICLE_FIRST_COLUMNS",
    "PASSAGE_COLUMNS",
    "MIN_ARABIC_SHARE",
    "ingest",
    "recheck_filter",
    "group_stories",
    "annotate",
    "embed",
    "fit_topics",
    "topic_tables",
    "map_documents",
    "article_topic_shares",
    "dominant_topics",
    "themes_and_trends",
    "effects_and_change",
    "counted_articles",
    "report_table",
]

logger = logging.getLogger(__name__)

#: Leading columns of ``articles.csv``; the input metadata and annotations follow.
ARTICLE_FIRST_COLUMNS = ["article_id", "title", "n_passages", "dominant_topic", "dominant_theme",
                         "axis_score"]
#: Columns of ``passages.csv``.
PASSAGE_COLUMNS = ["article_id", "passage_id", "passage_index", "text", "n_words", "n_tokens",
                   "topic", "topic_source", "theme", "axis_score"]
#: Share of a passage's letters that must be Arabic for the passage to be fitted.
MIN_ARABIC_SHARE = 0.5


def ingest(config: RunConfig) -> tuple[Corpus, CorpusFilter]:
    """Read the corpus with the run's selection.

    Returns
    -------
    corpus : research.corpus.Corpus
        Articles, the ingest report (every input item accounted for) and the paragraph
        frequencies per outlet (boilerplate evidence from every readable item).
    selection : research.corpus.CorpusFilter
        The selection applied (recorded in ``run.json``).
    """
    selection = CorpusFilter(contains=tuple(config.contains), sources=tuple(config.sources),
                             date_from=config.date_from, date_to=config.date_to)
    corpus = read_corpus(config.corpus, filter=selection if selection.is_active else None)
    return corpus, selection


def recheck_filter(prepared: Prepared, report: pd.DataFrame,
                   selection: CorpusFilter) -> tuple[Prepared, pd.DataFrame]:
    """Apply the selection's ``contains`` terms again, to the title and the cleaned body.

    The selection is applied at ingest on the raw text, so a term found only in lines
    that cleaning removed (a teaser of another story, a related link, boilerplate) lets
    an article in that is not about it. Such an article leaves the run: its report
    row gets status ``'filtered'`` and a reason naming the terms and the kinds of
    removed lines they were in (``"filter: السيسي only in removed lines (teaser
    block)"``), so that every input item stays accounted for. Its removed lines stay in
    ``removed`` (they are the evidence).

    Parameters
    ----------
    prepared : research.text.Prepared
        Cleaned articles (``article_id``, ``title``, ``body``), passages and removed lines.
    report : DataFrame
        The ingest report (``article_id``, ``status``, ``reason``).
    selection : research.corpus.CorpusFilter
        The run's selection; only its ``contains`` terms are checked again.

    Returns
    -------
    prepared : research.text.Prepared
        Without the articles (and their passages) that no longer match.
    report : DataFrame
        The report with those articles' rows marked ``'filtered'``.
    """
    if not selection.contains:
        return prepared, report
    terms = CorpusFilter(contains=selection.contains)
    articles = prepared.articles
    removed_lines: dict[str, list[tuple[str, str]]] = {}
    for aid, line, why in zip(prepared.removed["article_id"], prepared.removed["line"],
                              prepared.removed["reason"], strict=True):
        removed_lines.setdefault(aid, []).append((line, why))
    reasons: dict[str, str] = {}
    for aid, title, body in zip(articles["article_id"], articles["title"], articles["body"],
                                strict=True):
        if terms.matching_terms(f"{title}\n{body}"):
            continue
        found: dict[str, None] = {}
        kinds: dict[str, None] = {}
        for line, why in removed_lines.get(aid, []):
            matched = terms.matching_terms(line)
            if matched:
                found.update(dict.fromkeys(matched))
                kinds[why.split(" (")[0]] = None
        reasons[aid] = (f"filter: {', '.join(found) or ', '.join(selection.contains)} only in "
                        f"removed lines ({', '.join(kinds) or 'none'})")
    if not reasons:
        return prepared, report
    logger.info("%d articles matched the selection only in removed lines", len(reasons))
    gone = articles["article_id"].isin(reasons)
    kept = Prepared(
        articles=articles[~gone].reset_index(drop=True),
        passages=prepared.passages[~prepared.passages["article_id"].isin(reasons)]
        .reset_index(drop=True),
        removed=prepared.removed,
    )
    hit = (report["status"] == "loaded") & report["article_id"].isin(reasons)
    report = report.assign(
        status=report["status"].where(~hit, "filtered"),
        reason=report["reason"].where(~hit, report["article_id"].map(reasons)),
    )
    return kept, report


def group_stories(articles: pd.DataFrame, *, threshold: float, random_state: int) -> pd.DataFrame:
    """Near-duplicate stories of the cleaned articles.

    Parameters
    ----------
    articles : DataFrame
        ``article_id`` and ``body`` (cleaned text).
    threshold : float
        Shingle Jaccard similarity that makes two articles copies of one story.
    random_state : int

    Returns
    -------
    DataFrame
        ``article_id, dup_group, is_representative, group_size``
        (:func:`research.corpus.duplicate_table`), rows in the order of ``articles``.
        A story's representative is its member with the smallest SHA-256 of the body
        (ties: the smallest id), whatever the row order.
    """
    # canonical order (text hash, then id): the representative of a story, its first
    # member, does not depend on the row order of the corpus
    keys = text_keys(articles["body"])
    ids = articles["article_id"].astype(str).tolist()
    order = sorted(range(len(articles)), key=lambda i: (keys[i], ids[i]))
    bodies = [articles["body"].iat[i] for i in order]
    groups = near_duplicate_groups(bodies, threshold=threshold, random_state=random_state)
    table = duplicate_table([ids[i] for i in order], groups)
    return table.set_index("article_id").loc[ids].reset_index()


def annotate(articles: pd.DataFrame, manifest: str | None, *, gazetteer=None,
             events=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counterpart and date columns of every article, and the notes.

    The cleaned body is what is read; a corpus ``date`` counts as a given date only
    when it came from a date column (``date_origin == "date"``), not when it was
    derived from the extraction time, which is passed as ``date_extracted`` (the
    reference for relative words such as أمس). Malformed manifest rows are reported
    in the notes, not fatal: one bad date in a researcher's spreadsheet must not stop
    the run (nor be silently accepted).

    Parameters
    ----------
    articles : DataFrame
        ``article_id``, ``title``, ``body`` and optional ``source_file``, ``date``,
        ``date_origin``, ``date_extracted``, ``date_note`` (a given date the corpus
        reader could not read: reported as ``date_not_understood``).
    manifest : str or None
        Path of the researcher's manifest CSV.
    gazetteer, events : optional
        The run's gazetteer and events calendar (default: the bundled files).

    Returns
    -------
    annotations : DataFrame
        ``article_id`` and the annotation columns (and the manifest's extra columns).
    notes : DataFrame
        ``article_id, kind, message``.
    """
    empty = pd.Series("", index=articles.index)
    given = articles.get("date_origin", empty) == "date"
    frame = pd.DataFrame({
        "article_id": articles["article_id"],
        "title": articles["title"],
        "text": articles["body"],
        "file": articles.get("source_file", empty),
        "date": articles["date"].where(given, "") if "date" in articles else "",
        "date_extracted": articles.get("date_extracted", empty).fillna(""),
        "date_note": articles.get("date_note", empty).fillna(""),
    })
    table = read_manifest(manifest, errors="report") if manifest else None
    annotated, notes = annotate_articles(frame, table, gazetteer=gazetteer, events=events)
    added = [c for c in annotated.columns if c not in frame.columns or c == "date"]
    return annotated[["article_id", *added]].reset_index(drop=True), notes


def embed(passages: pd.DataFrame, embedder) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings and model token counts of the passages.

    Returns
    -------
    embeddings : ndarray of shape (n_passages, dim)
        Rows aligned with ``passages``.
    n_tokens : ndarray of shape (n_passages,)
    """
    texts = passages["text"].tolist()
    embeddings = embedder.embed_passages(texts, progress=True)
    return embeddings, np.asarray(embedder.count_tokens(texts), dtype=np.int64)


def fit_topics(passages: pd.DataFrame, embeddings: np.ndarray, representatives: set[str],
               embedder, config: RunConfig, *, themes=None,
               sample: set[str] | None = None) -> tuple[ArabicTopicModel, pd.DataFrame]:
    """Fit topics on the representatives' Arabic passages; assign the others by ``predict``.

    Passages of near-duplicate copies (articles that are not their story's
    representative), of stories outside the fit sample (:func:`fit_sample`, on a
    large corpus) and passages with too few Arabic letters (an English readout, a
    quoted statement: their words are not in the Arabic vocabulary, so a topic of
    them would have no words) are not fitted: each gets the topic its nearest fitted
    passages vote for, in the multilingual embedding space.

    Parameters
    ----------
    passages : DataFrame
        ``passage_id``, ``article_id``, ``text``; rows aligned with ``embeddings``.
    embeddings : ndarray of shape (n_passages, dim)
    representatives : set of str
        Article ids whose passages are fitted (one article per story).
    embedder : research.embed.Embedder
    config : RunConfig
    themes : optional
        Theme set whose seed terms guide the topics (default: the bundled one).
    sample : set of str, optional
        Representatives whose passages are fitted (:attr:`FitSample.article_ids`);
        default: every representative.

    Returns
    -------
    model : ArabicTopicModel
    assigned : DataFrame
        ``passage_id``, ``topic``, ``topic_source`` (``"fit"``, ``"copy"`` for a
        near-duplicate story's copy, ``"not_sampled"`` for a story outside the fit
        sample, ``"non_arabic"`` for a passage mostly in another script), rows
        aligned with ``passages``.
    """
    model = ArabicTopicModel(
        embedder, min_topic_size=config.min_topic_size, random_state=config.random_state,
        nr_topics=config.nr_topics,
        seed_topic_list=theme_seed_topic_list(themes) if config.guided else None)
    texts = passages["text"].tolist()
    arabic = np.asarray([arabic_share(t)[0] >= MIN_ARABIC_SHARE for t in texts], dtype=bool)
    story = passages["article_id"].isin(representatives).to_numpy()
    sampled = story if sample is None else passages["article_id"].isin(sample).to_numpy()
    fitted = story & sampled & arabic
    if fitted.sum() < 4:
        raise ValueError(f"only {int(fitted.sum())} Arabic passages of story representatives; "
                         "at least 4 are needed to fit topics")
    model.fit([t for t, keep in zip(texts, fitted, strict=True) if keep],
              embeddings=embeddings[fitted])
    topics = np.empty(len(passages), dtype=np.int64)
    topics[fitted] = model.labels_
    if (~fitted).any():
        topics[~fitted] = model.predict(embeddings=embeddings[~fitted])
    source = np.where(fitted, "fit", np.where(~arabic, "non_arabic",
                                              np.where(story, "not_sampled", "copy")))
    return model, pd.DataFrame({"passage_id": passages["passage_id"].to_numpy(),
                                "topic": topics, "topic_source": source})


def topic_tables(model: ArabicTopicModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the topic table and the topic words (with the topic's label) of a fitted model."""
    topics = model.topic_table()
    words = model.topic_words()
    words.insert(1, "label", words["topic"].map(topics.set_index("topic")["label"]))
    return topics, words


#: Columns of ``topic_hierarchy.csv``.
HIERARCHY_COLUMNS = ["parent", "left", "right", "distance", "n_topics", "topics", "words"]


def topic_hierarchy(model: ArabicTopicModel, passages: pd.DataFrame) -> pd.DataFrame:
    """Return the run's topic hierarchy (:meth:`ArabicTopicModel.hierarchical_topics`).

    Parameters
    ----------
    model : ArabicTopicModel
        The fitted model.
    passages : DataFrame
        ``text, topic`` of every passage (outliers included; BERTopic leaves them out).

    Returns
    -------
    DataFrame
        :data:`HIERARCHY_COLUMNS`, one row per merge; empty with fewer than two topics.
    """
    if passages.loc[passages["topic"] != -1, "topic"].nunique() < 2:
        return pd.DataFrame(columns=HIERARCHY_COLUMNS)
    return model.hierarchical_topics(passages["text"].tolist(), passages["topic"].to_numpy())


def map_documents(passages: pd.DataFrame, embeddings: np.ndarray, center: np.ndarray, *,
                  random_state: int) -> pd.DataFrame:
    """Compute fixed 2-D coordinates of every passage (UMAP of the centred embeddings).

    The map is computed on the unique passage texts in canonical order (text hash),
    so it does not depend on the row order and copies of a passage share a point.

    Returns
    -------
    DataFrame
        ``article_id, passage_id, topic, x, y``.
    """
    # unique texts in canonical order: the map does not depend on the row order, and
    # copies of a passage share one point
    keys = text_keys(passages["text"])
    canon, rows = canonical_unique(keys)
    xy = document_map(center_embeddings(embeddings[rows], center), random_state=random_state)
    where = {k: i for i, k in enumerate(canon)}
    xy = xy[[where[k] for k in keys]]
    return passages[["article_id", "passage_id", "topic"]].assign(x=xy[:, 0], y=xy[:, 1])


def article_topic_shares(passages: pd.DataFrame) -> pd.DataFrame:
    """Share of each topic in each article, weighting passages by their word count.

    Returns
    -------
    DataFrame
        ``article_id, topic, share`` (shares of an article sum to 1).
    """
    if passages.empty:
        return pd.DataFrame(columns=["article_id", "topic", "share"])
    w = passages.groupby(["article_id", "topic"], sort=True)["n_words"].sum()
    share = w / w.groupby(level="article_id").transform("sum")
    return share.rename("share").reset_index()


def dominant_topics(shares: pd.DataFrame) -> pd.Series:
    """Largest non-outlier topic per article (-1 when every passage is an outlier).

    Ties go to the smaller topic number (deterministic).
    """
    s = shares.assign(is_outlier=shares["topic"] == -1)
    s = s.sort_values(["article_id", "is_outlier", "share", "topic"],
                      ascending=[True, True, False, True])
    return s.groupby("article_id", sort=False)["topic"].first()


def counted_articles(articles: pd.DataFrame, count: str) -> pd.DataFrame:
    """Return the articles that trends count: every copy, or one representative per story."""
    if count == "copies":
        return articles
    keep = articles["is_representative"].astype(str).str.lower() == "true"
    return articles[keep]


def themes_and_trends(passages: pd.DataFrame, articles: pd.DataFrame, embeddings: np.ndarray,
                      topics: pd.DataFrame, embedder, *, themes=None, period: str = "auto",
                      count: str = "stories", n_boot: int = 1000,
                      random_state: int = 0) -> tuple[dict[str, pd.DataFrame], str]:
    """Run the theme and trend stages: new theme columns and the trend tables.

    Parameters
    ----------
    passages : DataFrame
        Passage table with ``topic`` (``passages.csv`` without theme columns is enough).
    articles : DataFrame
        Article table with the annotation and story columns.
    embeddings : ndarray of shape (n_passages, dim)
    topics : DataFrame
        ``topic, size, label, top_words, ...`` (without ``theme``).
    embedder : research.embed.Embedder
        The model that embedded the passages.
    themes : optional
        Theme set (default: the shipped one).
    period : {"auto", "week", "month", "quarter", "year"}
    count : {"stories", "copies"}
    n_boot, random_state : int

    Returns
    -------
    tables : dict of str to DataFrame
        ``passages``, ``articles`` and ``topics`` with their theme columns replaced,
        ``passage_themes``, ``article_themes``, ``topic_themes`` and every trend table.
    time_axis : dict
        ``period`` (``auto`` resolved), ``shown_from`` and ``shown_to`` (the periods of
        the central 95% of the counted articles' dates, which time figures show),
        ``articles_outside`` (dated articles outside them; the tables keep every
        period) and ``coverage``.
    """
    found: ThemeTables = theme_tables(
        passages, embeddings, topics.drop(columns="theme", errors="ignore"), embedder,
        themes=themes, headlines=articles.set_index("article_id")["title"])
    best = found.passage_themes.loc[
        found.passage_themes.groupby("passage_id", sort=False)["score"].idxmax(),
        ["passage_id", "theme"]].set_index("passage_id")["theme"]
    passages = passages.assign(theme=passages["passage_id"].map(best).to_numpy(),
                               axis_score=found.passage_axis)
    articles = articles.assign(
        dominant_theme=articles["article_id"].map(found.dominant_theme).fillna(""),
        axis_score=articles["article_id"].map(found.article_axis),
        background_subject=articles["article_id"].map(found.background).fillna(""),
    )
    articles["time_basis"] = time_axis_dates(articles)["time_basis"].to_numpy()
    topics = topics.drop(columns="theme", errors="ignore").merge(
        found.topic_themes[["topic", "theme"]], on="topic", how="left")
    counted = counted_articles(articles, count)
    ids = set(counted["article_id"])
    dates = time_axis_dates(counted)["date"]
    used = auto_period(dates) if period == "auto" else period
    trends = trend_tables(found.article_themes[found.article_themes["article_id"].isin(ids)],
                          counted, passages[passages["article_id"].isin(ids)], period=used,
                          n_boot=n_boot, random_state=random_state)
    tables = {"passages": passages, "articles": articles, "topics": topics,
              "passage_themes": found.passage_themes, "article_themes": found.article_themes,
              "topic_themes": found.topic_themes, **trends}
    first, last, outside = central_span(dates)
    axis = {"period": used,
            "shown_from": period_of(first, used) if pd.notna(first) else "",
            "shown_to": period_of(last, used) if pd.notna(last) else "",
            "articles_outside": outside, "coverage": 0.95}
    return tables, axis


def effects_and_change(passages: pd.DataFrame, articles: pd.DataFrame,
                       article_themes: pd.DataFrame, topics: pd.DataFrame, vectorizer, *,
                       period: str, count: str = "stories", n_boot: int = 1000,
                       random_state: int = 0) -> dict[str, pd.DataFrame]:
    """Run the effect and change stage on the counted articles.

    Theme effects and margins, the before/after change, emerging topics and topic
    words per period (:func:`research.trends.effect_tables`).

    Parameters
    ----------
    passages : DataFrame
        ``article_id, passage_id, text, topic``.
    articles : DataFrame
        Article table with the annotation and story columns.
    article_themes : DataFrame
        ``article_id, theme, share`` (from :func:`themes_and_trends`).
    topics : DataFrame
        ``topic, label``.
    vectorizer : sklearn CountVectorizer
        The topic model's (``ArabicTopicModel.bertopic_.vectorizer_model``).
    period : {"week", "month", "quarter", "year"}
        The run's trend period (``auto`` already resolved).
    count : {"stories", "copies"}
    n_boot, random_state : int

    Returns
    -------
    dict of str to DataFrame
        ``theme_effects``, ``theme_margins``, ``theme_change``, ``topics_emerging``,
        ``topic_words_over_time``.
    """
    from research.trends import effect_tables  # kept apart from the stages above

    counted = counted_articles(articles, count)
    ids = set(counted["article_id"])
    return effect_tables(article_themes[article_themes["article_id"].isin(ids)], counted,
                         passages[passages["article_id"].isin(ids)], period=period,
                         vectorizer=vectorizer, topics=topics, n_boot=n_boot,
                         random_state=random_state)


def report_table(report: pd.DataFrame, articles: pd.DataFrame,
                 notes: pd.DataFrame) -> pd.DataFrame:
    """Return the ingest report with each article's story group, passages and notes.

    Returns
    -------
    DataFrame
        The report's columns plus ``dup_group``, ``is_representative``,
        ``n_passages`` and ``notes`` (one string per article).
    """
    out = report.merge(articles[["article_id", "dup_group", "is_representative"]],
                       on="article_id", how="left")
    out["dup_group"] = out["dup_group"].fillna("")
    out["n_passages"] = out["article_id"].map(
        articles.set_index("article_id")["n_passages"]).fillna(0).astype(int)
    joined: dict[str, list[str]] = {}
    for aid, kind, message in zip(notes["article_id"], notes["kind"], notes["message"],
                                  strict=True):
        joined.setdefault(aid, []).append(f"{kind}: {message}")
    out["notes"] = ["; ".join(joined.get(aid, [])) for aid in out["article_id"]]
    return out
