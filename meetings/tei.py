"""ParlaMint-style TEI: one meeting as a ``TEI`` document, and the corpus root (a
``teiCorpus`` with the people in a ``listPerson`` and the countries in a ``listOrg``).

The shape follows the ParlaMint schema (``Schema/ParlaMint-TEI.rng`` in
clarin-eric/ParlaMint, kept under ``tests/schemas/parlamint/`` and checked by
``tests/test_tei.py``): a header with the title, the kremlin.ru event id as the
``meeting``, extent, publisher, licence (CC BY 4.0) with the attribution, the source page,
the date and the place; the transcript as one ``div type="debateSection"`` per section,
each turn a ``u who="#…"`` with one ``seg`` per paragraph; narrative as ``note``, an
omission as ``gap``. A section with no turn is a ``commentSection``.

Pure functions of model rows (read with ``exporting.export_queryset``): no request, no
cache, so the view and the bulk download build the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from itertools import groupby

from lxml import etree

from meetings import exporting
from meetings.models import Country, Meeting, Participant, Utterance, UtteranceKind

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XI_NS = "http://www.w3.org/2001/XInclude"
LICENCE = "http://creativecommons.org/licenses/by/4.0/"
PROJECT = "Kremlin Meetings"
ATTRIBUTION = {
    "en": "Texts: President of Russia, kremlin.ru, licensed under CC BY 4.0.",
    "ru": "Тексты: Президент России, kremlin.ru, лицензия CC BY 4.0.",
}
PROJECT_DESC = (
    "Diplomatic meetings published on kremlin.ru and en.kremlin.ru, imported by Kremlin "
    "Meetings: the transcript's turns as printed, speakers resolved across meetings."
)
CORPUS_ID = "KremlinMeetings"


def _tag(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


# Attribute names as given to _el (``xml_lang`` for ``xml:lang``), resolved once each: the
# bulk download builds some 5 million elements.
_ATTRIBUTES: dict[str, str] = {}


def _attribute(key: str) -> str:
    name = _ATTRIBUTES.get(key)
    if name is None:
        name = _ATTRIBUTES[key] = f"{{{XML_NS}}}{key[4:]}" if key.startswith("xml_") else key
    return name


def _el(parent, tag: str, text: str | None = None, /, **attrs: str):
    element = etree.SubElement(
        parent, _tag(tag), {_attribute(key): value for key, value in attrs.items()}
    )
    if text is not None:
        element.text = text
    return element


def normalized(text: str) -> str:
    """Text as the schema's ``normalized-space.string``: single spaces, no tab or newline."""
    return " ".join((text or "").split())


def document_id(meeting: Meeting) -> str:
    return f"{CORPUS_ID}_{meeting.language}_{meeting.kremlin_id}"


def file_name(meeting: Meeting) -> str:
    return f"{document_id(meeting)}.xml"


def person_id(participant_id: int) -> str:
    return f"KM.person.{participant_id}"


def country_id(code: str) -> str:
    return f"KM.country.{code}"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()] or [""]


def _section_divs(body, meeting: Meeting, turns: list[Utterance], tags: Counter) -> None:
    doc = document_id(meeting)
    for section, group in groupby(turns, key=lambda u: u.section):
        items = list(group)
        speaks = any(u.speaker_label for u in items)
        div = _el(body, "div", type="debateSection" if speaks else "commentSection")
        tags["div"] += 1
        if normalized(section):
            _el(div, "head", normalized(section))
            tags["head"] += 1
        for u in items:
            if u.speaker_label:
                attrs = {"ana": f"#{u.kind}", "n": normalized(u.speaker_label) or "?"}
                if u.speaker_id:
                    attrs["who"] = f"#{person_id(u.speaker_id)}"
                element = _el(div, "u", xml_id=f"{doc}.u{u.position}", **attrs)
                tags["u"] += 1
                for paragraph in _paragraphs(u.text):
                    _el(element, "seg", paragraph)
                    tags["seg"] += 1
            elif u.kind == UtteranceKind.OMISSION:
                gap = _el(div, "gap", reason="editorial")
                description = normalized(u.text) or "…"
                _el(gap, "desc", description, xml_lang=meeting.language)
                tags["gap"] += 1
                tags["desc"] += 1
            else:
                _el(div, "note", u.text.strip(), type="narrative")
                tags["note"] += 1


def meeting_tei(
    meeting: Meeting,
    *,
    page_url: str,
    today: dt.date | None = None,
    countries: dict[str, Country] | None = None,
) -> bytes:
    """One meeting as a ParlaMint-style ``TEI`` document (UTF-8 bytes). ``meeting`` comes
    from ``exporting.export_queryset`` (participants, countries and turns prefetched);
    ``countries`` by code, when the caller has them all (the corpus: no query per meeting)."""
    lang = meeting.language
    if countries is None:
        countries = {c.code: c for c in Country.objects.filter(meeting_links__meeting=meeting)}
    today = today or dt.date.today()
    turns = exporting.related(meeting, "utterances")
    root = etree.Element(_tag("TEI"), nsmap={None: TEI_NS})
    root.set(f"{{{XML_NS}}}id", document_id(meeting))
    root.set(f"{{{XML_NS}}}lang", lang)
    root.set("ana", f"#KM.meeting #KM.{meeting.kind}")
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    title = normalized(meeting.title) or str(meeting.kremlin_id)
    _el(title_stmt, "title", title, type="main", xml_lang=lang)
    _el(title_stmt, "meeting", str(meeting.kremlin_id), ana="#KM.event", n=str(meeting.kremlin_id))
    edition = _el(file_desc, "editionStmt")
    _el(edition, "edition", "1")
    extent = _el(file_desc, "extent")
    speeches = sum(1 for u in turns if u.speaker_label)
    words = sum(len(u.text.split()) for u in turns if u.speaker_label)
    _el(extent, "measure", f"{speeches}", unit="speeches", quantity=str(speeches), xml_lang="en")
    _el(extent, "measure", f"{words}", unit="words", quantity=str(words), xml_lang="en")
    publication = _el(file_desc, "publicationStmt")
    publisher = _el(publication, "publisher")
    _el(publisher, "orgName", PROJECT, xml_lang="en")
    _el(publication, "idno", page_url, type="URI")
    availability = _el(publication, "availability", status="free")
    _el(availability, "licence", LICENCE)
    _el(availability, "p", ATTRIBUTION[lang], xml_lang=lang)
    _el(publication, "date", today.isoformat(), when=today.isoformat())
    source = _el(_el(file_desc, "sourceDesc"), "bibl")
    _el(source, "title", title, type="main", xml_lang=lang)
    _el(_el(source, "publisher"), "orgName", "President of Russia, kremlin.ru", xml_lang="en")
    _el(source, "idno", meeting.source_url, type="URI")
    _el(source, "date", meeting.date.isoformat(), when=meeting.date.isoformat())

    body_tags: Counter = Counter()
    text = etree.Element(_tag("text"), ana=f"#KM.{meeting.kind}")
    body = _el(text, "body")
    _section_divs(body, meeting, turns, body_tags)
    if not len(body):  # a news item without a transcript
        div = _el(body, "div", type="commentSection")
        _el(div, "note", title, type="summary")
        body_tags.update({"div": 1, "note": 1})
    body_tags.update({"text": 1, "body": 1})

    encoding = _el(header, "encodingDesc")
    _el(_el(encoding, "projectDesc"), "p", PROJECT_DESC, xml_lang="en")
    namespace = _el(_el(encoding, "tagsDecl"), "namespace", name=TEI_NS)
    for gi in sorted(body_tags):
        _el(namespace, "tagUsage", gi=gi, occurs=str(body_tags[gi]))
    setting = _el(_el(_el(header, "profileDesc"), "settingDesc"), "setting")
    if normalized(meeting.place):
        _el(setting, "name", normalized(meeting.place), type="place", xml_lang=lang)
    for link in exporting.related(meeting, "country_links"):
        country = countries.get(link.country_id)
        name = link.country_id
        if country is not None:
            name = normalized(getattr(country, f"name_{lang}", "") or country.name_en) or name
        _el(setting, "name", name, type="country", key=link.country_id)
    if not len(setting):
        _el(setting, "name", "kremlin.ru", type="source")
    _el(setting, "date", meeting.date.isoformat(), when=meeting.date.isoformat())
    root.append(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# The corpus root ----------------------------------------------------------------------------


def list_person(people: Iterable[Participant]):
    """``listPerson``: each person with their names and their kremlin.ru id."""
    element = etree.Element(_tag("listPerson"), nsmap={None: TEI_NS})
    element.set(f"{{{XML_NS}}}id", "KM.listPerson")
    element.set(f"{{{XML_NS}}}lang", "en")
    for participant in people:
        person = _el(element, "person", xml_id=person_id(participant.pk))
        spelled = {("en", participant.name_en), ("ru", participant.name_ru)}
        names = sorted((lang, normalized(n)) for lang, n in spelled if normalized(n))
        for lang, name in names or [("en", normalized(participant.name) or "?")]:
            _el(_el(person, "persName", xml_lang=lang), "term", name)
        if participant.kremlin_person_id is not None:
            _el(
                person,
                "idno",
                f"http://kremlin.ru/catalog/persons/{participant.kremlin_person_id}/events",
                type="URI",
                subtype="kremlin",
            )
    return element


def list_org(countries: Iterable[Country]):
    """``listOrg``: the countries, as ``org role="country"``."""
    element = etree.Element(_tag("listOrg"), nsmap={None: TEI_NS})
    element.set(f"{{{XML_NS}}}id", "KM.listOrg")
    element.set(f"{{{XML_NS}}}lang", "en")
    for country in countries:
        org = _el(element, "org", xml_id=country_id(country.code), role="country")
        _el(org, "orgName", normalized(country.name_en) or country.code, xml_lang="en", full="yes")
        if normalized(country.name_ru):
            _el(org, "orgName", normalized(country.name_ru), xml_lang="ru", full="yes")
    return element


def corpus_root(
    files: Iterable[str],
    people: Iterable[Participant],
    countries: Iterable[Country],
    *,
    today: dt.date | None = None,
) -> bytes:
    """The ``teiCorpus``: a header with the people and countries, and an ``xi:include`` of
    each meeting's file."""
    today = today or dt.date.today()
    root = etree.Element(_tag("teiCorpus"), nsmap={None: TEI_NS, "xi": XI_NS})
    root.set(f"{{{XML_NS}}}id", CORPUS_ID)
    root.set(f"{{{XML_NS}}}lang", "en")
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    _el(_el(file_desc, "titleStmt"), "title", "Kremlin Meetings corpus", type="main", xml_lang="en")
    publication = _el(file_desc, "publicationStmt")
    _el(_el(publication, "publisher"), "orgName", PROJECT, xml_lang="en")
    availability = _el(publication, "availability", status="free")
    _el(availability, "licence", LICENCE)
    _el(availability, "p", ATTRIBUTION["en"], xml_lang="en")
    _el(publication, "date", today.isoformat(), when=today.isoformat())
    _el(_el(_el(file_desc, "sourceDesc"), "bibl"), "title", "kremlin.ru", type="main")
    particulars = _el(_el(header, "profileDesc"), "particDesc")
    countries, people = list(countries), list(people)
    if countries:  # the schema wants at least one org, one person in a list
        particulars.append(list_org(countries))
    if people:
        particulars.append(list_person(people))
    files = iter(files)
    first = next(files, None)
    if first is None:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    # One include in the tree, the others written as its serialized line repeated: a tree
    # of 100,000 includes took more memory than the rest of the bulk download together.
    etree.SubElement(root, f"{{{XI_NS}}}include").set("href", first)
    text = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    head, line, tail = _split_last_line(text, b"</teiCorpus>")
    return b"".join([head, line, *(_include_line(line, first, name) for name in files), tail])


_PLAIN = re.compile(r"[\w.\-]+", re.ASCII)


def _split_last_line(text: bytes, closing: bytes) -> tuple[bytes, bytes, bytes]:
    """``text`` as (everything before its last child's line, that line, the closing tag's
    line): pretty-printed, the last child is the line before ``closing``."""
    end = text.rindex(closing)
    start = text.rindex(b"\n", 0, end - 1) + 1
    return text[:start], text[start:end], text[end:]


def _include_line(line: bytes, first: str, name: str) -> bytes:
    """The serialized include of ``first`` made ``name``'s, exactly as lxml would write it
    (a name with a character it would escape is serialized by lxml itself)."""
    if _PLAIN.fullmatch(name) and _PLAIN.fullmatch(first):
        return line.replace(f'href="{first}"'.encode(), f'href="{name}"'.encode(), 1)
    include = etree.Element(f"{{{XI_NS}}}include", nsmap={"xi": XI_NS})
    include.set("href", name)
    indent = line[: len(line) - len(line.lstrip())]
    return indent + etree.tostring(include).replace(f' xmlns:xi="{XI_NS}"'.encode(), b"") + b"\n"
