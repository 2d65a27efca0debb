"""The library's map: a tile grid of the states and territories, drawn on the server.

Each state is a square placed roughly where it lies (the common tile-grid
layout used by newsrooms and by the `statebins` package, public domain; the
territories sit in a row below), so no map service, tiles or geographic paths
are needed and every state is equally easy to see, point at and read. The
template draws it as inline SVG; its colours are classes (static/css/library.css).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from dz_awards.agencies.enums import USState
from dz_awards.profiles import library

# (column, row) of each state, DC and territory.
GRID: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (11, 0),
    "VT": (10, 1), "NH": (11, 1),
    "WA": (1, 2), "ID": (2, 2), "MT": (3, 2), "ND": (4, 2), "MN": (5, 2), "IL": (6, 2),
    "WI": (7, 2), "MI": (8, 2), "NY": (9, 2), "RI": (10, 2), "MA": (11, 2),
    "OR": (1, 3), "NV": (2, 3), "WY": (3, 3), "SD": (4, 3), "IA": (5, 3), "IN": (6, 3),
    "OH": (7, 3), "PA": (8, 3), "NJ": (9, 3), "CT": (10, 3),
    "CA": (1, 4), "UT": (2, 4), "CO": (3, 4), "NE": (4, 4), "MO": (5, 4), "KY": (6, 4),
    "WV": (7, 4), "VA": (8, 4), "MD": (9, 4), "DE": (10, 4),
    "AZ": (2, 5), "NM": (3, 5), "KS": (4, 5), "AR": (5, 5), "TN": (6, 5), "NC": (7, 5),
    "SC": (8, 5), "DC": (9, 5),
    "OK": (4, 6), "LA": (5, 6), "MS": (6, 6), "AL": (7, 6), "GA": (8, 6),
    "HI": (0, 7), "TX": (4, 7), "FL": (9, 7),
    "GU": (0, 8), "MP": (1, 8), "AS": (2, 8), "PR": (10, 8), "VI": (11, 8),
}  # fmt: skip
COLUMNS = 12
ROWS = 9
TILE = 44  # the square's side, in the SVG's units
GAP = 4
MARGIN = 2  # around the tiles, for the outermost outlines (1.5 wide: library.css)
# The colour classes: (lowest count, class, legend). A count of 0 is "none".
CLASSES = [(10, "map-c4", "10 or more"), (5, "map-c3", "5 to 9"), (2, "map-c2", "2 to 4")]
CLASSES += [(1, "map-c1", "1")]


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    count: int
    css_class: str
    url: str  # blank for a state with no program: not a link
    x: int
    y: int

    @property
    def label(self) -> str:
        """The link's accessible name: "Ohio: 4 programs"."""
        return f"{self.name}: {self.count} program{'' if self.count == 1 else 's'}"


@dataclass(frozen=True)
class LibraryMap:
    tiles: list[Tile]
    rows: list[Tile]  # the states with programs, by name: the table
    legend: list[tuple[str, str]]
    total: int
    width: int = COLUMNS * (TILE + GAP) - GAP
    height: int = ROWS * (TILE + GAP) - GAP
    tile_size: int = TILE

    @property
    def view_box(self) -> str:
        """The tiles and their outlines: a stroke reaches past its square by half its
        width, so the outer edges' outlines would be cut at the SVG's border."""
        return f"{-MARGIN} {-MARGIN} {self.width + 2 * MARGIN} {self.height + 2 * MARGIN}"


def css_class(count: int) -> str:
    for lowest, name, _legend in CLASSES:
        if count >= lowest:
            return name
    return "map-c0"


def library_map() -> LibraryMap:
    """The map and its table from the published programs per state.

    The directory's filter choices count exactly these, once per library version
    (`library.filter_choices`): read there, not by scanning the published rows again.
    """
    counts = library.filter_choices().counts["state"]
    directory = reverse("profiles:directory")
    tiles = []
    for code, name in USState.choices:
        column, row = GRID[code]
        count = counts.get(code, 0)
        tiles.append(
            Tile(
                code=code,
                name=name,
                count=count,
                css_class=css_class(count),
                url=f"{directory}?{urlencode({'state': code})}" if count else "",
                x=column * (TILE + GAP),
                y=row * (TILE + GAP),
            )
        )
    rows = sorted((tile for tile in tiles if tile.count), key=lambda tile: tile.name)
    legend = [(name, text) for _lowest, name, text in reversed(CLASSES)]
    return LibraryMap(
        tiles=tiles, rows=rows, legend=[("map-c0", "None"), *legend], total=sum(counts.values())
    )
