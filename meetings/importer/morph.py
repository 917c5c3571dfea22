"""Russian morphology through pymorphy3, loaded once per process on first use."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pymorphy3 import MorphAnalyzer
    from pymorphy3.analyzer import Parse

NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
_ABLT_ENDINGS = ("ом", "ем", "ём", "ой", "ей", "ым", "им", "ью")
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@cache
def analyzer() -> MorphAnalyzer:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def parses(word: str) -> tuple[Parse, ...]:
    return tuple(analyzer().parse(word))


@lru_cache(maxsize=65536)
def lemmas(word: str) -> frozenset[str]:
    """All normal forms pymorphy3 offers for a word, lower case, ё folded to е."""
    return frozenset(p.normal_form.replace("ё", "е") for p in parses(word.lower()))


def lemma(word: str) -> str:
    found = parses(word.lower())
    return found[0].normal_form.replace("ё", "е") if found else word.lower()


def is_name_like(word: str) -> bool:
    """A capitalised word that can be (part of) a personal name."""
    last = word.split("-")[-1]
    if not last or not last[0].isupper() or last.isupper() and len(last) > 1:
        return False
    found = parses(last.lower())
    if not found:
        return True
    if any(NAME_GRAMMEMES & p.tag.grammemes for p in found):
        return True
    best = found[0]
    return "Fixd" in best.tag or "UNKN" in best.tag or not analyzer().word_is_known(last.lower())


def word_cases(word: str, strict: bool = False) -> set[str]:
    """Cases a (name) word can be in; every case when the word does not decline (or, unless
    ``strict``, looks like an indeclinable foreign name the dictionary does not know)."""
    last = word.split("-")[-1].lower()
    if not last:
        return set()
    found = parses(last)
    unknown = not strict and not analyzer().word_is_known(last)
    if unknown and last[-1] in "оуеиэю":
        return set(CASES)  # "Эмбало", "Сиссоку": foreign names ending so do not decline
    cases = {"ablt"} if unknown and last.endswith(_ABLT_ENDINGS) else set()
    for p in found:
        if "Fixd" in p.tag or "UNKN" in p.tag:
            return set(CASES)
        if p.tag.case:
            cases.add(p.tag.case)
    return cases if found and any(p.tag.case for p in found) else set(CASES)


def to_nominative(words: list[str], case: str | None = None) -> list[str]:
    """Put a run of name words (one grammatical phrase) into the nominative singular."""
    if not words:
        return words
    if case is None:
        case = phrase_case(words)
    if case in (None, "nomn"):
        return list(words)
    return [_word_nominative(w, case) for w in words]


def phrase_cases(words: list[str]) -> set[str]:
    common = set(CASES)
    for w in words:
        common &= word_cases(w)
    return common


def is_personal(word: str) -> bool:
    """A first name, surname or patronymic, or a word the dictionary does not know."""
    last = word.split("-")[-1].lower()
    if any(NAME_GRAMMEMES & p.tag.grammemes for p in parses(last)):
        return True
    return not analyzer().word_is_known(last)


def phrase_case(words: list[str]) -> str | None:
    """The case shared by all words of a phrase, preferring the likeliest reading."""
    common = set(CASES)
    for w in words:
        common &= word_cases(w)
    if not common:
        return None
    for p in parses(words[-1].split("-")[-1].lower()):
        if p.tag.case in common:
            return p.tag.case
    return next(c for c in CASES if c in common)


def _word_nominative(word: str, case: str) -> str:
    head, _, last = word.rpartition("-")
    candidates = [p for p in parses(last.lower()) if p.tag.case == case]
    if not candidates and case == "ablt" and not analyzer().word_is_known(last.lower()):
        return _guess_from_ablt(word)
    if not candidates or any("Fixd" in p.tag for p in candidates[:1]):
        return word
    named = [p for p in candidates if NAME_GRAMMEMES & p.tag.grammemes] or candidates
    best = named[0]
    surname = _adjectival_surname(last.lower(), best)
    if surname:
        new = surname
    else:
        form = best.inflect({"nomn", "sing"} if "sing" in best.tag else {"nomn"})
        new = form.word if form else best.normal_form
    new = _match_case(new, last)
    return f"{head}-{new}" if head else new


def _guess_from_ablt(word: str) -> str:
    """An unknown word in the instrumental: "Гунбой" -> "Гунба", "Сиссоком" -> "Сиссок"."""
    for ending, nominative in (("ой", "а"), ("ей", "я"), ("ом", ""), ("ем", ""), ("ём", "")):
        if word.endswith(ending):
            return word[: -len(ending)] + nominative
    return word


def _adjectival_surname(word: str, parse: Parse) -> str | None:
    """ "Солодовым" is the surname Солодов, not the adjective "солодовый"."""
    if parse.tag.POS != "ADJF":
        return None
    if word.endswith(("овым", "евым", "ёвым", "иным", "ыным")):
        return word[:-2]
    if word.endswith(("овой", "евой", "ёвой", "иной", "ыной")):
        return word[:-2] + "а"
    return None


def _match_case(new: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return new.upper()
    if model[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def role_nominative(words: list[str], case: str) -> list[str]:
    """Put the head of a role phrase into the nominative: "Федеральным канцлером Германии"
    becomes "Федеральный канцлер Германии" (words agreeing with the head change, the
    genitive complement stays)."""
    out = list(words)
    noun_gender = None
    for i, word in enumerate(words):
        head, _, last = word.rpartition("-")
        wanted = ("ADJF",) if noun_gender else ("NOUN", "ADJF")
        found = [
            p
            for p in parses(last.lower())
            if p.tag.case == case
            and p.tag.POS in wanted
            and (noun_gender is None or p.tag.gender == noun_gender)
        ]
        if not found:
            break
        best = found[0]
        form = best.inflect({"nomn", "sing"} if "sing" in best.tag else {"nomn"})
        if form:
            new = _match_case(form.word, last)
            out[i] = f"{head}-{new}" if head else new
        if best.tag.POS == "NOUN":
            noun_gender = best.tag.gender or "masc"
    return out
