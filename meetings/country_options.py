"""What the country picker's suggestions match: each country's other names and aliases
(Turkey and Турция for Türkiye, UK and Britain for the United Kingdom), taken from the one
country-name table, :mod:`meetings.countries`. The browser's own suggestion list
matches typed text against an option's value and its label, so these go in the label."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from meetings.countries import ALIASES, country_names


@cache
def _other_names() -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = defaultdict(list)
    for alias, code in ALIASES.items():
        names[code].append(alias)
    return {code: tuple(dict.fromkeys(found)) for code, found in names.items()}


def other_names(code: str, shown: str) -> list[str]:
    """The names a reader may type for ``code`` besides ``shown``: its name in the other
    language and the common aliases (without dotted or two-letter forms, which would match
    too much), at most six."""
    official = country_names(code) or ()
    candidates = [*official, *_other_names().get(code, ())]
    found = [
        name
        for name in dict.fromkeys(candidates)
        if name != shown and len(name) > 2 and "." not in name
    ]
    return found[:6]
