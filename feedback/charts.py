"""Charts of the dashboard, drawn on the server by pygal as SVG images: no
script, no CDN, nothing for the setup to vendor; they scale to a phone's
width and print as they are. Each is shown as an <img> whose data the page
also gives as a table (for screen readers, and for anyone who wants the
numbers), so the SVG's own tooltips script is left out."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import lru_cache

import pygal
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#d5dbe1",
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
    title_font_size=16,
    # Colour-blind-safe (Okabe-Ito), in the order the series are added.
    colors=("#0072B2", "#009E73", "#D55E00", "#CC79A7", "#E69F00"),
)


def _options(**extra) -> dict:
    options = dict(
        style=STYLE,
        js=[],  # the tooltips script would be fetched from outside
        disable_xml_declaration=True,
        explicit_size=False,
        width=720,
        height=320,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        show_minor_x_labels=True,
        truncate_label=-1,
        print_values=False,
        margin=12,
    )
    return {**options, **extra}


def data_uri(chart) -> str:
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _key(labels, series) -> tuple[tuple, tuple]:
    """The chart's inputs as plain values (names in the page's language):
    a chart is a function of them, so the same numbers are drawn once per
    process (pygal takes tens of milliseconds a chart, and the dashboard's
    figures change once a minute)."""
    return tuple(str(x) for x in labels), tuple((str(n), tuple(v)) for n, v in series)


def lines(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    percent: bool = False,
) -> str:
    """A line per series over the labels (months); None leaves a gap."""
    return _lines(*_key(labels, series), percent)


@lru_cache(maxsize=48)
def _lines(labels: tuple, series: tuple, percent: bool) -> str:
    chart = pygal.Line(
        **_options(
            x_label_rotation=0,
            range=(0, 100) if percent else None,
            include_x_axis=True,
            value_formatter=(lambda v: f"{v:.1f}%") if percent else (lambda v: f"{v:,.0f}"),
            allow_interruptions=True,
        )
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return data_uri(chart)


def bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> str:
    """Horizontal bars, one group per label (long category names fit)."""
    return _bars(*_key(labels, series))


@lru_cache(maxsize=48)
def _bars(labels: tuple, series: tuple) -> str:
    chart = pygal.HorizontalBar(**_options(height=max(200, 48 * len(labels) + 80)))
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return data_uri(chart)
