"""Periods, date windows, bootstrap trend tables, the contrast and topic shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from research.trends import (
    UNDATED,
    UNKNOWN,
    article_period_weights,
    contrast_trends,
    period_dates,
    period_of,
    period_range,
    theme_trends,
    to_period,
    topic_shares_over_time,
    topic_shares_per_class,
)
from tests.conftest import SEEDS
from tests.test_themes import (  # noqa: F401  (session fixtures: real model on the seeds)
    seed_article_themes,
    seed_embeddings,
    seed_passages,
    seed_scorer,
)


def _seed_articles() -> pd.DataFrame:
    """The seed articles' counterparts and dates as the researcher's manifest records them."""
    from research.annotate import load_gazetteer, parse_iso_window, read_manifest

    manifest = read_manifest(SEEDS / "manifest.csv")
    gaz = load_gazetteer()
    rows = []
    for r in manifest.itertuples():
        lo, hi = parse_iso_window(r.date)
        person = gaz.person(r.counterpart)
        rows.append({"article_id": r.article_id[:3], "counterpart": person.name,
                     "counterpart_country": person.country,
                     "counterpart_role": gaz.role_in_window(person.id, lo, hi),
                     "date": lo.isoformat() if lo == hi else "",
                     "date_min": lo.isoformat(), "date_max": hi.isoformat()})
    return pd.DataFrame(rows)


# The seeds' own metadata (seeds/manifest.csv): Pompeo 2019-01-10, Mattis 2017-12-02,
# Blinken 2024-06-10, Coats within 2018-01-18..2019-08-15, Émié 2021-03-10.
SEED_ARTICLES = _seed_articles()


def _shares(rows: dict[str, list[float]], themes=("a", "b")) -> pd.DataFrame:
    return pd.DataFrame([{"article_id": aid, "theme": t, "share": s}
                         for aid, vals in rows.items() for t, s in zip(themes, vals, strict=True)])


# --------------------------------------------------------------------------- periods
def test_period_labels():
    dates = ["2015-07-27", "2016-01-01", "2015-12-31", "", None, "not a date"]
    assert list(period_of(dates, "week")) == ["2015-W31", "2015-W53", "2015-W53"] + [UNDATED] * 3
    assert list(period_of(dates[:3], "month")) == ["2015-07", "2016-01", "2015-12"]
    assert list(period_of(dates[:3], "quarter")) == ["2015-Q3", "2016-Q1", "2015-Q4"]
    assert list(period_of(dates[:3], "year")) == ["2015", "2016", "2015"]
    assert period_of(pd.Timestamp("2019-01-10"), "month") == "2019-01"
    with pytest.raises(ValueError, match="week.*month.*quarter.*year.*'day'"):
        period_of(dates, "day")


def test_period_dates_and_ranges():
    starts = period_dates(["2015-W31", "2015-07", "2015-Q3", "2015", UNDATED])
    assert list(starts[:4]) == [pd.Timestamp(x) for x in
                                ["2015-07-27", "2015-07-01", "2015-07-01", "2015-01-01"]]
    assert pd.isna(starts[4])
    assert period_dates(["2015-Q1"], "end")[0] == pd.Timestamp("2015-03-31")
    assert period_range("2015-W52", "2016-W02", "week") == [
        "2015-W52", "2015-W53", "2016-W01", "2016-W02"]
    assert period_range("2019-11", "2020-02", "month") == ["2019-11", "2019-12", "2020-01",
                                                           "2020-02"]
    # labels are pandas Periods underneath: ISO weeks Monday to Sunday, strict labels
    week = to_period("2015-W53")
    assert (week.start_time, week.end_time.normalize()) == (pd.Timestamp("2015-12-28"),
                                                            pd.Timestamp("2016-01-03"))
    assert to_period("2015-Q3") == pd.Period("2015Q3", freq="Q")
    assert to_period("2015-07", "month") == pd.Period("2015-07", freq="M")
    for bad in ("2015-13", "2015-W54", "2014-W53", "2015-Q5", "15-07", "2015-7", "undated"):
        assert to_period(bad) is pd.NaT, bad
    assert to_period("2015-07", "year") is pd.NaT  # a month label is not a year
    assert pd.isna(period_dates(["2015-W54"])[0])
    with pytest.raises(ValueError, match="not week labels"):
        period_range("2015-W54", "2016-W02", "week")


def test_date_windows_spread_weight_over_periods():
    articles = pd.DataFrame({
        "article_id": ["exact", "window", "open", "none"],
        "date": ["2018-01-15", "", "", ""],
        "date_min": ["", "2017-12-01", "2017-05-05", ""],
        "date_max": ["", "2018-01-31", "", None],
    })
    w = article_period_weights(articles, "month")
    assert w.groupby("article_id")["weight"].sum().to_dict() == pytest.approx(
        {"exact": 1, "window": 1, "open": 1, "none": 1})
    window = w[w["article_id"] == "window"].set_index("period")["weight"]
    assert window.to_dict() == pytest.approx({"2017-12": 0.5, "2018-01": 0.5})
    assert w.set_index("article_id").loc["open", "period"] == "2017-05"
    assert w.set_index("article_id").loc["none", "period"] == UNDATED
    years = article_period_weights(SEED_ARTICLES, "year")
    coats = years[years["article_id"] == "003"].set_index("period")["weight"]
    assert list(coats.index) == ["2018", "2019"] and coats.sum() == pytest.approx(1)
    # 2018-01-18..2018-12-31 is 348 of the window's 575 days
    assert coats["2018"] == pytest.approx(348 / 575)


# --------------------------------------------------------------------------- trend tables
def test_theme_trends_known_answer_and_flags():
    shares = _shares({"p": [1.0, 0.0], "q": [0.5, 0.5], "r": [0.0, 1.0], "s": [0.2, 0.8]})
    articles = pd.DataFrame({"article_id": ["p", "q", "r", "s"],
                             "counterpart": ["X", "X", "Y", None]})
    out = theme_trends(shares, articles, "counterpart", n_boot=200, min_articles=2)
    assert list(out.columns) == ["counterpart", "theme", "share", "ci_low", "ci_high",
                                 "n_articles", "n_effective", "few_articles"]
    assert list(pd.unique(out["counterpart"])) == ["X", "Y", UNKNOWN]  # unknown kept, last
    x = out[out["counterpart"] == "X"].set_index("theme")
    assert x.loc["a", "share"] == pytest.approx(0.75)
    assert (x["ci_low"] <= x["share"]).all() and (x["share"] <= x["ci_high"]).all()
    assert out.groupby("counterpart")["share"].sum().to_numpy() == pytest.approx(1.0)
    flags = out.drop_duplicates("counterpart").set_index("counterpart")["few_articles"]
    assert flags.to_dict() == {"X": False, "Y": True, UNKNOWN: True}


def test_theme_trends_by_period_weights_windows_and_keeps_undated():
    shares = _shares({"p": [1.0, 0.0], "q": [0.0, 1.0], "u": [0.5, 0.5]})
    articles = pd.DataFrame({"article_id": ["p", "q", "u"],
                             "date": ["2019-01-10", "", ""],
                             "date_min": ["", "2019-03-01", ""],
                             "date_max": ["", "2019-04-30", ""]})
    out = theme_trends(shares, articles, "period", period="month", n_boot=100)
    a = out[out["theme"] == "a"].set_index("period")
    assert list(a.index) == ["2019-01", "2019-02", "2019-03", "2019-04", UNDATED]
    assert a.loc["2019-01", "share"] == 1.0 and a.loc["2019-03", "share"] == 0.0
    assert a.loc["2019-03", "n_effective"] == pytest.approx(31 / 61)
    assert np.isnan(a.loc["2019-02", "share"]) and a.loc["2019-02", "n_articles"] == 0
    assert a.loc[UNDATED, "share"] == 0.5 and a.loc[UNDATED, "n_articles"] == 1
    assert a["few_articles"].all()
    no_gaps = theme_trends(shares, articles, "period", period="month", n_boot=10,
                           fill_gaps=False)
    assert "2019-02" not in set(no_gaps["period"])
    with pytest.raises(ValueError, match="needs period"):
        theme_trends(shares, articles, "period")
    with pytest.raises(ValueError, match="column of articles"):
        theme_trends(shares, articles, "country")


def test_bootstrap_is_deterministic_and_groupwise():
    rng = np.random.default_rng(1)
    n = 30
    shares = _shares({f"a{i}": list(rng.dirichlet([2, 2])) for i in range(n)})
    articles = pd.DataFrame({"article_id": [f"a{i}" for i in range(n)],
                             "counterpart": ["X"] * 20 + ["Y"] * 10})
    first = theme_trends(shares, articles, "counterpart", random_state=7)
    pd.testing.assert_frame_equal(first, theme_trends(shares, articles, "counterpart",
                                                      random_state=7))
    other_seed = theme_trends(shares, articles, "counterpart", random_state=8)
    assert not np.allclose(first["ci_low"], other_seed["ci_low"])
    # A group's interval does not depend on the other groups.
    x_ids = articles.loc[articles["counterpart"] == "X", "article_id"]
    only_x = theme_trends(shares[shares["article_id"].isin(x_ids)],
                          articles[articles["article_id"].isin(x_ids)], "counterpart",
                          random_state=7)
    pd.testing.assert_frame_equal(only_x, first[first["counterpart"] == "X"]
                                  .reset_index(drop=True))


def test_bootstrap_interval_coverage_on_synthetic_data():
    # 300 groups of 40 articles whose share of theme "a" is drawn from Beta(2, 3):
    # the true mean share is 0.4; a 90% interval should cover it ~90% of the time
    # (a percentile bootstrap of a mean of 40 undercovers a little; binomial sd 1.7%).
    rng = np.random.default_rng(0)
    n_groups, size = 300, 40
    a = rng.beta(2, 3, size=n_groups * size)
    ids = [f"art{i}" for i in range(n_groups * size)]
    shares = pd.DataFrame({"article_id": np.repeat(ids, 2), "theme": ["a", "b"] * len(ids),
                           "share": np.column_stack([a, 1 - a]).ravel()})
    articles = pd.DataFrame({"article_id": ids,
                             "counterpart": np.repeat([f"g{g:03d}" for g in range(n_groups)],
                                                      size)})
    out = theme_trends(shares, articles, "counterpart", n_boot=400, ci=0.9)
    rows = out[out["theme"] == "a"]
    coverage = ((rows["ci_low"] <= 0.4) & (0.4 <= rows["ci_high"])).mean()
    assert 0.82 <= coverage <= 0.96
    assert (rows["ci_high"] - rows["ci_low"]).mean() == pytest.approx(
        2 * 1.645 * 0.2 / np.sqrt(size), rel=0.15)  # sd of Beta(2, 3) is 0.2


def test_contrast_is_paired_difference():
    shares = _shares({"p": [0.9, 0.1], "q": [0.6, 0.4], "r": [0.3, 0.7], "s": [0.8, 0.2]})
    articles = pd.DataFrame({"article_id": ["p", "q", "r", "s"], "counterpart": ["X"] * 4})
    trend = theme_trends(shares, articles, "counterpart", n_boot=300).set_index("theme")
    contrast = contrast_trends(shares, articles, "counterpart", a="a", b="b", n_boot=300)
    row = contrast.iloc[0]
    assert row["contrast"] == pytest.approx(0.65 - 0.35)
    assert row["share_a"] == pytest.approx(trend.loc["a", "share"])
    # With two themes a - b = 2a - 1 in every resample: the interval maps exactly.
    assert row["ci_low"] == pytest.approx(2 * trend.loc["a", "ci_low"] - 1)
    assert row["ci_high"] == pytest.approx(2 * trend.loc["a", "ci_high"] - 1)
    with pytest.raises(ValueError, match="not in article_themes"):
        contrast_trends(shares, articles, "counterpart", a="counterterrorism", b="b")


# --------------------------------------------------------------------------- topic shares
def test_topic_shares_over_time_and_per_class():
    passages = pd.DataFrame({"article_id": ["p", "p", "q", "u"], "topic": [0, 1, 1, -1],
                             "n_words": [10, 30, 5, 5]})
    articles = pd.DataFrame({"article_id": ["p", "q", "u"],
                             "date": ["2019-01-10", "2019-03-02", ""],
                             "counterpart": ["X", "Y", "X"]})
    out = topic_shares_over_time(passages, articles, "month")
    assert list(out.columns) == ["period", "topic", "frequency", "share", "n_passages",
                                 "n_articles"]
    assert list(pd.unique(out["period"])) == ["2019-01", "2019-02", "2019-03", UNDATED]
    jan = out[out["period"] == "2019-01"].set_index("topic")["share"]
    assert jan.to_dict() == {-1: 0.0, 0: 0.5, 1: 0.5}
    weighted = topic_shares_over_time(passages, articles, "month", weight="n_words")
    assert weighted.set_index(["period", "topic"]).loc[("2019-01", 1), "share"] == 0.75
    assert out[out["period"] == "2019-02"]["frequency"].sum() == 0
    per = topic_shares_per_class(passages, articles, "counterpart")
    x = per[per["counterpart"] == "X"].set_index("topic")
    assert x["share"].sum() == pytest.approx(1) and x.loc[-1, "n_passages"] == 1


# --------------------------------------------------------------------------- seeds (real model)
def test_seed_trends_show_the_shift(seed_article_themes):  # noqa: F811
    by_year = contrast_trends(seed_article_themes, SEED_ARTICLES, "period", period="year")
    by_year = by_year.set_index("period")
    assert list(by_year.index) == [str(y) for y in range(2017, 2025)]
    # the counterterrorism meetings (Mattis 2017, Coats 2018-19, Pompeo 2019, Émié 2021)
    # against the Gaza one (Blinken 2024); no article in 2020, 2022 or 2023
    terror = by_year.loc[["2017", "2018", "2019", "2021"]]
    assert (terror["contrast"] > 0.2).all() and (terror["share_a"] > terror["share_b"]).all()
    assert by_year.loc["2024", "contrast"] < -0.3
    assert by_year.loc[["2020", "2022", "2023"], "n_articles"].eq(0).all()
    assert by_year["n_articles"].tolist() == [1, 1, 2, 0, 1, 0, 0, 1]
    years = theme_trends(seed_article_themes, SEED_ARTICLES, "period", period="year")
    pd.testing.assert_frame_equal(
        years, theme_trends(seed_article_themes, SEED_ARTICLES, "period", period="year"))
    ct = years[years["theme"] == "counterterrorism"].set_index("period")["share"]
    gaza = years[years["theme"] == "gaza_humanitarian"].set_index("period")["share"]
    assert ct["2017"] > gaza["2017"] and gaza["2024"] > ct["2024"]

    by_cp = contrast_trends(seed_article_themes, SEED_ARTICLES, "counterpart").set_index(
        "counterpart")
    assert by_cp.loc["Antony Blinken", "contrast"] < 0
    assert (by_cp.drop("Antony Blinken")["contrast"] > 0).all()
    assert by_cp["few_articles"].all()
    weekly = theme_trends(seed_article_themes, SEED_ARTICLES, "period", period="week",
                          n_boot=50)
    assert weekly["period"].iloc[0] == "2017-W48" and UNDATED not in set(weekly["period"])
    for by in ("counterpart_country", "counterpart_role"):
        table = theme_trends(seed_article_themes, SEED_ARTICLES, by, n_boot=50)
        assert table.groupby(by)["share"].sum().to_numpy() == pytest.approx(1.0)


def test_auto_period_follows_the_span_of_the_dates():
    from research.trends import auto_period

    assert auto_period(["2015-07-21", "2015-11-10", ""]) == "week"  # SaudiNewsNet's span
    assert auto_period(["2015-01-01", "2016-12-31"]) == "month"
    assert auto_period(["2017-04-03", "2024-06-10"]) == "quarter"  # the seeds' span
    assert auto_period(["2001-01-01", "2024-06-10"]) == "year"
    assert auto_period(["", "not a date"]) == "month"


def test_a_groups_interval_does_not_move_when_another_group_changes():
    """Each group draws from its own stream, seeded from (random_state, group label)."""
    rng = np.random.default_rng(7)
    ids = [f"x{i}" for i in range(12)] + [f"a{i}" for i in range(9)]
    shares = _shares({aid: [v, 1 - v] for aid, v in zip(ids, rng.uniform(size=len(ids)),
                                                        strict=True)})
    articles = pd.DataFrame({"article_id": ids, "counterpart": ["X"] * 12 + ["A"] * 9})
    before = theme_trends(shares, articles, "counterpart", n_boot=200)
    # group "A" (drawn before "X" in label order) loses four articles
    fewer = articles[~articles["article_id"].isin(["a0", "a1", "a2", "a3"])]
    after = theme_trends(shares[shares["article_id"].isin(fewer["article_id"])], fewer,
                         "counterpart", n_boot=200)
    x_before = before[before["counterpart"] == "X"].reset_index(drop=True)
    x_after = after[after["counterpart"] == "X"].reset_index(drop=True)
    pd.testing.assert_frame_equal(x_before, x_after)
    a_before = before[before["counterpart"] == "A"]
    a_after = after[after["counterpart"] == "A"]
    assert not np.allclose(a_before["ci_low"], a_after["ci_low"])


def test_groups_draw_from_streams_of_their_own():
    """Two groups with the same values do not get the same resamples (no shared seed)."""
    values = [0.1, 0.9, 0.4, 0.7, 0.2, 0.6]
    ids = [f"{g}{i}" for g in "pq" for i in range(len(values))]
    shares = _shares({aid: [v, 1 - v] for aid, v in zip(ids, values * 2, strict=True)})
    articles = pd.DataFrame({"article_id": ids, "counterpart": ["P"] * 6 + ["Q"] * 6})
    out = theme_trends(shares, articles, "counterpart", n_boot=200).set_index(
        ["counterpart", "theme"])
    assert out.loc[("P", "a"), "share"] == out.loc[("Q", "a"), "share"]
    assert out.loc[("P", "a"), "ci_low"] != out.loc[("Q", "a"), "ci_low"]


def test_auto_period_from_the_central_95_percent_of_the_dates():
    from research.trends import auto_period, central_span

    season = pd.date_range("2018-03-01", "2018-06-30", freq="D").strftime("%Y-%m-%d").tolist()
    stray = ["2013-01-05", "2013-02-10", "2013-03-20"]  # three old articles
    assert auto_period(season + stray) == "week"  # not quarters: the bulk is one season
    lo, hi, outside = central_span(season + stray)
    # 125 dates: the 2.5% quantile is order statistic 3.1 -> 3 (lower), the first day of
    # the season; the 97.5% one is 120.9 -> 121 (higher), 27 June
    assert (lo, hi) == (pd.Timestamp("2018-03-01"), pd.Timestamp("2018-06-27"))
    assert outside == 6  # the three 2013 dates and 28-30 June
    lo, hi, outside = central_span(["", "x"])
    assert pd.isna(lo) and pd.isna(hi) and outside == 0


# --------------------------------------------------------------------------- effects
def _logit_table(n=1500, seed=0, phi=30.0):
    """Shares drawn from a logit model with a counterpart and a period effect, confounded."""
    from scipy.special import expit

    rng = np.random.default_rng(seed)
    years = {"Mattis": [2017, 2018], "Pompeo": [2018, 2019], "Blinken": [2021, 2023, 2024],
             "Kerry": [2017, 2024]}
    b_cp = {"Blinken": 0.0, "Pompeo": 0.8, "Mattis": 1.1, "Kerry": 1.3}
    b_yr = {2017: -0.2, 2018: 0.0, 2019: -0.1, 2021: 0.2, 2023: 0.7, 2024: 1.3}
    cp = rng.choice(list(years), n, p=[0.2, 0.3, 0.35, 0.15])
    yr = np.array([rng.choice(years[c]) for c in cp])
    mu = expit(-1.6 + np.array([b_cp[c] for c in cp]) + np.array([b_yr[y] for y in yr]))
    a = rng.beta(mu * phi, (1 - mu) * phi)
    ids = [f"a{i:04d}" for i in range(n)]
    shares = pd.DataFrame({"article_id": np.repeat(ids, 2), "theme": ["gaza", "rest"] * n,
                           "share": np.column_stack([a, 1 - a]).ravel()})
    articles = pd.DataFrame({"article_id": ids, "counterpart": cp,
                             "date": [f"{y}-06-01" for y in yr], "dup_group": ids})
    return shares, articles, b_cp, b_yr, mu


def test_theme_effects_recover_a_known_logit_effect():
    from research.trends import EFFECT_COLUMNS, MARGIN_COLUMNS, theme_effects

    shares, articles, b_cp, b_yr, mu = _logit_table()
    res = theme_effects(shares, articles, "C(counterpart) + C(period)", period="year")
    assert list(res.effects.columns) == EFFECT_COLUMNS
    assert list(res.margins.columns) == MARGIN_COLUMNS
    gaza = res.effects[res.effects["theme"] == "gaza"]
    assert (gaza["status"] == "ok").all() and (gaza["n"] == len(articles)).all()
    # the largest level is the reference: Blinken, and 2018 among the years
    assert set(gaza.loc[gaza["covariate"] == "counterpart", "reference"]) == {"Blinken"}
    for _, row in gaza[gaza["term"] != "Intercept"].iterrows():
        ref = b_cp if row["covariate"] == "counterpart" else b_yr
        key = row["level"] if row["covariate"] == "counterpart" else int(row["level"])
        reference = row["reference"] if row["covariate"] == "counterpart" else int(row["reference"])
        truth = ref[key] - ref[reference]
        assert abs(row["estimate"] - truth) < 3 * row["std_error"], row["term"]
        assert row["ci_low"] < row["estimate"] < row["ci_high"]
    # the other theme is the mirror image (shares sum to 1)
    rest = res.effects[res.effects["theme"] == "rest"].set_index("term")["estimate"]
    assert np.allclose(rest.to_numpy(), -gaza.set_index("term")["estimate"].to_numpy())
    # margins: per counterpart with the years as observed; they undo the confounding
    m = res.margins[(res.margins["theme"] == "gaza")].set_index(["covariate", "level"])
    blinken, kerry = m.loc[("counterpart", "Blinken")], m.loc[("counterpart", "Kerry")]
    assert blinken["ci_low"] < blinken["share"] < blinken["ci_high"]
    assert blinken["observed"] > blinken["share"] + 0.02  # Blinken's raw mean carries 2023-24
    assert kerry["share"] > blinken["share"] + 0.15
    years = m.loc["period"]
    assert list(years.index) == ["2017", "2018", "2019", "2021", "2023", "2024"]  # time order
    assert years.loc["2024", "share"] > years.loc["2021", "share"] > years.loc["2017", "share"]


def test_clustered_errors_follow_stories_and_match_statsmodels():
    import statsmodels.api as sm

    from research.trends import cluster_covariance, theme_effects

    shares, articles, *_ = _logit_table(n=400, seed=3)
    one = theme_effects(shares, articles, "C(counterpart)", themes=["gaza"]).effects
    copies = pd.concat([articles.assign(article_id=articles["article_id"] + f"-c{k}")
                        for k in range(3)], ignore_index=True)  # dup_group: the story
    copied = pd.concat([shares.assign(article_id=shares["article_id"] + f"-c{k}")
                        for k in range(3)], ignore_index=True)
    clustered = theme_effects(copied, copies, "C(counterpart)", themes=["gaza"]).effects
    naive = theme_effects(copied, copies, "C(counterpart)", themes=["gaza"],
                          cluster=None).effects
    assert np.allclose(clustered["estimate"], one["estimate"])
    # copies add no information: clustered by story, the errors stay those of one copy
    assert np.allclose(clustered["std_error"], one["std_error"], rtol=0.01)
    assert (clustered["n_stories"] == 400).all() and (clustered["n"] == 1200).all()
    # treating copies as independent articles understates them by sqrt(3)
    assert np.allclose(naive["std_error"] * np.sqrt(3), one["std_error"], rtol=0.01)
    # the sandwich is statsmodels' cluster-robust covariance when every row weighs 1
    X = pd.get_dummies(articles["counterpart"], drop_first=True, dtype=float)
    X.insert(0, "const", 1.0)
    y = shares[shares["theme"] == "gaza"]["share"].to_numpy()
    groups = np.arange(len(y)) // 2
    fit = sm.GLM(y, X.to_numpy(), family=sm.families.Binomial()).fit(
        cov_type="cluster", cov_kwds={"groups": groups})
    p = fit.predict(X.to_numpy())
    mine = cluster_covariance(X.to_numpy(), y, p, np.ones(len(y)), groups)
    assert np.allclose(mine, fit.cov_params(), rtol=1e-6)


def test_theme_effects_says_why_it_cannot_estimate():
    from research.trends import theme_effects

    seeds = pd.DataFrame({"article_id": SEED_ARTICLES["article_id"],
                          "counterpart": SEED_ARTICLES["counterpart"],
                          "date": SEED_ARTICLES["date"], "date_min": SEED_ARTICLES["date_min"],
                          "date_max": SEED_ARTICLES["date_max"]})
    shares = _shares({aid: [0.6, 0.4] for aid in seeds["article_id"]})
    few = theme_effects(shares, seeds, "C(counterpart) + C(period)", period="year")
    assert set(few.effects["status"]) == {"too few articles: 5 (at least 20 needed)"}
    assert set(few.margins["status"]) == set(few.effects["status"])
    assert few.effects["estimate"].isna().all()

    rng = np.random.default_rng(0)
    ids = [f"x{i}" for i in range(60)]
    a = rng.uniform(0.1, 0.9, 60)
    shares = _shares(dict(zip(ids, np.column_stack([a, 1 - a]).tolist(), strict=True)))
    # each counterpart in its own year: counterpart and time cannot be told apart
    cps = np.repeat(["P", "Q", "R"], 20)
    aliased = pd.DataFrame({"article_id": ids, "counterpart": cps,
                            "date": np.repeat(["2017-05-01", "2019-05-01", "2024-05-01"], 20)})
    out = theme_effects(shares, aliased, "C(counterpart) + C(period)", period="year")
    assert out.effects["status"].str.startswith("collinear").all()
    # a level whose every article has share 0: perfect separation, said per theme
    zero = shares.copy()
    zero.loc[zero["article_id"].isin(ids[40:]), "share"] = np.tile([0.0, 1.0], 20)
    sep = theme_effects(zero, aliased.drop(columns="date"), "C(counterpart)")
    status = sep.effects.drop_duplicates("theme").set_index("theme")["status"]
    assert status["a"] == "perfect separation: every article with counterpart = R has a share of 0"
    assert status["b"] == "perfect separation: every article with counterpart = R has a share of 1"
    # sparse levels pooled; articles without a counterpart are not a level
    sparse = aliased.drop(columns="date").assign(
        counterpart=list(cps[:-8]) + ["S", "S", "T", "T", "U", "", "", None])
    pooled = theme_effects(shares, sparse, "C(counterpart)", min_level_articles=5)
    m = pooled.margins[pooled.margins["theme"] == "a"].set_index("level")
    assert list(m.index) == ["P", "Q", "R", "other counterparts"]
    assert m.loc["other counterparts", "pooled_from"] == "S; T; U"
    assert m.loc["other counterparts", "n_level"] == 5 and (m["n"] == 57).all()
    assert pooled.frame.excluded == {"no counterpart (no engagement reported)": 3}
    # a pool that is itself below the threshold leaves the regression, counted (one
    # article in it would otherwise separate perfectly and stop every theme's model)
    tiny = sparse.assign(counterpart=list(cps[:-8]) + ["S", "S", "T", "T", "", "", "", None])
    zero_s = shares.copy()
    zero_s.loc[zero_s["article_id"].isin(ids[52:56]), "share"] = np.tile([0.0, 1.0], 4)
    left = theme_effects(zero_s, tiny, "C(counterpart)", min_level_articles=5)
    assert (left.effects["status"] == "ok").all()
    assert left.frame.excluded == {
        "no counterpart (no engagement reported)": 4,
        "counterpart level with fewer than 5 articles (pooled, still too few)": 4}
    assert set(left.margins["level"].dropna()) == {"P", "Q", "R"}
    assert (left.margins["n"] == 52).all()
    with pytest.raises(ValueError, match="neither 'period' nor a column"):
        theme_effects(shares, sparse, "C(counterpart) + C(outlet)")
    with pytest.raises(ValueError, match="interval must be one of"):
        theme_effects(shares, sparse, "C(counterpart)", interval="jackknife")


def test_theme_effects_bootstrap_over_stories_is_seeded():
    from research.trends import theme_effects

    shares, articles, *_ = _logit_table(n=300, seed=5)
    kw = {"period": "year", "themes": ["gaza"], "interval": "bootstrap", "n_boot": 60}
    first = theme_effects(shares, articles, "C(counterpart) + C(period)", **kw)
    again = theme_effects(shares, articles, "C(counterpart) + C(period)", **kw)
    pd.testing.assert_frame_equal(first.effects, again.effects)
    pd.testing.assert_frame_equal(first.margins, again.margins)
    delta = theme_effects(shares, articles, "C(counterpart) + C(period)", period="year",
                          themes=["gaza"]).margins
    boot = first.margins
    assert (boot["interval"] == "bootstrap").all() and boot["status"].str.startswith("ok").all()
    assert np.allclose(boot["share"], delta["share"])  # same fit, other intervals
    assert ((boot["ci_low"] < boot["share"]) & (boot["share"] < boot["ci_high"])).all()
    width = (boot["ci_high"] - boot["ci_low"]) / (delta["ci_high"] - delta["ci_low"])
    assert width.between(0.5, 2).all()


# --------------------------------------------------------------------------- change
def test_benjamini_hochberg_known_values():
    from research.trends import benjamini_hochberg

    adjusted = benjamini_hochberg([0.01, 0.04, 0.03, 0.2, np.nan])
    assert adjusted[:4] == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])
    assert np.isnan(adjusted[4])


def test_theme_change_known_values():
    from research.trends import CHANGE_COLUMNS, theme_change

    shares = _shares({"b1": [0.1, 0.9], "b2": [0.2, 0.8], "b3": [0.3, 0.7],
                      "a1": [0.5, 0.5], "a2": [0.6, 0.4], "a3": [0.7, 0.3]})
    articles = pd.DataFrame({"article_id": ["b1", "b2", "b3", "a1", "a2", "a3"],
                             "date": ["2023-01-05", "2023-03-01", "2023-10-06",
                                      "2023-10-07", "2024-01-01", "2024-06-10"]})
    out = theme_change(shares, articles, at="2023-10-07", n_boot=500)
    assert list(out.columns) == CHANGE_COLUMNS
    a = out.set_index("theme").loc["a"]
    assert a["share_before"] == pytest.approx(0.2) and a["share_after"] == pytest.approx(0.6)
    assert a["difference"] == pytest.approx(0.4)
    # all 20 ways to split six articles three and three: only the observed split and its
    # mirror image are as extreme, so the exact two-sided p-value is 2/20
    assert a["p_value"] == pytest.approx(0.1) and a["test"] == "exact (20 shufflings)"
    assert a["p_adjusted"] == pytest.approx(0.1) and not a["significant"]
    assert 0.2 <= a["ci_low"] < 0.4 < a["ci_high"] <= 0.6
    assert (a["before"], a["after"]) == ("before 2023-10-07", "from 2023-10-07")
    # the same spans as periods and pairs of dates
    same = theme_change(shares, articles, before=("2023-01", "2023-10-06"),
                        after=("2023-10-07", None), n_boot=500)
    pd.testing.assert_series_equal(same["difference"], out["difference"])
    years = theme_change(shares, articles, before="2023", after="2024", n_boot=100)
    assert years.loc[0, "n_before"] == 4 and years.loc[0, "n_after"] == 2
    assert years.loc[0, "status"] == "too few articles after (2; at least 3)"
    with pytest.raises(ValueError, match="overlap"):
        theme_change(shares, articles, before="2023", after=("2023-06-01", None))
    # a theme the articles do not have is refused, not read as a share of 0
    with pytest.raises(ValueError, match="not in article_themes"):
        theme_change(shares, articles, at="2023-10-07", themes=["nile_water"])


def test_theme_change_many_articles_adjusts_over_themes():
    from research.trends import theme_change

    rng = np.random.default_rng(2)
    n = 80
    ids = [f"a{i}" for i in range(2 * n)]
    shift = np.r_[np.zeros(n), np.full(n, 0.25)]
    moved = np.clip(rng.normal(0.3, 0.1, 2 * n) + shift, 0, 0.6)
    still = rng.uniform(0, 0.4, 2 * n)  # independent of the split
    rows = {aid: [m, s, 1 - m - s] for aid, m, s in zip(ids, moved, still, strict=True)}
    shares = _shares(rows, themes=("moved", "still", "rest"))
    articles = pd.DataFrame({"article_id": ids, "date": ["2020-01-01"] * n + ["2021-01-01"] * n,
                             "dup_group": [f"s{i // 2}" for i in range(2 * n)]})
    out = theme_change(shares, articles, at="2020-06-01", n_perm=999).set_index("theme")
    assert out.loc["moved", "significant"]
    assert out.loc["moved", "p_value"] == pytest.approx(1 / 1000)
    assert out.loc["moved", "ci_low"] > 0.15
    assert not out.loc["still", "significant"]
    assert (out["p_adjusted"] >= out["p_value"]).all()
    assert out["test"].eq("999 random shufflings").all()


# --------------------------------------------------------------------------- emerging topics
def test_topics_emerging_flags_a_burst_and_not_a_small_period():
    from research.trends import EMERGING_COLUMNS, topics_emerging

    rng = np.random.default_rng(4)
    rows, arts = [], []
    weeks = ["2015-07-06", "2015-07-13", "2015-07-20", "2015-07-27", "2015-08-03", "2015-08-10"]
    sizes = [30, 30, 30, 30, 30, 4]
    for w, (day, size) in enumerate(zip(weeks, sizes, strict=True)):
        for i in range(size):
            aid = f"w{w}-{i}"
            arts.append({"article_id": aid, "date": day})
            p = [0.45, 0.45, 0.1, 0.0] if w != 4 else [0.3, 0.3, 0.05, 0.35]
            if w == 5:
                p = [0.5, 0.5, 0.0, 0.0]
            for t in rng.choice([0, 1, 2, 3], size=5, p=p):
                rows.append({"article_id": aid, "topic": int(t)})
    passages, articles = pd.DataFrame(rows), pd.DataFrame(arts)
    topics = pd.DataFrame({"topic": [0, 1, 2, 3], "label": ["a", "b", "c", "burst"]})
    out = topics_emerging(passages, articles, "week", topics=topics, window=3)
    assert list(out.columns) == EMERGING_COLUMNS
    flag = out.set_index(["period", "topic"])["status"]
    assert flag[("2015-W32", 3)] == "emerging"
    assert flag[("2015-W32", 0)] in {"stable", "fading"}
    assert (flag.loc["2015-W28"] == "untested").all()  # no window before the first week
    assert not flag.loc[["2015-W29", "2015-W30", "2015-W31"]].isin(["emerging"]).any()
    # four articles: too few to test, never "fading" just because a topic is absent
    last = out[out["period"] == "2015-W33"]
    assert (last["status"] == "untested").all()
    assert last["reason"].str.startswith("too few articles in the period").all()
    burst = out.set_index(["period", "topic"]).loc[("2015-W32", 3)]
    assert burst["label"] == "burst" and burst["baseline"] == 0 and burst["fold"] == np.inf
    assert burst["p_adjusted"] < 0.05 and burst["ci_low"] > 0 and burst["z"] > 3
    pd.testing.assert_frame_equal(out, topics_emerging(passages, articles.iloc[::-1], "week",
                                                       topics=topics, window=3))


# --------------------------------------------------------------------------- topic words
def test_topic_words_over_time_show_only_words_of_the_period():
    from sklearn.feature_extraction.text import CountVectorizer

    from research.text import ArabicAnalyzer, normalize_arabic
    from research.trends import TOPIC_WORD_COLUMNS, topic_words_over_time

    texts = {
        ("p1", "2015-07-29"): ["إعلان القاهرة يعزز القوة العربية المشتركة",
                               "وقع الجانبان إعلان القاهرة في القصر"],
        ("p2", "2015-08-06"): ["افتتاح قناة السويس الجديدة بحضور الملوك",
                               "السفن تعبر قناة السويس الجديدة"],
        ("p3", "2015-08-07"): ["القوة العربية المشتركة والسفن في القناة"],
    }
    passages, articles = [], []
    for (aid, day), lines in texts.items():
        articles.append({"article_id": aid, "date": day})
        for k, line in enumerate(lines):
            passages.append({"article_id": aid, "passage_id": f"{aid}-{k}", "text": line,
                             "topic": 0})
    passages, articles = pd.DataFrame(passages), pd.DataFrame(articles)
    vectorizer = CountVectorizer(analyzer=ArabicAnalyzer()).fit(passages["text"])
    words = topic_words_over_time(passages, articles, "week", vectorizer, n_words=50)
    assert list(words.columns) == TOPIC_WORD_COLUMNS
    assert list(pd.unique(words["period"])) == ["2015-W31", "2015-W32"]
    analyzer = ArabicAnalyzer()
    for period, rows in words.groupby("period"):
        week = passages[passages["article_id"].isin(
            {"2015-W31": ["p1"], "2015-W32": ["p2", "p3"]}[period])]
        grams = [g for text in week["text"] for g in analyzer(text)]
        normalized = normalize_arabic(" ".join(week["text"]))
        for term, word, count in zip(rows["term"], rows["word"], rows["count"], strict=True):
            assert grams.count(term) == count > 0, (period, term)
            # n-grams skip stop words, so each token of a word is checked
            assert all(tok in normalized for tok in normalize_arabic(word).split()), word
    w31 = set(words.loc[words["period"] == "2015-W31", "term"])
    w32 = set(words.loc[words["period"] == "2015-W32", "term"])
    assert "اعلان القاهره" in w31 and "اعلان القاهره" not in w32
    assert "قناه السويس" in w32 and "قناه السويس" not in w31
    # the c-TF-IDF of one word, by hand: sqrt(tf / period total) * log(1 + A / f)
    counts = vectorizer.transform(passages["text"]).toarray()
    column = list(vectorizer.get_feature_names_out()).index("السفن")
    tf_total = sum(analyzer(t).__len__() for t in passages.loc[2:, "text"])
    expected = np.sqrt(2 / tf_total) * np.log(1 + int(counts.sum()) / counts[:, column].sum())
    row = words[(words["period"] == "2015-W32") & (words["term"] == "السفن")].iloc[0]
    assert row["score"] == pytest.approx(expected)
    assert row["word"] == "السفن" and row["n_passages"] == 3


# --------------------------------------------------------------------------- seeds and SNN
def test_seed_run_effect_tables_are_honest_about_five_articles(seeds_run):
    from tests.conftest import read_table

    effects = read_table(seeds_run / "theme_effects.csv")
    assert set(effects["status"]) == {"too few articles: 5 (at least 20 needed)"}
    change = read_table(seeds_run / "theme_change.csv")
    assert change["status"].str.startswith("too few articles").all()
    emerging = read_table(seeds_run / "topics_emerging.csv")
    assert (emerging["status"] == "untested").all()
    words = read_table(seeds_run / "topic_words_over_time.csv")
    passages = read_table(seeds_run / "passages.csv")
    assert set(words["topic"]) <= set(passages["topic"]) and (words["count"] > 0).all()


@pytest.mark.corpus
def test_saudinewsnet_effects_and_emerging_weeks():
    """On a SaudiNewsNet Sisi run (``$RESEARCH_SISI_RUN`` or ``runs/sisi2015``)."""
    import os
    from pathlib import Path

    from research.pipeline import counted_articles
    from research.runs import load_run
    from research.trends import effect_tables
    from tests.conftest import ROOT

    folder = Path(os.environ.get("RESEARCH_SISI_RUN", ROOT / "runs" / "sisi2015"))
    if not (folder / "run.json").is_file():
        pytest.skip(f"no SaudiNewsNet run at {folder} (research run ../shared/corpora/"
                    "saudinewsnet --filter السيسي --out runs/sisi2015)")
    run = load_run(folder)
    counted = counted_articles(run.articles, run.record["config"].get("count", "stories"))
    ids = set(counted["article_id"])
    tables = effect_tables(run.article_themes[run.article_themes["article_id"].isin(ids)],
                           counted, run.passages[run.passages["article_id"].isin(ids)],
                           period="week", topics=run.topics)
    effects = tables["theme_effects"]
    assert (effects["status"] == "ok").all()
    assert effects[effects["term"] != "Intercept"]["ci_low"].notna().all()
    margins = tables["theme_margins"]
    for by in ("counterpart", "period"):
        rows = margins[margins["covariate"] == by]
        assert rows["level"].nunique() >= 3 and (rows["status"] == "ok").all()
        assert ((rows["ci_low"] < rows["share"]) & (rows["share"] < rows["ci_high"])).all()
    assert "Mohammed bin Salman" in set(margins["level"])
    emerging = tables["topics_emerging"]
    words = run.topics.set_index("topic")["top_words"]
    flagged = emerging[emerging["status"] == "emerging"]
    w31 = " ".join(words[t] for t in flagged.loc[flagged["period"] == "2015-W31", "topic"])
    w32 = " ".join(words[t] for t in flagged.loc[flagged["period"] == "2015-W32", "topic"])
    assert "إعلان القاهرة" in w31  # the Cairo Declaration, 30 July 2015
    assert "قناة السويس" in w32 or "المحروسة" in w32  # the Suez Canal opening, 6 August 2015


@pytest.mark.parametrize("block_bytes", [1, 16 * 7 * 3, 4096, None])
def test_bootstrap_blocks_are_the_counts_of_one_draw(block_bytes):
    from research.trends import multinomial_blocks

    n, n_boot = 7, 500
    whole = np.random.default_rng([3, 11]).multinomial(n, np.full(n, 1 / n), size=n_boot)
    blocks = list(multinomial_blocks(np.random.default_rng([3, 11]), n, n_boot,
                                     block_bytes=block_bytes))
    np.testing.assert_array_equal(np.vstack(blocks), whole)
    if block_bytes == 16 * 7 * 3:
        assert [len(b) for b in blocks[:2]] == [3, 3]
    # the stream is left where one draw leaves it: what is drawn next is the same too
    rng = np.random.default_rng([3, 11])
    list(multinomial_blocks(rng, n, n_boot, block_bytes=block_bytes))
    after = np.random.default_rng([3, 11])
    after.multinomial(n, np.full(n, 1 / n), size=n_boot)
    assert rng.integers(2**62) == after.integers(2**62)


def test_bootstrap_of_a_large_group_is_blocked_and_matches_one_draw():
    import tracemalloc

    from research.trends import BOOTSTRAP_BLOCK_BYTES, group_rng, multinomial_blocks

    n, n_boot = 5000, 1000  # more resamples than one block holds: two blocks
    assert n_boot > BOOTSTRAP_BLOCK_BYTES // (16 * n)
    rng = np.random.default_rng(2)
    ids = [f"a{i:05d}" for i in range(n)]
    values = rng.dirichlet([2, 3], size=n)
    shares = pd.DataFrame({"article_id": np.repeat(ids, 2), "theme": ["a", "b"] * n,
                           "share": values.ravel()})
    articles = pd.DataFrame({"article_id": ids, "counterpart": "X"})
    got = theme_trends(shares, articles, "counterpart", n_boot=n_boot, random_state=4)
    # the dense computation of one draw from the group's stream
    counts = group_rng(4, "X").multinomial(n, np.full(n, 1 / n), size=n_boot)
    reps = counts @ values / counts.sum(axis=1, keepdims=True)
    low, high = np.quantile(reps, [0.025, 0.975], axis=0)
    np.testing.assert_allclose(got["ci_low"], low, rtol=1e-12)
    np.testing.assert_allclose(got["ci_high"], high, rtol=1e-12)
    # memory is bounded by the block, not by the whole draw
    tracemalloc.start()
    for _ in multinomial_blocks(np.random.default_rng(0), 200_000, 100, block_bytes=2**22):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 3 * 2**22  # one draw of 100 x 200,000 counts would take 160 MB
