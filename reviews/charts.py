"""The scoreboard's charts, as geometry the templates draw as SVG.

Pure functions over plain numbers: no models, no database, no markup. The
template writes every text (labels, names) through Django's escaping and gives
each chart a title, a description and a table of the same numbers, so nothing
depends on seeing the picture. Coordinates are in the SVG's own units (its
viewBox); the page scales the picture to the space it has.

Colours are dark on white, for contrast with the page and between the two
directions of the leniency chart (which the labels state in words too).
"""

import math
from dataclasses import dataclass

# Fills: dark blue and dark brown both exceed 7:1 against white.
FILL = "#1f4e79"
FILL_BELOW = "#7a3300"
INK = "#212529"
GRID = "#6c757d"

HISTOGRAM_WIDTH = 520
HISTOGRAM_HEIGHT = 240
LENIENCY_WIDTH = 640
LENIENCY_ROW = 28
NAME_LIMIT = 28


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class HistogramBar:
    label: str  # the bin, in words: "3.5 to under 4.0"; the last includes its top
    count: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Histogram:
    width: int
    height: int
    bars: list
    ticks: list  # along the x axis: the scale's whole points
    axis_y: float
    plot_left: float
    plot_right: float
    max_count: int
    total: int
    tick_y: float  # the scale's numbers, under the axis
    caption_x: float  # the axis caption, centred under the plot
    caption_y: float
    fill: str = FILL
    ink: str = INK
    grid: str = GRID


@dataclass(frozen=True)
class LeniencyRow:
    name: str  # shortened to fit; the table has the full name
    full_name: str
    count: int
    mean: float
    difference: float  # mean minus the centre: above 0 is more lenient
    lenient: bool
    x: float
    y: float
    width: float
    height: float
    label_y: float


@dataclass(frozen=True)
class Leniency:
    width: int
    height: int
    rows: list
    ticks: list
    centre: float
    centre_x: float
    plot_top: float
    plot_bottom: float
    plot_left: float
    plot_right: float
    value_x: float  # the column of each reviewer's mean, right of the plot
    tick_y: float
    caption_x: float
    caption_y: float
    fill: str = FILL
    fill_below: str = FILL_BELOW
    ink: str = INK
    grid: str = GRID


def _round(value):
    return round(value, 1)


def bin_width(scale_min, scale_max):
    """Half points on short scales (1 to 5), whole points on longer ones."""
    return 0.5 if scale_max - scale_min <= 6 else 1.0


def histogram_bins(totals, *, scale_min, scale_max):
    """[(low, high, count)] over the scale; the last bin includes the top of the scale.

    A total outside the scale (which the review service never stores) is
    counted in the nearest end bin rather than dropped.
    """
    width = bin_width(scale_min, scale_max)
    count = max(1, math.ceil((scale_max - scale_min) / width))
    counts = [0] * count
    for total in totals:
        index = math.floor((float(total) - scale_min) / width)
        counts[min(max(index, 0), count - 1)] += 1
    return [
        (scale_min + i * width, min(scale_min + (i + 1) * width, scale_max), counts[i])
        for i in range(count)
    ]


def histogram(totals, *, scale_min, scale_max):
    """A bar per bin of review totals across the rubric scale."""
    bins = histogram_bins(totals, scale_min=scale_min, scale_max=scale_max)
    left, right, top, bottom = 44.0, HISTOGRAM_WIDTH - 16.0, 24.0, HISTOGRAM_HEIGHT - 44.0
    plot_width = right - left
    plot_height = bottom - top
    max_count = max((c for _low, _high, c in bins), default=0)
    slot = plot_width / len(bins)
    bars = []
    for index, (low, high, count) in enumerate(bins):
        height = (count / max_count) * plot_height if max_count else 0.0
        x = left + index * slot + 2
        bars.append(
            HistogramBar(
                label=f"{low:.1f} to {high:.1f}"
                if index == len(bins) - 1
                else f"{low:.1f} to under {high:.1f}",
                count=count,
                x=_round(x),
                y=_round(bottom - height),
                width=_round(slot - 4),
                height=_round(height),
                text_x=_round(x + (slot - 4) / 2),
                text_y=_round(bottom - height - 6),
            )
        )
    span = scale_max - scale_min
    ticks = [
        Tick(_round(left + (point - scale_min) / span * plot_width), str(point))
        for point in range(scale_min, scale_max + 1)
    ]
    return Histogram(
        width=HISTOGRAM_WIDTH,
        height=HISTOGRAM_HEIGHT,
        bars=bars,
        ticks=ticks,
        axis_y=bottom,
        plot_left=left,
        plot_right=right,
        max_count=max_count,
        total=sum(c for _low, _high, c in bins),
        tick_y=bottom + 16,
        caption_x=_round((left + right) / 2),
        caption_y=bottom + 34,
    )


def _short(name):
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1].rstrip() + "…"


def leniency(reviewers, *, centre, scale_min, scale_max):
    """A bar per reviewer from the centre (the mean of every review) to their own mean.

    `reviewers` is [(name, count, mean)], in the order to draw them. A bar to
    the right is a reviewer more lenient than the panel as a whole, to the left
    a harsher one.
    """
    left, right, top = 200.0, LENIENCY_WIDTH - 70.0, 16.0
    bottom = top + LENIENCY_ROW * max(len(reviewers), 1)
    height = bottom + 44
    span = scale_max - scale_min

    def x_of(value):
        value = min(max(float(value), scale_min), scale_max)
        return left + (value - scale_min) / span * (right - left)

    centre_x = x_of(centre)
    rows = []
    for index, (name, count, mean) in enumerate(reviewers):
        mean_x = x_of(mean)
        y = top + index * LENIENCY_ROW
        difference = float(mean) - float(centre)
        lenient = difference >= 0
        rows.append(
            LeniencyRow(
                name=_short(name),
                full_name=name,
                count=count,
                mean=float(mean),
                difference=difference,
                lenient=lenient,
                x=_round(min(centre_x, mean_x)),
                y=_round(y + 5),
                width=_round(max(abs(mean_x - centre_x), 1.0)),
                height=LENIENCY_ROW - 10,
                label_y=_round(y + LENIENCY_ROW / 2 + 4),
            )
        )
    ticks = [Tick(_round(x_of(point)), str(point)) for point in range(scale_min, scale_max + 1)]
    return Leniency(
        width=LENIENCY_WIDTH,
        height=int(height),
        rows=rows,
        ticks=ticks,
        centre=float(centre),
        centre_x=_round(centre_x),
        plot_top=top,
        plot_bottom=bottom,
        plot_left=left,
        plot_right=right,
        value_x=right + 10,
        tick_y=bottom + 16,
        caption_x=_round((left + right) / 2),
        caption_y=bottom + 34,
    )
