"""What the person and country pages draw: a timeline of years and share-of-voice rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from meetings.bars import bar_class

VOICE_TOP = 8  # the speakers a share-of-voice chart names


def year_timeline(rows: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Every year from the first to the last, empty ones included, each with its ``bar``:
    the share of the busiest year (:func:`meetings.bars.bar_class`, no inline style)."""
    by_year = {row["year"]: row for row in rows}
    if not by_year:
        return []
    most = max(row["n"] for row in rows)
    timeline = []
    for year in range(min(by_year), max(by_year) + 1):
        row = dict(by_year.get(year) or {"year": year, "n": 0})
        row["bar"] = bar_class(row["n"], most)  # a year with a meeting never looks empty
        timeline.append(row)
    return timeline


def share(n: int, total: int, label: str, url: str = "") -> dict:
    """A share-of-voice row: ``n`` words of ``total`` as the transcript legend rounds the
    per cent, and a bar as wide as the share itself (a ``bar--w…`` class, no inline style)."""
    return {
        "label": label,
        "url": url,
        "words": n,
        "share": round(100 * n / total) if total else 0,
        "bar": bar_class(n, total),
    }
