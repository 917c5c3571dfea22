"""The transcript tools of issue 10 on the server side: marks of the ?hl= words, share of
voice, "only this speaker", citations (BibTeX, RIS) and readouts without a transcript."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from meetings.models import Utterance
from tests.factories import add_participant, make_meeting, make_participant, make_utterance

pytestmark = pytest.mark.django_db


@pytest.fixture
def talks():
    putin = make_participant("Vladimir Putin")
    erdogan = make_participant("Recep Tayyip Erdogan")
    meeting = make_meeting(
        kremlin_id=62936, title="Russian-Turkish talks", date=dt.date(2020, 3, 5)
    )
    add_participant(meeting, putin)
    add_participant(meeting, erdogan)
    make_utterance(meeting, kind="narrative", text="The talks began.")
    make_utterance(
        meeting,
        speaker=putin,
        speaker_label="Vladimir Putin",
        text="We held talks on energy.\nThe talking went well, and our talks continue.",
    )
    make_utterance(meeting, speaker=erdogan, speaker_label="Recep Erdogan", text="Thank you.")
    make_utterance(meeting, speaker_label="Question", kind="question", text="And the gas talks?")
    make_utterance(meeting, speaker=putin, speaker_label="Vladimir Putin", text="Gas: yes.")
    return {"meeting": meeting, "putin": putin, "erdogan": erdogan}


def marks(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark id="m-(\d+)">([^<]*)</mark>', html)


def test_hl_marks_every_match_with_search_s_stemming_and_counts_them(client, talks):
    html = client.get(talks["meeting"].get_absolute_url(), {"hl": "talks"}).content.decode()
    # "talks", "talking" (stem talk) in four turns: numbered in reading order.
    assert marks(html) == [
        ("1", "talks"),
        ("2", "talks"),
        ("3", "talking"),
        ("4", "talks"),
        ("5", "talks"),
    ]
    assert "5 matches for “talks”" in html
    assert 'href="#m-1"' in html
    # Paragraphs survive the marking.
    assert "<p>We held <mark" in html and "<p>The <mark" in html


def test_hl_follows_russian_stemming_like_search(client):
    meeting = make_meeting(language="ru", title="Российско-китайские переговоры")
    make_utterance(meeting, speaker_label="В.Путин", text="Мы говорили о переговорах.")
    make_utterance(meeting, speaker_label="Си Цзиньпин", text="Спасибо.")
    search = client.get(reverse("meetings:search"), {"q": "переговоры"}).content.decode()
    assert "переговорах" in search
    html = client.get(meeting.get_absolute_url(), {"hl": "переговоры"}).content.decode()
    assert marks(html) == [("1", "переговорах")]


def test_hl_is_escaped_and_cannot_inject_markup(client, talks):
    words = '"><script>alert(1)</script> talks'
    response = client.get(talks["meeting"].get_absolute_url(), {"hl": words})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert len(marks(html)) == 5


@pytest.mark.parametrize("words", ["", "   ", "!!!", "a" * 5000, "zzzqqq", "-talks"])
def test_odd_hl_values_never_fail(client, talks, words):
    response = client.get(talks["meeting"].get_absolute_url(), {"hl": words})
    assert response.status_code == 200


def test_hl_with_a_control_character_is_a_bad_request(client, talks):
    # Refused before the view (meetings/middleware.py), like every public parameter.
    response = client.get(talks["meeting"].get_absolute_url(), {"hl": "talks\x00"})
    assert response.status_code == 400


def test_marked_text_keeps_escaping(client):
    meeting = make_meeting()
    make_utterance(meeting, speaker_label="A", text="<b>talks</b> & <i>more</i> talks")
    html = client.get(meeting.get_absolute_url(), {"hl": "talks"}).content.decode()
    assert '&lt;b&gt;<mark id="m-1">talks</mark>&lt;/b&gt; &amp; &lt;i&gt;more' in html


def test_hl_costs_no_extra_query(client, talks, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        client.get(talks["meeting"].get_absolute_url(), {"hl": "talks", "speaker": 1})


def test_legend_shows_each_speaker_s_share_of_words(client, talks):
    html = client.get(talks["meeting"].get_absolute_url()).content.decode()
    # Putin 13 + 2 words, Erdogan 2, the question 4: 15/21 = 71 %, 2/21 = 10 %, 4/21 = 19 %.
    assert "(2 turns, 71% of words)" in html
    assert "(1 turn, 10% of words)" in html
    assert "(1 turn, 19% of words)" in html
    legend = re.findall(r'<li class="legend__entry (speaker-[\w-]+)" data-speaker="([^"]+)"', html)
    putin, erdogan = talks["putin"].pk, talks["erdogan"].pk
    assert legend == [
        ("speaker-1", str(putin)),
        ("speaker-2", str(erdogan)),
        ("speaker-question", "Question"),
    ]


def test_meeting_json_carries_words_per_speaker(client, talks):
    meeting = talks["meeting"]
    url = reverse("meetings:meeting_json", args=[meeting.language, meeting.kremlin_id])
    data = json.loads(client.get(url).content)
    assert data["speakers"] == [
        {"speaker": "Vladimir Putin", "speaker_label": "Vladimir Putin", "turns": 2, "words": 15},
        {
            "speaker": "Recep Tayyip Erdogan",
            "speaker_label": "Recep Erdogan",
            "turns": 1,
            "words": 2,
        },
        {"speaker": None, "speaker_label": "Question", "turns": 1, "words": 4},
    ]


def test_only_this_speaker_without_javascript_collapses_the_others(client, talks):
    url = talks["meeting"].get_absolute_url()
    html = client.get(url, {"speaker": talks["putin"].pk, "only": "1"}).content.decode()
    assert 'class="transcript is-only"' in html
    assert 'class="tool legend__only" href="?speaker=' in html and 'aria-pressed="true"' in html
    # Without a speaker, "only" means nothing.
    assert "is-only" not in client.get(url, {"only": "1"}).content.decode()


def test_utterance_page_has_a_citation(client, talks):
    meeting = talks["meeting"]
    html = client.get(
        reverse("meetings:utterance_detail", args=["en", meeting.kremlin_id, 2])
    ).content.decode()
    [block] = re.findall(r'<section class="citation".*?</section>', html, re.S)
    assert "Vladimir Putin" in block
    assert '“<cite lang="en">Russian-Turkish talks</cite>”' in block
    assert 'datetime="2020-03-05"' in block
    assert "http://en.kremlin.ru/events/president/news/62936" in block
    assert "http://testserver/meetings/en/62936/u/2/" in block
    assert "President of Russia, kremlin.ru, CC BY 4.0" in block
    assert "/meetings/en/62936/u/2/cite.bib" in block and "/meetings/en/62936/u/2/cite.ris" in block
    assert "style=" not in html and "<script>" not in html.replace("<script src=", "")


def test_utterance_page_keeps_the_meeting_s_colours(client, talks):
    meeting = talks["meeting"]
    html = client.get(
        reverse("meetings:utterance_detail", args=["en", meeting.kremlin_id, 5])
    ).content.decode()
    classes = dict(re.findall(r'id="u-(\d+)"\s+class="turn turn--\w+ (speaker-[\w-]+)', html))
    assert classes["5"] == "speaker-1" and classes["3"] == "speaker-2"


def test_bibtex_download(client, talks):
    meeting = talks["meeting"]
    Utterance.objects.filter(meeting=meeting, position=2).update(speaker_label="Putin {&} 100%")
    meeting.title = "Talks on #1 {priority} & 50% of_gas\\ ~"
    meeting.save()
    response = client.get(reverse("meetings:cite_bibtex", args=["en", meeting.kremlin_id, 2]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert 'filename="kremlin-en-62936-2.bib"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("@misc{kremlin-en-62936-2,\n")
    assert "author = {{Vladimir Putin}}" in text
    assert r"title = {Talks on \#1 \{priority\} \& 50\% of\_gas\textbackslash{} \~{}}" in text
    assert "url = {http://testserver/meetings/en/62936/u/2/}" in text
    assert "date = {2020-03-05}" in text
    assert "CC BY 4.0" in text
    assert text.count("{") == text.count("}")


def test_ris_download(client, talks):
    meeting = talks["meeting"]
    meeting.title = "Two\nlines"
    meeting.save()
    response = client.get(reverse("meetings:cite_ris", args=["en", meeting.kremlin_id, 2]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "TY  - GEN"
    assert "AU  - Vladimir Putin" in lines
    assert "TI  - Two lines" in lines
    assert "DA  - 2020/03/05" in lines
    assert "UR  - http://testserver/meetings/en/62936/u/2/" in lines
    assert lines[-2:] == ["ER  - ", ""]


@pytest.mark.parametrize("suffix", ["cite.bib", "cite.ris"])
def test_citation_of_a_missing_turn_is_a_404(client, talks, suffix):
    assert client.get(f"/meetings/en/62936/u/99/{suffix}").status_code == 404
    assert client.get(f"/meetings/xx/62936/u/2/{suffix}").status_code == 404


def test_a_meeting_without_transcript_says_so_in_plain_words(client):
    meeting = make_meeting(kind="telephone", lead="The leaders spoke by telephone.")
    make_utterance(meeting, kind="narrative", text="The leaders discussed trade.")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "No transcript: a report of the meeting" in html and "0 turns" not in html
    assert "readout" not in html.lower().replace("tag--readout", "")  # jargon
    ru = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Стенограммы нет: сообщение о встрече" in ru and "0 реплик" not in ru


def test_the_transcript_tools_speak_russian(client, talks):
    url = talks["meeting"].get_absolute_url()
    ru = {"HTTP_ACCEPT_LANGUAGE": "ru"}
    html = client.get(url, {"hl": "talks", "speaker": talks["putin"].pk}, **ru).content.decode()
    assert "5 совпадений со словами «talks»" in html
    assert "(2 реплики, 71% слов)" in html
    assert "Только этот выступающий" in html and "Клавиши быстрого доступа" in html
    turn = reverse("meetings:utterance_detail", args=["en", talks["meeting"].kremlin_id, 2])
    html = client.get(turn, **ru).content.decode()
    assert "Президент России, kremlin.ru, CC BY 4.0" in html and "Копировать ссылку" in html
