import matplotlib

matplotlib.use("Agg")

from research.figures import FIGURES, INTERACTIVE, write_figures  # noqa: E402
from research.plotting import plot_article_topics, plot_topic_words  # noqa: E402
from tests.conftest import read_table  # noqa: E402


def test_write_figures_png_svg_and_deterministic(seeds_run, tmp_path):
    import warnings

    with warnings.catch_warnings():
        # no figure warns (a layout engine switched under constrained layout did)
        warnings.simplefilter("error", UserWarning)
        first = write_figures(seeds_run, tmp_path / "a")
    second = write_figures(seeds_run, tmp_path / "b")
    names = sorted(p.name for p in first)
    assert names == sorted([f"{n}.{ext}" for n in FIGURES for ext in ("png", "svg")]
                           + [f"{n}.html" for n in INTERACTIVE])
    # interactive figures are self-contained: plotly.js inline, no companion file
    html = (tmp_path / "a" / "document_map.html").read_text(encoding="utf-8")
    assert "plotly.min.js" not in html and "Plotly.newPlot" in html and len(html) > 3_000_000
    assert html.startswith('<!DOCTYPE html>\n<html lang="ar">')
    assert "<title>Document map: passages by topic</title>" in html
    assert 'id="map-search"' in html and "getElementById('document_map')" in html
    assert not (tmp_path / "a" / "plotly.min.js").exists()
    for a, b in zip(sorted(first), sorted(second), strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_topic_words_structure(seeds_run):
    words = read_table(seeds_run / "topic_words.csv")
    fig = plot_topic_words(words, n_words=5)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == words.loc[words["topic"] != -1, "topic"].nunique()
    labels = [t.get_text() for t in visible[0].get_yticklabels()]
    assert len(labels) == 5 and all(any("\u0600" <= ch <= "\u06ff" for ch in lab)
                                    for lab in labels)
    # logical order kept: the tick label is a word of the table, not a reshaped copy
    assert set(labels) <= set(words["word"])


def test_article_topics_structure(seeds_run):
    shares = read_table(seeds_run / "article_topics.csv")
    fig = plot_article_topics(shares, read_table(seeds_run / "articles.csv"),
                              read_table(seeds_run / "topics.csv"))
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == shares["article_id"].nunique()
    assert len(ax.get_xticklabels()) == shares["topic"].nunique()
    image = ax.images[0].get_array()
    assert abs(image.sum(axis=1) - 1).max() < 1e-5  # tables keep 6 significant digits


def test_committed_figures_are_current(seeds_run, tmp_path):
    """figures/ holds the seeds run's figures; redrawing them changes no byte of the SVGs."""
    from tests.conftest import ROOT

    written = write_figures(seeds_run, tmp_path)
    committed = ROOT / "figures"
    names = sorted(p.name for p in committed.glob("*.*"))
    assert names == sorted(p.name for p in written)
    for path in written:
        if path.suffix in {".svg", ".html"}:
            assert (committed / path.name).read_bytes() == path.read_bytes(), (
                f"figures/{path.name} is stale: run `make run`")


def test_interactive_document_map_has_arabic_hover_text(seeds_run):
    from research.plotting import plot_document_map_interactive

    fig = plot_document_map_interactive(read_table(seeds_run / "document_map.csv"),
                                        read_table(seeds_run / "passages.csv"),
                                        read_table(seeds_run / "topics.csv"))
    topics = read_table(seeds_run / "document_map.csv")["topic"].nunique()
    assert len(fig.data) == topics
    hover = [row[1] for trace in fig.data for row in trace.customdata]
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in text) for text in hover)
    # the full passage text rides along for the page's word search
    passages = read_table(seeds_run / "passages.csv").set_index("passage_id")["text"]
    searched = sorted(row[2] for trace in fig.data for row in trace.customdata)
    assert searched == sorted(passages[read_table(seeds_run / "document_map.csv")["passage_id"]])


def _effects_tables():
    import numpy as np
    import pandas as pd

    from research.trends import theme_change, theme_effects

    rng = np.random.default_rng(0)
    n = 240
    ids = [f"a{i}" for i in range(n)]
    cps = rng.choice(["Pompeo", "Blinken", "Mattis"], n)
    spans = {"Mattis": ["2017", "2019"], "Pompeo": ["2019", "2021"], "Blinken": ["2021", "2024"]}
    years = np.array([rng.choice(spans[c]) for c in cps])
    gaza = np.clip(rng.beta(2, 8, n) + 0.3 * (years == "2024"), 0, 0.9)
    ct = (1 - gaza) * rng.uniform(0.2, 0.6, n)
    shares = pd.DataFrame({"article_id": np.repeat(ids, 3),
                           "theme": ["gaza_humanitarian", "counterterrorism", "other"] * n,
                           "share": np.column_stack([gaza, ct, 1 - gaza - ct]).ravel()})
    articles = pd.DataFrame({"article_id": ids, "counterpart": cps,
                             "date": [f"{y}-05-01" for y in years]})
    effects = theme_effects(shares, articles, "C(counterpart) + C(period)", period="year")
    change = theme_change(shares, articles, at="2023-10-07", n_boot=200, n_perm=500)
    return effects, change


def test_theme_margins_and_change_structure():
    from research.plotting import plot_theme_change, plot_theme_margins

    effects, change = _effects_tables()
    fig = plot_theme_margins(effects.margins, by="counterpart")
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert len(ticks) == 3 and all("(n=" in t for t in ticks)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("\u0600" <= ch <= "\u06ff" for ch in legend[0])  # English · Arabic theme name
    assert "غزة" in legend[1]  # logical order: the label is the theme set's text, unshaped
    assert "period held at the observed mix" in ax.get_title()
    by_year = plot_theme_margins(effects.margins, by="period").axes[0]
    ticks = sorted(zip(by_year.get_yticks(), by_year.get_yticklabels(), strict=True),
                   key=lambda t: -t[0])
    years = [label.get_text().lstrip("\u200e").split(" ")[0] for _, label in ticks]
    assert years == ["2017", "2019", "2021", "2024"]  # time order, top down
    fig = plot_theme_change(change)
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 3
    notes = [t.get_text() for t in ax.texts]
    assert len(notes) == 3 and all(n.startswith("p_adj = ") for n in notes)
    assert any(n.endswith("*") for n in notes)  # the Gaza shift after 2023-10-07


def test_effect_figures_say_why_on_the_seeds(seeds_run):
    from research.plotting import plot_theme_change, plot_theme_margins

    margins = read_table(seeds_run / "theme_margins.csv")
    ax = plot_theme_margins(margins).axes[0]
    assert [t.get_text() for t in ax.texts] == [
        "Not estimated: too few articles: 5 (at least 20 needed)"]
    ax = plot_theme_change(read_table(seeds_run / "theme_change.csv")).axes[0]
    assert ax.texts[0].get_text().startswith("Not tested: too few articles")


def test_topic_words_over_time_structure(seeds_run):
    from research.plotting import plot_topic_words_over_time

    words = read_table(seeds_run / "topic_words_over_time.csv")
    topics = read_table(seeds_run / "topics.csv")
    fig = plot_topic_words_over_time(words, topics, n_topics=2, n_words=4)
    assert len(fig.subfigs) == 2
    largest = topics[topics["topic"] != -1].sort_values(["size", "topic"],
                                                        ascending=[False, True])["topic"][:2]
    for sub, topic in zip(fig.subfigs, largest, strict=True):
        for ax in sub.axes:
            period = ax.get_title().lstrip("\u200e").split(" ")[0]
            shown = [t.get_text() for t in ax.get_yticklabels()]
            cell = words[(words["topic"] == topic) & (words["period"] == period)]
            # only words of that period, in the table's (logical) spelling
            assert set(shown) <= set(cell["word"]) and len(shown) <= 4
            if cell.empty:
                assert [t.get_text() for t in ax.texts] == ["no passages"]


def test_older_runs_without_the_effect_tables_still_draw(seeds_run, tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(seeds_run, old)
    for name in ("theme_margins", "theme_change", "topic_words_over_time"):
        (old / f"{name}.csv").unlink()
    written = {p.stem for p in write_figures(old, tmp_path / "figs")}
    assert "topic_words" in written and "theme_trends" in written
    assert not written & {"theme_margins_counterpart", "theme_change", "topic_words_over_time"}
