"""Meeting kind and signed-document kind from titles, in English and Russian."""

from __future__ import annotations

import re

# The kind named first in the title wins ("Press statements following Russian-Japanese
# talks" is press; "Meeting with … on the sidelines of the G20 summit" is a meeting), except
# that a summit wins over "meeting of" ("Meeting of the CIS Heads of State Council") and a
# telephone call over the congratulations it carried. The lead is consulted only when the
# title names no kind. Besides meetings, kremlin.ru publishes messages and greetings,
# interviews and articles, executive orders, laws and appointments, and multilateral
# sessions and forums: each a kind of its own, so that "other" stays small.
_MEETING_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        (
            "telephone",
            r"telephone|phone (?:call|conversation)|by phone|\bphoned\b|телефонн|по телефону",
        ),
        (
            "press",
            r"news conference|press conference|press statement|statements? (?:for|to) the press"
            r"|^(?:joint )?statements? following|^заявлени[яе] (?:по итогам|для)"
            r"|press approach|answers? to (?:journalists|media)|joint statements? (?:for|to) the"
            r"|answered (?:journalists|media|reporters)|questions from (?:journalists|the press)"
            r"|пресс-конференц|заявлени[яе] для (?:прессы|СМИ|печати)|ответы на вопросы"
            r"|пресс-подход|совместн\w+ заявлени\w+ для",
        ),
        (
            "summit",
            r"summit|heads of state council|council of heads of state|саммит"
            r"|совет\w* глав государств|высш\w+ Евразийск\w+ экономическ\w+ совет"
            r"|supreme eurasian economic council|supreme state council"
            r"|высш\w+ государственн\w+ совет|collective security council"
            r"|(?:meeting|session) of (?:the )?[\w -]{0,40}?(?:heads of state|leaders)"
            r"|leaders[’']? meeting|(?:G8|G20|BRICS|SCO|CIS|CSTO|APEC) (?:leaders|heads)"
            r"|\bheads of state of\b|\bheads of state (?:met|held)\b"
            r"|\b(?:G8|G20|BRICS|SCO|CIS|CSTO|APEC)(?: [a-z]+)? (?:meeting|session)\b",
        ),
        ("talks", r"\btalks\b|negotiat|переговор"),
        (
            "visit",
            r"\bvisit\b|\bvisits\b|визит|посещени|посетил|\barrived in\b|\barrives in\b"
            r"|\btrip to\b|прибыл|\bvisited\b|\btour(?:ed)?\b|wreaths?\b|laid flowers",
        ),
        (
            "message",
            r"message|greeting|congratulat|condolence|telegram|letter|wishe[sd] .{0,60}birthday"
            r"|\bbirthday\b|sympathy|thanked|appeal to|address to|поздрав|соболезнов"
            r"|приветстви|послани|телеграмм|письм",
        ),
        (
            "interview",
            r"interview|article|\bop-ed\b|addressed (?:the )?readers|\bwrote\b|интервью"
            r"|стать[яюи]",
        ),
        (
            "decree",
            r"\bsigned (?:a |an |the )?(?:federal |executive )?(?:law|decree|order|executive order)"
            r"|\blaws?\b.{0,40}ratif|ratif|\bdecree\b|executive order|\bappoint|\bawards?\b"
            r"|\bawarded\b|\bdecorated\b|\bapproved\b|signed a (?:government )?resolution"
            r"|\bdismiss|\bresignation\b|указ\b|указом|распоряжени|ратифи|назнач|наградил"
            r"|подписал (?:федеральный )?закон",
        ),
        (
            "forum",
            r"\bforum\b|(?<!news )(?<!press )\bconference\b|\bsession\b|\bcongress\b"
            r"|\bassembly\b|\bplenary\b|\bconsultations\b|\bdialogue\b|форум|конференци"
            r"|\baddressed (?:a|an|the) (?:[a-z]+ )?(?:meeting|session)\b"
            r"|сесси|пленарн|конгресс",
        ),
        (
            "ceremony",
            r"ceremon|credentials|\bopen(?:ed|ing)\b|\bunveil|\blaunch|celebrat|anniversary"
            r"|exhibition|concert|parade|festival|\bdays of\b|\byear of\b|championship"
            r"|\bmatch\b|\bgames\b|funeral|memorial|inaugurat|attend(?:ed|ing)|церемони"
            r"|верительн|открыти|выставк|концерт|юбилей|годовщин",
        ),
        (
            "meeting",
            r"\bmeeting\b|\bmeets?\b|\bmet\b|встреч|бесед|conversation with|совещани|заседани"
            r"|\breceived\b|\breception\b|\bdinner\b|\bbreakfast\b|\blunch\b|приём|ужин",
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
# "… at a meeting of the third Russian-Malaysian Business Forum": the forum's meeting.
_MEETING_OF_FORUM = re.compile(
    r"meeting of (?:the )?[\w -]{0,60}?\b(?:forum|conference|congress)\b", re.I
)
# "Vladimir Putin arrived in Belgium to take part in the Russian-EU summit": the arrival is
# the summit's (or the conference's), not a visit to the country.
_ARRIVED_FOR = re.compile(
    r"\barrived in\b.{0,40}\bto (?:attend|take part in|participate in)\b", re.I
)
# Ambassadors presenting their letters of credence: a ceremony, whoever "received" them.
_CREDENTIALS = re.compile(r"\bcredentials\b|верительн", re.I)


# A title that only announces an arrival ("Vladimir Putin arrived in Kazakhstan"), whose
# lead says what for ("… will take part in a meeting of the Supreme Eurasian Economic
# Council"): the lead decides, as when the title named no kind.
_ARRIVAL_ONLY = re.compile(r"^[^,.;:]{0,60}\barrived in [A-Z][\w -]*$")
_TAKES_PART = re.compile(r"\b(?:take part in|took part in|attend|participate in)\b", re.I)


def meeting_kind(title: str, lead: str = "") -> str:
    if _ARRIVAL_ONLY.match(title) and _TAKES_PART.search(lead[:300]):
        kind = _kind(lead)
        if kind in ("summit", "forum"):
            return kind
    return _kind(title, lead)


def _kind(*texts: str) -> str:
    for text in texts:
        found = {}
        for kind, pattern in _MEETING_RULES:
            match = pattern.search(text)
            if match:
                found[kind] = match.start()
        if "summit" in found and "meeting" in found and _MEETING_OF.match(text, found["meeting"]):
            del found["meeting"]
        at = found.get("meeting")
        if "forum" in found and at is not None and _MEETING_OF_FORUM.match(text, at):
            del found["meeting"]
        multilateral = "summit" in found or "forum" in found
        if "visit" in found and multilateral and _ARRIVED_FOR.search(text):
            del found["visit"]
        if "telephone" in found:
            return "telephone"
        if _CREDENTIALS.search(text):
            return "ceremony"
        if "interview" in found and "visit" in found:  # "Ahead of his visit to Greece, …
            return "interview"  # … Vladimir Putin gave an interview to the Greek media"
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
    r"|Grand Duke|Pope|Pontiff|Secretary[- ]General|Король|Королева|Эмир|Султан|Наследный принц"
    r"|Федеральный канцлер|Канцлер|Император|Генеральный секретарь ООН)\b",
)
# A state or official visit is always abroad or from abroad; a working visit may be to
# Novosibirsk ("Vladimir Putin made a working visit to Novosibirsk").
_VISIT = re.compile(
    r"\b(?:state|official) visit\b|\bvisit to (?:Russia|the Russian Federation)"
    r"|(?:государственн|официальн)\w* визит",
    re.I,
)
_RUSSIAN_ROLE = re.compile(r"Russia|Russian|России|Российск|РФ\b")


def foreign_title(role: str) -> bool:
    """A monarch's or a foreign leader's title no Russian holds ("Federal Chancellor")."""
    return bool(_FOREIGN_TITLES.search(role)) and not _RUSSIAN_ROLE.search(role)


# Events at home that stay domestic whoever is tagged or decorated: the Security Council
# (tagged Belarus when Belarus was discussed) and receptions for a national holiday or
# graduates (where foreigners receive awards among Russians).
_DOMESTIC_EVENTS = re.compile(
    r"^(?:(?:Meeting|Session|Operational meeting|Expanded meeting) (?:of|with) (?:the )?"
    r"(?:permanent members of (?:the )?)?Security Council|Security Council (?:meeting|session)"
    r"|Reception (?:to mark|marking|on|for|in honour of (?:the )?(?:graduates|Russia Day"
    r"|National Unity Day)))"
    r"|^(?:Совещание|Заседание|Оперативное совещание) (?:с постоянными членами )?Совет\w* "
    r"Безопасности|^Приём (?:по случаю|в честь)",
    re.I,
)
# Whom the President met is Russia's own, wherever it was and whatever country was talked
# about: compatriots abroad, his ministers and envoys reporting, service personnel, the
# government, the Patriarch of Moscow, a meeting on a foreign crisis.
_HOME_SIDE = re.compile(
    r"\bRussians (?:living|working) in\b|\bRussian (?:expatriates|compatriots|community)\b"
    r"|\b(?:compatriots|expatriates)\b|\bveterans\b[^.]{0,60}\bliving in\b"
    r"|\breported to (?:the )?President\b|\bRussia[’']s (?:new )?(?:[Aa]mbassadors?|[Ee]nvoys?)\b"
    r"|\bthe Russian Ambassador\b"
    r"|\b(?:met|meeting) with (?:Russian )?journalists\b(?! (?:of|from) [A-Z])"
    r"|\bSecurity Council of Russia\b|\bthe Russian embassy\b"
    r"|^(?:Joint )?meeting of the (?:Presidential )?Council for\b"
    r"|\bmembers of (?:the )?government\b|\b(?:service )?personnel\b|\bheads of security"
    r"|\b(?:directors|heads|leaders|members) of Russian\b|\bPatriarch of Moscow\b"
    r"|\b(?:held|holds) (?:a|an) (?:[a-z]+ )?meeting on\b",
)
# The kinds where whom the President met decides (not an order, a message or a summit).
_HOME_SIDE_KINDS = ("meeting", "telephone", "visit", "press")
_FOREIGN_GUESTS = re.compile(
    r"\bheads of state\b|\bforeign (?:leaders|heads|guests|ambassadors)|глав\w* государств"
    r"|иностранн\w* (?:лидер|гост|посл)",
    re.I,
)
_SUMMIT = re.compile(r"\bsummit\b|саммит", re.I)
# … unless the title names guests from abroad ("Reception for heads of state invited to
# the military parade") or a foreign security council.
_FOREIGN_SECURITY = re.compile(
    r"\b(?:UN|United Nations|CSTO|ООН|ОДКБ|heads of state|leaders|foreign|глав государств"
    r"|иностранн\w*)\b",
    re.I,
)


def domestic_reason(meeting, organisation: bool = False, named: tuple[str, ...] = ()) -> str:
    """Why ``meeting`` (a ParsedMeeting with kind and participants set) is domestic, or ""
    when the page names a foreign party: a foreign country named in the title (``named``;
    a geography tag alone is not one), an international organisation, a participant of a
    foreign country or a foreign monarch or leader (named in the title, the lead's first
    sentence or the speaker labels), talks, or a state or official visit. A Security
    Council meeting or a reception at home is domestic whoever is tagged or decorated.
    The reason is one line for the import's skip report."""
    title = meeting.title
    if _DOMESTIC_EVENTS.search(title) and not _FOREIGN_SECURITY.search(title):
        return "domestic: a Security Council meeting or a reception at home"
    home = _HOME_SIDE.search(title) and meeting.kind in _HOME_SIDE_KINDS
    if home and not _foreign_party(meeting.participants):
        return "domestic: whom the President met is Russia's own (compatriots, officials)"
    if named or organisation or _FOREIGN_GUESTS.search(title):
        return ""
    if meeting.kind in ("talks", "summit") or _SUMMIT.search(title):
        return ""
    if _VISIT.search(meeting.title) or _VISIT.search(meeting.lead[:300]):
        return ""
    if _foreign_party(meeting.participants):
        return ""
    return "domestic: no foreign country, organisation, foreign leader, talks or visit"


def _foreign_party(participants) -> bool:
    """A participant of a foreign country, or holding a foreign monarch's or leader's title."""
    for person in participants:
        if person.country and person.country.upper() not in ("RU", ""):
            return True
        if _FOREIGN_TITLES.search(person.role) and not _RUSSIAN_ROLE.search(person.role):
            return True
    return False
