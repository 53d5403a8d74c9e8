"""Report charts: grouped bar charts drawn by matplotlib's SVG backend, on the server.

The SVG keeps its text as text (`svg.fonttype: none`), so the browser sets
Arabic and other scripts with the system fonts, shaped and right-to-left;
the page embeds it as an image with a text alternative beside the table
that holds the same numbers.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies;
# bars also carry hatching so that no series is told apart by colour alone.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
HATCHES = ("", "//", "..", "xx", "\\\\", "--")


def bar_chart_svg(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    ylabel: str = "",
    rtl: bool = False,
) -> str:
    """A grouped bar chart as SVG text."""
    # Imported here, not at module level: every web process loads the URLs (and
    # so this module) at start-up, and only report pages draw charts.
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.use("svg")  # no GUI backend in a web process
    labels = list(labels)
    if rtl:  # read from the right, as the page does
        labels = labels[::-1]
        series = [(name, list(values)[::-1]) for name, values in series]
    width = max(6.0, min(14.0, 0.55 * len(labels) * max(1, len(series)) + 2))
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "shelfwise"}):
        figure = Figure(figsize=(width, 3.8), dpi=72)
        axes = figure.add_subplot()
        count = max(1, len(series))
        bar = 0.8 / count
        positions = range(len(labels))
        for n, (name, values) in enumerate(series):
            axes.bar(
                [p - 0.4 + bar * (n + 0.5) for p in positions],
                [v or 0 for v in values],
                width=bar,
                label=name,
                color=COLOURS[n % len(COLOURS)],
                hatch=HATCHES[n % len(HATCHES)],
                edgecolor="#1b1b1b",
                linewidth=0.4,
            )
        axes.set_xticks(list(positions))
        axes.set_xticklabels(
            labels,
            rotation=30 if len(labels) > 8 else 0,
            ha="right" if len(labels) > 8 else "center",
        )
        if rtl:
            axes.yaxis.tick_right()
            axes.yaxis.set_label_position("right")
        axes.set_ylabel(ylabel)
        axes.spines[["top", "right" if not rtl else "left"]].set_visible(False)
        if len(series) > 1:
            axes.legend(frameon=False)
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", facecolor="white", metadata={"Date": None})
    return out.getvalue()


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
