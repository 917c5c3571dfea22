"""The foreign side of an English title or lead, in every shape kremlin.ru prints it.

"Meeting with Minister President of Saxony Michael Kretschmer" (role, then name),
"Vladimir Putin met with the President of Serbia, Boris Tadic" (role, comma, name),
"… met with Roh Moo-hyun, President of the Republic of Korea" (name, comma, role),
"… spoke by telephone with his Ukrainian counterpart Leonid Kuchma", "Presidents Vladimir
Putin of Russia and Heydar Aliyev of Azerbaijan held negotiations", "Israeli Prime
Minister Ariel Sharon initiated a telephone conversation with …" (the subject), and "Meeting
with Romano Prodi" (a name alone, placed by the page's only foreign country).

A pure function: text in, :class:`Counterpart` records out. The registry decides whether a
name is a person (:func:`meetings.importer.names.normalise.person_name`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import geo
from ..people.match import ONE_NAME_ROLES
from .labels import split_role_name
from .normalise import ROLE_WORDS_EN


@dataclass(frozen=True)
class Counterpart:
    role: str  # as printed ("the President of Serbia" -> "President of Serbia"); may be ""
    name: str
    country: str | None = None  # when the phrase places a role-less name ("his Ukrainian …")


# Where a counterpart phrase starts: after "with" / "to" (not an envoy's "Ambassador to"),
# after the host and "and", after "Presidents Vladimir Putin of Russia and".
_ANCHOR = re.compile(
    r"\b(?:with|met(?=\s+(?:(?:the|a|an|his|her|former|new|acting|visiting)\s+)*[A-Z])|received|congratulated|welcomed|visited"
    r"|thanked|wished|invited|invitation of|(?<!visit )(?<!trip )by(?! phone| telephone)"
    r"|(?<!Ambassador )(?<!Envoy )(?<!Representative )(?<!monument )(?<!memorial )to"
    r"|telephoned|phoned"
    r"|in honour of|behalf of|(?<=message )from|(?<=letter )from"
    r"|(?:Putin|Medvedev)(?: of Russia)?(?: and|,)|(?<=Russian )President and)\s+(?=[A-Za-z])"
)
# Lower-case words that may sit inside a role or name; any other word ends the phrase.
_CONNECTORS = frozenset(
    [
        "of",
        "the",
        "and",
        "to",
        "for",
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
        "ben",
        "bint",
        "abu",
    ]
)
_LOWER_ROLES = frozenset(
    [
        "president",
        "prime",
        "minister",
        "head",
        "chairman",
        "chairwoman",
        "chair",
        "king",
        "queen",
        "emir",
        "sultan",
        "prince",
        "princess",
        "crown",
        "secretary",
        "general",
        "secretary-general",
        "chancellor",
        "leader",
        "premier",
        "governor",
        "mayor",
        "speaker",
        "counterpart",
        "vice-president",
        "vice",
        "deputy",
        "chief",
        "founder",
        "director",
        "ceo",
        "commissioner",
        "envoy",
        "representative",
        "pope",
        "patriarch",
        "grand",
        "duke",
        "emperor",
        "managing",
        "executive",
        "foreign",
        "defence",
        "adviser",
        "advisor",
        "member",
    ]
)
# Nothing of a person: a phrase that names a group or a body, not someone.
_GROUP = re.compile(
    r"\b(?:members|representatives|leaders|heads|delegation|delegates|participants"
    r"|businessmen|students|veterans|officials|community|people|journalists|ministers"
    r"|presidents|governors|ambassadors|parliamentarians|deputies|crew|team|officers)\b",
)
_ABBREVIATION = re.compile(r"\s*\((?:[A-Z][A-Za-z-]*\.?\s?){1,3}\)")
_OPENERS = frozenset(
    [
        "a",
        "his",
        "her",
        "their",
        "former",
        "acting",
        "newly",
        "elected",
        "new",
        "interim",
        "visiting",
    ]
)
# Capitalised phrases after "with" that are not people: "Imperial Capitals", "Loya Jirga".
_NOT_PEOPLE = re.compile(
    r"\b(?:Club|Capitals|Jirga|Games|Cup|Festival|Days|Year|Forum|Council|Group|Society"
    r"|Foundation|Fund|Company|Corporation|Bank|Union|Party|Movement|Front|Assembly|Parliament"
    r"|Congress|Committee|Commission|Conference|Summit|Agency|Institute|University|Academy"
    r"|Centre|Center|Museum|Theatre|Theater|Orchestra|Ensemble|Team|Order|Prize|Award"
    r"|Programme|Program|Project|Initiative|Exhibition|Championship|Olympics|Relay|Fleet"
    r"|Cathedral|Church|Monastery|Republic|Kingdom|Federation|Emirates|States|Islands"
    r"|Districts?|Regions?|Territory|Territories|Province|Oblast|Krai|Office|Department"
    r"|Press|Service|Administration|Ministry|Duma|War|Army|Forces|Contingent|Day|Tower"
    r"|Palace|Square|Street|Avenue|Bridge|Station|Airport|Port|Plant|Factory|Works)\b"
)
_BODY = _NOT_PEOPLE


def not_a_person(name: str) -> bool:
    """ "Imperial Capitals", "Loya Jirga", "Federal Districts": a body, place or event."""
    return bool(_NOT_PEOPLE.search(name))


_LEADING = re.compile(
    r"^(?:(?:His|Her) (?:Royal )?(?:Majesty|Highness|Holiness|Excellency)\s+"
    r"|(?:The )?(?:Right )?Honourable\s+|Rt\.? Hon\.?\s+|To\s+|With\s+"
    r"|(?:and|the|a|his|her|their|former|newly elected|new|acting|interim|visiting)\s+"
    r"|(?:Mr|Mrs|Ms|Dr)\.?\s+)+",
    re.I,
)
_COUNTERPART = re.compile(r"^(?:(.+?)\s+)?counterparts?\s+", re.I)
_NAME_OF = re.compile(
    r"^(?P<name>(?:[A-Z][\w’'.-]*\s+){1,4})of\s+(?P<place>(?:the\s+)?[A-Z][\w’'. -]*)$"
)


def counterparts_en(
    text: str, known: Sequence[str] = (), subject: bool = False
) -> list[Counterpart]:
    """Counterparts named in a title or a lead's first sentence. ``subject``: the text may
    open with one ("Israeli Prime Minister Ariel Sharon initiated …")."""
    out: list[Counterpart] = []
    if subject:
        out += _phrase(text, known, head=True)
    for match in _ANCHOR.finditer(text):
        # After "by", "visited" or "welcomed" only someone with a role is a counterpart:
        # "visited famous French writer Maurice Druon", not "visited Hamad Town".
        passive = match.group(0).split()[0] in ("by", "in", "behalf", "from", "visited", "welcomed")
        for found in _phrase(text[match.end() :], known):
            if passive and _possessive(found.name, text):
                continue  # "visited Queen Elizabeth II's residence": a place, not a person met
            if found not in out and (found.role or not passive):
                out.append(found)
    return out


def _possessive(name: str, text: str) -> bool:
    """Is ``name`` printed as an owner ("Queen Elizabeth II's residence")?"""
    return name.endswith(("'s", "’s")) or bool(re.search(rf"\b{re.escape(name)}[’']s\b", text))


def _phrase(text: str, known, head: bool = False) -> list[Counterpart]:
    text = _ABBREVIATION.sub("", text)  # "… Standing Committee (NPC), Li Peng"
    if head:  # the subject ends where an anchor starts: "Greetings to Emir Kusturica"
        text = re.split(r"\s(?:to|with|by|from)\s", text)[0]
    text = re.split(r"[;:(«\"“—]| – |\s-\s", text)[0]  # "… Yury Lyubimov—celebrated …"
    text = _SPOUSE.sub(",", text)  # "Putin, his wife Lyudmila, … Schroeder and his wife …"
    if not head and (occupied := _by_occupation(text)):
        return [occupied]
    text = _cut(text.strip().rstrip(".!?…"))
    while text.split() and text.split()[-1].lower() in _CONNECTORS:
        text = text.rsplit(None, 1)[0] if " " in text else ""  # "… of Bulgaria and"
    segments = [s.strip() for s in re.split(r",\s*", text) if s.strip()]
    out: list[Counterpart] = []
    pending = ""  # a role printed in a segment of its own: "the North Korean leader, …"
    i = 0
    while i < len(segments):
        parts = _parts(segments[i])
        nxt = segments[i + 1] if i + 1 < len(segments) else ""
        found = []
        for part in parts:
            found += _people(part, nxt, known)
        if head:  # the subject: only someone with a role ("Israeli Prime Minister …")
            found = [(c, took) for c, took in found if c.role or c.country]
        if not found:
            if pending and _APPOSITION.match(segments[i]):  # "…, Ukraine's parliament, …"
                pending = f"{pending}, {segments[i]}"
                i += 1
                continue
            if _is_role(segments[i]) and not head:
                pending = _cut_role(segments[i])
                i += 1
                continue
            if head or out:
                break  # "… and Nursultan Nazarbayev discussed": a lone name ends it
            i += 1
            continue
        if pending:
            first = found[0][0]
            role = f"{pending}, {first.role}" if first.role else pending
            found[0] = (Counterpart(role, first.name, first.country), found[0][1])
            pending = ""
        out += [c for c, _took in found]
        i += 2 if any(took for _c, took in found) else 1
    return out


# "French author Maurice Druon", "the Brazilian author, Paulo Coelho", "famous French writer
# Maurice Druon": a nationality, a calling in lower case, then the name.
_OCCUPATION = re.compile(
    r"^(?:(?:the|a|an|famous|well-known|renowned|prominent|noted|outstanding|great)\s+)*"
    r"(?P<role>(?P<nationality>[A-Z][a-z]+)\s+(?:[a-z][a-z-]+\s+){0,2}[a-z][a-z-]+),?\s+"
    r"(?P<name>[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|bin|ibn|al|el|de|da|van|von|der|dos))*)"
)


# A calling ends the role ("author", "actress", "tenors"), not a counterpart (read
# elsewhere) or the media ("newspaper The Hindu", "TV channel …").
_CALLING = re.compile(
    r"(?<!counterpart)(?<!newspaper)(?<!magazine)(?<!channel)(?<!agency)(?<!daily)"
    r"(?<!weekly)(?<!television)(?<!situation)$"
)


def _by_occupation(text: str) -> Counterpart | None:
    """A foreigner introduced by nationality and calling, not by an office."""
    m = _OCCUPATION.match(text.strip())
    if not m or _GROUP.search(m.group("role")) or not _CALLING.search(m.group("role")):
        return None
    name = m.group("name")
    if not _looks_like_name(name) or _NOT_PEOPLE.search(name):
        return None
    nationality = geo.find_countries(m.group("nationality"), "en")
    codes = [c.code for c in nationality if c.adjective and c.code not in (geo.RUSSIA, geo.ORG)]
    return Counterpart(m.group("role"), name, codes[0]) if codes else None


# Spouses are no one's counterpart, and their names would end a list of subjects.
_SPOUSE = re.compile(
    r",?\s+(?:and\s+)?(?:his|her|their)\s+(?:wife|husband|wives|spouses?)"
    r"(?:,?\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)?(?=[\s,]|$),?"
)
# A body explained in passing: "Chairman of the Supreme Rada, Ukraine's parliament, …".
_APPOSITION = re.compile(r"^(?:the\s+)?[A-Z][\w-]*[’']s(?:\s+[a-z][a-z-]*){1,3}$")


def _parts(segment: str) -> list[str]:
    """ "Donald Trump and Salman bin Abdulaziz Al Saud": two people; "First Vice President
    and Defence Minister Mohammad Fahim": one, whose roles are joined by "and"."""
    parts: list[str] = []
    for part in re.split(r"\s+and\s+(?:the\s+)?(?=[A-Z])", segment):
        role_only = bool(parts) and not _has_name(parts[-1]) and not _looks_like_name(parts[-1])
        person = _has_name(part) or _looks_like_name(part) or bool(_NAME_OF.match(part))
        if role_only and (_is_role(parts[-1]) or not person):
            parts[-1] = f"{parts[-1]} and {part}"
        else:
            parts.append(part)
    return parts


def _has_name(part: str) -> bool:
    _role, name = split_role_name(_cut_role(part), "en", [], strict=True)
    return bool(name)


def _people(part: str, nxt: str, known) -> list[tuple[Counterpart, bool]]:
    """The person in one segment: (counterpart, whether it took the next segment too)."""
    part = _LEADING.sub("", part.strip())
    country = None
    if (m := _COUNTERPART.match(part + " ")) and not part[m.end() :] and _looks_like_name(nxt):
        codes = geo.country_codes(m.group(1) or "", "en")  # "… counterpart, Kim Jong Il"
        return [(Counterpart("", nxt, codes[0]), True)] if codes else []
    if m := _COUNTERPART.match(part):  # "his Ukrainian counterpart Leonid Kuchma"
        codes = geo.country_codes(m.group(1) or "", "en")
        country = codes[0] if codes else None
        part = part[m.end() :]
        if country is None:
            return []
    if not part or _GROUP.search(part) or not part[:1].isalpha():
        return []
    part = part[:1].upper() + part[1:]  # "head of Afghanistan's …", "president of …"
    if (m := _NAME_OF.match(part)) and not _NOT_PEOPLE.search(m.group("name")):
        codes = [c for c in geo.country_codes(m.group("place"), "en") if c != geo.RUSSIA]
        if codes and not ROLE_WORDS_EN.search(m.group("name")):  # "Heydar Aliyev of Azerbaijan"
            return [(Counterpart("", m.group("name").strip(), codes[0]), False)]
    role, name = split_role_name(part, "en", list(known), strict=True)
    if role.split()[-1:] == ["Emir"] and len(name.split()) == 1:  # "Emir Kusturica"
        return [(Counterpart("", f"Emir {name}", country), False)]
    if not name:
        role, name = _role_of_place(part)
    if role and name and not _NOT_PEOPLE.search(name):
        return [(Counterpart(role, name, country), False)]
    if _is_role(part) and _looks_like_name(nxt):  # "the President of Serbia, Boris Tadic"
        return [(Counterpart(part, nxt, country), True)]
    if ONE_NAME_ROLES.search(part) and _is_role(part) and _ONE_NAME.match(nxt):
        return [(Counterpart(part, nxt, country), True)]  # "the crown prince …, Abdullah"
    if _looks_like_name(part):
        if _is_role(nxt):  # "Roh Moo-hyun, President of the Republic of Korea"
            return [(Counterpart(_cut_role(nxt), part, country), True)]
        if country or not _NOT_PEOPLE.search(part):
            return [(Counterpart("", part, country), False)]
    return []


def _role_of_place(part: str) -> tuple[str, str]:
    """ "Minister President of Saxony Michael Kretschmer", "Governor of California Arnold
    Schwarzenegger": a role word, "of" and a place the country table does not know, then
    the name: the last two capitalised words (three with a particle)."""
    of = max(part.find(" of "), part.find(" for "))  # "UN High Commissioner for Refugees …"
    if of < 0 or not ROLE_WORDS_EN.search(part[:of]) or ROLE_WORDS_EN.search(part, of):
        return "", ""
    words = part.split()
    if len(words) < 5 or not all(w[:1].isupper() for w in words[-2:]):
        return "", ""
    n = 3 if words[-3].lower() in _CONNECTORS - {"of", "the", "and", "to", "for"} else 2
    role, name = " ".join(words[:-n]), " ".join(words[-n:])
    if not _looks_like_name(name) or role.split()[-1].lower() in _CONNECTORS:
        return "", ""
    if _BODY.search(name):
        return "", ""
    return role, name


def _is_role(text: str) -> bool:
    """ "President of the Republic of Korea", "foreign minister of Portugal", "National
    Security Adviser to the U.S. President", "the North Korean leader"."""
    text = _LEADING.sub("", text.strip())
    if not text or _GROUP.search(text):
        return False
    head = " ".join(text.split()[:4])
    return bool(_ROLE_ANY_CASE.search(head))


def _cut_role(text: str) -> str:
    words = _LEADING.sub("", text.strip()).split()
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()  # "Chairman of the Russia-Japan Society and" (member of …)
    text = " ".join(words)
    return text[:1].upper() + text[1:]


_ROLE_ANY_CASE = re.compile(ROLE_WORDS_EN.pattern, re.I)
_ONE_NAME = re.compile(r"^[A-Z][a-z’'-]{2,}(?: [IVX]+)?$")  # "Abdullah", "Tawadros II"
_NAME_WORD = re.compile(r"^(?:[A-Z][\w’'.-]*|[A-Z]\.|(?:al|el|bin|ibn|de|da|van|von|der)-?\w*)$")


def _looks_like_name(text: str) -> bool:
    """Two to six capitalised words (particles allowed), none a role, country or body."""
    words = text.split()
    if not 2 <= len(words) <= 6 or not all(_NAME_WORD.match(w) for w in words):
        return False
    if words[-1].lower() in _CONNECTORS or ROLE_WORDS_EN.search(text):
        return False
    return not geo.find_countries(text, "en")


def _in_apposition(words: list[str], i: int) -> bool:
    """Is ``words[i]`` the noun of a possessive set off by commas ("…, Ukraine's parliament,
    …"), not a clause going on ("President Emomali Rahmon’s official visit")?"""
    if i < 2 or not words[i - 2].endswith(",") or not words[i].endswith(","):
        return False
    return bool(_APPOSITION.match(f"{words[i - 1]} {words[i].rstrip(',')}"))


_NATIONAL_BODIES = frozenset(["parliament", "government", "senate", "cabinet"])


def _national_body(words: list[str], i: int) -> bool:
    """ "the Japanese parliament": a country's body inside a role, in lower case."""
    if i < 2 or words[i].strip(",").lower() not in _NATIONAL_BODIES or words[i - 2] != "the":
        return False
    return any(m.adjective for m in geo.find_countries(words[i - 1], "en"))


def _cut(phrase: str) -> str:
    """Up to the first lower-case word that is neither a connector nor a role word."""
    words = phrase.split()
    opening = True
    for i, word in enumerate(words):
        bare = word.strip(",").lower()
        if _in_apposition(words, i) or _national_body(words, i):
            continue  # "…, Ukraine's parliament, …", "member of the Japanese parliament"
        hyphenated = "-" in word and word.rsplit("-", 1)[-1][:1].isupper()  # "el-Sisi"
        opening = opening and bare in _OPENERS | {"the"}
        allowed = _CONNECTORS | _LOWER_ROLES | (_OPENERS if opening else frozenset())
        if word[:1].islower() and bare not in allowed and not hyphenated:
            return " ".join(words[:i]).strip(" ,")
    return phrase
