"""Countries by code and by any common English or Russian name: one table for the site, the
importer and the data migrations (no Django imports).

``country_names(code)`` gives the (English, Russian) names of an alpha-2 code from pycountry
(ISO 3166-1 and the Russian translation it ships), kremlin.ru's own territories and the
historical codes the archive's years name (YU is Yugoslavia, CS Serbia and Montenegro);
``country_name(code, language)`` one of them; ``resolve_country("Turkey")``, ``"Türkiye"``,
``"Турция"``, ``"UK"``, ``"USA"`` the code, through the alias table below.
"""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Iterator
from functools import cache

import pycountry

# kremlin.ru tags two territories with codes outside ISO 3166-1.
KREMLIN_TERRITORIES = {
    "XA": ("Abkhazia", "Абхазия"),
    "XO": ("South Ossetia", "Южная Осетия"),
}


# Codes of countries that no longer exist but that the archive's years name (2000-2006).
HISTORIC = {
    "YU": ("Yugoslavia", "Югославия"),
    "CS": ("Serbia and Montenegro", "Сербия и Черногория"),
}

# Names people type that pycountry does not carry, in either language (casefolded on use).
ALIASES: dict[str, str] = {
    # English
    "Turkey": "TR",
    "Türkiye": "TR",
    "Turkiye": "TR",
    "UK": "GB",
    "U.K.": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "USA": "US",
    "U.S.A.": "US",
    "US": "US",
    "U.S.": "US",
    "America": "US",
    "United States": "US",
    "United States of America": "US",
    "Russia": "RU",
    "Russian Federation": "RU",
    "South Korea": "KR",
    "Korea": "KR",
    "Republic of Korea": "KR",
    "North Korea": "KP",
    "DPRK": "KP",
    "Iran": "IR",
    "Syria": "SY",
    "Vietnam": "VN",
    "Laos": "LA",
    "Moldova": "MD",
    "Moldavia": "MD",
    "Belorussia": "BY",
    "Byelorussia": "BY",
    "Kirghizia": "KG",
    "Czech Republic": "CZ",
    "Czechia": "CZ",
    "Macedonia": "MK",
    "Swaziland": "SZ",
    "Burma": "MM",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "Vatican": "VA",
    "Holy See": "VA",
    "UAE": "AE",
    "Emirates": "AE",
    "Palestine": "PS",
    "Brunei": "BN",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Tanzania": "TZ",
    "Taiwan": "TW",
    "Congo": "CG",
    "DR Congo": "CD",
    "Yugoslavia": "YU",
    "Serbia and Montenegro": "CS",
    # Russian
    "Россия": "RU",
    "Российская Федерация": "RU",
    "РФ": "RU",
    "Турция": "TR",
    "Турецкая Республика": "TR",
    "Белоруссия": "BY",
    "Беларусь": "BY",
    "Киргизия": "KG",
    "Кыргызстан": "KG",
    "Молдавия": "MD",
    "Молдова": "MD",
    "США": "US",
    "Соединённые Штаты": "US",
    "Соединенные Штаты": "US",
    "Соединенные Штаты Америки": "US",
    "Америка": "US",
    "Великобритания": "GB",
    "Британия": "GB",
    "Англия": "GB",
    "Соединённое Королевство": "GB",
    "КНДР": "KP",
    "Северная Корея": "KP",
    "Южная Корея": "KR",
    "Корея": "KR",
    "Республика Корея": "KR",
    "КНР": "CN",
    "Китай": "CN",
    "ОАЭ": "AE",
    "ЮАР": "ZA",
    "ФРГ": "DE",
    "Германия": "DE",
    "Ватикан": "VA",
    "Македония": "MK",
    "Туркмения": "TM",
    "Туркменистан": "TM",
    "Таиланд": "TH",
    "Мьянма": "MM",
    "Бирма": "MM",
    "Чехия": "CZ",
    "Иран": "IR",
    "Сирия": "SY",
    "Вьетнам": "VN",
    "Лаос": "LA",
    "Палестина": "PS",
    "Бруней": "BN",
    "Боливия": "BO",
    "Венесуэла": "VE",
    "Танзания": "TZ",
    "Тайвань": "TW",
    "Югославия": "YU",
    "Сербия и Черногория": "CS",
}


@cache
def _russian() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)


def country_names(code: str) -> tuple[str, str] | None:
    """(English, Russian) short names for an alpha-2 code, or None when it is unknown."""
    code = code.upper()
    if code in KREMLIN_TERRITORIES:
        return KREMLIN_TERRITORIES[code]
    if code in HISTORIC:
        return HISTORIC[code]
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


def _fold(text: str) -> str:
    """Case-, accent- and spacing-blind form: "Türkiye" and "turkiye" meet; "ё" is "е"."""
    text = " ".join(text.replace("ё", "е").replace("Ё", "Е").split())
    decomposed = unicodedata.normalize("NFKD", text)
    # Keep Cyrillic "й" whole (its breve is a letter there, not an accent).
    kept = "".join(
        c
        for i, c in enumerate(decomposed)
        if not (unicodedata.combining(c) and not (i and decomposed[i - 1] in "ИиЙй"))
    )
    return unicodedata.normalize("NFC", kept).casefold()


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}

    def add(name: str | None, code: str) -> None:
        if name:
            index.setdefault(_fold(name), code)

    for name, code in ALIASES.items():
        add(name, code)
    for code, (english, russian) in {**KREMLIN_TERRITORIES, **HISTORIC}.items():
        add(english, code)
        add(russian, code)
    for record in pycountry.countries:
        english, russian = country_names(record.alpha_2) or ("", "")
        for spelled in (english, russian, record.name, getattr(record, "official_name", None)):
            add(spelled, record.alpha_2)
        add(getattr(record, "common_name", None), record.alpha_2)
        if ", " in record.name:  # "Korea, Republic of" -> "Korea" is taken above by alias
            add(record.name.split(", ")[0], record.alpha_2)
    return index


def resolve_country(text: str) -> str | None:
    """The ISO alpha-2 code (or kremlin.ru's XA/XO) of the country ``text`` names, by code,
    English or Russian name or a common alias; None when it names no country."""
    text = " ".join((text or "").split())
    if not text:
        return None
    if len(text) == 2 and text.isalpha() and text.isascii():
        code = text.upper()
        if country_name(code, "en") != code:
            return code
    return _index().get(_fold(text))


def country_name(code: str, language: str = "en") -> str:
    """The country's name in ``language`` ("en" or "ru"); the code itself if unknown."""
    names = country_names(code or "")
    if names is None:
        return (code or "").upper()
    return names[1] if language == "ru" else names[0]
