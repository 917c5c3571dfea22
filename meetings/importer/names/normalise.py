"""A person's name as printed, normalised: the name in a text ("" when the text is not a
name), a key to compare forms, a catalogue tag's name in page order, initials and shouting."""

from __future__ import annotations

import re

from ..people import match

INITIALS = re.compile(
    r"^(?P<initials>(?:[A-ZА-ЯЁ]\.\s?(?:-\s?[A-ZА-ЯЁ]\.\s?)?)+)\s?(?P<surname>\S+)$"
)
ROLE_WORDS_EN = re.compile(
    r"\b(?:Governor[- ]General|President|Prime Minister|Chancellor|King|Queen|Emir|Sultan"
    r"|Crown Prince|Prince"
    r"|Princess|Secretary[- ]General|Secretary|Minister|Chairman|Chairwoman|Chair|Governor"
    r"|Premier|Speaker|Head|Patriarch|Pope|Director(?:[- ]General)?|CEO|Mayor|Ambassador|Aide"
    r"|Adviser|Advisor|Commissioner|Leader|Grand Duke|Emperor|Vice[- ]President"
    r"|Deputy|Chief|Founder|Rector|Spokesman|Spokesperson|Commander|Representative|Envoy"
    r"|Chief Executive|Co-Chair|Executive Director|Managing Director|Pontiff|Catholicos|Minster"
    r"|Counsellor|Counselor|Archbishop)s?\b"
)
# A rank or honorific printed in front of a name, not part of it: "Senior Sergeant Tatyana
# Kovaleva", "Sr Lieutenant A. Vedyashchev", "Colonel General Sergei Surovikin", "Sheikh
# Tamim bin Hamad Al Thani"; kept when one word would be left ("Sheikh Hasina").
RANK = re.compile(
    r"^(?:(?:Senior|Junior|Sr|Jr|Lieutenant|Major|Colonel|Vice|Rear|Chief|Master|Staff"
    r"|Warrant|Petty|Guards|Army|Fleet)\.?\s+)*"
    r"(?:Private|Corporal|Sergeant|Lieutenant|Captain|Major|Colonel|General|Admiral|Marshal"
    r"|Ensign|Officer|Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady|Professor|Academician|Sheikh)\.?\s+"
    r"(?=\S+\s+\S)"
)

_OFFICE_WORDS = re.compile(
    r"\b(?:Council|Committee|Congress|Business|Media|Security|Resolution|Entry|Ministry"
    r"|Government|Parliament|Assembly|Agency|Company|Corporation|Bank|Union|Forum|Session"
    r"|TV|Television|Radio|Newspaper|Совет\w*|Комитет\w*|Правительств\w*|Министерств\w*|Собрани\w*|Форум\w*)\b",
    re.I,
)
_LEADING_OF = re.compile(r"^(?:of|и|and)\b", re.I)


def person_name(name: str, lang: str, *, tagged: bool = False) -> str:
    """The person's name in ``name``, or "" when it is a text fragment, not a name.

    Lower-case words that are not particles split the text: "Alexander Lukashenko and",
    "Leonid Kuchma and the Ukrainian" keep the name before them, "… of War Disabled and
    Wounded Andrei Chepurnoi" the name after. Refused: digits ("Entry from 02.00 pm"), an
    office or body ("Business Council", "media"), a leading "Of", a glued
    "-PresidentofBavaria…", a single capitalised word that begins a phrase ("Contact
    telephone number", "Note for television journalists") and (unless a kremlin.ru tag
    says so) a role word inside the name, which means two people or a role glued to a
    name. A rank or honorific in front is not part of the name ("Senior Sergeant …")."""
    name = re.split(r"[,;:(«\"]| – | — ", name.strip())[0].strip(" .-")
    name = re.sub(r"[’']s$", "", RANK.sub("", name))  # "Emomali Rahmon’s visit"
    if not name or re.search(r"\d", name) or _LEADING_OF.match(name):
        return ""
    if re.search(r"[a-zа-яё][A-ZА-ЯЁ][a-zа-яё]+[A-ZА-ЯЁ]", name):
        return ""  # words glued together by the page's markup
    segments: list[list[str]] = [[]]
    for word in name.split():
        hyphenated = "-" in word and word.rsplit("-", 1)[-1][:1].isupper()  # "al-Assad"
        if word[:1].islower() and word.lower() not in _NAME_LOWER and not hyphenated:
            segments.append([])
        else:
            segments[-1].append(word)
    segments = [s for s in segments if s]
    if not segments:
        return ""
    if len(segments) > 1:
        long = [s for s in segments if len(s) >= 2]
        if not long:
            return ""  # "Contact telephone number": a phrase, not a name
        segments = [long[-1]]
    words = segments[0]
    name = " ".join(words)
    if words[-1].lower() in _NAME_LOWER:
        return ""
    if _OFFICE_WORDS.search(name):
        return ""
    given = re.sub(r"^Emir (?=\S+$)", "", name)  # "Emir Kusturica": Emir is his given name
    if not tagged and lang == "en" and (ROLE_WORDS_EN.search(given) or len(words) > 6):
        return ""
    return name


# Lower-case words that still belong to a name: the name particles, and Cyrillic ones.
_NAME_LOWER = match.PARTICLES | frozenset(
    ["ben", "del", "аль", "бин", "ван", "да", "де", "дель", "ибн", "фон", "эль"]
)


def key(name: str) -> str:
    return re.sub(r"[\s.]+", " ", name.replace("ё", "е").replace("Ё", "Е")).strip().lower()


def tag_name(printed: str, page_text: str) -> str:
    """Catalogue tags print surname first ("Merkel Angela", "Al Nahyan Mohammed bin Zayed");
    say the name the way the page does, else move the first word to the end."""
    words = printed.split()
    if len(words) < 2:
        return printed
    for k in range(1, len(words)):
        rotated = " ".join(words[k:] + words[:k])
        if rotated in page_text:
            return rotated
    if printed in page_text:
        return printed
    k = 1  # "Al Nahyan Mohammed", "Van der Bellen Alexander": the particles go with the surname
    while k < len(words) - 1 and words[k - 1].lower() in _PARTICLES:
        k += 1
    return " ".join(words[k:] + words[:k])


_PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "abu",
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "la",
        "le",
        "ван",
        "фон",
        "де",
        "да",
        "аль",
        "эль",
        "бин",
        "ибн",
    ]
)


def shortened(short: str, full: str) -> bool:
    """The shorter name keeps the first and last words of the longer, in order."""
    a, b = short.split(), full.split()
    if len(a) < 2 or len(b) < 2 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    if a[0] != b[0] or a[-1] != b[-1]:
        return False
    rest = iter(b)
    return all(word in rest for word in a)


_LOWER_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "on",
        "in",
        "at",
        "to",
        "bin",
        "ibn",
        "al",
        "el",
        "de",
        "da",
        "van",
        "von",
        "der",
        "и",
    ]
)


def unshout(text: str) -> str:
    """ "PRESIDENT OF RUSSIA VLADIMIR PUTIN" -> "President of Russia Vladimir Putin"."""
    words = []
    for i, word in enumerate(text.lower().split()):
        if i and word in _LOWER_WORDS:
            words.append(word)
        else:
            words.append(re.sub(r"(^|[.-])(\w)", lambda m: m.group(1) + m.group(2).upper(), word))
    return " ".join(words)


def initials_match(label: str, name: str) -> bool:
    """ "К.-Ж.Токаев" names "Касым-Жомарт Токаев"; "В.В.Путин" names "Владимир Путин"."""
    m = INITIALS.match(label.strip())
    words = name.split()
    if not m or len(words) < 2:
        return False
    if key(m.group("surname")) != key(words[-1]):
        return False
    initials = [c for c in m.group("initials") if c.isalpha()]
    given = [part[0] for w in words[:-1] for part in w.split("-") if part]
    return bool(initials) and initials[0] == given[0]
