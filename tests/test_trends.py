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
