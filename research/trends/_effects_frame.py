"""The data of a theme-effect regression: which articles enter, with which levels.

Who enters
----------
* Articles without a counterpart (no engagement of the president reported) are not
  a counterpart level: a model whose formula uses ``counterpart`` leaves them out,
  as the trend tables by counterpart do. A model without ``counterpart`` keeps them.
* ``period`` is derived from the dates (:func:`~research.trends.article_period_weights`):
  an article dated to a window enters once per period it overlaps, with the
  fraction of its window in that period as its weight (its weights sum to 1, so it
  counts once in all); undated articles are left out of a model that uses ``period``.
* Another categorical covariate with an empty cell takes the level ``"unknown"``; a
  numeric covariate with a missing value leaves the article out.

Sparse levels
-------------
A level of a categorical covariate with fewer than ``min_level_articles`` articles
(effective: the sum of their weights) is pooled into one level, ``"other
counterparts"``, ``"other periods"``, ``"other sources"`` (``"other <column>
values"`` for other columns). Levels are ordered by their number of articles, the
largest first, pooled level last: the first level is the reference of the treatment
coding, so every effect is a contrast with the best-measured level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._periods import UNDATED, UNKNOWN, Period, article_period_weights
from ._resample import story_labels

__all__ = ["EffectFrame", "OTHER_LEVELS", "aliased_columns", "effect_frame", "formula_covariates",
           "other_label"]

#: Label of the pooled level of each covariate (``"other <column> values"`` otherwise).
OTHER_LEVELS = {"counterpart": "other counterparts", "period": "other periods",
                "source": "other sources", "counterpart_country": "other countries",
                "counterpart_role": "other roles"}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
# names a formula may use that are not data: contrasts and transforms of patsy/formulaic
_FORMULA_WORDS = {"C", "Treatment", "Sum", "Diff", "Helmert", "Poly", "T", "S", "I", "Q",
                  "np", "log", "exp", "center", "standardize", "scale", "reference",
                  "levels", "contr", "treatment", "sum"}


def other_label(covariate: str) -> str:
    """Return the label of the pooled level of ``covariate``."""
    return OTHER_LEVELS.get(covariate, f"other {covariate} values")


def formula_covariates(formula: str, columns) -> list[str]:
    """Return the data names a right-hand-side formula uses, in order of appearance.

    Parameters
    ----------
    formula : str
        Right-hand side only, e.g. ``"C(counterpart) + C(period) + C(source)"``.
    columns : iterable of str
        Columns of the article table; ``period`` is always available.

    Raises
    ------
    ValueError
        For a formula with ``~`` or a name that is neither a column nor ``period``.
    """
    if "~" in formula:
        raise ValueError(f"formula is the right-hand side only (no '~'), got {formula!r}")
    columns = set(columns) | {"period"}
    text = _QUOTED.sub("''", formula)
    names: list[str] = []
    for m in _NAME.finditer(text):
        name = m.group(0)
        called = text[m.end():].lstrip().startswith("(")
        if name in columns:
            if name not in names:
                names.append(name)
        elif not called and name not in _FORMULA_WORDS:
            raise ValueError(f"formula {formula!r} uses {name!r}, which is neither 'period' "
                             f"nor a column of articles ({sorted(columns - {'period'})})")
    if not names:
        raise ValueError(f"formula {formula!r} uses no column of articles")
    return names


@dataclass(frozen=True)
class EffectFrame:
    """The rows of a theme-effect regression and how they were formed.

    Attributes
    ----------
    rows : DataFrame
        One row per (article, period) entering the model: ``article_id``, ``story``,
        ``weight`` and one column per covariate (categoricals as pandas
        ``Categorical`` whose first category is the reference).
    covariates : list of str
    categorical : list of str
        The covariates treated as categorical.
    pooled : dict
        Covariate -> members of its pooled level (only covariates that pooled).
    excluded : dict
        Reason -> number of articles left out.
    """

    rows: pd.DataFrame
    covariates: list[str]
    categorical: list[str]
    pooled: dict[str, list[str]] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)

    @property
    def n_articles(self) -> int:
        """Number of distinct articles in the model."""
        return int(self.rows["article_id"].nunique())

    @property
    def n_stories(self) -> int:
        """Number of distinct stories (clusters) in the model."""
        return int(self.rows["story"].nunique())

    def level_articles(self, covariate: str) -> pd.Series:
        """Distinct articles per level of a categorical covariate (in category order)."""
        col = self.rows[covariate]
        counts = self.rows.groupby(col, observed=False)["article_id"].nunique()
        return counts.reindex(col.cat.categories).fillna(0).astype(int)


def _is_categorical(name: str, formula: str, values: pd.Series) -> bool:
    wrapped = re.search(rf"\bC\(\s*{re.escape(name)}\b", formula)
    return bool(wrapped) or name == "period" or not pd.api.types.is_numeric_dtype(values)


def effect_frame(articles: pd.DataFrame, article_ids, formula: str, *,
                 period: Period | None = None, cluster: str | None = "dup_group",
                 min_level_articles: float = 5) -> EffectFrame:
    """Form the rows of a theme-effect regression (see the module docstring).

    Parameters
    ----------
    articles : DataFrame
        ``article_id``, the covariates of ``formula`` and, for ``period``, ``date``
        (``date_min``, ``date_max``).
    article_ids : iterable of str
        Articles that have theme shares.
    formula : str
        Right-hand side, e.g. ``"C(counterpart) + C(period)"``.
    period : {"week", "month", "quarter", "year"}, optional
        Needed when the formula uses ``period``.
    cluster : str or None, default="dup_group"
        Story column (:func:`~research.trends.story_labels`).
    min_level_articles : float, default=5
        Levels with fewer (effective) articles are pooled into one level ("other
        counterparts", "other periods", ...); when the pool itself holds fewer, its
        rows are left out of the regression and counted in ``excluded`` (an article
        spread over several periods keeps its rows in the others).

    Returns
    -------
    EffectFrame
    """
    covariates = formula_covariates(formula, articles.columns)
    if "period" in covariates and period is None:
        raise ValueError("a formula with 'period' needs period (week, month, quarter or year)")
    a = articles[articles["article_id"].isin(set(article_ids))]
    a = a.drop_duplicates("article_id").reset_index(drop=True)
    excluded: dict[str, int] = {}
    if "counterpart" in covariates:
        engaged = a["counterpart"].fillna("").astype(str).str.strip() != ""
        excluded["no counterpart (no engagement reported)"] = int((~engaged).sum())
        a = a[engaged].reset_index(drop=True)
    a = a.assign(story=story_labels(a, cluster).to_numpy())
    if "period" in covariates:
        w = article_period_weights(a, period)
        undated = set(w.loc[w["period"] == UNDATED, "article_id"])
        excluded["undated"] = len(undated)
        w = w[w["period"] != UNDATED]
        keep = [c for c in a.columns if c != "period"]
        rows = a[keep].merge(w, on="article_id", how="inner")
    else:
        rows = a.assign(weight=1.0)
    categorical = [c for c in covariates if _is_categorical(c, formula, rows[c])]
    for c in covariates:
        if c in categorical:
            continue
        values = pd.to_numeric(rows[c], errors="coerce")
        missing = values.isna()
        excluded[f"missing {c}"] = int(rows.loc[missing, "article_id"].nunique())
        rows = rows.assign(**{c: values})[~missing]
    pooled: dict[str, list[str]] = {}
    for c in categorical:
        values = rows[c].astype(object).where(rows[c].notna(), "").astype(str).str.strip()
        values = values.where(values != "", UNKNOWN)
        size = rows["weight"].groupby(values).sum()
        sparse = sorted(size.index[size < min_level_articles - 1e-9])
        other = other_label(c)
        if sparse:
            pooled[c] = sparse
            values = values.where(~values.isin(sparse), other)
            size = rows["weight"].groupby(values).sum()
            if size[other] < min_level_articles - 1e-9:
                # a pool still too small would separate perfectly and stop every
                # theme's model: its rows leave the regression, counted
                small = (values == other).to_numpy()
                reason = (f"{c} level with fewer than {min_level_articles:g} articles "
                          "(pooled, still too few)")
                excluded[reason] = int(rows.loc[small, "article_id"].nunique())
                rows, values = rows[~small], values[~small]
                size = size.drop(other)
        order = sorted((lvl for lvl in size.index if lvl != other),
                       key=lambda lvl: (-round(size[lvl], 9), lvl))
        order += [other] if other in size.index else []
        rows = rows.assign(**{c: pd.Categorical(values, categories=order)})
    columns = ["article_id", "story", "weight", *covariates]
    rows = rows[columns].sort_values(["article_id", *(["period"] if "period" in rows else [])],
                                     kind="stable").reset_index(drop=True)
    excluded = {k: v for k, v in excluded.items() if v}
    return EffectFrame(rows=rows, covariates=covariates, categorical=categorical,
                       pooled=pooled, excluded=excluded)


def aliased_columns(X: np.ndarray, names: list[str], weights: np.ndarray) -> list[str]:
    """Return the design columns that are linear combinations of the others.

    A pivoted QR decomposition of the weighted design: the columns pivoted past its
    numerical rank are aliased (e.g. a counterpart seen in a single period, when
    that period holds no other counterpart).
    """
    from scipy.linalg import qr

    if X.shape[1] == 0:
        return []
    xw = X * np.sqrt(weights)[:, None]
    _, r, piv = qr(xw, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    tol = max(xw.shape) * np.finfo(float).eps * (diag[0] if len(diag) else 0)
    rank = int((diag > max(tol, 1e-10)).sum())
    return [names[j] for j in sorted(piv[rank:])]

