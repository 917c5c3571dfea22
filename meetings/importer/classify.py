"""Meeting kind and signed-document kind from titles, in English and Russian."""

from __future__ import annotations

import re

# The kind named first in the title wins ("Press statements following Russian-Japanese
# talks" is press; "Meeting with … on the sidelines of the G20 summit" is a meeting), except
# that a summit wins over "meeting of" ("Meeting of the CIS Heads of State Council").
# The lead is consulted only when the title names no kind.
_MEETING_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("telephone", r"telephone|phone (?:call|conversation)|телефонн|по телефону"),
        (
            "press",
            r"news conference|press conference|press statement|statements? (?:for|to) the press"
            r"|^(?:joint )?statements? following|^заявлени[яе] (?:по итогам|для)"
            r"|press approach|answers? to (?:journalists|media)|joint statements? (?:for|to) the"
            r"|пресс-конференц|заявлени[яе] для (?:прессы|СМИ|печати)|ответы на вопросы"
            r"|пресс-подход|совместн\w+ заявлени\w+ для",
        ),
        (
            "summit",
            r"summit|heads of state council|council of heads of state|саммит"
            r"|совет\w* глав государств|высш\w+ Евразийск\w+ экономическ\w+ совет"
            r"|supreme eurasian economic council|supreme state council"
            r"|высш\w+ государственн\w+ совет",
        ),
        ("talks", r"\btalks\b|negotiations|переговор"),
        ("visit", r"\bvisit\b|\bvisits\b|визит|посещени|посетил"),
        (
            "meeting",
            r"\bmeeting\b|\bmeets?\b|\bmet\b|встреч|бесед|conversation with|совещани|заседани",
        ),
    )
)

_DOCUMENT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("joint_statement", r"joint statement|совместн\w+ заявлени|statement|заявлени"),
        ("declaration", r"declaration|декларац"),
        ("memorandum", r"memorandum|меморандум"),
        (
            "programme",
            r"programme|program\b|plan of|action plan|roadmap|road map|программ|план\b|плана"
            r"|дорожн\w+ карт",
        ),
        (
            "agreement",
            r"agreement|treaty|convention|protocol|accord|contract|соглашени|договор|конвенц"
            r"|протокол|контракт",
        ),
    )
)

# Supplement titles that announce a list of documents or participants, not a document.
DOCUMENT_LIST = re.compile(
    r"^(?:list of )?(?:the )?documents signed|^(?:list of )?(?:the )?documents adopted"
    r"|^signed documents|^список (?:документов|подписанных)|^документы,? подписанн"
    r"|^подписанные документы|^documents? (?:signed|adopted)|^документы,? принят",
    re.I,
)
PARTICIPANT_LIST = re.compile(r"^participants|^участники|^members|^состав", re.I)


_MEETING_OF = re.compile(r"meeting of|встреч\w* глав|заседани|совещани", re.I)


def meeting_kind(title: str, lead: str = "") -> str:
    for text in (title, lead):
        found = {}
        for kind, pattern in _MEETING_RULES:
            match = pattern.search(text)
            if match:
                found[kind] = match.start()
        if "summit" in found and "meeting" in found and _MEETING_OF.match(text, found["meeting"]):
            del found["meeting"]
        if found:
            return min(found, key=lambda kind: found[kind])
    return "other"


def document_kind(title: str) -> str:
    """Kind from the title's head: "Joint Statement on …" is a joint statement even if it
    mentions an agreement later; "Agreement on … programme" is an agreement."""
    head = title[:60]
    best: tuple[int, str] | None = None
    for kind, pattern in _DOCUMENT_RULES:
        match = pattern.search(head)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind)
    return best[1] if best else "other"


def is_document_title(title: str) -> bool:
    return document_kind(title) != "other" and not (
        DOCUMENT_LIST.search(title) or PARTICIPANT_LIST.search(title)
    )


# Evidence of a diplomatic event besides a foreign country or organisation: a foreign
# monarch's or leader's title among the participants' roles, talks, or a state visit.
_FOREIGN_TITLES = re.compile(
    r"\b(?:King|Queen|Emir|Sultan|Crown Prince|Federal Chancellor|Chancellor|Emperor"
    r"|Grand Duke|Pope|Secretary[- ]General|Король|Королева|Эмир|Султан|Наследный принц"
    r"|Федеральный канцлер|Канцлер|Император|Генеральный секретарь ООН)\b",
)
_VISIT = re.compile(
    r"\b(?:state|official|working|friendly) visit\b|\bvisit to (?:Russia|the Russian Federation)"
    r"|(?:государственн|официальн|рабоч|дружественн)\w* визит",
    re.I,
)
_RUSSIAN_ROLE = re.compile(r"Russia|Russian|России|Российск|РФ\b")


def domestic_reason(meeting, organisation: bool = False) -> str:
    """Why ``meeting`` (a ParsedMeeting with countries, kind and participants set) is
    domestic, or "" when the whole page says it is diplomatic: a foreign country or an
    international organisation, a foreign monarch or leader among the participants
    (named in the title, the lead's first sentence or the speaker labels), talks, or a
    state or official visit. The reason is one line for the import's skip report."""
    if meeting.countries or organisation:
        return ""
    if meeting.kind == "talks":
        return ""
    if _VISIT.search(meeting.title) or _VISIT.search(meeting.lead[:300]):
        return ""
    for person in meeting.participants:
        if person.country and person.country.upper() not in ("RU", ""):
            return ""
        if _FOREIGN_TITLES.search(person.role) and not _RUSSIAN_ROLE.search(person.role):
            return ""
    return "domestic: no foreign country, organisation, foreign leader, talks or visit"
