"""Countries by any common English or Russian name: one table for the site and the importer.

``resolve_country("Turkey")``, ``"Türkiye"``, ``"Турция"``, ``"UK"``, ``"USA"`` give the ISO
3166-1 alpha-2 code; ``country_name(code, language)`` the name a reader expects, historical
codes included (YU is Yugoslavia, CS Serbia and Montenegro, not "YU" and "CS"). Names come
from pycountry (ISO 3166-1, its historic part ISO 3166-3, and the Russian translation it
ships); what neither carries is the alias table below. No Django imports: the data
migrations and the parser use it too.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry

from meetings.countries import KREMLIN_TERRITORIES, country_names

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
        names = country_names(record.alpha_2) or ("", "")
        for name in (*names, record.name, getattr(record, "official_name", None)):
            add(name, record.alpha_2)
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


def names_of(code: str) -> tuple[str, str] | None:
    """(English, Russian) names of a code, historical ones included; None if unknown."""
    code = (code or "").upper()
    return HISTORIC.get(code) or country_names(code)


def country_name(code: str, language: str = "en") -> str:
    """The country's name in ``language`` ("en" or "ru"); the code itself if unknown."""
    names = names_of(code)
    if names is None:
        return (code or "").upper()
    return names[1] if language == "ru" else names[0]
