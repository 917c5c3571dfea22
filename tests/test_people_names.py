"""Names are taken only from where a name is (real pages from the bulk corpus, see
fixtures/people/README.md): no rank, office or second person glued to a name, no phrase
taken for a name."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetings.importer.pages import parse_file

PAGES = Path(__file__).parent / "fixtures" / "people"


def people(name: str) -> dict[str, str]:
    """Name -> role of the page's participants."""
    record = parse_file(str(PAGES / name)).record
    return {p.name: p.role for p in record.participants}


def test_two_people_glued_in_a_lead_are_two_people():
    # en-56993's lead: "… with Defence Minister Sergei Shoigu Vladimir Putin received …"
    assert people("en-56993.html") == {
        "Vladimir Putin": "President of Russia",
        "Sergei Shoigu": "Defence Minister",
    }


def test_a_military_rank_is_the_role_not_the_name():
    found = people("en-56516.html")
    assert found["Tatyana Kovaleva"] == "Senior Sergeant"
    assert found["Sergei Surovikin"] == "Colonel General"
    assert found["Maxim Makolkin"] == "Major"
    assert not [n for n in found if n.split()[0] in ("Senior", "Colonel", "Major")]


@pytest.mark.parametrize(
    ("page", "name", "role"),
    [
        # The page prints "Andrei Chepurnoi:" alone later: that is where the name starts.
        (
            "en-54347.html",
            "Andrei Chepurnoi",
            "Chairman of the Russian National Public Organisation of Afghanistan War Disabled"
            " and Wounded",
        ),
        # A body's name ends the role.
        (
            "en-63021.html",
            "Maxim Mishin",
            "Member of the regional headquarters of the National People’s Front",
        ),
        (
            "en-63021.html",
            "Roman Chegrinets",
            "Chairman of the Crimean Belarus National and Cultural Autonomy",
        ),
        (
            "en-56327.html",
            "Zhang Youxia",
            "Vice Chairman of Chinese Communist Party Central Military Commission",
        ),
        ("en-60390.html", "Aung San Suu Kyi", "Myanmar’s State Counsellor"),
        ("en-34370.html", "Yvonne Timmerman-Buck", "Chairwoman of the Netherlands Senate"),
        ("en-54381.html", "Li Zhanshu", "Director of Chinese Communist Party General Office"),
        ("en-60306.html", "Emomali Rahmon", "President"),  # printed "Emomali Rahmon’s"
        ("en-33654.html", "Adrienne Clarkson", "Canadian Governor General"),
        # "Sheikh" is a title before "Tamim bin Hamad Al Thani", but Hasina's given name.
        ("en-48121.html", "Sheikh Hasina", "Prime Minister of Bangladesh"),
    ],
)
def test_an_office_before_a_name_is_the_role(page, name, role):
    found = people(page)
    assert found[name] == role
    assert not [n for n in found if n != name and n.endswith(name)]  # not twice


def test_a_surname_alone_is_not_a_new_person():
    # "President Vladimir Putin and President Cardoso of Brazil signed …": the page never
    # gives Cardoso's full name; a one-word participant would be a person apart from
    # "Fernando Henrique Cardoso".
    assert list(people("en-42469.html")) == ["Vladimir Putin"]


def test_a_phrase_that_starts_with_a_capital_is_not_a_name():
    # en-9165: "<b>Contact telephone number:</b> …"
    assert list(people("en-9165.html")) == ["Dmitry Medvedev"]
    # en-29568: "… gave an interview to Qatar's Al-Jazeera TV channel"
    assert list(people("en-29568.html")) == ["Vladimir Putin"]


def test_two_people_joined_by_and_the_in_a_title_are_two_people():
    # en-29552: "… with Afghanistan President Hamid Karzai and the Emir of Qatar Sheikh
    # Hamad bin Khalifa al-Tani": the Emir was one person with Karzai's role and country.
    record = parse_file(str(PAGES / "en-29552.html")).record
    found = {p.name: (p.role, p.country) for p in record.participants}
    assert found["Hamid Karzai"] == ("Afghanistan President", "AF")
    assert found["Hamad bin Khalifa al-Tani"] == ("Emir of Qatar", "QA")


def test_an_envoy_is_not_a_person_of_the_country_he_is_sent_to():
    # en-33480: "… met with new Russian Ambassador to Tajikistan Ramazan Abdulatipov" made
    # him a person of TJ, and later pages with him (as head of Dagestan) diplomatic.
    record = parse_file(str(PAGES / "en-33480.html")).record
    assert [p.country for p in record.participants if p.country != "RU"] == []
    assert record.countries == ["TJ"]  # the meeting is still about Tajikistan
