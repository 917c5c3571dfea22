"""Turn a saved or fetched kremlin.ru page into plain records.

A pure layer: text in, dataclasses out; no database, network or Django settings. It
reads event pages from either site (live markup or a mirror's), their print versions,
``/supplement/<id>`` pages and the text version (``/events/president/news/copy/<id>``).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field

from . import classify, geo
from .blocks import Block
from .html_page import EVENT_HREF, SUPPLEMENT_HREF, HtmlPage, looks_like_html, read_html
from .names.counterparts import counterparts_en
from .names.labels import ANONYMOUS_LABELS, QUESTION_LABELS, split_role_name
from .names.normalise import key, tag_name
from .names.registry import Registry, role_country
from .names.titles import title_people
from .records import (
    PageSkipped,
    ParsedDocument,
    ParsedMeeting,
    ParsedSupplement,
    ParsedUtterance,
    ParseError,
)
from .text import clean_record, decode
from .text_version import TextPage, looks_like_text_version, read_text_version

__all__ = ["ParseError", "parse_page"]

_HOST = {"en": "http://en.kremlin.ru", "ru": "http://kremlin.ru"}
_URL = re.compile(r"^(?:https?:)?(?://)?(?:www\.)?(en\.)?kremlin\.ru(/[^?#]*)?", re.I)
_EVENT_PATH = re.compile(r"/events/president/(?:news|transcripts)/(?:copy/)?(\d+)")
_DOCS_HEADING = re.compile(
    r"^(?:documents signed|documents adopted|signed documents|list of documents"
    r"|документы,? подписанн|подписанные документы|список документов|документы,? принят)",
    re.I,
)
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}[.)]|[-•–—])\s*")


def parse_page(
    data: bytes | str, *, url: str | None = None, source: str = ""
) -> ParsedMeeting | ParsedSupplement:
    """Parse one page; raise ParseError (one line, naming ``source``) if it is not one."""
    source = source or url or ""
    text = decode(data, source)  # pages.parse_bytes decodes first to report a stray byte
    return clean_record(_parse_text(text, url, source))


def _parse_text(text: str, url: str | None, source: str) -> ParsedMeeting | ParsedSupplement:
    if looks_like_text_version(text):
        return _meeting_from_text(read_text_version(text, source), source)
    if not looks_like_html(text):
        raise ParseError(f"{source + ': ' if source else ''}not a kremlin.ru page: no HTML markup")
    _refuse_other_pages(text, url)
    page = read_html(text, source)
    language, kind, kremlin_id = _identity(page, url, source)
    if kind == "supplement":
        return _supplement(page, language, kremlin_id, source)
    if page.announcement:
        raise PageSkipped("announcement")
    return _meeting_from_html(page, language, kremlin_id, source)


# Pages of the site that are not events: skipped with a reason, not failed.
_OTHER_PAGES = (
    (re.compile(r"/events/president/news/\d+/photos(?:/|$)"), "photo page"),
    (re.compile(r"/events/president/news/\d+/videos(?:/|$)"), "video page"),
    (re.compile(r"/events/president/(?:news|transcripts)/?(?:page/\d+)?/?$"), "listing page"),
)
_PAGE_URL = re.compile(
    r"""<meta\s+property=["']og:url["']\s+content=["']([^"']+)|<link\s+rel=["']canonical["']"""
    r"""\s+href=["']([^"']+)""",
    re.I,
)


def _refuse_other_pages(text: str, url: str | None) -> None:
    """Photo, video and listing pages of the site: :class:`PageSkipped` with what they are."""
    found = _PAGE_URL.search(text[:20000])
    for candidate in (url or "", *(found.groups() if found else ())):
        if not candidate:
            continue
        path = urllib.parse.urlsplit(candidate).path
        for pattern, reason in _OTHER_PAGES:
            if pattern.search(path):
                raise PageSkipped(reason)


# --- identity ------------------------------------------------------------------------


def _identity(page: HtmlPage, url: str | None, source: str) -> tuple[str, str, int]:
    where = f"{source}: " if source else ""
    language = ""
    for candidate in [url or "", *page.url_hints]:
        m = _URL.match(candidate)
        if not m:
            continue
        language = language or ("en" if m.group(1) else "ru")
        path = m.group(2) or ""
        if sm := SUPPLEMENT_HREF.search(path):
            return language, "supplement", int(sm.group(1))
        if em := _EVENT_PATH.search(path):
            return language, "event", int(em.group(1))
    if m := re.match(r"(event|supplement)-(\d+)$", page.article_id):
        return language or page.language or "ru", m.group(1), int(m.group(2))
    raise ParseError(f"{where}not a kremlin.ru event page: no event id in its URL or markup")


def _canonical(language: str, kremlin_id: int) -> str:
    return f"{_HOST[language]}/events/president/news/{kremlin_id}"


def _absolute(href: str, language: str) -> str:
    if href.startswith(("http://", "https://")):
        return href
    if m := SUPPLEMENT_HREF.search(href):
        return f"{_HOST[language]}/supplement/{m.group(1)}"
    return href


# --- meetings ------------------------------------------------------------------------


def _meeting_from_html(page: HtmlPage, language: str, kremlin_id: int, source: str):
    where = f"{source}: " if source else ""
    if language not in _HOST:
        language = page.language if page.language in _HOST else "ru"
    if not page.title or page.date is None:
        raise ParseError(f"{where}not a kremlin.ru event page: no title or publication date")
    meeting = ParsedMeeting(
        kremlin_id=kremlin_id,
        language=language,
        source_url=_canonical(language, kremlin_id),
        title=page.title,
        date=page.date,
        time=page.time,
        place=page.place,
        lead=page.lead,
    )
    tagged = [code for code, _name in page.countries if code != geo.RUSSIA]
    _fill(meeting, page.blocks, tags=page.persons, links=page.person_links, tagged=tagged)
    _set_countries(meeting, page.countries)
    _related(meeting, page)
    return meeting


def _meeting_from_text(page: TextPage, source: str) -> ParsedMeeting:
    meeting = ParsedMeeting(
        kremlin_id=page.kremlin_id,
        language=page.language,
        source_url=_canonical(page.language, page.kremlin_id),
        title=page.title,
        date=page.date,
        time=page.time,
        place=page.place,
        lead=page.lead,
    )
    _fill(meeting, page.blocks, tags=[], links=[])
    _set_countries(meeting, [])
    return meeting


def _set_countries(meeting: ParsedMeeting, tagged: list[tuple[str, str]]) -> None:
    """Geography tags are authoritative. Without them: countries the title names, then the
    countries of the people met (roles from the title, the lead's "with …" and the labels),
    so a domestic lead that merely mentions a country does not make the meeting foreign."""
    language = meeting.language
    roles = [p.role for p in meeting.participants if p.role]
    if tagged:
        pairs = [(code, name) for code, name in tagged if code != geo.RUSSIA]
    else:
        pairs = []
        mentions = [m for t in (meeting.title, *roles) for m in geo.find_countries(t, language)]
        for m in mentions:
            if m.code not in (geo.ORG, geo.RUSSIA) and all(m.code != c for c, _ in pairs):
                nominative = m.adjective or language == "ru"
                name = geo.country_name(m.code, language) if nominative else m.text
                pairs.append((m.code, name))
    meeting.countries = [code for code, _ in pairs]
    meeting.country_names = dict(pairs)
    organisation = any(geo.mentions_organisation(t, language) for t in (meeting.title, *roles))
    meeting.kind = classify.meeting_kind(meeting.title, meeting.lead)
    posted = re.sub(r"\b(?:Ambassador|Envoy|Посол\w*) (?:to|в) .*$", "", meeting.title)
    named = tuple(
        m.code for m in geo.find_countries(posted, language) if m.code not in (geo.ORG, geo.RUSSIA)
    )
    meeting.domestic_reason = classify.domestic_reason(meeting, organisation, named)
    meeting.is_domestic = bool(meeting.domestic_reason)


@dataclass
class _Turn:
    block: Block
    section: str
    paragraphs: list[str] = field(default_factory=list)


def _fill(meeting: ParsedMeeting, blocks: list[Block], tags, links, tagged=()) -> None:
    blocks = _bold_headings(blocks)
    registry = Registry(meeting.language, meeting.date, [b.label for b in blocks if b.label])
    page_text = " ".join([meeting.title, meeting.lead, *(b.text for b in blocks[:40])])
    _tag_participants(registry, meeting.language, tags, links, page_text)
    first = _first_sentence(meeting.lead or next((b.text for b in blocks if not b.label), ""))
    if not tagged:  # an early page without tags: the countries its title names
        tagged = [c for c in geo.country_codes(meeting.title, meeting.language) if c != geo.RUSSIA]
    if meeting.language == "en":
        _counterparts(registry, meeting.title, tagged)
    else:
        _title_participants(registry, meeting.title)
    for block in blocks:
        if block.label:
            registry.add_label(block.label, block.links)
    if meeting.language == "en":
        _counterparts(registry, first, tagged)
        abroad = classify.meeting_kind(meeting.title, meeting.lead) in _BODY_KINDS
        places = tagged or [
            c for c in geo.country_codes(meeting.lead, meeting.language) if c != geo.RUSSIA
        ]  # "Vladimir Putin arrived in New Delhi", untagged: "… arrived in India"
        if abroad and places and not _foreign_participant(registry):
            _body_counterparts(registry, meeting.lead, blocks)
    else:
        _title_participants(registry, first)
    _president(registry, meeting, blocks)
    meeting.participants = registry.finish()
    if len(tagged) == 1:  # "Federal Chancellor Gerhard Schroeder" on a page about Germany,
        for person in meeting.participants:  # "at the invitation of President Jacob Zuma"
            head = person.role == "President" and person.name != registry.president
            if person.country is None and (head or classify.foreign_title(person.role)):
                person.country = tagged[0]
    meeting.utterances, titles = _utterances(blocks, registry)
    meeting.documents = [_document(t, meeting.language) for t in titles]


def _title_participants(registry: Registry, text: str) -> None:
    """People introduced as "with <role> <name>" in the title or the lead's first sentence."""
    for role, name, printed in title_people(text, registry.lang, registry.names()):
        registry.add(name, role=role, alias=printed if printed != name else "")


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[a-z)][.!?])\s", text, maxsplit=1)[0]


def _counterparts(registry: Registry, text: str, tagged) -> None:
    """The foreign side named in an English title or lead (see names/counterparts.py); a
    name printed with no role or country takes the page's only foreign country."""
    only = tagged[0] if len(tagged) == 1 else None
    surname = key(registry.president.split()[-1])
    everyone = counterparts_en(text, registry.names(), subject=True)
    bare = [f for f in everyone if not f.role and not f.country]
    bare = [f for f in bare if key(f.name.split()[-1]) != surname]
    if len(bare) > 1:
        only = None  # "Vladimir Putin, Emmanuel Macron, Angela Merkel and …": not all French
    for found in everyone:
        name = found.name
        if name.endswith(" " + registry.president) and len(name.split()) >= 4:
            name = name[: -len(registry.president)].strip()  # "… Sergei Shoigu Vladimir Putin"
        if key(re.sub(r"[’']s$", "", name.split()[-1])) == surname:
            continue  # the host, said with a role of his own ("President Vladimir Putin")
        country = found.country or (None if found.role else only)
        registry.add(name, role=found.role, country=country)


_BODY_PARAGRAPHS = 6  # the foreign side of a visit is named early, if at all
_BODY_KINDS = ("visit", "talks", "summit", "telephone", "press")


def _foreign_participant(registry: Registry) -> bool:
    return any(
        (role_country(p.role, registry.lang) if p.role and not p.country else p.country)
        not in (None, geo.RUSSIA)
        for p in registry.people
    )


def _body_counterparts(registry: Registry, lead: str, blocks: list[Block]) -> None:
    """A visit, talks, a summit, a call or a news conference tagged with a foreign country
    but with no one from abroad in the title or the lead's first sentence ("Vladimir Putin
    arrived in China"): the foreign side as the lead's other sentences and the first
    paragraphs name it ("… will hold talks with President of the People's Republic of China
    Xi Jinping"); only people whose role places them in a foreign country."""
    paragraphs = [lead, *(b.text for b in blocks if not b.label and b.kind == "para")]
    surname = key(registry.president.split()[-1])
    for paragraph in paragraphs[: _BODY_PARAGRAPHS + 1]:
        for sentence in re.split(r"(?<=[a-z)][.!?])\s", paragraph):
            for found in counterparts_en(sentence, registry.names()):
                if key(found.name.split()[-1]) == surname:
                    continue  # "Mr Putin and Mr Shinawatra were present …": the host
                role = found.role
                country = found.country or (role_country(role, registry.lang) if role else None)
                if country not in (None, geo.RUSSIA):
                    registry.add(found.name, role=found.role, country=country)


def _tag_participants(registry, language: str, tags, links, page_text: str) -> None:
    by_id = {link.kremlin_id: link for link in links if link.kremlin_id}
    for kremlin_id, printed in tags:
        link = by_id.get(kremlin_id)
        name = tag_name(printed, page_text)
        role = ""
        if language == "en" and link and len(link.text.split()) > 1 and name not in page_text:
            name = link.text
            role, bare = split_role_name(name, language, [], strict=True)
            name = bare if bare and role else name  # "King Abdullah II of Jordan"
            role = role if bare else ""
        registry.add(name, role=role, alias=printed, kremlin_id=kremlin_id)


def _president(registry: Registry, meeting: ParsedMeeting, blocks: list[Block]) -> None:
    """The host takes part when a label, the title or the lead names him."""
    surname = registry.president.split()[-1]
    if registry.find(registry.president) is not None:
        return
    texts = [meeting.title, meeting.lead, *(b.text for b in blocks[:3] if not b.label)]
    if meeting.language == "ru":
        from . import morph

        present = any(
            "путин" in morph.lemmas(w) or surname.lower() in morph.lemmas(w)
            for t in texts
            for w in re.findall(r"[А-ЯЁ][а-яё]+", t)
        )
    else:
        present = any(re.search(rf"\b{surname}\b", t) for t in texts)
    if present:
        registry.add(registry.president)


def _utterances(blocks: list[Block], registry: Registry):
    out: list[ParsedUtterance] = []
    documents: list[str] = []
    section = ""
    turn: _Turn | None = None
    narrative: list[str] = []
    in_documents = False

    def flush() -> None:
        nonlocal turn, narrative
        if turn is not None:
            out.append(_speech(turn, registry, len(out) + 1))
            turn = None
        if narrative:
            out.append(ParsedUtterance(len(out) + 1, "narrative", "\n".join(narrative), section))
            narrative = []

    for block in blocks:
        if in_documents and _is_document_line(block):
            documents.append(block.text)
            continue
        in_documents = False
        if _is_documents_heading(block):
            flush()
            in_documents = True
        elif block.kind == "separator":
            flush()
        elif block.kind == "heading":
            flush()
            section = block.text
        elif block.kind == "omission":
            flush()
            out.append(ParsedUtterance(len(out) + 1, "omission", "<…>", section))
        elif block.label:
            flush()
            turn = _Turn(block, section, [block.text] if block.text else [])
        elif turn is not None:
            turn.paragraphs.append(block.text)
        else:
            narrative.append(block.text)
    flush()
    return out, documents


def _bold_headings(blocks: list[Block]) -> list[Block]:
    """ "<b>Statements following the meeting:</b>" with nothing after it and no speech
    following is a heading that happens to end in a colon, not a speaker label."""
    out = []
    for i, block in enumerate(blocks):
        following = blocks[i + 1 : i + 2]
        ends = not following or bool(following[0].label) or following[0].kind != "para"
        if block.label and not block.text and ends:
            block = Block("heading", block.label)
        out.append(block)
    return out


def _is_documents_heading(block: Block) -> bool:
    """ "Documents signed during the visit:" as a heading, a bold line or a short paragraph."""
    text = block.label if block.label and not block.text else block.text
    if block.label and block.text or not _DOCS_HEADING.match(text):
        return False
    return block.kind == "heading" or bool(block.label) or len(text) < 150 and text[-1] in ":."


def _is_document_line(block: Block) -> bool:
    if block.kind not in ("item", "para") or block.label:
        return False
    title = _NUMBERING.sub("", block.text)
    return bool(_NUMBERING.match(block.text)) or classify.document_kind(title) != "other"


def _speech(turn: _Turn, registry: Registry, position: int) -> ParsedUtterance:
    label = turn.block.label
    is_question = bool(QUESTION_LABELS.match(label))
    speaker = None
    if not ANONYMOUS_LABELS.match(label):
        link_id = turn.block.links[-1].kremlin_id if turn.block.links else None
        speaker = registry.find(label, link_id)
        if speaker is None:
            _role, name = split_role_name(label, registry.lang, registry.names())
            speaker = registry.find(name) if name else None
    return ParsedUtterance(
        position=position,
        kind="question" if is_question else "speech",
        text="\n".join(turn.paragraphs),
        section=turn.section,
        speaker_label=label,
        speaker=speaker,
        translation_note=turn.block.note,
    )


# --- documents -----------------------------------------------------------------------


def _document(title: str, language: str, url: str = "", supplement_id: int | None = None):
    title = _NUMBERING.sub("", title).strip().rstrip(";.,")
    parties = []
    for m in geo.find_countries(title, language):
        if m.code != geo.ORG and not m.adjective and m.text not in parties:
            parties.append(m.text)
    return ParsedDocument(
        title=title,
        kind=classify.document_kind(title),
        url=url,
        supplement_id=supplement_id,
        parties=parties,
    )


_KREMLIN_HOSTS = {"", "kremlin.ru", "www.kremlin.ru", "en.kremlin.ru", "www.en.kremlin.ru"}


def _supplement_link(href: str) -> int | None:
    """The supplement id of a link to kremlin.ru's own /supplement/N (relative or absolute);
    a /supplement/N on any other host is not a kremlin.ru signed-documents page."""
    m = SUPPLEMENT_HREF.search(href)
    if not m:
        return None
    try:
        host = (urllib.parse.urlsplit(href.strip()).hostname or "").lower()
    except ValueError:
        return None
    return int(m.group(1)) if host in _KREMLIN_HOSTS else None


def _related(meeting: ParsedMeeting, page: HtmlPage) -> None:
    for href, title in page.related:
        supplement_id = _supplement_link(href)
        if supplement_id is None:
            continue
        if supplement_id not in meeting.supplement_ids:
            meeting.supplement_ids.append(supplement_id)
        if classify.is_document_title(title):
            url = _absolute(href, meeting.language)
            meeting.documents.append(_document(title, meeting.language, url, supplement_id))
    for href in page.links:  # "<a href="/supplement/1234">documents</a>" in the text
        supplement_id = _supplement_link(href)
        if supplement_id is not None and supplement_id not in meeting.supplement_ids:
            meeting.supplement_ids.append(supplement_id)


def _supplement(page: HtmlPage, language: str, supplement_id: int, source: str):
    where = f"{source}: " if source else ""
    if not page.title:
        raise ParseError(f"{where}not a kremlin.ru supplement page: no title")
    language = language if language in _HOST else page.language or "ru"
    url = f"{_HOST[language]}/supplement/{supplement_id}"
    supplement = ParsedSupplement(supplement_id, language, url, page.title)
    for href in page.links:
        if (m := EVENT_HREF.search(href)) and int(m.group(1)) not in supplement.meeting_ids:
            supplement.meeting_ids.append(int(m.group(1)))
    if classify.is_document_title(page.title):
        supplement.documents.append(_document(page.title, language, url, supplement_id))
    elif not classify.PARTICIPANT_LIST.search(page.title):
        for block in page.blocks:
            listed = block.kind in ("item", "para") and not block.label
            if listed and classify.document_kind(_NUMBERING.sub("", block.text)) != "other":
                supplement.documents.append(_document(block.text, language, url, supplement_id))
    return supplement
