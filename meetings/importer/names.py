"""People on a page: splitting "role + name" labels, nominative names, one participant
per person however many forms the page prints ("К.-Ж.Токаев", "Касым-Жомартом Токаевым")."""

from __future__ import annotations

import datetime as dt
import re

from . import geo, morph
from .blocks import PersonLink
from .people import match
from .records import ParsedParticipant

# Who the President of Russia was: the site's host, labelled "В.Путин" with no role.
_PRESIDENTS = (
    (dt.date(1999, 12, 31), {"en": "Vladimir Putin", "ru": "Владимир Путин"}),
    (dt.date(2008, 5, 7), {"en": "Dmitry Medvedev", "ru": "Дмитрий Медведев"}),
    (dt.date(2012, 5, 7), {"en": "Vladimir Putin", "ru": "Владимир Путин"}),
)
PRESIDENT_ROLE = {"en": "President of Russia", "ru": "Президент России"}

ANONYMOUS_LABELS = re.compile(
    r"^(?:question|remark|answer|reply|voice|voices|audience|response|вопрос|реплика|ответ"
    r"|голос|голоса|из зала)\b",
    re.I,
)
QUESTION_LABELS = re.compile(r"^(?:question|вопрос)\b", re.I)
INITIALS = re.compile(
    r"^(?P<initials>(?:[A-ZА-ЯЁ]\.\s?(?:-\s?[A-ZА-ЯЁ]\.\s?)?)+)\s?(?P<surname>\S+)$"
)
_ROLE_WORDS_EN = re.compile(
    r"\b(?:President|Prime Minister|Chancellor|King|Queen|Emir|Sultan|Crown Prince|Prince"
    r"|Princess|Secretary[- ]General|Secretary|Minister|Chairman|Chairwoman|Chair|Governor"
    r"|Premier|Speaker|Head|Patriarch|Pope|Director(?: General)?|CEO|Mayor|Ambassador|Aide"
    r"|Adviser|Advisor|Commissioner|Leader|Sheikh|Grand Duke|Emperor|Vice[- ]President"
    r"|Deputy|Chief|Founder|Rector|Spokesman|Spokesperson|Commander|Representative|Envoy"
    r"|Chief Executive|Co-Chair|Executive Director|Managing Director|Pontiff|Catholicos)s?\b"
)
_WITH_EN = re.compile(r"\b(?:with|to)\s+(?=[A-Z])(.+)$|\b(?:Putin|Medvedev) and (?=[A-Z])(.+)$")
# "<role> Hamad bin Isa Al Khalifa of Bahrain": a name, then "of <country>".
_NAME_THEN_OF = re.compile(
    r"\s+((?:(?:[A-Z][\w’'.-]*|bin|ibn|al|el|de|da|von|van|der)\s+)*?[A-Z][\w’'.-]*)"
    r"\s+(of\s+.+)$"
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


_OFFICE_WORDS = re.compile(
    r"\b(?:Council|Committee|Congress|Business|Media|Security|Resolution|Entry|Ministry"
    r"|Government|Parliament|Assembly|Agency|Company|Corporation|Bank|Union|Forum|Session"
    r"|Совет\w*|Комитет\w*|Правительств\w*|Министерств\w*|Собрани\w*|Форум\w*)\b",
    re.I,
)
_LEADING_OF = re.compile(r"^(?:of|и|and)\b", re.I)


def person_name(name: str, lang: str, *, tagged: bool = False) -> str:
    """The person's name in ``name``, or "" when it is a text fragment, not a name.

    Lower-case words that are not particles split the text: "Alexander Lukashenko and",
    "Leonid Kuchma and the Ukrainian" keep the name before them, "… of War Disabled and
    Wounded Andrei Chepurnoi" the name after. Refused: digits ("Entry from 02.00 pm"), an
    office or body ("Business Council", "media"), a leading "Of", a glued
    "-PresidentofBavaria…", and (unless a kremlin.ru tag says so) a role word inside the
    name, which means two people or a role glued to a name."""
    name = re.split(r"[,;:(«\"]| – | — ", name.strip())[0].strip(" .-")
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
        segments = [long[-1] if long else segments[0]]
    words = segments[0]
    name = " ".join(words)
    if words[-1].lower() in _NAME_LOWER:
        return ""
    if _OFFICE_WORDS.search(name):
        return ""
    if not tagged and lang == "en" and (_ROLE_WORDS_EN.search(name) or len(words) > 6):
        return ""
    return name


# Lower-case words that still belong to a name: the name particles, and Cyrillic ones.
_NAME_LOWER = match.PARTICLES | frozenset(
    ["ben", "del", "аль", "бин", "ван", "да", "де", "дель", "ибн", "фон", "эль"]
)


def president_on(date: dt.date | None, lang: str) -> str:
    name = _PRESIDENTS[-1][1]
    for start, names in _PRESIDENTS:
        if date is None or date >= start:
            name = names
    return name[lang]


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


def split_role_name(
    label: str, lang: str, known: list[str], *, strict: bool = False
) -> tuple[str, str]:
    """("President of Russia Vladimir Putin") -> ("President of Russia", "Vladimir Putin").

    Known names are tried first; ``strict`` refuses to guess when the name does not
    follow the role directly."""
    for name in sorted(known, key=len, reverse=True):
        if label == name:
            return "", name
        if label.endswith(" " + name) and len(name) > 3:
            return label[: -len(name)].strip(" ,"), name
    words = label.split()
    for name in known:  # "… Abu Dhabi Mohammed Al Nahyan" for "Mohammed bin Zayed Al Nahyan"
        for k in range(2, len(words)):
            if _shortened(key(" ".join(words[-k:])), key(name)):
                return " ".join(words[:-k]).strip(" ,"), name
    if lang == "ru":
        return _split_ru(label)
    return _split_en(label, strict)


def _split_en(label: str, strict: bool = False) -> tuple[str, str]:
    ends = [m.end for m in geo.find_countries(label, "en") if not m.adjective]
    ends += [m.end() for m in _ROLE_WORDS_EN.finditer(label)]
    if not ends:
        return "", label
    end = max(ends)
    name = label[end:].strip(" ,")
    if name[:1].isupper():
        m = _NAME_THEN_OF.match(" " + name)  # "Crown Prince Mohammed Al Nahyan of Abu Dhabi"
        if m:
            return f"{label[:end].strip(' ,')} {m.group(2)}", m.group(1)
        return label[:end].strip(" ,"), name
    if not name:  # "King Mohammed VI of Morocco": the name sits between title and country
        for role in _ROLE_WORDS_EN.finditer(label):
            rest = label[role.end() :]
            m = _NAME_THEN_OF.match(rest)
            if m and not _ROLE_WORDS_EN.search(m.group(1)):
                return f"{label[: role.end()]} {m.group(2)}", m.group(1)
        return label, ""
    if strict:
        return "", ""
    words = name.split()
    return label[: len(label) - len(" ".join(words[-2:]))].strip(" ,"), " ".join(words[-2:])


def _split_ru(label: str) -> tuple[str, str]:
    words = label.split()
    if not words:
        return "", label
    if INITIALS.match(words[-1]) or (len(words) > 1 and INITIALS.match(" ".join(words[-2:]))):
        n = 1 if INITIALS.match(words[-1]) else 2
        return " ".join(words[:-n]), " ".join(words[-n:])
    n = 0
    while n < len(words) - 1 and morph.is_name_like(words[-1 - n]):
        n += 1
    if n == 0:
        return "", label
    return " ".join(words[:-n]), " ".join(words[-n:])


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
    for part in re.split(r"\s+and\s+(?=[A-Z])", phrase):
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


def _shortened(short: str, full: str) -> bool:
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


def _unshout(text: str) -> str:
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


class Registry:
    """Participants of one page, found by any form of their name."""

    def __init__(self, lang: str, date: dt.date | None) -> None:
        self.lang = lang
        self.people: list[ParsedParticipant] = []
        self.president = president_on(date, lang)

    def names(self) -> list[str]:
        return [p.name for p in self.people]

    def find(self, text: str, kremlin_id: int | None = None) -> int | None:
        if kremlin_id is not None:
            for i, p in enumerate(self.people):
                if p.kremlin_id == kremlin_id:
                    return i
        k = key(text)
        for i, p in enumerate(self.people):
            if key(p.name) == k or any(key(a) == k for a in p.aliases):
                return i
        for i, p in enumerate(self.people):
            if initials_match(text, p.name) or initials_match(p.name, text):
                return i
        for i, p in enumerate(self.people):  # a bare surname: "Putin"
            if len(text.split()) == 1 and len(p.name.split()) > 1 and key(p.name.split()[-1]) == k:
                return i
        for i, p in enumerate(self.people):  # "Mohammed Al Nahyan" / "Mohammed bin Zayed Al Nahyan"
            if _shortened(k, key(p.name)):
                return i
        squeezed = k.replace(" ", "")  # "King Hamad bin Isa Al Khalifaof Bahrain": split <b>s
        for i, p in enumerate(self.people):
            if len(p.name) > 5 and key(p.name).replace(" ", "") in squeezed:
                return i
        # A spelling variant or typo: "Angela Markel" beside "Angela Merkel".
        fits = [i for i, p in enumerate(self.people) if match.same_name(text, p.name)]
        return fits[0] if len(fits) == 1 else None

    def add(
        self,
        name: str,
        *,
        role: str = "",
        alias: str = "",
        kremlin_id: int | None = None,
    ) -> int | None:
        """The person's index; None when ``name`` is not a person's name."""
        name = name.strip()
        if name.isupper() and len(name) > 3 and not INITIALS.match(name):
            name = _unshout(name)  # "VLADIMIR PUTIN" in early transcripts
        name = person_name(name, self.lang, tagged=kremlin_id is not None)
        if not name:
            return None
        if initials_match(name, self.president) or key(name) == key(self.president):
            name = self.president
        index = self.find(name, kremlin_id)
        if index is None:
            self.people.append(ParsedParticipant(name=name))
            index = len(self.people) - 1
        person = self.people[index]
        if INITIALS.match(person.name) and not INITIALS.match(name):
            person.name = name
        if role and not person.role:
            person.role = role
        if kremlin_id is not None and person.kremlin_id is None:
            person.kremlin_id = kremlin_id
        if alias and alias not in person.aliases:
            person.aliases.append(alias)
        return index

    def add_label(self, label: str, links: list[PersonLink]) -> int | None:
        """Register the person a speaker label names; None for "Question" and the like."""
        if ANONYMOUS_LABELS.match(label):
            return None
        link = links[-1] if links else None
        link_id = link.kremlin_id if link else None
        found = self.find(label, link_id)
        if found is not None:
            name = self.people[found].name
            role = label[: -len(name)].strip(" ,") if label.endswith(" " + name) else ""
            if link and link.text in label and not role:
                role = label.replace(link.text, "").strip(" ,")
            return self.add(name, role=role, alias=label, kremlin_id=link_id)
        if link:
            name = link.text
            role = label.replace(name, "").strip(" ,") if name in label else ""
            if not role and self.lang == "en":  # the link is the whole "King Abdullah II of Jordan"
                role, name = _split_en(name, strict=True)
                if not name:
                    role, name = "", link.text
            return self.add(name, role=role, alias=label, kremlin_id=link_id)
        printed = _unshout(label) if label.isupper() else label
        role, name = split_role_name(printed, self.lang, [*self.names(), self.president])
        if not name:
            return None
        return self.add(name, role=role, alias=label)

    def finish(self) -> list[ParsedParticipant]:
        """Fill roles and countries, put the President first."""
        for person in self.people:
            if person.name == self.president and not person.role:
                person.role = PRESIDENT_ROLE[self.lang]
            if person.country is None and person.role:
                codes = geo.country_codes(person.role, self.lang)
                person.country = codes[0] if codes else None
        self.people.sort(key=lambda p: p.name != self.president)
        return self.people
