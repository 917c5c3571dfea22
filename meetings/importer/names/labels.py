"""Speaker labels: "President of Russia Vladimir Putin" split into role and name."""

from __future__ import annotations

import re

from .. import geo, morph
from .normalise import INITIALS, ROLE_WORDS_EN, key, shortened

ANONYMOUS_LABELS = re.compile(
    r"^(?:question|remark|answer|reply|voice|voices|audience|response|вопрос|реплика|ответ"
    r"|голос|голоса|из зала)\b",
    re.I,
)
QUESTION_LABELS = re.compile(r"^(?:question|вопрос)\b", re.I)
# "<role> Hamad bin Isa Al Khalifa of Bahrain": a name, then "of <country>".
_NAME_THEN_OF = re.compile(
    r"\s+((?:(?:[A-Z][\w’'.-]*|bin|ibn|al|el|de|da|von|van|der)\s+)*?[A-Z][\w’'.-]*)"
    r"\s+(of\s+.+)$"
)

# A body's name ends the role: "… of the National People’s Front Maxim Mishin".
_BODY_WORDS_EN = re.compile(
    r"\b(?:Front|Autonomy|Organisation|Organization|Council|Committee|Union|Party|Movement"
    r"|Society|Foundation|Fund|Association|Agency|Channel|Corporation|Company|Bank"
    r"|University|Institute|Academy|Museum|Centre|Center|Ministry|Assembly|Duma|Chamber"
    r"|Court|Board|Commission|Office|Senate|Government|Cross|Authority|Administration)(?![\w-])"
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
            if shortened(key(" ".join(words[-k:])), key(name)):
                return " ".join(words[:-k]).strip(" ,"), name
    if lang == "ru":
        return _split_ru(label)
    return split_en(label, strict)


def split_en(label: str, strict: bool = False) -> tuple[str, str]:
    ends = [m.end for m in geo.find_countries(label, "en") if not m.adjective]
    ends += [m.end() for m in ROLE_WORDS_EN.finditer(label)]
    ends += [m.end() for m in _BODY_WORDS_EN.finditer(label)]
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
        for role in ROLE_WORDS_EN.finditer(label):
            rest = label[role.end() :]
            m = _NAME_THEN_OF.match(rest)
            if m and not ROLE_WORDS_EN.search(m.group(1)):
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
