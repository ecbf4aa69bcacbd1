"""Chart geometry, computed once and drawn twice: as inline SVG on the page, with reportlab in
the PDF. Coordinates are the SVG's (y downwards); the PDF flips them.

No JavaScript chart library: the CSP allows only our own scripts, and a server-drawn SVG needs
none. Colours and dashes are SVG presentation attributes or classes, never a style attribute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from utskrivning.followup.figures import Figure

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36
ROW = 22  # a bar's band in the horizontal bar charts


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Mark:
    """A point (trend) or a bar (x, y its top left corner) standing for one figure."""

    figure: Figure
    x: float
    y: float
    width: float = 0.0
    height: float = 0.0


@dataclass(frozen=True)
class Chart:
    id: str
    width: int
    height: int
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]  # on the value axis
    labels: tuple[Tick, ...]  # on the category axis
    lines: tuple[tuple[tuple[float, float], ...], ...] = ()  # the trend, broken where no data
    threshold: tuple[tuple[float, float], ...] = ()
    left: int = LEFT  # where the plot starts: the bar charts keep room for names

    @property
    def bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def right(self) -> int:
        return self.width - RIGHT


def _step(top: float) -> float:
    """A round tick step giving four to eight ticks up to `top`."""
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)


def _scale(values: list[float], *, whole: bool = False) -> tuple[float, list[float]]:
    """The axis' top and its ticks; `whole` for counts, which have no half episodes."""
    top = max([v for v in values if v is not None] + [0.0])
    if top <= 0:
        return 1.0, [0.0, 1.0]
    step = max(_step(top), 1.0) if whole else _step(top)
    ticks = [step * i for i in range(math.ceil(top / step) + 1)]
    return ticks[-1], ticks


def _number(value: float) -> str:
    """A tick's number as the reader writes it: "2,5" in Swedish, on the page and the PDF."""
    return number_format(Decimal(f"{value:g}"))


def trend_chart(figures: list[Figure], *, height: int = 280) -> Chart:
    """Mean ready days per month as a line, the threshold as a second (dashed) line."""
    values = [f.value for f in figures if f.value is not None]
    top, ticks = _scale(values + [f.threshold for f in figures if f.threshold is not None])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    slot = plot_w / max(len(figures), 1)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    marks, lines, line = [], [], []
    for i, figure in enumerate(figures):
        x = LEFT + slot * (i + 0.5)
        if figure.value is None:
            if line:
                lines.append(tuple(line))
            line = []
            continue
        marks.append(Mark(figure=figure, x=x, y=y(figure.value)))
        line.append((x, y(figure.value)))
    if line:
        lines.append(tuple(line))
    # A step per month: a stage may change the threshold from one month to the next.
    threshold = tuple(
        (LEFT + slot * (i + side), y(f.threshold))
        for i, f in enumerate(figures)
        if f.threshold is not None
        for side in (0, 1)
    )
    every = max(1, math.ceil(len(figures) / 12))
    return Chart(
        id="trend",
        width=WIDTH,
        height=height,
        marks=tuple(marks),
        ticks=tuple(Tick(y(t), _number(t)) for t in ticks),
        labels=tuple(
            Tick(LEFT + slot * (i + 0.5), f.label) for i, f in enumerate(figures) if i % every == 0
        ),
        lines=tuple(lines),
        threshold=threshold,
    )


def bar_chart(chart_id: str, figures: list[Figure], *, whole: bool = False) -> Chart:
    """Horizontal bars, one band per figure, so long municipality names stay readable."""
    height = TOP + BOTTOM + ROW * max(len(figures), 1)
    top, ticks = _scale([f.value for f in figures if f.value is not None], whole=whole)
    plot_w = WIDTH - LEFT * 2 - RIGHT  # room for the names on the left

    def x(value: float) -> float:
        return LEFT * 2 + plot_w * value / top

    marks = tuple(
        Mark(
            figure=f,
            x=LEFT * 2,
            y=TOP + ROW * i + 3,
            width=x(f.value or 0) - LEFT * 2,
            height=ROW - 6,
        )
        for i, f in enumerate(figures)
    )
    return Chart(
        id=chart_id,
        width=WIDTH,
        height=height,
        left=LEFT * 2,
        marks=marks,
        ticks=tuple(Tick(x(t), _number(t)) for t in ticks),
        labels=tuple(Tick(TOP + ROW * (i + 0.5), f.label) for i, f in enumerate(figures)),
    )
