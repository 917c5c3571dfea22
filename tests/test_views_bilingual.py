"""One event in two languages: the side-by-side page and the map behind the meeting page's
in-place version switch.

The pair: synthetic: real Russian HTML is not available here. ru-51266.html is the real
en.kremlin.ru page en-51266.html with a Russian text swapped in
(tests/fixtures/pages-bilingual/make_synthetic.py); its transcript has one turn fewer
("Yes, I know this." is missing, and Putin's two last remarks are one turn), as real pairs
differ. The real Russian text version of 2022's meeting with Tokayev has no English page in
the corpora here (they end in 2020), so it serves as the one-version case.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from meetings.importer import run
from meetings.models import Country, Meeting, Utterance
from tests.factories import make_meeting, make_participant
from tests.html import hrefs, one, select, text, texts
from tests.real_pages import clear_archive

FIXTURES = Path(__file__).parent / "fixtures"
ENGLISH = FIXTURES / "pages" / "en-51266.html"
RUSSIAN = FIXTURES / "pages-bilingual" / "ru-51266.html"
SEED = FIXTURES / "pages" / "ru-copy-677488171.txt"  # 67748, Russian only
PAIR_ID = 51266

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def imported(django_db_setup, django_db_blocker):
    """Import the pair and the Russian-only seed once, and leave the database as found."""
    with django_db_blocker.unblock():
        countries = set(Country.objects.values_list("code", flat=True))
        summary = run.import_paths([ENGLISH, RUSSIAN, SEED], workers=1)
        assert summary.failed == 0
        yield
        clear_archive(countries)


def compare_url(kremlin_id: int = PAIR_ID) -> str:
    return reverse("meetings:meeting_compare", args=[kremlin_id])


def rows(response) -> list[list[str]]:
    """Each row as its two cells: "ru #3 label", "en #4 label" or "gap"."""
    found = []
    for row in select(response, "li.compare__row"):
        cells = []
        for cell in row.select(".compare__cell"):
            if "compare__cell--gap" in cell["class"]:
                cells.append("gap")
                continue
            number = cell.select_one("a.compare__link").contents[0].strip()
            cells.append(f"{cell['lang']} {number} {text(cell.select_one('.compare__speaker'))}")
        found.append(cells)
    return found


def test_both_imported_as_one_event_in_two_languages():
    assert sorted(
        Meeting.objects.filter(kremlin_id=PAIR_ID).values_list("language", flat=True)
    ) == [
        "en",
        "ru",
    ]
    counts = {m.language: m.utterances.count() for m in Meeting.objects.filter(kremlin_id=PAIR_ID)}
    assert counts == {"en": 10, "ru": 8}


def test_side_by_side_pairs_turns_by_speaker_with_gaps_where_one_has_none(client):
    response = client.get(compare_url())
    assert response.status_code == 200
    table = rows(response)
    assert table == [
        ["ru #1 Президент России Владимир Путин", "en #1 President of Russia Vladimir Putin"],
        [
            "ru #2 Премьер-министр Баварии Хорст Зеехофер",
            "en #2 Prime Minister of Bavaria Horst Seehofer",
        ],
        ["ru #3 В.Путин", "en #3 Vladimir Putin"],
        ["ru #4 Х.Зеехофер", "en #4 Horst Seehofer"],
        ["ru #5 В.Путин", "en #5 Vladimir Putin"],
        ["ru #6 Х.Зеехофер", "en #6 Horst Seehofer"],
        ["gap", "en #7 Vladimir Putin"],
        ["gap", "en #8 Horst Seehofer"],
        ["ru #7 В.Путин", "en #9 Vladimir Putin"],
        ["ru #8 Omission", "en #10 Omission"],
    ]


def test_each_cell_carries_its_language_and_links_to_its_turn_permalink(client):
    response = client.get(compare_url())
    ru = reverse("meetings:utterance_detail", args=["ru", PAIR_ID, 3])
    en = reverse("meetings:utterance_detail", args=["en", PAIR_ID, 9])
    links = hrefs(response, "a.compare__link")
    assert ru in links and en in links
    cells = select(response, "article.compare__cell")
    assert len(cells) == 18
    assert len([c for c in cells if c["lang"] == "ru" and c.get("aria-labelledby")]) == 8
    assert len([c for c in cells if c["lang"] == "en" and c.get("aria-labelledby")]) == 10
    assert (
        texts(response, ".compare__cell--gap") == ["No matching turn in the Russian version."] * 2
    )
    assert not select(response, "main [style]")


def test_side_by_side_in_the_russian_interface(client):
    response = client.get(compare_url(), HTTP_ACCEPT_LANGUAGE="ru")
    assert one(response, "html")["lang"] == "ru"
    assert texts(response, "h1") == ["Обе версии рядом"]
    assert set(texts(response, ".compare__cell--gap")) == {
        "Нет соответствующей реплики в русской версии."
    }
    assert "Omission" not in text(one(response, "main"))


def test_one_version_only_is_a_404_offering_the_one_there_is(client):
    response = client.get(compare_url(67748))
    assert response.status_code == 404
    assert texts(response, "h1") == ["Only one version of this meeting"]
    assert reverse("meetings:meeting_detail", args=["ru", 67748]) in hrefs(response, "main a")
    assert client.get(reverse("meetings:meeting_compare_map", args=[67748])).status_code == 404


def test_unknown_event_is_a_404(client):
    assert client.get(compare_url(1)).status_code == 404
    assert client.get(reverse("meetings:meeting_compare_map", args=[1])).status_code == 404


def test_only_get_and_head(client):
    assert client.post(compare_url()).status_code == 405
    assert client.head(compare_url()).status_code == 200


def test_map_sends_each_turn_to_its_aligned_turn_or_the_nearest_before(client):
    response = client.get(reverse("meetings:meeting_compare_map", args=[PAIR_ID]))
    assert response.status_code == 200
    jumps = json.loads(response.content)
    assert jumps["en"] == {
        "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 6, "8": 6, "9": 7, "10": 8,
    }  # fmt: skip
    assert jumps["ru"] == {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 9, "8": 10}


def test_meeting_page_links_the_side_by_side_page_only_when_both_exist(client):
    english = client.get(reverse("meetings:meeting_detail", args=["en", PAIR_ID]))
    (link,) = [a for a in select(english, ".meeting__links a") if a["href"] == compare_url()]
    assert link["data-alignment"] == reverse("meetings:meeting_compare_map", args=[PAIR_ID])
    # The version link the script moves along.
    assert select(english, '.meeting__links a[hreflang="ru"]')
    alone = client.get(reverse("meetings:meeting_detail", args=["ru", 67748]))
    assert compare_url(67748) not in hrefs(alone)


def test_side_by_side_costs_two_queries_whatever_the_length(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(compare_url())
    with django_assert_num_queries(2):
        client.get(reverse("meetings:meeting_compare_map", args=[PAIR_ID]))
    # A long pair built from factories costs the same two.
    putin, guest = make_participant(), make_participant("Guest")
    english = make_meeting(kremlin_id=999001, language="en")
    russian = make_meeting(kremlin_id=999001, language="ru")
    for meeting in (english, russian):
        Utterance.objects.bulk_create(
            Utterance(
                meeting=meeting,
                language=meeting.language,
                position=i,
                speaker=(putin, guest)[i % 2],
                speaker_label=("Putin", "Guest")[i % 2],
                text=f"turn {i}",
            )
            for i in range(1, 301 if meeting is english else 291)
        )
    with django_assert_num_queries(2):
        response = client.get(compare_url(999001))
    assert len(select(response, "li.compare__row")) >= 300
