"""One participant per person across pages, spellings and both languages (real pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetings.importer.pages import parse_file
from meetings.importer.save import save_meeting
from meetings.models import Participant

PAGES = Path(__file__).parent / "fixtures" / "pages"
pytestmark = pytest.mark.django_db


def save(name: str, **kwargs):
    result = parse_file(str(PAGES / name))
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
