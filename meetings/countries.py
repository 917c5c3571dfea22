"""Country names from pycountry (ISO 3166-1 and its Russian translation), not a typed table."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from functools import cache

import pycountry

# kremlin.ru tags two territories with codes outside ISO 3166-1.
KREMLIN_TERRITORIES = {
    "XA": ("Abkhazia", "Абхазия"),
    "XO": ("South Ossetia", "Южная Осетия"),
}


@cache
def _russian() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)


def country_names(code: str) -> tuple[str, str] | None:
    """(English, Russian) short names for an alpha-2 code, or None when it is unknown."""
    code = code.upper()
    if code in KREMLIN_TERRITORIES:
        return KREMLIN_TERRITORIES[code]
    record = pycountry.countries.get(alpha_2=code)
    if record is None:
        return None
    english = getattr(record, "common_name", None) or record.name
    russian = _russian().gettext(english)
    if russian == english:
        russian = _russian().gettext(record.name)
    return english, russian


def all_countries() -> Iterator[tuple[str, str, str]]:
    """(code, English name, Russian name) for every ISO country and kremlin.ru territory."""
    for record in pycountry.countries:
        names = country_names(record.alpha_2)
        if names is not None:  # every ISO record has a name: never skipped
            yield record.alpha_2, *names
    for code, (english, russian) in KREMLIN_TERRITORIES.items():
        yield code, english, russian
