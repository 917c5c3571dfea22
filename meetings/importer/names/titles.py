"""People named in a title or lead: "Talks with President of China Xi Jinping",
"Встреча с Президентом Казахстана Касым-Жомартом Токаевым"."""

from __future__ import annotations

import re

from .. import geo, morph
from .labels import split_role_name

# "a message to <role> <name>", but not "Russian Ambassador to Tajikistan <name>": the
# country after an envoy's "to" is where they serve, not who they are.
_WITH_EN = re.compile(
    r"\b(?:with|(?<!Ambassador )(?<!Envoy )(?<!Representative )to)\s+(?=[A-Z])(.+)$"
    r"|\b(?:Putin|Medvedev) and (?=[A-Z])(.+)$"
)
# Lower-case words that may sit inside a role or name; any other ends the phrase.
_CONNECTORS_EN = frozenset(
    [
        "of",
        "the",
        "and",
        "bin",
        "ibn",
        "al",
        "el",
        "de",
        "da",
        "du",
        "la",
        "le",
        "von",
        "van",
        "der",
        "den",
        "di",
        "y",
        "e",
    ]
)
_WITH_RU = re.compile(r"(?:^|\s)(?:с|со)\s+(?=[А-ЯЁA-Zа-яё])(.+)$")


def title_people(title: str, lang: str, known: list[str] = ()) -> list[tuple[str, str, str]]:
    """People named after "with"/"с" in a title: (role, name, name as printed)."""
    out: list[tuple[str, str, str]] = []
    pattern = _WITH_RU if lang == "ru" else _WITH_EN
    start = 0
    while match := pattern.search(title, start):  # "… with Belarus … conference with <role>"
        start = match.start(match.lastindex or 1)
        out += _phrase_people(match.group(match.lastindex or 1), lang, known)
    return out


def _phrase_people(text: str, lang: str, known) -> list[tuple[str, str, str]]:
    if lang == "ru":
        return _ru_phrase_people(text)
    phrase = re.split(r"[,;:(«\"]| – | — ", text)[0]
    phrase = _cut_at_lowercase(phrase.strip().rstrip(".!?…"))
    out = []
    for part in re.split(r"\s+and\s+(?:the\s+)?(?=[A-Z])", phrase):  # "… and the Emir of Qatar …"
        role, name = split_role_name(part, lang, list(known), strict=True)
        if name and role and len(name.split()) <= 6:
            out.append((role, name, name))
    return out


# --- Russian: "с Президентом Казахстана Касым-Жомартом Токаевым" ------------------------

_RU_CONNECTORS = frozenset(
    ["да", "де", "дос", "дас", "ван", "фон", "бин", "аль", "эль", "ибн", "ди", "дель", "ла", "ле"]
)
_RU_CLAUSE_END = re.compile(r"[;:(]| – | — |,\s+(?=[а-яё])")


def _ru_phrase_people(text: str) -> list[tuple[str, str, str]]:
    """After "с"/"со" the phrase is instrumental: role head and name both in ablt."""
    phrase = _RU_CLAUSE_END.split(text)[0].strip().rstrip(".!?…")
    out = []
    for words in _ru_split_people(phrase.split()):
        person = _ru_title_person(words)
        if person:
            out.append(person)
    return out


def _ru_split_people(words: list[str]) -> list[list[str]]:
    """Split at "и" only where a name ends: "… Кириллом и Патриархом Сербским Порфирием"
    (but not "Патриархом Московским и всея Руси Кириллом")."""
    parts: list[list[str]] = [[]]
    for i, word in enumerate(words):
        current = parts[-1]
        following = words[i + 1] if i + 1 < len(words) else ""
        if (
            word == "и"
            and current
            and morph.is_name_like(current[-1])
            and "ablt" in morph.word_cases(following, strict=True)
        ):
            parts.append([])
            continue
        current.append(word)
    return [p for p in parts if p]


def _ru_title_person(words: list[str]) -> tuple[str, str, str] | None:
    start = _ru_name_start(words)
    if start is None:
        return None
    role_words, name_words = words[:start], words[start:]
    if not _ru_valid_name(name_words):
        return None
    name = " ".join(
        w if not _declines(w, before) else morph.to_nominative([w], "ablt")[0]
        for w, before in zip(name_words, ["", *name_words[:-1]], strict=True)
    )
    role = ", ".join(
        " ".join(morph.role_nominative(seg.split(), "ablt"))
        for seg in " ".join(role_words).split(", ")
    )
    return role, name, " ".join(name_words)


def _ru_name_start(words: list[str]) -> int | None:
    def capitalised(word: str) -> bool:
        if any(q in word for q in '«»"“”„'):
            return False
        return word[:1].isupper() or word.lower() in _RU_CONNECTORS

    run = len(words)
    while run > 0 and capitalised(words[run - 1]):
        run -= 1
    if run == len(words):
        return None
    text = " ".join(words)
    mentions = [m for m in geo.find_countries(text, "ru") if m.code != geo.ORG]
    if mentions:  # "… Мьянмы Мин Аун Хлайном": the name follows the country
        after = len(text[: mentions[-1].end].split())
        if run <= after < len(words) and len(words) - after <= 6:
            return after
    for i in range(run, len(words)):
        if words[i].isupper():  # "АСИ", "КНР": abbreviations are never names
            continue
        grammemes = {g for p in morph.parses(words[i].lower()) for g in p.tag.grammemes}
        if morph.NAME_GRAMMEMES & grammemes:
            if i > 0 or len(words) <= 4:
                return i
            break
    n = 0
    while n < len(words) and morph.is_name_like(words[-1 - n]):
        n += 1
    return len(words) - n if n else None


def _ru_valid_name(words: list[str]) -> bool:
    """A name whose surname is in the instrumental case, with at least one word a name (or
    unknown to the dictionary, as foreign names are); rules out "Политбюро", "вдовой Героя
    России Сергея Чебнёва" (genitive) and "семьёй Труфановых"."""
    content = [w for w in words if w.lower() not in _RU_CONNECTORS]
    if not content or len(content) > 6 or not all(w[:1].isupper() for w in content):
        return False
    pairs = zip(words, ["", *words[:-1]], strict=True)
    declined = [w for w, before in pairs if _declines(w, before)]
    if declined and "ablt" not in morph.word_cases(declined[-1]):  # the surname agrees
        return False
    return any(morph.is_personal(w) for w in content)


_RU_ARTICLES = frozenset({"аль", "эль", "ад", "ас", "ан", "ат", "аш"})


def _declines(word: str, before: str) -> bool:
    """ "Тани" in "Аль Тани" keeps its form; particles themselves do not decline either."""
    return word.lower() not in _RU_CONNECTORS and before.lower() not in _RU_ARTICLES


def _cut_at_lowercase(phrase: str) -> str:
    words = phrase.split()
    for i, word in enumerate(words):
        hyphenated = "-" in word and word.rsplit("-", 1)[-1][:1].isupper()  # "el-Sisi"
        if word[:1].islower() and word not in _CONNECTORS_EN and not hyphenated:
            return " ".join(words[:i]).strip()
    return phrase
