"""ParlaMint TEI (meetings/tei.py): one meeting at /meetings/<lang>/<id>.tei.xml, valid
against the ParlaMint RelaxNG schema (tests/schemas/parlamint/, read from
clarin-eric/ParlaMint) on real pages in both languages; the corpus root's listPerson and
listOrg valid against their ParlaMint definitions."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from meetings import exporting, tei
from meetings.models import Country, Meeting, Participant
from tests import real_pages

SCHEMAS = Path(__file__).parent / "schemas"
NS = {"tei": tei.TEI_NS}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def pages(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), real_pages.imported() as summary:
        yield summary


@pytest.fixture(scope="module")
def component_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "parlamint" / "ParlaMint-TEI.rng")))


def tei_of(client, meeting: Meeting) -> etree._Element:
    response = client.get(
        reverse("meetings:meeting_tei", args=[meeting.language, meeting.kremlin_id])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/tei+xml")
    return etree.fromstring(response.content)


def test_every_imported_meeting_is_valid_parlamint_tei_in_both_languages(
    client, component_schema, pages
):
    meetings = list(Meeting.objects.order_by("language", "kremlin_id"))
    assert {m.language for m in meetings} == {"en", "ru"}
    assert len(meetings) == pages.created > 40  # domestic events are skipped
    invalid = {}
    for meeting in meetings:
        if not component_schema.validate(tei_of(client, meeting)):
            invalid[f"{meeting.language}/{meeting.kremlin_id}"] = str(component_schema.error_log)
    assert invalid == {}


def test_russian_meeting_turns_are_u_with_who_and_a_seg_per_paragraph(client):
    meeting = Meeting.objects.get(language="ru", kremlin_id=real_pages.RUSSIAN_ID)
    doc = tei_of(client, meeting)
    assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    turns = list(meeting.utterances.exclude(speaker_label="").order_by("position"))
    us = doc.findall(".//tei:u", NS)
    assert len(us) == len(turns) > 0
    for u, turn in zip(us, turns, strict=True):
        assert u.get("n") == " ".join(turn.speaker_label.split())
        if turn.speaker_id:
            assert u.get("who") == f"#KM.person.{turn.speaker_id}"
        segs = [seg.text or "" for seg in u.findall("tei:seg", NS)]
        assert segs == [p.strip() for p in turn.text.split("\n") if p.strip()]
    assert any(turn.speaker_id for turn in turns)  # so the who= check above ran


def test_header_names_the_source_the_licence_and_the_attribution(client):
    meeting = Meeting.objects.get(language="en", kremlin_id=51266)
    doc = tei_of(client, meeting)
    header = doc.find("tei:teiHeader", NS)
    assert header.findtext(".//tei:titleStmt/tei:title", namespaces=NS) == " ".join(
        meeting.title.split()
    )
    assert header.findtext(".//tei:sourceDesc//tei:idno", namespaces=NS) == meeting.source_url
    assert (
        header.findtext(".//tei:licence", namespaces=NS)
        == "http://creativecommons.org/licenses/by/4.0/"
    )
    assert "President of Russia, kremlin.ru" in header.findtext(
        ".//tei:availability/tei:p", namespaces=NS
    )
    page = header.findtext(".//tei:publicationStmt/tei:idno", namespaces=NS)
    assert page == f"http://testserver{meeting.get_absolute_url()}"
    setting = header.find(".//tei:setting", NS)
    assert setting.find("tei:date", NS).get("when") == meeting.date.isoformat()
    codes = {n.get("key") for n in setting.findall("tei:name[@type='country']", NS)}
    assert codes == set(meeting.country_links.values_list("country_id", flat=True))


def test_sections_are_divs_with_their_heading_and_narrative_is_a_note(client):
    meeting = Meeting.objects.filter(utterances__kind="narrative", language="en").distinct().first()
    assert meeting is not None
    doc = tei_of(client, meeting)
    sections = list(
        dict.fromkeys(meeting.utterances.order_by("position").values_list("section", flat=True))
    )
    divs = doc.findall(".//tei:body/tei:div", NS)
    assert len(divs) == len(sections)
    heads = [div.findtext("tei:head", namespaces=NS) for div in divs]
    assert heads == [" ".join(s.split()) or None for s in sections]
    narratives = meeting.utterances.filter(kind="narrative").count()
    assert len(doc.findall(".//tei:note[@type='narrative']", NS)) == narratives


def test_no_such_meeting_or_language_is_404(client):
    assert client.get("/meetings/en/1.tei.xml").status_code == 404
    assert client.get("/meetings/xx/51266.tei.xml").status_code == 404


@pytest.mark.parametrize(
    "names",
    [
        [],
        ["KremlinMeetings_en_1.xml"],
        [f"KremlinMeetings_ru_{n}.xml" for n in range(1, 400)],
        ["KremlinMeetings_en_2.xml", 'odd "name" & <more>.xml', "tab\there.xml"],
    ],
)
def test_corpus_root_includes_every_file_in_order_as_lxml_writes_them(names):
    people = list(Participant.objects.order_by("id")[:5])
    countries = list(Country.objects.order_by("code")[:5])
    written = tei.corpus_root(names, people, countries)
    root = etree.fromstring(written)
    includes = root.findall("{http://www.w3.org/2001/XInclude}include")
    assert [i.get("href") for i in includes] == names
    assert written == etree.tostring(  # byte for byte what serializing the tree gives
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def test_corpus_root_lists_people_and_countries_valid_against_parlamint():
    lists = etree.RelaxNG(etree.parse(str(SCHEMAS / "parlamint-lists.rng")))
    people = list(Participant.objects.order_by("id"))
    countries = list(Country.objects.order_by("code"))
    meetings = exporting.export_queryset(Meeting.objects.all())
    names = [tei.file_name(m) for m in meetings]
    root = etree.fromstring(tei.corpus_root(names, people, countries))
    list_person = root.find(".//tei:listPerson", NS)
    list_org = root.find(".//tei:listOrg", NS)
    assert lists.validate(list_person), lists.error_log
    assert lists.validate(list_org), lists.error_log
    assert len(list_person) == len(people)
    ids = {p.get("{http://www.w3.org/XML/1998/namespace}id") for p in list_person}
    assert ids == {f"KM.person.{p.pk}" for p in people}
    includes = root.findall("{http://www.w3.org/2001/XInclude}include")
    assert sorted(i.get("href") for i in includes) == sorted(names)
    tagged = [p for p in people if p.kremlin_person_id]
    idnos = {i.text for i in list_person.iter(f"{{{tei.TEI_NS}}}idno")}
    assert idnos == {
        f"http://kremlin.ru/catalog/persons/{p.kremlin_person_id}/events" for p in tagged
    }
