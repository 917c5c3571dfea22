"""The foreign side of an event whose page names no one from abroad, taken from the archive's
other meetings after an import: a visit's host from the same trip, a role printed without a
name from the nearest meetings on both sides. Real bulk-corpus pages
(tests/fixtures/counterparts, see its README)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from meetings.importer.counterparts_audit import audit_counterparts, foreign_group
from meetings.importer.counterparts_fill import _by_role, _Candidate, fill_counterparts
from meetings.importer.parse import parse_page
from meetings.models import Meeting

PAGES = Path(__file__).parent / "fixtures" / "counterparts"


def import_pages(*ids: int) -> str:
    out = io.StringIO()
    paths = [str(PAGES / f"en-{i}.html") for i in ids]
    call_command("import_meetings", *paths, "--no-downloads", verbosity=2, stdout=out)
    return out.getvalue()


def people(kremlin_id: int) -> list[tuple[str, str | None, str]]:
    meeting = Meeting.objects.get(kremlin_id=kremlin_id, language="en")
    return [
        (p.participant.name, p.participant.country_id, p.role)
        for p in meeting.participations.select_related("participant")
    ]


@pytest.mark.django_db
def test_a_role_without_a_name_is_the_person_who_held_it_on_both_sides():
    out = import_pages(27505, 27500, 28065)
    assert ("Vladimir Voronin", "MD", "Moldovan President") in people(27500)
    assert "counterpart added: meeting" in out


@pytest.mark.django_db
def test_a_role_held_on_one_side_only_is_left_unresolved():
    import_pages(27505, 27500)  # Voronin before, nobody after: he may have left office
    assert [c for _n, c, _r in people(27500) if c == "MD"] == []


@pytest.mark.django_db
def test_a_visit_naming_nobody_takes_the_host_of_the_same_trip():
    import_pages(29264, 29261)
    assert ("Silvio Berlusconi", "IT", "Italian Prime Minister") in people(29261)


@pytest.mark.django_db
def test_talks_take_the_host_named_without_a_role_with_the_role_held_nearest():
    # "A communique was signed following Russian-Turkmen negotiations" names nobody; the same
    # day's talks print "Saparmurat Niyazov of Turkmenistan" without a role; a call five
    # months earlier has him as "Turkmen President".
    import_pages(41811, 26943, 42463)
    assert ("Saparmurat Niyazov", "TM", "Turkmen President") in people(42463)


@pytest.mark.django_db
def test_a_host_named_without_a_role_and_holding_none_is_not_added():
    import_pages(26943, 42463)  # no role held anywhere the archive shows
    assert [c for _n, c, _r in people(42463) if c == "TM"] == []


@pytest.mark.django_db
def test_a_visit_takes_its_host_from_the_same_trips_untagged_pages():
    # "The second day of … state visit to the United States ended with a dinner party at
    # George Bush's ranch"; the same day's "Vladimir Putin and George Bush visited a public
    # school in Crawford" has no tags and no role; two days later he is "US President".
    import_pages(26864, 26865, 41514)
    assert ("US", "US President") in [(c, r) for n, c, r in people(41514) if "Bush" in n]


@pytest.mark.django_db
def test_an_official_dinner_of_a_visit_takes_its_host():
    # "An official dinner at the Italian President's residence … crowned the second day of
    # Vladimir Putin's visit to Italy", with the same day's meeting with Carlo Ciampi.
    import_pages(29690, 29696)
    assert [(c, r) for _n, c, r in people(29696) if c == "IT"] == [("IT", "Italian President")]


@pytest.mark.django_db
def test_a_role_printed_on_a_visit_is_its_holder_met_on_the_same_trip():
    # "The Russian and Greek presidents visited Vergina": the day before, "Greek President
    # Konstantinos Stephanopoulos"; nothing further away is needed on a trip.
    import_pages(41949, 26919)
    assert ("GR", "Greek President") in [(c, r) for n, c, r in people(26919) if c == "GR"]


@pytest.mark.django_db
def test_a_stop_on_the_way_takes_no_host():
    import_pages(29440, 29419)  # Bush met two days later, not at the Academy of Fire Science
    assert [c for _n, c, _r in people(29419) if c == "US"] == []
    assert ("George W. Bush", "US") in [(n, c) for n, c, _r in people(29440)]


@pytest.mark.django_db
def test_the_russian_president_is_not_a_foreign_role():
    import_pages(56351, 56993, 57487)  # Assad met before and after the report
    assert not Meeting.objects.filter(kremlin_id=56993).exists()  # a minister reporting
    report = parse_page((PAGES / "en-56993.html").read_bytes(), source="en-56993")
    text = f"{report.title}. {report.lead}"  # "… reported to the President on … in Syria"
    assert _by_role(_Candidate(0, report.kind, report.date, "en", text, ["SY"])) == []


@pytest.mark.django_db
def test_the_pass_is_idempotent_and_keeps_an_editors_removal():
    import_pages(29264, 29261)
    assert fill_counterparts() == []  # nothing more to add
    visit = Meeting.objects.get(kremlin_id=29261, language="en")
    visit.participations.filter(participant__name="Silvio Berlusconi").delete()  # an editor
    assert fill_counterparts() == []
    assert [n for n, _c, _r in people(29261) if n == "Silvio Berlusconi"] == []


@pytest.mark.django_db
def test_a_reimport_keeps_what_the_pass_added():
    import_pages(29264, 29261)
    call_command(
        "import_meetings",
        str(PAGES / "en-29261.html"),
        "--no-downloads",
        "--take-source",
        stdout=io.StringIO(),
    )
    assert ("Silvio Berlusconi", "IT", "Italian Prime Minister") in people(29261)


@pytest.mark.django_db
def test_a_foreign_group_is_counted_apart_never_as_a_participant():
    out = import_pages(28149, 34198, 28143)
    figures = audit_counterparts(examples=5)
    kinds = {m.kremlin_id: m.kind for m in Meeting.objects.all()}
    assert kinds == {28149: "meeting"}  # journalists and Russians living in France: domestic
    assert out.count("Russia's own") == 2
    assert figures.foreign["meeting"] == 0  # no one from abroad is named, none is invented
    assert figures.group["meeting"] == 1
    assert [title for _pk, title in figures.groups["meeting"]] == [
        "President Vladimir Putin met with French businessmen"
    ]
    assert figures.share(("meeting",)) == 0.0
    assert figures.share(("meeting",), groups=True) == 1.0
    out = io.StringIO()
    call_command("audit_counterparts", "--examples", "5", stdout=out)
    assert "a foreign group, no one named: meeting" in out.getvalue()
    assert "100.0% counting a foreign group named without a person" in out.getvalue()


@pytest.mark.parametrize(
    "title, group",
    [
        ("President Vladimir Putin met with Defence Ministers of the CIS countries", True),
        ("Meeting with Russian and Austrian business leaders", True),
        ("President Vladimir Putin met with Russian expatriates in Azerbaijan", False),
        ("Meeting with service personnel who took part in the operation in Syria", False),
    ],
)
def test_foreign_group_titles(title, group):
    assert foreign_group(title, "en") is group
