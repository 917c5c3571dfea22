"""People on real pages: which printed forms are one person, which text is not a name,
and when a page with no Geography tag is still diplomatic. Pure functions, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetings.importer import classify
from meetings.importer.names.normalise import person_name
from meetings.importer.pages import parse_file
from meetings.importer.people.audit import duplicate_groups, junk_reason
from meetings.importer.people.match import same_name, surname_key

PAGES = Path(__file__).parent / "fixtures" / "people"
SHARED = Path(__file__).parent / "fixtures" / "pages"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Владимир Путин", "Vladimir Putin"),  # the Russian seed and every English page
        ("Касым-Жомарт Токаев", "Kassym-Jomart Tokayev"),  # seed and en-63310
        ("Heydar Aliyev", "Heidar Aliyev"),  # en-28178 and bulk 40274
        ("Ilham Aliyev", "Ilkham Aliyev"),  # en-56963 and en-33424
        ("Aleksandr Lukashenko", "Alexander Lukashenko"),
        ("Georg Bush", "George W. Bush"),  # a typo on bulk 33713
        ("Angela Markel", "Angela Merkel"),  # a typo on en-62565
        ("Ангела Меркель", "Angela Merkel"),
        ("Recep Tayyip Erdogan", "Recep Erdoğan"),  # a middle name on one side only
        ("Nursultan Nazarbaev", "Nursultan Nazarbayev"),
        ("Abdul Aziz Bouteflika", "Abdelaziz Bouteflika"),
        ("Frank Walter Steinmeyer", "Frank-Walter Steinmeier"),
        ("Tony Blair", "Anthony Blair"),  # an English short name: en-26903 and en-27055
        ("Mohammed VI", "Muhammad VI"),  # the Prophet's name: en-27556 and en-39731
        ("Mohammed bin Salman", "Muhammad bin Salman"),
        ("Hamad bin Khalifa al-Tani", "Hamad bin Khalifa Al Thani"),  # en-29552, en-39562
        ("Nursultan Nasarbayev", "Nursultan Nazarbayev"),  # both in the bulk corpus
        ("Fernando Henrique Cardozo", "Fernando Henrique Cardoso"),
        ("Carl XVI Gustav", "Carl XVI Gustaf"),
        ("Хамад бин Халифа Аль Тани", "Hamad bin Khalifa Al Thani"),
    ],
)
def test_spellings_and_languages_of_one_person_match(a, b):
    assert same_name(a, b)
    assert surname_key(a) == surname_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("George H. W. Bush", "George W. Bush"),  # father and son: middle names differ
        ("Heydar Aliyev", "Ilham Aliyev"),  # father and son: first names differ
        ("Dmitry Medvedev", "Vladimir Putin"),
        ("Putin", "Vladimir Putin"),  # a bare surname is never enough across pages
        ("Hillary Clinton", "Bill Clinton"),  # "Bill" is short for William, not Hillary
        ("Mohammed VI", "Mohammed V"),  # father and son kings
    ],
)
def test_different_people_with_one_surname_stay_apart(a, b):
    assert not same_name(a, b)


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        # Junk seen in participant names after a whole-archive import.
        ("Entry from 02.00 pm to 02.30 pm", ""),
        ("Business Council", ""),
        ("Security Council", ""),
        ("media", ""),
        ("Of Russia Dmitry Medvedev", ""),
        ("National Security Council John Bolton", ""),
        ("-PresidentofBavariaHorstSeehofer", ""),
        ("Foreign Minister Sergei Lavrov President Vladimir Putin", ""),  # two people glued
        # Fragments around a real name keep the name.
        ("Alexander Lukashenko and", "Alexander Lukashenko"),
        ("Leonid Kuchma and the Ukrainian", "Leonid Kuchma"),
        ("Yury Luzhkov the", "Yury Luzhkov"),
        ("CNBC TV anchor Geoff Cutmore, moderator of the plenary session", "Geoff Cutmore"),
        # Real names with particles and hyphens are names.
        ("Bashar al-Assad", "Bashar al-Assad"),
        ("Abdel Fattah el-Sisi", "Abdel Fattah el-Sisi"),
        ("Hamad bin Isa Al Khalifa", "Hamad bin Isa Al Khalifa"),
        ("Касым-Жомарт Токаев", "Касым-Жомарт Токаев"),
        ("В.Путин", "В.Путин"),
    ],
)
def test_only_names_become_people(printed, name):
    language = "ru" if printed[:1] in "ВК" else "en"
    assert person_name(printed, language) == name


def test_audit_counts_fragments_as_junk_and_names_as_names():
    assert junk_reason("Entry from 02.00 pm to 02.30 pm") == "digit"
    assert junk_reason("Eduard Shevardnadze and").startswith("lower-case word")
    assert junk_reason("Security Council").startswith("office word")
    assert junk_reason("Bashar al-Assad") == ""
    assert junk_reason("Kassym-Jomart Tokayev") == ""


def _meeting(name: str):
    folder = SHARED if (SHARED / name).exists() else PAGES
    return parse_file(str(folder / name)).record


def test_talks_with_a_prime_minister_are_diplomatic_without_a_geography_tag():
    # en-27029: "President Vladimir Putin and Prime Minister Silvio Berlusconi have
    # completed their talks"; no Geography tag, no country in the title, no lead.
    meeting = _meeting("en-27029.html")
    assert meeting.countries == []
    assert not meeting.is_domestic
    assert meeting.domestic_reason == ""


def test_a_domestic_page_says_why_it_is_domestic():
    meeting = _meeting("en-17896.html")  # "Working meeting with Prime Minister Dmitry Medvedev"
    assert meeting.is_domestic
    assert meeting.domestic_reason.startswith("domestic: no foreign country")


def test_a_state_visit_is_diplomatic():
    class Page:
        title = "State visit to Russia"
        lead = ""
        kind = "visit"
        countries: list[str] = []
        participants: list = []

    assert classify.domestic_reason(Page()) == ""
    Page.title = "Visit to Chelyabinsk Region"
    assert classify.domestic_reason(Page()) != ""


def test_a_typo_on_one_page_is_the_same_participant():
    # en-62565 prints "Angela Markel" once beside "Angela Merkel".
    people = [p.name for p in _meeting("en-62565.html").participants]
    assert people == ["Vladimir Putin", "Angela Merkel"]


def test_audit_counts_a_title_in_front_but_not_a_father_after_bin():
    def person(name):
        return {"pk": name, "name": name, "names": [name], "country": None}

    emirs = [person("Hamad bin Khalifa al-Tani"), person("Tamim bin Hamad Al Thani")]
    assert duplicate_groups(emirs) == []  # father and son, both Emirs of Qatar
    titled = [person("State Counsellor Aung San Suu Kyi"), person("Aung San Suu Kyi")]
    assert len(duplicate_groups(titled)) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Emomali Rahmon", "Emomali Rakhmonov"),
        ("Abdullah II", "Abdullah II bin Al Hussein"),
        ("Ricardo Lagos", "Ricardo Lagos Escobar"),
        ("Juan Manuel Santos", "Juan Manuel Santos Calderon"),
    ],
)
def test_audit_knows_the_four_duplicates_of_issue_16(a, b):
    def person(name, country):
        return {"pk": name, "name": name, "names": [name], "country": country}

    assert len(duplicate_groups([person(a, None), person(b, None)])) == 1
    assert duplicate_groups([person(a, "RU"), person(b, "FR")]) == []


def test_a_longer_name_is_not_someone_else_with_the_same_given_names():
    def person(name):
        return {"pk": name, "name": name, "names": [name], "country": None}

    assert duplicate_groups([person("Kim Jong-il"), person("Kim Jong-un")]) == []
    assert duplicate_groups([person("George Bush"), person("George Washington")]) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hamad Bin Isa Al Khalifa", "Hamad bin Isa Al Khalifah"),  # bulk 29552 / 39562
        ("Nguyen Manh Cam", "Nguyen Manh Kam"),
    ],
)
def test_spelling_variants_share_the_surname_key(a, b):
    assert same_name(a, b)
    assert surname_key(a) == surname_key(b)


def test_a_given_name_or_title_in_front_is_the_same_person_but_not_a_son():
    from meetings.importer.people.match import prefixed_name

    assert prefixed_name("Carlo Azeglio Ciampi", "Azeglio Ciampi")
    assert prefixed_name("Felipe Perez Roque", "Perez Roque")
    assert not prefixed_name("Tamim bin Hamad Al Thani", "Hamad Al Thani")
