"""Structure of the theme figures (axes, lines, labels), on synthetic trend tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from research.plotting import plot_contrast, plot_theme_heatmap, plot_theme_trends
from research.trends import contrast_trends, theme_trends

THEMES = ["counterterrorism", "gaza_humanitarian", "other"]
ARABIC = "مكافحة الإرهاب"


@pytest.fixture(scope="module")
def tables():
    rng = np.random.default_rng(3)
    n = 24
    ids = [f"a{i}" for i in range(n)]
    years = np.repeat([2017, 2018, 2019, 2024], 6)
    ct = np.where(years < 2024, 0.7, 0.05) + rng.uniform(0, 0.1, n)
    gaza = np.where(years < 2024, 0.05, 0.7) + rng.uniform(0, 0.1, n)
    shares = pd.DataFrame({"article_id": np.repeat(ids, 3), "theme": THEMES * n,
                           "share": np.column_stack([ct, gaza, 1 - ct - gaza]).ravel()})
    articles = pd.DataFrame({
        "article_id": ids,
        "date": [f"{y}-06-01" for y in years[:-1]] + [""],
        "counterpart": ["Mattis"] * 6 + ["Pompeo"] * 12 + ["أنتوني بلينكن"] * 5 + ["Coats"],
    })
    return {
        "time": theme_trends(shares, articles, "period", period="year", n_boot=100),
        "cp": theme_trends(shares, articles, "counterpart", n_boot=100),
        "contrast_time": contrast_trends(shares, articles, "period", period="year", n_boot=100),
        "contrast_cp": contrast_trends(shares, articles, "counterpart", n_boot=100),
    }


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_theme_trends_figure(tables):
    events = pd.DataFrame({"date": ["2017-12-02", "2024-06-10", "2030-01-01"],
                           "label": ["Mattis", "بلينكن، القاهرة", "outside"]})
    fig = plot_theme_trends(tables["time"], events=events)
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == 2 and ARABIC in legend[0] and legend[0].lstrip("\u200e").startswith(
        "Counterterrorism")
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2  # interval bands
    solid = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-"]
    assert len(solid) == 2
    share = tables["time"].query("theme == 'counterterrorism' and period != 'undated'")["share"]
    np.testing.assert_allclose(solid[0].get_ydata(), share.to_numpy())
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(dashed) == 2  # the event outside the plotted years is not drawn
    assert any("بلينكن" in t.get_text() for t in ax.texts)
    assert "undated" in ax.get_xlabel() and ax.get_ylabel() == "Mean article share"
    assert "عبر الزمن" in ax.get_title()
    # event labels stand above the plotting area (never over a marker), under the title
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    labels = [t.get_window_extent(renderer) for t in ax.texts if "بلينكن" in t.get_text()
              or "Mattis" in t.get_text()]
    assert len(labels) == 2 and all(b.y0 >= frame.y1 for b in labels)
    assert ax.title.get_window_extent(renderer).y0 >= max(b.y1 for b in labels)


def test_theme_trends_draws_into_given_axes_and_subset(tables):
    fig, ax = plt.subplots()
    out = plot_theme_trends(tables["time"], themes=["gaza_humanitarian"], ax=ax)
    assert out is fig and len(fig.axes) == 1
    assert [t.get_text() for t in ax.get_legend().get_texts()][0].lstrip("\u200e").startswith(
        "Gaza")
    with pytest.raises(ValueError, match="period"):
        plot_theme_trends(tables["cp"])


def test_theme_heatmap_figure(tables):
    fig = plot_theme_heatmap(tables["cp"])
    ax = fig.axes[0]
    image = ax.get_images()[0]
    assert image.get_array().shape == (4, 3)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[0].lstrip("\u200e") == "Coats (n=1) *"
    assert any(r.lstrip("\u200e").startswith("أنتوني بلينكن (n=5)") for r in rows)
    columns = [t.get_text() for t in ax.get_xticklabels()]
    # horizontal labels: the English name's lines over the Arabic name's, each line short
    assert all(t.get_rotation() == 0 for t in ax.get_xticklabels())
    first = columns[0].lstrip("\u200e").split("\n")
    assert first[0].startswith("Counterterrorism") and ARABIC in first[-1]
    assert ARABIC not in first[0]
    assert all(len(line) <= 14 or " " not in line for line in first)  # long words stay whole
    assert len(ax.texts) >= 12  # one value per cell
    assert len(fig.axes) == 2  # heatmap and colour bar


def test_contrast_figures(tables):
    fig = plot_contrast(tables["contrast_time"])
    ax = fig.axes[0]
    assert any(ln.get_ydata()[0] == 0 for ln in ax.get_lines() if len(ln.get_ydata()) == 2)
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 1
    assert ARABIC in ax.get_legend().get_title().get_text()
    assert "undated" in ax.get_xlabel()

    fig = plot_contrast(tables["contrast_cp"])
    ax = fig.axes[0]
    labels = [t.get_text().lstrip("\u200e") for t in ax.get_yticklabels()]
    order = tables["contrast_cp"].sort_values("contrast")["counterpart"].tolist()
    assert [lab.rsplit(" (n=", 1)[0] for lab in labels] == order
    assert labels[0].startswith("أنتوني بلينكن")
    assert ax.get_xlim() == (-1.05, 1.05)
