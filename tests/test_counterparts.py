"""Every diplomatic event names its foreign side; kinds beside meetings; domestic events;
labels of any length; roles as printed. Real bulk-corpus pages (tests/fixtures/counterparts)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from meetings.importer import run
from meetings.importer.counterparts_audit import audit_counterparts
from meetings.importer.parse import parse_page

PAGES = Path(__file__).parent / "fixtures" / "counterparts"
VALDAI = Path(__file__).parent / "fixtures" / "pages-big" / "en-55882.html"


def parsed(name: str):
    return parse_page((PAGES / f"{name}.html").read_bytes(), source=name)


def foreign(name: str) -> list[tuple[str, str, str | None]]:
    return [
        (p.name, p.role, p.country)
        for p in parsed(name).participants
        if p.country != "RU" and p.name != "Vladimir Putin"
    ]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("en-60711", ("Michael Kretschmer", "Minister President of Saxony", "DE")),
        ("en-34461", ("Boris Tadic", "President of Serbia", "RS")),
        ("en-9207", ("Arnold Schwarzenegger", "Governor of California", "US")),
        ("en-29586", ("Roh Moo-hyun", "President of the Republic of Korea", "KR")),
        ("en-42582", ("Leonid Kuchma", "", "UA")),
        ("en-42492", ("Heydar Aliyev", "", "AZ")),
    ],
)
def test_the_foreign_side_named_in_the_title(page, expected):
    assert expected in foreign(page)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("en-29455", ("Maurice Druon", "French author", "FR")),  # nationality and calling
        ("en-35639", ("Paulo Coelho", "Brazilian author", "BR")),  # "… author, Paulo Coelho"
        (
            "en-33835",
            ("Vladimir Litvin", "Chairman of the Supreme Rada, Ukraine's parliament", "UA"),
        ),
        (
            "en-37880",
            ("Sanzhijn Bayar", "Chief of Staff of the Mongolian Presidential Office", "MN"),
        ),
        (
            "en-41347",
            ("Christodoulos", "Head of the Greek Orthodox Church Archbishop of Athens", "GR"),
        ),
        ("en-29295", ("Abdullah", "Crown prince of the Kingdom of Saudi Arabia", "SA")),
    ],
)
def test_the_foreign_side_in_the_shapes_older_titles_print(page, expected):
    assert expected in foreign(page)


def test_subjects_listed_with_their_wives_are_all_read():
    # "President Vladimir Putin, his wife Lyudmila, German Federal Chancellor Gerhard
    # Schroeder and his wife Doris Schroeder-Koepf visited the Holy Trinity Monastery …"
    assert ("Gerhard Schroeder", "German Federal Chancellor", "DE") in foreign("en-40340")
    assert "Lyudmila" not in [p.name for p in parsed("en-40340").participants]


def test_a_bilateral_society_places_no_one_the_parliament_does():
    # "… Yukio Hatayama, chairman of the Russia-Japan Society and member of the Japanese
    # parliament"
    role = "Chairman of the Russia-Japan Society and member of the Japanese parliament"
    assert ("Yukio Hatayama", role, "JP") in foreign("en-34498")


def test_a_newspaper_introduced_by_nationality_is_no_one():
    # "… gave an interview to the American newspaper The New York Times"
    assert [p.name for p in parsed("en-29502").participants] == ["Vladimir Putin"]


def test_the_host_said_mr_in_the_body_gets_no_foreign_role():
    # "Mr Putin and Mr Shinawatra were present at the signing …" (Thailand, 2003)
    people = {p.name: (p.role, p.country) for p in parsed("en-29588").participants}
    assert people["Vladimir Putin"] == ("President of Russia", "RU")
    assert "Mr Putin" not in people


def test_met_the_former_prime_minister():
    # "Vladimir Putin met the former Japanese Prime Minister Yoshiro Mori"
    assert ("Yoshiro Mori", "Japanese Prime Minister", "JP") in foreign("en-28856")


def test_a_monument_to_someone_is_no_meeting_with_him():
    # "… laid a wreath at a monument to Cuban national hero Jose Marti"
    assert [p.name for p in parsed("en-39910").participants] == ["Vladimir Putin"]


def test_a_dash_without_spaces_ends_a_name():
    # "… Robert Wilson of the United States and Russia’s Yury Lyubimov—celebrated stage
    # directors … took part in the meeting"
    people = {p.name: p.country for p in parsed("en-41041").participants}
    assert people["Robert Wilson"] == "US"
    assert "Yury Lyubimov" in people
    assert not [name for name in people if "—" in name]


def test_mr_and_a_surname_is_the_person_already_named():
    # Title: "… President of Iran Hassan Rouhani and President of Turkey Recep Tayyip
    # Erdogan"; first turn: "The President of Iran, Mr Rouhani, the President of Turkey, Mr
    # Erdogan, and I …"
    sample = Path(__file__).parents[1] / "meetings" / "sample" / "en" / "56153.html"
    meeting = parse_page(sample.read_bytes(), source="56153")
    names = [p.name for p in meeting.participants]
    assert "Hassan Rouhani" in names and "Recep Tayyip Erdogan" in names
    assert not [name for name in names if name.startswith("Mr ")]


def test_whose_residence_was_visited_is_not_someone_met():
    # "Vladimir Putin and his wife visited Queen Elizabeth II's residence in Scotland"
    assert [p.name for p in parsed("en-28909").participants] == ["Vladimir Putin"]


def test_a_role_after_a_new_is_read_and_what_follows_its_name_is_not_taken():
    people = {p.name: p.role for p in parsed("en-42118").participants}  # "met with a new …"
    assert people["Jacques Rogge"] == "President of the International Olympic Committee"
    assert "Vladimir Putin" in people


def test_a_bare_president_is_the_head_of_state_of_the_pages_only_country():
    meeting = parsed("en-17746")  # "… at the invitation of President Jacob Zuma"
    assert meeting.countries == ["ZA"]
    assert ("Jacob Zuma", "President", "ZA") in foreign("en-17746")


def test_a_given_name_that_is_a_demonym_is_no_country():
    meeting = parsed("en-58748")  # "Meeting with Sberbank CEO German Gref"
    gref = [p for p in meeting.participants if p.name == "German Gref"]
    assert gref and gref[0].country is None
    assert "DE" not in [c for p in meeting.participants for c in [p.country]]


@pytest.mark.parametrize(
    ("page", "kind"),
    [
        ("en-55751", "message"),
        ("en-62835", "interview"),
        ("en-33638", "decree"),
        ("en-60378", "forum"),
        ("en-60858", "ceremony"),
        ("en-60711", "meeting"),
        ("en-60854", "summit"),  # "G20 final meeting"
        ("en-41461", "summit"),  # "The heads of state of the Caucasian Four met in Minsk"
        ("en-29158", "forum"),  # "… at a meeting of the third Russian-Malaysian Business Forum"
        ("en-55756", "ceremony"),  # "President of Russia received foreign ambassadors’ credentials"
        ("en-17175", "summit"),  # "… arrived in Belgium to take part in the Russian-EU summit"
        ("en-60594", "summit"),  # "Vladimir Putin arrived in Kazakhstan", the lead says what for
    ],
)
def test_kinds_beside_meetings(page, kind):
    assert parsed(page).kind == kind


@pytest.mark.parametrize("page", ["en-63779", "en-56002"])
def test_security_council_and_receptions_at_home_are_domestic_whatever_the_tags(page):
    meeting = parsed(page)
    assert meeting.countries  # tagged Belarus; France, Türkiye and Slovenia
    assert meeting.is_domestic
    assert "Security Council meeting or a reception" in meeting.domestic_reason


@pytest.mark.parametrize(
    "page",
    [
        "en-28143",  # "… met with Russians living in France"
        "en-40318",  # "… met with Russian expatriates in Azerbaijan"
        "en-34198",  # "… met with journalists to discuss the results of the visits to Belgium …"
        "en-39467",  # "Foreign Minister Igor Ivanov reported to President Vladimir Putin …"
        "en-39411",  # "President Vladimir Putin held a meeting on the situation in Yugoslavia"
        "../people/en-56516",  # "Meeting with service personnel who took part in … Syria"
        "en-27503",  # "A dinner on … behalf was given by the Russian embassy in Moldova"
        "en-55761",  # "Joint meeting of the Council for the Development of Physical Culture …"
    ],
)
def test_meeting_russias_own_abroad_or_about_abroad_is_domestic(page):
    meeting = parsed(page)
    assert meeting.kind in ("meeting", "telephone")
    assert meeting.is_domestic
    assert "Russia's own" in meeting.domestic_reason


def test_journalists_of_a_foreign_press_are_not_russias_own():
    # "President Vladimir Putin met with journalists of French regional publications and TV
    # channels": a foreign group (counted apart by the audit), not domestic
    assert not parsed("en-28158").is_domestic


def test_a_reception_for_foreign_heads_of_state_is_diplomatic():
    meeting = parsed("en-63562")  # "Reception for heads of state invited to military parade …"
    assert not meeting.is_domestic


def test_a_long_label_the_page_marks_is_a_speaker():
    # Valdai: "<b>Research Director … Fyodor Lukyanov</b>: Friends"
    meeting = parse_page(VALDAI.read_bytes(), source="en-55882")
    turn = meeting.utterances[1]
    assert turn.kind == "speech"
    assert turn.speaker_label.endswith("moderator Fyodor Lukyanov")
    assert meeting.participants[turn.speaker].name == "Fyodor Lukyanov"
    assert turn.text.startswith("Friends, guests,")


@pytest.mark.parametrize(
    ("page", "name", "note"),
    [
        ("en-60850", "Moon Jae-in", "retranslated"),
        ("en-17787", "Abd Rabbuh Mansour Hadi", "re-translated"),
    ],
)
def test_a_label_whose_colon_sits_in_the_translation_note(page, name, note):
    meeting = parsed(page)
    turns = [u for u in meeting.utterances if u.speaker is not None]
    theirs = [u for u in turns if name in meeting.participants[u.speaker].name]
    assert theirs, "the foreign leader's turn is read as the host's turn going on"
    assert theirs[0].translation_note == note
    assert not theirs[0].text.startswith("(")
    host = [u for u in turns if meeting.participants[u.speaker].name == "Vladimir Putin"]
    assert all(name not in u.text[:400] for u in host)


@pytest.mark.parametrize("page", ["en-29561", "en-27895"])
def test_the_host_gets_no_role_from_a_sentence_that_names_him(page):
    putin = [p for p in parsed(page).participants if p.name == "Vladimir Putin"]
    assert putin and putin[0].role in ("", "President of Russia")


@pytest.mark.django_db
def test_audit_counterparts_reports_the_share_per_kind():
    pages = [PAGES / f"{name}.html" for name in ("en-60711", "en-34461", "en-9207", "en-63779")]
    pages += [PAGES / "en-55751.html"]
    summary = run.import_paths(pages, workers=1)
    assert not summary.failed
    figures = audit_counterparts(examples=5)
    assert figures.meetings["meeting"] == 3  # the Security Council meeting was skipped
    assert figures.foreign["meeting"] == 3
    assert figures.meetings["message"] == 1
    assert figures.share(("meeting",)) == 1.0
    assert figures.other_share == 0.0
    assert "five kinds" in figures.lines()[-1]
    out = io.StringIO()
    call_command("audit_counterparts", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("five kinds (talks, meeting")
    assert "100.0% with a foreign participant" in out.getvalue()


def test_emir_is_a_given_name_when_no_country_follows():
    names = [p.name for p in parsed("en-62109").participants]  # "Greetings to Emir Kusturica"
    assert "Emir Kusturica" in names
    assert "Kusturica" not in names


@pytest.mark.parametrize(
    ("role", "language", "code"),
    [
        ("Russian Ambassador to Ukraine", "en", "RU"),  # Chernomyrdin, not Ukraine
        ("Ambassador to Kazakhstan", "en", "RU"),  # Borodavkin, not Kazakhstan
        ("Посол России в Казахстане", "ru", "RU"),
        ("Ambassador of France to Russia", "en", "FR"),
        ("Minister President of Saxony", "en", "DE"),
        ("Pope", "en", "VA"),
    ],
)
def test_the_country_of_a_role(role, language, code):
    from meetings.importer.names.registry import role_country

    assert role_country(role, language) == code
