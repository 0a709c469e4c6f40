"""Covariate effects on theme shares: fractional logit regressions, clustered by story.

Counterparts and periods are confounded (Mattis and Pompeo belong to 2017-19,
Blinken to 2021-24), so "Blinken is about Gaza" and "2024 is about Gaza" cannot be
told apart from two marginal tables. As the Structural Topic Model's
``estimateEffect`` does for topic prevalence, :func:`theme_effects` regresses each
theme's article share on the document covariates together.

The model
---------
For each theme, a fractional-response regression (Papke & Wooldridge 1996, *J. Appl.
Econometrics* 11: 619-632): a GLM with binomial family and logit link fitted by
quasi-maximum likelihood (statsmodels ``GLM``) to the shares in [0, 1], so that
``E[share | x] = expit(x'b)``; the likelihood is only a device, and inference rests
on the robust covariance. Rows and weights are those of
:func:`~research.trends.effect_frame` (an article dated to a window enters once per
period it overlaps, weighted by the fraction of its window there).

Uncertainty
-----------
``interval="delta"`` (default): the covariance is the cluster-robust sandwich with
stories (near-duplicate groups, ``dup_group``) as clusters, ``V = c A^-1 B A^-1``
with ``A = X' diag(w p (1-p)) X``, ``B`` the sum over stories of the outer products of
their summed scores ``w (y - p) x``, and the small-sample factor
``c = G/(G-1) (N-1)/(N-K)`` (G stories, N articles, K parameters; statsmodels' and
Stata's CR1). Wald intervals and normal p-values for the coefficients.
``interval="bootstrap"``: stories are resampled with replacement (``n_boot`` times,
one seeded stream per theme) and the model refitted; percentile intervals, and
p-values from the normal approximation with the bootstrap standard error.

Margins
-------
The predicted share at a level of a covariate is the average over the model's
articles of the prediction with that covariate set to the level and every other
covariate as observed (Stata's ``margins``; an average marginal prediction): "holding
time at its observed mix, Blinken's engagements carry a Gaza share of ...". With
``interval="delta"`` its interval comes from the delta method on the logit of the
average prediction (so it stays inside (0, 1)); with ``"bootstrap"`` from the refits.
``observed`` is the raw mean share at that level, for comparison.

What cannot be estimated is said, not printed as numbers: too few articles, fewer
stories than parameters (the clustered covariance would be singular), aliased terms
(a level seen only with one level of another covariate), a theme's share 0 (or 1)
for every article of a level (perfect separation), a fit that does not converge.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from ._bootstrap import wide_theme_shares
from ._effects_frame import EffectFrame, aliased_columns, effect_frame
from ._periods import Period
from ._resample import group_rng

__all__ = ["DEFAULT_FORMULA", "EFFECT_COLUMNS", "INTERVALS", "Interval", "MARGIN_COLUMNS",
           "ThemeEffects", "cluster_covariance", "theme_effects"]

#: The formula of the package's question: counterpart, time and outlet together.
DEFAULT_FORMULA = "C(counterpart) + C(period) + C(source)"
Interval = Literal["delta", "bootstrap"]
INTERVALS: tuple[str, ...] = get_args(Interval)
#: Columns of ``theme_effects.csv``.
EFFECT_COLUMNS = ["theme", "term", "covariate", "level", "reference", "estimate", "std_error",
                  "ci_low", "ci_high", "p_value", "n", "n_level", "n_stories", "interval",
                  "status"]
#: Columns of ``theme_margins.csv``.
MARGIN_COLUMNS = ["theme", "covariate", "level", "share", "ci_low", "ci_high", "observed",
                  "n_level", "pooled_from", "n", "interval", "status"]
_MAX_LOGIT = 20.0  # |b| beyond this on the logit scale: the share is pushed to 0 or 1


@dataclass(frozen=True)
class ThemeEffects:
    """The tables of :func:`theme_effects`.

    Attributes
    ----------
    effects : DataFrame
        One row per (theme, term): :data:`EFFECT_COLUMNS`.
    margins : DataFrame
        One row per (theme, covariate, level): :data:`MARGIN_COLUMNS`.
    frame : EffectFrame
        The rows the models were fitted on.
    """

    effects: pd.DataFrame
    margins: pd.DataFrame
    frame: EffectFrame


def cluster_covariance(X: np.ndarray, y: np.ndarray, p: np.ndarray, weights: np.ndarray,
                       clusters, n_obs: int | None = None) -> np.ndarray:
    """Cluster-robust (CR1) covariance of a logit-link binomial quasi-likelihood fit.

    Parameters
    ----------
    X : ndarray of shape (n_rows, k)
        Design matrix.
    y : ndarray of shape (n_rows,)
        Responses in [0, 1].
    p : ndarray of shape (n_rows,)
        Fitted means ``expit(X b)``.
    weights : ndarray of shape (n_rows,)
        Row weights (the GLM's ``var_weights``).
    clusters : array-like of shape (n_rows,)
        Cluster of each row (the story).
    n_obs : int, optional
        Number of observations in the small-sample factor (default ``n_rows``; the
        number of articles when an article spans several rows).

    Returns
    -------
    ndarray of shape (k, k)
    """
    X = np.asarray(X, dtype=float)
    k = X.shape[1]
    bread = np.linalg.inv((X * (weights * p * (1 - p))[:, None]).T @ X)
    codes, uniques = pd.factorize(pd.Series(clusters).astype(str), sort=True)
    sums = np.zeros((len(uniques), k))
    np.add.at(sums, codes, X * (weights * (y - p))[:, None])
    g, n = len(uniques), n_obs if n_obs is not None else len(X)
    factor = g / (g - 1) * (n - 1) / (n - k) if g > 1 and n > k else np.nan
    return factor * bread @ (sums.T @ sums) @ bread


def _design(formula: str, rows: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    model = smf.glm(f"_share ~ {formula}", rows.assign(_share=0.5),
                    family=sm.families.Binomial())
    if model.exog.shape[0] != len(rows):
        raise ValueError(f"formula {formula!r} dropped rows with missing values")
    return np.asarray(model.exog, dtype=float), list(model.exog_names)


def _fit(X, y, w, start=None):
    """Return (params, converged, message) of one fractional logit fit."""
    import statsmodels.api as sm

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=w).fit(
            start_params=start, maxiter=100)
    notes = {type(c.message).__name__ for c in caught}
    converged = bool(getattr(res, "converged", True)) and "ConvergenceWarning" not in notes
    return np.asarray(res.params, dtype=float), converged, notes


def _term_parts(name: str, frame: EffectFrame) -> tuple[str, str]:
    for c in frame.covariates:
        for prefix in (f"C({c})[T.", f"{c}[T."):
            if name.startswith(prefix) and name.endswith("]"):
                return c, name[len(prefix):-1]
        if name.startswith(f"C({c},") and "[T." in name:
            return c, name.split("[T.", 1)[1][:-1]
        if name == c:
            return c, ""
    return "", ""


def _separation(X, names, y, w, frame) -> str | None:
    if np.average(y, weights=w) <= 1e-12:
        return "theme absent: every article's share is 0"
    for j, name in enumerate(names):
        col = X[:, j]
        if name == "Intercept" or not np.isin(col, (0.0, 1.0)).all() or col.sum() == 0:
            continue
        ys = y[col == 1]
        if ys.max() <= 1e-12 or ys.min() >= 1 - 1e-12:
            value = 0 if ys.max() <= 1e-12 else 1
            c, level = _term_parts(name, frame)
            what = f"{c} = {level}" if c else name
            return f"perfect separation: every article with {what} has a share of {value}"
    return None


def _margin_designs(formula, frame: EffectFrame):
    """(covariate, level) -> design matrix with that covariate set to the level."""
    out = {}
    for c in frame.categorical:
        levels = list(frame.rows[c].cat.categories)
        if len(levels) < 2:
            continue
        for level in levels:
            cf = frame.rows.assign(**{c: pd.Categorical([level] * len(frame.rows),
                                                        categories=levels)})
            out[(c, level)] = _design(formula, cf)[0]
    return out


def _level_order(frame: EffectFrame, c: str) -> list[str]:
    levels = list(frame.rows[c].cat.categories)
    if c != "period":
        return levels
    pooled = [lvl for lvl in levels if lvl.startswith("other ")]
    return sorted(lvl for lvl in levels if lvl not in pooled) + pooled


def theme_effects(article_themes: pd.DataFrame, articles: pd.DataFrame,
                  formula: str = DEFAULT_FORMULA, *, period: Period | None = None,
                  themes=None, cluster: str | None = "dup_group", interval: Interval = "delta",
                  min_level_articles: float = 5, min_articles: int = 20, n_boot: int = 500,
                  ci: float = 0.95, random_state=0) -> ThemeEffects:
    """Regress each theme's article share on covariates; effects and predicted margins.

    See the module docstring for the model, the intervals and what is reported when
    a model cannot be estimated.

    Parameters
    ----------
    article_themes : DataFrame
        ``article_id, theme, share`` (shares sum to 1 per article).
    articles : DataFrame
        ``article_id``, the covariates of ``formula``, ``dup_group`` (stories) and,
        for ``period``, ``date``/``date_min``/``date_max`` (placed on the time axis
        as the caller wants, e.g. :func:`~research.trends.time_axis_dates`).
    formula : str, default="C(counterpart) + C(period) + C(source)"
        Right-hand side of the regression (patsy syntax). ``period`` is the
        article's period (``period`` argument); other names are columns of ``articles``.
    period : {"week", "month", "quarter", "year"}, optional
        Needed when the formula uses ``period``.
    themes : sequence of str, optional
        Themes to model; default every theme of ``article_themes``.
    cluster : str or None, default="dup_group"
        Column of stories (the clusters); None: every article is its own cluster.
    interval : {"delta", "bootstrap"}, default="delta"
    min_level_articles : float, default=5
        Levels with fewer articles are pooled (:func:`~research.trends.effect_frame`).
    min_articles : int, default=20
        Fewer articles in the model: not estimated ("too few articles").
    n_boot : int, default=500
        Bootstrap refits (``interval="bootstrap"``).
    ci : float, default=0.95
    random_state : int, numpy Generator or None, default=0

    Returns
    -------
    ThemeEffects
        ``effects`` (:data:`EFFECT_COLUMNS`: ``estimate`` is a log odds ratio
        against the ``reference`` level; the intercept row's ``reference`` lists the
        reference levels) and ``margins`` (:data:`MARGIN_COLUMNS`: predicted shares
        per level; ``pooled_from`` lists the members of a pooled level). ``status``
        is ``"ok"`` or why the model was not estimated.
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}, got {interval!r}")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci!r}")
    wide = wide_theme_shares(article_themes, themes)
    themes = list(wide.columns)
    frame = effect_frame(articles, wide.index, formula, period=period, cluster=cluster,
                         min_level_articles=min_level_articles)
    rows = frame.rows
    n, g = frame.n_articles, frame.n_stories
    problem = None
    if n < min_articles:
        problem = f"too few articles: {n} (at least {min_articles} needed)"
    else:
        X, names = _design(formula, rows)
        w = rows["weight"].to_numpy(float)
        if g <= X.shape[1]:
            problem = (f"too few stories: {g} for {X.shape[1]} parameters (clustered errors "
                       "need more stories than parameters)")
        elif aliased := aliased_columns(X, names, w):
            problem = (f"collinear: {', '.join(aliased)} cannot be told apart from the other "
                       "terms (a level occurs only with one level of another covariate); "
                       "pool levels or drop a covariate")
    if problem is not None:
        effects = pd.DataFrame([{"theme": t, "term": "", "n": n, "n_stories": g,
                                 "interval": interval, "status": problem} for t in themes],
                               columns=EFFECT_COLUMNS)
        margins = pd.DataFrame([{"theme": t, "covariate": "", "n": n, "interval": interval,
                                 "status": problem} for t in themes], columns=MARGIN_COLUMNS)
        return ThemeEffects(effects=effects, margins=margins, frame=frame)
    from scipy.stats import norm

    designs = _margin_designs(formula, frame)
    z = norm.ppf(0.5 + ci / 2)
    eff_rows, margin_rows = [], []
    for theme in themes:
        y = np.clip(wide.loc[rows["article_id"], theme].to_numpy(float), 0.0, 1.0)
        fit = _fit_theme(X, names, y, w, rows, frame, designs, theme, interval, n_boot, ci,
                         random_state)
        eff_rows.extend(_effect_rows(theme, fit, names, frame, z, interval))
        margin_rows.extend(_margin_rows(theme, fit, y, w, frame, designs, z, interval))
    return ThemeEffects(effects=pd.DataFrame(eff_rows, columns=EFFECT_COLUMNS),
                        margins=pd.DataFrame(margin_rows, columns=MARGIN_COLUMNS), frame=frame)


def _predicted(design, b, w):
    from scipy.special import expit

    p = expit(design @ b)
    return float(w @ p / w.sum()), p


def _fit_theme(X, names, y, w, rows, frame, designs, theme, interval, n_boot, ci,
               random_state) -> dict:
    from scipy.special import expit

    status = _separation(X, names, y, w, frame)
    if status is not None:
        return {"status": status}
    b, converged, _ = _fit(X, y, w)
    if not converged:
        return {"status": "did not converge"}
    if np.abs(b).max() > _MAX_LOGIT:
        j = int(np.abs(b).argmax())
        return {"status": f"quasi-separation: {names[j]} estimate {b[j]:+.1f} on the logit "
                          "scale (shares pushed to 0 or 1)"}
    p = expit(X @ b)
    cov = cluster_covariance(X, y, p, w, rows["story"], n_obs=frame.n_articles)
    out = {"status": "ok", "params": b, "cov": cov}
    if interval == "bootstrap":
        out.update(_bootstrap(X, y, w, rows, designs, b, n_boot, ci,
                              group_rng(random_state, theme)))
        if out["n_ok"] < n_boot:
            out["status"] = f"ok ({out['n_ok']} of {n_boot} bootstrap refits converged)"
    return out


def _bootstrap(X, y, w, rows, designs, b, n_boot, ci, rng) -> dict:
    codes, uniques = pd.factorize(rows["story"], sort=True)
    members = [np.flatnonzero(codes == i) for i in range(len(uniques))]
    params, margins = [], []
    for _ in range(n_boot):
        idx = np.concatenate([members[i] for i in rng.integers(len(members), size=len(members))])
        try:
            rep, converged, _ = _fit(X[idx], y[idx], w[idx], start=b)
        except (np.linalg.LinAlgError, ValueError):
            continue
        if not converged or np.abs(rep).max() > _MAX_LOGIT:
            continue
        params.append(rep)
        margins.append([_predicted(d[idx], rep, w[idx])[0] for d in designs.values()])
    q = [(1 - ci) / 2, (1 + ci) / 2]
    params, margins = np.asarray(params), np.asarray(margins)
    if len(params) < 2:
        return {"n_ok": len(params), "boot_se": None}
    return {"n_ok": len(params), "boot_se": params.std(axis=0, ddof=1),
            "boot_ci": np.quantile(params, q, axis=0),
            "boot_margins": dict(zip(designs, np.quantile(margins, q, axis=0).T, strict=True))}


def _effect_rows(theme, fit, names, frame: EffectFrame, z, interval) -> list[dict]:
    base = {"theme": theme, "n": frame.n_articles, "n_stories": frame.n_stories,
            "interval": interval, "status": fit["status"]}
    if "params" not in fit:
        return [{**base, "term": ""}]
    b, se = fit["params"], np.sqrt(np.diag(fit["cov"]))
    if interval == "bootstrap" and fit.get("boot_se") is not None:
        se, (low, high) = fit["boot_se"], fit["boot_ci"]
    else:
        low, high = b - z * se, b + z * se
    from scipy.stats import norm

    p_value = 2 * norm.sf(np.abs(b / se))
    references = "; ".join(f"{c} = {frame.rows[c].cat.categories[0]}"
                           for c in frame.categorical if len(frame.rows[c].cat.categories))
    counts = {c: frame.level_articles(c) for c in frame.categorical}
    out = []
    for j, name in enumerate(names):
        c, level = _term_parts(name, frame)
        ref = references if name == "Intercept" else (
            str(frame.rows[c].cat.categories[0]) if c in frame.categorical else "")
        n_level = int(counts[c].get(level, 0)) if c in counts else frame.n_articles
        out.append({**base, "term": name, "covariate": c, "level": level, "reference": ref,
                    "estimate": b[j], "std_error": se[j], "ci_low": low[j], "ci_high": high[j],
                    "p_value": p_value[j], "n_level": n_level})
    for c in frame.categorical:  # a covariate left with one level has no effect to estimate
        levels = list(frame.rows[c].cat.categories)
        if len(levels) == 1:
            out.append({**base, "term": f"C({c})", "covariate": c, "level": levels[0],
                        "n_level": frame.n_articles,
                        "status": f"not estimated: {c} has a single level ({levels[0]})"})
    return out


def _margin_rows(theme, fit, y, w, frame: EffectFrame, designs, z, interval) -> list[dict]:
    from scipy.special import expit, logit

    base = {"theme": theme, "n": frame.n_articles, "interval": interval,
            "status": fit["status"]}
    rows = []
    for c in frame.categorical:
        if len(frame.rows[c].cat.categories) < 2:
            continue
        counts = frame.level_articles(c)
        at = frame.rows[c].astype(str).to_numpy()
        for level in _level_order(frame, c):
            mask = at == level
            row = {**base, "covariate": c, "level": level,
                   "observed": float(w[mask] @ y[mask] / w[mask].sum()) if mask.any() else np.nan,
                   "n_level": int(counts.get(level, 0)),
                   "pooled_from": "; ".join(frame.pooled.get(c, []))
                   if level.startswith("other ") else ""}
            if "params" in fit:
                m, p = _predicted(designs[(c, level)], fit["params"], w)
                if interval == "bootstrap" and fit.get("boot_se") is not None:
                    low, high = fit["boot_margins"][(c, level)]
                else:
                    grad = (w * p * (1 - p)) @ designs[(c, level)] / w.sum()
                    se = np.sqrt(max(grad @ fit["cov"] @ grad, 0.0)) / (m * (1 - m))
                    low, high = expit(logit(m) - z * se), expit(logit(m) + z * se)
                row.update(share=m, ci_low=low, ci_high=high)
            rows.append(row)
    if not rows:
        rows.append({**base, "covariate": "",
                     "status": "no categorical covariate with two levels or more"})
    return rows
