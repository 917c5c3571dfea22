"""The world map of ``/map/``: country shapes, the counts per country from the kept
views, the bins of the legend and the SVG, drawn on the server with classes only (no
``style=``, no script: the Content-Security-Policy stays strict).

The outlines (three quarters of a megabyte) are not in the page: they are one SVG of their
own, ``/map/shapes.svg`` (:func:`shapes_svg`, built once per process, cached by browsers
for a year under an address that carries its digest), and the page draws each country with
``<use href="…shapes.svg?v=…#TR">`` and the classes of its bin. So a page is some 30 KB
whatever the filters, and rendering, storing in the page cache and sending it cost that.

The shapes are the world map that ``pygal-maps-world`` ships (``worldmap.svg``, one
``<g class="xx country">`` of paths per ISO 3166-1 alpha-2 code), read as data; pygal is
LGPL v3+ and its maps derive from Wikimedia Commons' public-domain BlankMap-World6.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pygal_maps_world
from django.db import connection
from django.utils.safestring import mark_safe

from meetings.models import coverage

SVG_NS = "{http://www.w3.org/2000/svg}"
SHAPES_FILE = Path(pygal_maps_world.__file__).with_name("worldmap.svg")
SHAPES_CREDIT = "pygal-maps-world 1.0.2 (LGPL v3+), after Wikimedia Commons' BlankMap-World6"
BIN_COUNT = 5


_PATH_DATA = re.compile(r"[MmLlHhVvCcSsQqTtAaZz0-9.,\se+-]*")


@dataclass(frozen=True)
class Shapes:
    view_box: str
    paths: dict[str, str]  # ISO-2 code (upper case) -> the country's outline, one path


@functools.cache
def shapes() -> Shapes:
    """Every country's outline, read once per process from the package's SVG."""
    root = ElementTree.parse(SHAPES_FILE).getroot()
    paths: dict[str, str] = {}
    for group in root.iter(f"{SVG_NS}g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes:
            continue
        code = classes[0].upper()
        # One path per country: each part's first move is made absolute (a later relative
        # move would start from the previous part's end). The data is numbers and path
        # commands only (checked), so it needs no escaping in the SVG.
        parts = []
        for path in group.iter(f"{SVG_NS}path"):
            data = path.get("d", "").strip()
            if not _PATH_DATA.fullmatch(data):
                raise ValueError(f"unexpected path data for {code}")
            parts.append("M" + data[1:] if data.startswith("m") else data)
        paths[code] = mark_safe(" ".join(parts))  # noqa: S308 (checked above)
    return Shapes(view_box=root.get("viewBox", "0 0 2475 1388"), paths=paths)


@functools.cache
def shapes_svg() -> bytes:
    """Every outline as one SVG document: a path per country with its ISO code as ``id``
    (what the map's ``<use href="…#TR">`` points at) and no fill or stroke of its own, so
    the page's classes colour it. Opened on its own it is a blank world map."""
    world = shapes()
    paths = "".join(
        f'<path id="{code}" d="{data}"/>\n' for code, data in sorted(world.paths.items())
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{world.view_box}">\n'
        f"<title>{SHAPES_CREDIT}</title>\n{paths}</svg>\n"
    ).encode()


@functools.cache
def shapes_version() -> str:
    """A digest of :func:`shapes_svg`: its address changes when the outlines do."""
    return hashlib.sha256(shapes_svg()).hexdigest()[:12]


@dataclass(frozen=True)
class Filters:
    """What the map and the network count: a year range, a kind, a person, a country."""

    year_from: int | None = None
    year_to: int | None = None
    kind: str = ""
    person: int | None = None
    country: str = ""


def where_clause(filters: Filters, *, person_column: str | None = None) -> tuple[str, list]:
    clauses: list[str] = ["TRUE"]
    params: list[int | str] = []
    if filters.year_from is not None:
        clauses.append("year >= %s")
        params.append(filters.year_from)
    if filters.year_to is not None:
        clauses.append("year <= %s")
        params.append(filters.year_to)
    if filters.kind:
        clauses.append("kind = %s")
        params.append(filters.kind)
    if filters.person is not None and person_column:
        clauses.append(f"{person_column} = %s")
        params.append(filters.person)
    return " AND ".join(clauses), params


def country_counts(filters: Filters) -> dict[str, int]:
    """Events per country code for the filters, from the kept views (one small query)."""
    table = "meetings_mapperson" if filters.person is not None else "meetings_mapcountry"
    where, params = where_clause(filters, person_column="participant_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT country_id, sum(meetings)::int FROM {table} WHERE {where} GROUP BY 1",
            params,
        )
        return dict(cursor.fetchall())


def covered_years() -> set[int]:
    """The years the archive holds, on either site (the coverage record, not the years that
    happen to hold a meeting: a year with pages but no diplomatic meeting is held)."""
    return set(coverage.covered_years(None))


def missing_years(filters: Filters, covered: set[int]) -> list[int]:
    """Years in the asked range that the archive does not hold (shaded as such)."""
    if not covered:
        return []
    first = filters.year_from if filters.year_from is not None else min(covered)
    last = filters.year_to if filters.year_to is not None else max(covered)
    return [year for year in range(first, last + 1) if year not in covered]


@dataclass(frozen=True)
class Bin:
    index: int  # 1..BIN_COUNT, the CSS class map__bin--N
    low: int
    high: int


def bins(counts: list[int], n: int = BIN_COUNT) -> list[Bin]:
    """Up to ``n`` bins of whole numbers growing geometrically from 1 to the maximum (the
    counts are heavily skewed: a few neighbours have hundreds of meetings, most countries
    a handful), without empty or overlapping ranges."""
    top = max(counts, default=0)
    if top <= 0:
        return []
    edges = sorted({math.ceil(top ** (i / n)) for i in range(1, n + 1)} | {top})
    result: list[Bin] = []
    low = 1
    for high in edges:
        if high < low:
            continue
        result.append(Bin(len(result) + 1, low, high))
        low = high + 1
    return result


def bin_of(count: int, ranges: list[Bin]) -> int:
    """The bin index for ``count`` (0 for none)."""
    for item in ranges:
        if item.low <= count <= item.high:
            return item.index
    return 0
