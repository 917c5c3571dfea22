"""Issue 16 (web side, part B) on the server: the Valdai session's legend (24 speakers, each
its own look, "<1 %" not "0 %"), the turn's own page turn-first, and the Russian interface
(a mostly English archive said so, « » in citations, the credit in Russian, names and roles
marked with their language)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client

from tests.factories import add_participant, make_meeting, make_participant, make_utterance

pytestmark = pytest.mark.django_db

VALDAI = Path(__file__).parent / "fixtures" / "pages-big" / "en-55882.html"


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def russian() -> Client:
    return Client(headers={"accept-language": "ru"})


def test_the_valdai_legend_gives_each_of_its_speakers_its_own_look(client):
    call_command("import_meetings", str(VALDAI), include_domestic=True, verbosity=0)
    soup = soup_of(client.get("/meetings/en/55882/"))
    entries = soup.select(".legend__entry")
    assert len(entries) >= 24  # 24 in the issue; the parser may find a label more
    looks = {(" ".join(e["class"]), e.select_one(".swatch").get_text()) for e in entries}
    assert len(looks) == len(entries)
    numbers = [e.select_one(".swatch").get_text() for e in entries]
    assert numbers == [str(n) for n in range(1, len(entries) + 1)]
    by_name = {e.select_one(".legend__speaker > span[lang]").get_text(): e for e in entries}
    putin, yunusov = by_name["Vladimir Putin"], by_name["Ruslan Yunusov"]
    assert "speaker-round-2" in yunusov["class"] and "speaker-round-2" not in putin["class"]
    assert int(yunusov.select_one(".swatch").get_text()) > 12  # past the palette
    counts = [e.select_one(".legend__count").get_text() for e in entries]
    assert not [count for count in counts if "(1 turn, 0%" in count or " 0% of" in count]
    assert "(1 turn, <1% of words)" in counts
    # The turns wear the same pattern as their legend entry.
    key = yunusov["data-speaker"]
    turn = soup.select_one(f'.turn[data-speaker="{key}"]')
    assert "speaker-round-2" in turn["class"]


def test_a_small_legend_stays_unnumbered(client):
    meeting = make_meeting(kremlin_id=70001)
    for n, name in enumerate(["Vladimir Putin", "Recep Tayyip Erdogan"]):
        person = make_participant(name)
        make_utterance(meeting, position=n + 1, speaker=person, speaker_label=name, text="Words.")
    soup = soup_of(client.get(meeting.get_absolute_url()))
    assert [s.get_text() for s in soup.select(".legend__entry .swatch")] == ["", ""]
    assert "legend--many" not in soup.select_one(".legend")["class"]


@pytest.fixture
def talk():
    meeting = make_meeting(kremlin_id=70002, title="Talks with President of Turkey")
    putin = make_participant("Vladimir Putin", name_en="Vladimir Putin", name_ru="Владимир Путин")
    erdogan = make_participant("Recep Tayyip Erdogan", name_en="Recep Tayyip Erdogan")
    add_participant(meeting, erdogan, role="President of Turkey")
    for position in range(1, 8):
        speaker = putin if position % 2 else erdogan
        make_utterance(
            meeting,
            position=position,
            speaker=speaker,
            speaker_label=speaker.name,
            text=f"Turn number {position} about gas.",
        )
    return meeting


def test_the_turn_s_page_shows_the_turn_first_then_its_citation_then_context(client, talk):
    soup = soup_of(client.get(f"/meetings/en/{talk.kremlin_id}/u/4/"))
    order = [tag.get("id") for tag in soup.select("main article.turn, main #citation-heading")]
    assert order == ["u-4", "citation-heading", "u-1", "u-2", "u-3", "u-5", "u-6", "u-7"]
    assert soup.h1.get_text() == "Turn 4"


def test_citations_in_russian_use_guillemets_and_the_russian_credit(talk):
    soup = soup_of(russian().get(f"/meetings/en/{talk.kremlin_id}/u/3/"))
    citation = soup.select_one("#citation-text")
    assert "«Talks with President of Turkey»" in citation.get_text()
    assert citation.select_one("cite")["lang"] == "en"
    # The speaker is shown by his Russian name, so marked Russian.
    speaker = citation.select_one(".citation__speaker")
    assert (speaker.get_text(), speaker["lang"]) == ("Владимир Путин", "ru")
    footer = soup.select_one(".site-footer p")
    link = footer.select_one("a")
    assert footer.get_text(" ", strip=True).startswith("Тексты встреч: Президент России")
    assert link["href"] == "http://kremlin.ru/about/copyrights"


def test_english_roles_on_the_russian_interface_are_marked_as_printed(talk):
    erdogan = talk.participations.get().participant
    soup = soup_of(russian().get(erdogan.get_absolute_url()))
    role = soup.select_one("#roles-heading + ul li")
    assert role.select_one("span[lang=en]").get_text() == "President of Turkey"
    assert role.select_one(".role__printed").get_text() == "(как напечатано на en.kremlin.ru)"
    page = soup_of(russian().get(talk.get_absolute_url()))
    name = page.select_one(".participants li a")
    assert name["lang"] == "en"  # no Russian name recorded: shown, and marked, in English


def test_a_russian_search_that_finds_nothing_says_the_archive_is_mostly_english(talk):
    soup = soup_of(russian().get("/search/?q=газ"))
    note = soup.select_one(".language-note")
    assert "Почти всё, что импортировано, — на английском" in note.get_text()
    assert note.select_one("a")["href"] == "/search/?lang=en"


def test_an_english_search_that_finds_nothing_has_no_language_note(client, talk):
    soup = soup_of(client.get("/search/?q=zeppelin"))
    assert soup.select_one(".language-note") is None
