import matplotlib

matplotlib.use("Agg")

from research.figures import FIGURES, INTERACTIVE, write_figures  # noqa: E402
from research.plotting import plot_article_topics, plot_topic_words  # noqa: E402
from tests.conftest import read_table  # noqa: E402


def test_write_figures_png_svg_and_deterministic(seeds_run, tmp_path):
    first = write_figures(seeds_run, tmp_path / "a")
    second = write_figures(seeds_run, tmp_path / "b")
    names = sorted(p.name for p in first)
    assert names == sorted([f"{n}.{ext}" for n in FIGURES for ext in ("png", "svg")]
                           + [f"{n}.html" for n in INTERACTIVE])
    assert (tmp_path / "a" / "plotly.min.js").is_file()  # interactive figures work offline
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
    names = sorted(p.name for p in committed.glob("*.*") if p.name != "plotly.min.js")  # ignored
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
