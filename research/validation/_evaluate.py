"""Scoring a run's articles against a researcher's hand labels."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from research.annotate import english_key

__all__ = ["LABEL_FILE_COLUMNS", "read_labels", "evaluate_articles"]

#: Columns of a labels file (``article_id`` and at least one label column are required).
LABEL_FILE_COLUMNS = ("article_id", "theme", "counterpart", "counterpart_country",
                      "engagement_type", "engagement_date")

#: The headline figures of an evaluation, in the order they are reported.
EVALUATION_FIGURES = ("counterpart_precision", "counterpart_recall", "counterpart_f1",
                      "country_agreement", "engagement_type_accuracy", "date_exact",
                      "date_within_window", "theme_accuracy", "theme_macro_f1",
                      "topic_theme_ami")


def evaluation_table(result: dict) -> pd.DataFrame:
    """Tabulate the headline figures of an evaluation.

    Parameters
    ----------
    result : dict
        As returned by :func:`evaluate_articles` or :func:`evaluate_run`.

    Returns
    -------
    DataFrame
        One row per figure of :data:`EVALUATION_FIGURES` (index ``figure``), columns
        ``value`` (a share in [0, 1], or AMI), ``ci_low`` and ``ci_high`` (95 %
        percentile-bootstrap interval over labelled articles; missing when n is 0) and
        ``n`` (the articles the figure is computed over).
    """
    keys = ("value", "ci_low", "ci_high", "n")
    rows = [{"figure": name, **{k: result[name][k] for k in keys}} for name in EVALUATION_FIGURES]
    return pd.DataFrame(rows).set_index("figure")


def read_labels(path) -> pd.DataFrame:
    """Read and check a labels file (CSV, UTF-8).

    Parameters
    ----------
    path : path
        A CSV with ``article_id`` and any of :data:`LABEL_FILE_COLUMNS` (a labelling
        sheet written by ``research sample`` and filled in); ``split`` is kept when
        present.

    Returns
    -------
    DataFrame
        All columns as strings, empty cells as ``""``.

    Raises
    ------
    ValueError
        When ``article_id`` or every label column is missing, or ids repeat.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False).rename(columns=str.strip)
    table = table.apply(lambda c: c.str.strip())
    if "article_id" not in table.columns:
        raise ValueError(f"{path}: a labels file needs an 'article_id' column; "
                         f"columns: {list(table.columns)}")
    if not set(LABEL_FILE_COLUMNS[1:]) & set(table.columns):
        raise ValueError(f"{path}: no label column; expected some of {LABEL_FILE_COLUMNS[1:]}")
    dup = table["article_id"][table["article_id"].duplicated()]
    if len(dup):
        raise ValueError(f"{path}: repeated article_id values {sorted(set(dup))}")
    return table


@dataclass(frozen=True)
class _Metric:
    name: str
    fn: Callable[[pd.DataFrame], float]
    n: Callable[[pd.DataFrame], int]


def _bootstrap(frame: pd.DataFrame, metric: _Metric, n_boot: int, random_state: int,
               ci: float = 0.95) -> dict:
    """Point estimate, percentile bootstrap interval over articles, and n."""
    point = metric.fn(frame)
    n = metric.n(frame)
    out = {"value": _round(point), "n": int(n), "ci_low": None, "ci_high": None}
    if n == 0 or len(frame) == 0 or not np.isfinite(point):
        return out
    rng = np.random.default_rng([int(random_state), zlib.crc32(metric.name.encode())])
    reps = []
    for _ in range(n_boot):
        sample = frame.iloc[rng.integers(0, len(frame), len(frame))]
        value = metric.fn(sample)
        if np.isfinite(value):
            reps.append(value)
    if reps:
        lo, hi = np.quantile(reps, [(1 - ci) / 2, 1 - (1 - ci) / 2])
        out.update(ci_low=_round(lo), ci_high=_round(hi))
    return out


def _round(x) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 4)


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


def _counterpart_match(frame: pd.DataFrame) -> pd.Series:
    return (frame["cp_pred_key"] != "") & (frame["cp_pred_key"] == frame["cp_true_key"])


def _precision(frame):
    pred = frame["cp_pred_key"] != ""
    return _ratio(int((_counterpart_match(frame) & pred).sum()), int(pred.sum()))


def _recall(frame):
    true = frame["cp_true_key"] != ""
    return _ratio(int((_counterpart_match(frame) & true).sum()), int(true.sum()))


def _f1(frame):
    p, r = _precision(frame), _recall(frame)
    return 2 * p * r / (p + r) if np.isfinite(p) and np.isfinite(r) and p + r > 0 else float("nan")


def _macro_f1(frame):
    from sklearn.metrics import f1_score

    if frame.empty:
        return float("nan")
    labels = sorted(set(frame["theme_true"]))
    return float(f1_score(frame["theme_true"], frame["theme_pred"], labels=labels,
                          average="macro", zero_division=0))


def _ami(frame):
    from sklearn.metrics import adjusted_mutual_info_score

    # Repeated rows (bootstrap draws) inflate mutual information: score distinct articles.
    frame = frame.drop_duplicates("article_id")
    if frame["theme_true"].nunique() < 2:
        return float("nan")
    return float(adjusted_mutual_info_score(frame["theme_true"], frame["topic_pred"]))


def evaluate_articles(articles: pd.DataFrame, labels: pd.DataFrame, *,
                      same_person: Callable[[str], str] | None = None, n_boot: int = 1000,
                      random_state: int = 0,
                      confidence_bins: Sequence[float] = (0.0, 0.5, 0.8, 1.0001)) -> dict:
    """Score a run's article table against hand labels.

    Parameters
    ----------
    articles : DataFrame
        A run's ``articles.csv``: ``article_id``, ``counterpart``,
        ``counterpart_country``, ``counterpart_confidence``, ``engagement_type``,
        ``date``, ``date_min``, ``date_max``, ``dominant_theme``, ``dominant_topic``.
    labels : DataFrame
        From :func:`read_labels`; articles absent from the run are counted in
        ``missing_articles`` and left out.
    same_person : callable, optional
        Maps a person name (label or prediction) to a canonical key, e.g. a gazetteer
        lookup, so that "King Salman" and "King Salman bin Abdulaziz" agree; names it
        does not know fall back to :func:`research.annotate.english_key`.
    n_boot : int, default=1000
        Bootstrap resamples (over articles) of every interval.
    random_state : int, default=0
    confidence_bins : sequence of float
        Edges of the counterpart-confidence bins for the calibration table.

    Returns
    -------
    dict
        Figures, each ``{"value", "ci_low", "ci_high", "n"}``: ``counterpart_precision``,
        ``counterpart_recall``, ``counterpart_f1``, ``country_agreement``,
        ``engagement_type_accuracy``, ``date_exact``, ``date_within_window``,
        ``theme_accuracy``, ``theme_macro_f1``, ``topic_theme_ami``; and
        ``per_theme`` (precision, recall, n per theme), ``confusion`` (a DataFrame,
        label x prediction counts), ``counterpart_by_confidence`` (precision per
        confidence bin), ``n_articles``, ``missing_articles``.

    Notes
    -----
    Counterpart precision is over articles given a counterpart, recall over articles
    whose label has one; a counterpart counts as right only when it is the labelled
    person (an empty label means the article reports no engagement). Intervals are
    percentile bootstraps over the labelled articles (Efron & Tibshirani 1993); for the
    AMI each resample is reduced to its distinct articles (about 63% of them), since
    repeated rows inflate mutual information, so its interval is conservative.
    """
    key = same_person or english_key
    merged = labels.add_prefix("label:").rename(columns={"label:article_id": "article_id"}) \
        .merge(articles, on="article_id", how="left", indicator=True)
    missing = merged.loc[merged["_merge"] == "left_only", "article_id"].tolist()
    frame = merged[merged["_merge"] == "both"].copy()

    def col(name: str, default: str = "") -> pd.Series:
        if name in frame.columns:
            return frame[name].fillna(default).astype(str).str.strip()
        return pd.Series(default, index=frame.index, dtype=object)

    def labelled(name: str) -> pd.Series:
        return col(f"label:{name}")

    out_frame = pd.DataFrame({
        "article_id": frame["article_id"].to_numpy(),
        "cp_true_key": [key(n) if n else "" for n in labelled("counterpart")],
        "cp_pred_key": [key(n) if n else "" for n in col("counterpart")],
        "country_true": labelled("counterpart_country").str.upper().to_numpy(),
        "country_pred": col("counterpart_country").str.upper().to_numpy(),
        "type_true": labelled("engagement_type").to_numpy(),
        "type_pred": col("engagement_type").to_numpy(),
        "date_true": labelled("engagement_date").to_numpy(),
        "date_pred": col("date").to_numpy(),
        "date_min": col("date_min").to_numpy(),
        "date_max": col("date_max").to_numpy(),
        "theme_true": labelled("theme").to_numpy(),
        "theme_pred": col("dominant_theme").to_numpy(),
        "topic_pred": col("dominant_topic", "-1").to_numpy(),
        "confidence": pd.to_numeric(col("counterpart_confidence", "0"),
                                    errors="coerce").fillna(0).to_numpy(),
    })
    f = out_frame
    has_cp = f["cp_true_key"] != ""
    themed = f[f["theme_true"] != ""]
    dated = f[f["date_true"] != ""]

    metrics = [
        _Metric("counterpart_precision", _precision, lambda d: int((d["cp_pred_key"] != "").sum())),
        _Metric("counterpart_recall", _recall, lambda d: int((d["cp_true_key"] != "").sum())),
        _Metric("counterpart_f1", _f1, len),
        _Metric("country_agreement",
                lambda d: _ratio(int(((d["country_true"] == d["country_pred"])
                                      & (d["country_true"] != "")).sum()),
                                 int((d["country_true"] != "").sum())),
                lambda d: int((d["country_true"] != "").sum())),
        _Metric("engagement_type_accuracy",
                lambda d: _ratio(int(((d["type_true"] == d["type_pred"])
                                      & (d["cp_true_key"] != "")).sum()),
                                 int((d["cp_true_key"] != "").sum())),
                lambda d: int((d["cp_true_key"] != "").sum())),
    ]
    result: dict = {"n_articles": int(len(f)), "missing_articles": missing}
    for m in metrics:
        result[m.name] = _bootstrap(f, m, n_boot, random_state)
    result["counterpart_f1"]["n"] = int(len(f))
    date_metrics = [
        _Metric("date_exact", lambda d: float((d["date_true"] == d["date_pred"]).mean())
                if len(d) else float("nan"), len),
        _Metric("date_within_window",
                lambda d: float(((d["date_min"] <= d["date_true"])
                                 & (d["date_true"] <= d["date_max"])
                                 & (d["date_min"] != "")).mean()) if len(d) else float("nan"),
                len),
    ]
    for m in date_metrics:
        result[m.name] = _bootstrap(dated, m, n_boot, random_state)
    theme_metrics = [
        _Metric("theme_accuracy", lambda d: float((d["theme_true"] == d["theme_pred"]).mean())
                if len(d) else float("nan"), len),
        _Metric("theme_macro_f1", _macro_f1, len),
        _Metric("topic_theme_ami", _ami, len),
    ]
    for m in theme_metrics:
        result[m.name] = _bootstrap(themed, m, n_boot, random_state)
    per_theme = {}
    for theme in sorted(set(themed["theme_true"]) | set(themed["theme_pred"]) - {""}):
        tp = int(((themed["theme_true"] == theme) & (themed["theme_pred"] == theme)).sum())
        n_pred = int((themed["theme_pred"] == theme).sum())
        n_true = int((themed["theme_true"] == theme).sum())
        per_theme[theme] = {"precision": _round(_ratio(tp, n_pred)),
                            "recall": _round(_ratio(tp, n_true)), "n_label": n_true,
                            "n_predicted": n_pred}
    result["per_theme"] = per_theme
    result["confusion"] = pd.crosstab(themed["theme_true"].rename("label"),
                                      themed["theme_pred"].rename("predicted"))
    bins = []
    edges = list(confidence_bins)
    given = f[f["cp_pred_key"] != ""]
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = given[(given["confidence"] >= lo) & (given["confidence"] < hi)]
        right = int((inside["cp_pred_key"] == inside["cp_true_key"]).sum())
        bins.append({"confidence_from": lo, "confidence_to": min(hi, 1.0), "n": int(len(inside)),
                     "precision": _round(_ratio(right, len(inside)))})
    result["counterpart_by_confidence"] = bins
    result["counterpart_labelled"] = int(has_cp.sum())
    return result
