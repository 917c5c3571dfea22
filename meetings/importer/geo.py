"""Country and international-organisation detection in English and Russian text.

Country names come from pycountry (English names and its Russian gettext translations);
Russian case forms and adjectives go through pymorphy3 lemmas. What neither source can
derive is listed below: the names kremlin.ru prefers over the ISO ones ("Белоруссия",
"Turkey"), its own codes for Abkhazia (XA) and South Ossetia (XO), and the demonyms whose
stem is not the country's ("French", "турецкий").
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache

from meetings.countries import KREMLIN_TERRITORIES

from . import morph
from .geo_names import (
    DEMONYM_FOLLOWERS,
    EXTRA_NAMES,
    GIVEN_NAMES,
    IRREGULAR_ADJECTIVES,
    ORGANISATIONS,
)

RUSSIA = "RU"

# kremlin.ru's own (non-ISO) codes and the names it uses for them: the same table the
# Country rows are loaded from (meetings/countries.py has no Django imports).
KREMLIN_CODES = KREMLIN_TERRITORIES

ORG = "org"
_EN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’.]*[A-Za-z]|[A-Za-z0-9]+")
_RU_WORD = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё’']*|[A-Za-z0-9]+")
_EN_ADJ_SUFFIXES = ("ian", "ean", "an", "ese", "ish", "i", "ic", "n")
_EN_NAME_SUFFIXES = ("istan", "stan", "land", "ia", "a", "ey", "y", "e", "o", "on", "al")
_RU_ADJ_SUFFIXES = ("ийский", "ьский", "ский", "цкий", "ский")
_RU_NAME_SUFFIXES = ("истан", "стан", "ия", "а", "я", "ь")


@dataclass(frozen=True)
class Mention:
    code: str  # ISO alpha-2, kremlin XA/XO, or ORG
    start: int  # character offset in the text
    end: int
    text: str  # as printed
    adjective: bool = False


def find_countries(text: str, lang: str) -> list[Mention]:
    """Countries and organisations named in text, in order (Russia included)."""
    if lang == "ru":
        return _find(text, _RU_WORD, _ru_index(), _ru_keys)
    return _find(text, _EN_WORD, _en_index(), _en_keys)


def country_codes(text: str, lang: str) -> list[str]:
    """Distinct country codes named in text, in order, organisations left out."""
    seen: list[str] = []
    for m in find_countries(text, lang):
        if m.code != ORG and m.code not in seen:
            seen.append(m.code)
    return seen


def mentions_organisation(text: str, lang: str) -> bool:
    return any(m.code == ORG for m in find_countries(text, lang))


def country_name(code: str, lang: str) -> str:
    """A display name for a code (used when the page printed none)."""
    from meetings.countries import country_name as named

    return named(code, lang)


class _Index:
    def __init__(self) -> None:
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.adjectives: dict[str, str] = {}

    def add(self, keys: tuple[str, ...], code: str) -> None:
        if not keys:
            return
        entries = self.phrases.setdefault(keys[0], [])
        if all(k != keys for k, _ in entries):
            entries.append((keys, code))
            entries.sort(key=lambda e: -len(e[0]))


def _find(text, word_re, index: _Index, keys_of) -> list[Mention]:
    words = [(m.group(0), m.start(), m.end()) for m in word_re.finditer(text)]
    found: list[Mention] = []
    i = 0
    while i < len(words):
        hit = _match_at(words, i, index, keys_of)
        if hit:
            length, code = hit
            start, end = words[i][1], words[i + length - 1][2]
            if text[end : end + 1] == "." and "." in words[i + length - 1][0]:
                end += 1  # "U.S."
            found.append(Mention(code, start, end, text[start:end]))
            i += length
            continue
        code = _adjective(words[i][0], index, keys_of) if _adjective_shape(words[i][0]) else None
        if code and _given_name(words, i):
            code = None
        if code:
            found.append(Mention(code, words[i][1], words[i][2], words[i][0], adjective=True))
        i += 1
    return found


def _given_name(words, i: int) -> bool:
    """ "German Gref", "Roman Starovoit": a given name before a surname, not a demonym."""
    following = words[i + 1][0] if i + 1 < len(words) else ""
    if words[i][0] not in GIVEN_NAMES or not following[:1].isupper():
        return False
    return following not in DEMONYM_FOLLOWERS and not following.isupper()


def _match_at(words, i, index: _Index, keys_of) -> tuple[int, str] | None:
    word = words[i][0]
    if not (word[0].isupper() or word[0].isdigit()):
        return None
    for first in keys_of(word):
        for keys, code in index.phrases.get(first, ()):
            if i + len(keys) > len(words):
                continue
            if all(keys[k] in keys_of(words[i + k][0]) for k in range(1, len(keys))):
                return len(keys), code
    return None


def _adjective_shape(word: str) -> bool:
    return word[:1].isupper() or not word[:1].isascii()


def _adjective(word: str, index: _Index, keys_of) -> str | None:
    for key in keys_of(word):
        code = index.adjectives.get(key)
        if code:
            return code
    return None


# --- English -------------------------------------------------------------------------


def _en_keys(word: str) -> tuple[str, ...]:
    word = re.sub(r"['’]s$", "", word)  # "Austria's President"
    low = word.lower().replace("’", "'")
    if word.isupper() and len(word) > 1:
        return (word,)  # abbreviations match case-sensitively: "US" but not "us"
    return (low,)


def _en_words(name: str) -> tuple[str, ...]:
    words = list(_EN_WORD.findall(name))
    if words and words[0].lower() == "the":
        words = words[1:]
    return tuple(_en_keys(w)[0] for w in words)


@cache
def _en_index() -> _Index:
    index = _Index()
    for code, names in _country_names_en().items():
        for name in names:
            index.add(_en_words(name), code)
    for name, code in EXTRA_NAMES["en"].items():
        index.add(_en_words(name), code)
    for name in ORGANISATIONS["en"]:
        index.add(_en_words(name), ORG)
    stems = _name_stems(index, _EN_NAME_SUFFIXES)
    index.adjectives = _EnAdjectives(stems, IRREGULAR_ADJECTIVES["en"])  # type: ignore[assignment]
    return index


class _EnAdjectives(dict):
    """Looks an adjective up by stripping demonym suffixes and comparing name stems."""

    def __init__(self, stems: dict[str, str], irregular: dict[str, str]) -> None:
        super().__init__()
        self.stems = stems
        self.irregular = irregular

    def get(self, key, default=None):
        if key in self.irregular:
            return self.irregular[key]
        if not key[:1].isalpha() or len(key) < 4:
            return default
        if key in self.stems:
            return self.stems[key]
        for suffix in _EN_ADJ_SUFFIXES:
            if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                code = self.stems.get(key[: -len(suffix)])
                if code:
                    return code
        return default


def _name_stems(index: _Index, suffixes: tuple[str, ...]) -> dict[str, str]:
    """Stems of one-word country names; a stripped stem wins over a whole name
    ("niger" is Nigeria's stem for "Nigerian", not Niger)."""
    single = [
        (keys[0], code)
        for entries in index.phrases.values()
        for keys, code in entries
        if len(keys) == 1 and code != ORG and keys[0].islower()
    ]
    stems: dict[str, str] = {}
    for name, code in single:
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) - len(suffix) >= 3:
                stems.setdefault(name[: -len(suffix)], code)
    for name, code in single:
        stems.setdefault(name, code)
    return stems


@cache
def _country_names_en() -> dict[str, list[str]]:
    import pycountry

    names: dict[str, list[str]] = {}
    for country in pycountry.countries:
        own = [country.name]
        for attr in ("official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                own.append(value)
        names[country.alpha_2] = own
    taken = {n for own in names.values() for n in own}
    short: dict[str, list[str]] = {}
    for country in pycountry.countries:
        if ", " in country.name:
            short.setdefault(country.name.split(", ")[0], []).append(country.alpha_2)
    for name, codes in short.items():
        if len(codes) == 1 and name not in taken:
            names[codes[0]].append(name)
    for country in pycountry.historic_countries:  # the 2000s: Yugoslavia, Serbia and Montenegro
        short = country.name.split(", ")[0]
        if short in ("Yugoslavia", "Serbia and Montenegro"):
            names.setdefault(country.alpha_2, []).append(short)
    for code, (en, _ru) in KREMLIN_CODES.items():
        names[code] = [en]
    return names


# --- Russian -------------------------------------------------------------------------


@cache
def _ru_translations() -> gettext.NullTranslations:
    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])


def _ru_keys(word: str) -> frozenset[str]:
    if word.isupper() and len(word) > 1:
        return frozenset({word})
    if word[:1].isascii():
        return frozenset({word.lower()})
    return morph.lemmas(word)


def _ru_words(name: str) -> tuple[str, ...]:
    out = []
    for word in _RU_WORD.findall(name.replace("-", " ")):
        if word.isupper() and len(word) > 1:
            out.append(word)
        else:
            out.append(morph.lemma(word))
    return tuple(out)


@cache
def _ru_index() -> _Index:
    index = _Index()
    tr = _ru_translations()
    for code, names in _country_names_en().items():
        for name in names:
            translated = tr.gettext(name)
            if translated != name:
                index.add(_ru_words(translated.replace("\u0301", "")), code)
    for code, (_en, ru) in KREMLIN_CODES.items():
        index.add(_ru_words(ru), code)
    for name, code in EXTRA_NAMES["ru"].items():
        index.add(_ru_words(name), code)
    for name in ORGANISATIONS["ru"]:
        index.add(_ru_words(name), ORG)
    stems = _name_stems(index, _RU_NAME_SUFFIXES)
    index.adjectives = _RuAdjectives(stems, IRREGULAR_ADJECTIVES["ru"])  # type: ignore[assignment]
    return index


class _RuAdjectives(dict):
    def __init__(self, stems: dict[str, str], irregular: dict[str, str]) -> None:
        super().__init__()
        self.stems = stems
        self.irregular = irregular

    def get(self, key, default=None):
        if key.endswith(("ско", "цко")):  # first part of "российско-казахстанский"
            key = key[:-1] + "ий"
        if key in self.irregular:
            return self.irregular[key]
        if not key.endswith("кий"):
            return default
        for suffix in _RU_ADJ_SUFFIXES:
            if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                code = self.stems.get(key[: -len(suffix)])
                if code:
                    return code
        return default
