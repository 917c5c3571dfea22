"""One participant per person across pages, spellings and both languages (real pages)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from meetings.importer.pages import parse_file
from meetings.importer.save import save_meeting
from meetings.models import Participant

PAGES = Path(__file__).parent / "fixtures" / "people"
SHARED = Path(__file__).parent / "fixtures" / "pages"
pytestmark = pytest.mark.django_db


def save(name: str, **kwargs):
    folder = SHARED if (SHARED / name).exists() else PAGES
    result = parse_file(str(folder / name))
    return save_meeting(result.record, raw_hash=result.raw_hash, **kwargs)


def people(surname: str) -> list[Participant]:
    return list(Participant.objects.search_name(surname))


def test_russian_seed_and_english_page_share_putin_and_tokayev():
    save("en-63310.html")  # Telephone conversation with President of Kazakhstan Tokayev
    save("ru-copy-677488171.txt")  # Встреча с Президентом Казахстана Касым-Жомартом Токаевым
    (putin,) = Participant.objects.filter(aliases__overlap=["Vladimir Putin", "Владимир Путин"])
    assert {"Vladimir Putin", "Владимир Путин"} <= set(putin.aliases)
    assert putin.name_en == "Vladimir Putin" and putin.name_ru == "Владимир Путин"
    (tokayev,) = Participant.objects.filter(name_key="tkv")
    assert {"Kassym-Jomart Tokayev", "Касым-Жомарт Токаев"} <= set(tokayev.aliases)
    assert tokayev.participations.count() == 2
    assert Participant.objects.count() == 2


def test_transliteration_variants_are_one_participant():
    save("en-33424.html")  # "Azerbaijan President Ilkham Aliyev"
    save("en-56963.html")  # "President of Azerbaijan Ilham Aliyev"
    (aliyev,) = people("Aliyev")
    assert {"Ilkham Aliyev", "Ilham Aliyev"} <= set(aliyev.aliases)
    assert aliyev.participations.count() == 2


@pytest.mark.parametrize(
    ("first", "second", "surname"),
    [
        ("en-26903.html", "en-27055.html", "Blair"),  # Tony / Anthony Blair, both GB
        ("en-27556.html", "en-39731.html", "VI"),  # King Mohammed / Muhammad VI of Morocco
        ("en-29552.html", "en-39562.html", "ani"),  # Emir Hamad bin Khalifa al-Tani / Al Thani
    ],
)
def test_name_variants_of_one_country_are_one_participant(first, second, surname):
    save(first)
    save(second)
    (person,) = Participant.objects.filter(name__endswith=surname)
    assert person.participations.count() == 2
    assert len(person.aliases) == 2


def test_father_and_son_stay_apart():
    save("en-28178.html")  # Heidar Aliyev, 2001
    save("en-56963.html")  # Ilham Aliyev, 2018
    assert sorted(p.name for p in people("Aliyev")) == ["Heidar Aliyev", "Ilham Aliyev"]


def test_re_import_after_resolution_is_unchanged():
    save("en-63310.html")
    save("ru-copy-677488171.txt")
    assert save("ru-copy-677488171.txt").status == "unchanged"
    assert save("en-63310.html", take_source=True).status == "unchanged"
    assert Participant.objects.count() == 2


def test_a_known_foreigner_is_found_across_meetings():
    from meetings.importer.people.resolve import known_foreigner

    # en-17896 "Working meeting with Prime Minister Dmitry Medvedev" is domestic; its
    # participants carry no country, and nobody stored is a foreigner under their names.
    domestic = parse_file(str(SHARED / "en-17896.html")).record
    assert domestic.is_domestic
    save("en-63310.html")  # Tokayev, KZ
    assert known_foreigner(domestic.participants) == ""
    # en-27029 names "Prime Minister Silvio Berlusconi" with no country; a page that had
    # told his country makes him known.
    talks = parse_file(str(PAGES / "en-27029.html")).record
    assert known_foreigner(talks.participants) == ""
    Participant.objects.create(
        name="Silvio Berlusconi", country_id="IT", aliases=["Silvio Berlusconi"]
    )
    assert known_foreigner(talks.participants) == "Silvio Berlusconi is known as a person of IT"


def test_a_domestic_looking_page_with_a_known_foreigner_is_imported_whatever_the_order(
    tmp_path,
):
    from meetings.importer import run

    # en-62222 "Telephone conversation with Jean-Claude Juncker" has no Geography tag and
    # gives him no country; en-27643 (Luxembourg's Prime Minister) does. Alone, en-62222
    # is skipped as domestic.
    alone = run.import_paths([PAGES / "en-62222.html"])
    assert (alone.created, alone.skipped) == (0, 1)
    assert "domestic" in alone.skipped_lines[0]
    # Together, and read first (files are read in name order), it is decided after the
    # other page taught that Juncker is a person of LU.
    shutil.copy(PAGES / "en-62222.html", tmp_path / "a-62222.html")
    shutil.copy(PAGES / "en-27643.html", tmp_path / "b-27643.html")
    both = run.import_paths([tmp_path])
    assert (both.created, both.skipped, both.failed) == (2, 0, 0)
    (juncker,) = people("Juncker")
    assert juncker.participations.count() == 2
    again = run.import_paths([tmp_path])
    assert (again.unchanged, again.created, again.updated) == (2, 0, 0)


@pytest.mark.parametrize(
    ("first", "second", "names"),
    [
        ("en-26844.html", "en-52865.html", {"Emomali Rakhmonov", "Emomali Rahmon"}),
        ("en-42503.html", "en-41443.html", {"Abdullah II bin Al Hussein", "Abdullah II"}),
        ("en-38774.html", "en-27483.html", {"Ricardo Lagos Escobar", "Ricardo Lagos"}),
        ("en-53058.html", "en-54174.html", {"Juan Manuel Santos Calderon"}),
    ],
)
def test_known_duplicates_are_one_participant_by_rule(first, second, names):
    save(first)
    save(second)
    rows = list(Participant.objects.exclude(country_id="RU"))
    assert len(rows) == 1, [p.name for p in rows]
    assert names <= set(rows[0].aliases)
    assert rows[0].participations.count() == 2


def test_the_sites_catalogue_spelling_is_the_display_name():
    save("en-37793.html")  # 2000: "Kazakhstan Prime Minister Kasymzhomart Tokayev"
    save("en-60721.html")  # 2019, tagged: "President of Kazakhstan Kassym-Jomart Tokayev"
    (tokayev,) = people("Tokayev")
    assert tokayev.name == tokayev.name_en == "Kassym-Jomart Tokayev"
    assert "Kasymzhomart Tokayev" in tokayev.aliases
    assert tokayev.participations.count() == 2
