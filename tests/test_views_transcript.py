"""The meeting page and a turn's own page (``meetings/views/transcript.py``): everything about
the meeting, speaker colours and highlighting, escaping, and the transcript tools: marks of
the ?hl= words, share of voice, "only this speaker", citations (BibTeX, RIS) and readouts
without a transcript."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from meetings.models import Utterance
from tests.factories import (
    add_participant,
    make_document,
    make_meeting,
    make_participant,
    make_utterance,
)
from tests.html import hrefs, one, select, text, texts

pytestmark = pytest.mark.django_db
HOME = reverse("meetings:meeting_list")


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


def facts(response) -> dict[str, str]:
    """The meeting's facts (date, place, countries, transcript) by their label."""
    return {text(fact.dt): text(fact.dd) for fact in select(response, ".meeting__facts > div")}


def marks(response) -> list[tuple[str, str]]:
    """(number, marked words) of every numbered mark in the transcript, in reading order."""
    return [(mark["id"].removeprefix("m-"), text(mark)) for mark in select(response, "mark[id]")]


def test_hl_marks_every_match_with_search_s_stemming_and_counts_them(client, talks):
    response = client.get(talks["meeting"].get_absolute_url(), {"hl": "talks"})
    # "talks", "talking" (stem talk) in four turns: numbered in reading order.
    assert marks(response) == [
        ("1", "talks"),
        ("2", "talks"),
        ("3", "talking"),
        ("4", "talks"),
        ("5", "talks"),
    ]
    assert texts(response, "#marks-summary") == ["5 matches for “talks”"]
    assert hrefs(response, "a.marks__first") == ["#m-1"]
    # Paragraphs survive the marking.
    paragraphs = one(response, "#u-2 .turn__text").select("p")
    assert [text(p) for p in paragraphs] == [
        "We held talks on energy.",
        "The talking went well, and our talks continue.",
    ]
    assert [len(p.select("mark")) for p in paragraphs] == [1, 2]


def test_hl_follows_russian_stemming_like_search(client):
    meeting = make_meeting(language="ru", title="Российско-китайские переговоры")
    make_utterance(meeting, speaker_label="В.Путин", text="Мы говорили о переговорах.")
    make_utterance(meeting, speaker_label="Си Цзиньпин", text="Спасибо.")
    search = client.get(reverse("meetings:search"), {"q": "переговоры"})
    assert [text(mark) for mark in select(search, ".hit__text mark")] == ["переговорах"]
    response = client.get(meeting.get_absolute_url(), {"hl": "переговоры"})
    assert marks(response) == [("1", "переговорах")]


def test_hl_is_escaped_and_cannot_inject_markup(client, talks):
    words = '"><script>alert(1)</script> talks'
    response = client.get(talks["meeting"].get_absolute_url(), {"hl": words})
    assert response.status_code == 200
    assert not select(response, "main script")
    assert texts(response, "#marks-summary") == [f"5 matches for “{words}”"]
    assert len(marks(response)) == 5


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
    response = client.get(meeting.get_absolute_url(), {"hl": "talks"})
    turn = one(response, "#u-1 .turn__text")
    assert not turn.select("b, i")
    assert text(turn) == "<b>talks</b> & <i>more</i> talks"
    assert marks(response) == [("1", "talks"), ("2", "talks")]


def test_hl_costs_no_extra_query(client, talks, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        client.get(talks["meeting"].get_absolute_url(), {"hl": "talks", "speaker": 1})


def test_legend_shows_each_speaker_s_share_of_words(client, talks):
    response = client.get(talks["meeting"].get_absolute_url())
    # Putin 13 + 2 words, Erdogan 2, the question 4: 15/21 = 71 %, 2/21 = 10 %, 4/21 = 19 %.
    assert texts(response, ".legend__count") == [
        "(2 turns, 71% of words)",
        "(1 turn, 10% of words)",
        "(1 turn, 19% of words)",
    ]
    legend = [
        (entry["class"][1], entry["data-speaker"]) for entry in select(response, "li.legend__entry")
    ]
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
    response = client.get(url, {"speaker": talks["putin"].pk, "only": "1"})
    assert one(response, "section#transcript")["class"] == ["transcript", "is-only"]
    only = one(response, "a.legend__only")
    assert only["aria-pressed"] == "true"
    assert only["href"] == f"?speaker={talks['putin'].pk}#transcript"  # pressing it again undoes it
    # Without a speaker, "only" means nothing.
    assert not select(client.get(url, {"only": "1"}), ".is-only")


def test_utterance_page_has_a_citation(client, talks):
    meeting = talks["meeting"]
    response = client.get(reverse("meetings:utterance_detail", args=["en", meeting.kremlin_id, 2]))
    citation = one(response, "section.citation .citation__text")
    assert text(citation) == (
        "Vladimir Putin, “Russian-Turkish talks”, March 5, 2020, "
        "http://en.kremlin.ru/events/president/news/62936, "
        "http://testserver/meetings/en/62936/u/2/. President of Russia, kremlin.ru, CC BY 4.0."
    )
    assert citation.cite["lang"] == "en"
    assert citation.time["datetime"] == "2020-03-05"
    assert citation.select_one(".citation__permalink")["href"] == (
        "http://testserver/meetings/en/62936/u/2/"
    )
    assert hrefs(response, "a.citation__download") == [
        "/meetings/en/62936/u/2/cite.bib",
        "/meetings/en/62936/u/2/cite.ris",
    ]
    assert not select(response, "[style]")
    assert all(script.get("src") for script in select(response, "script"))


def test_utterance_page_keeps_the_meeting_s_colours(client, talks):
    meeting = talks["meeting"]
    response = client.get(reverse("meetings:utterance_detail", args=["en", meeting.kremlin_id, 5]))
    classes = dict(speaker_classes(response))
    assert classes["u-5"] == "speaker-1" and classes["u-3"] == "speaker-2"


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
    facts = {
        text(f.dt): text(f.dd)
        for f in select(client.get(meeting.get_absolute_url()), ".meeting__facts > div")
    }
    assert facts["Transcript"] == "No transcript: a report of the meeting"  # not "readout"
    ru = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru")
    facts = {text(f.dt): text(f.dd) for f in select(ru, ".meeting__facts > div")}
    assert facts["Стенограмма"] == "Стенограммы нет: сообщение о встрече"


def test_the_transcript_tools_speak_russian(client, talks):
    url = talks["meeting"].get_absolute_url()
    ru = {"HTTP_ACCEPT_LANGUAGE": "ru"}
    response = client.get(url, {"hl": "talks", "speaker": talks["putin"].pk}, **ru)
    assert texts(response, "#marks-summary") == ["5 совпадений со словами «talks»"]
    assert texts(response, ".legend__count")[0] == "(2 реплики, 71% слов)"
    assert texts(response, "a.legend__only") == ["Только этот выступающий"]
    assert texts(response, ".shortcuts summary") == ["Клавиши быстрого доступа"]
    turn = reverse("meetings:utterance_detail", args=["en", talks["meeting"].kremlin_id, 2])
    response = client.get(turn, **ru)
    assert texts(response, ".citation__credit") == ["Президент России, kremlin.ru, CC BY 4.0"]
    assert "Копировать ссылку" in texts(response, "button.citation__copy")


# The meeting page and a turn's page ----------------------------------------------------


def speaker_classes(response) -> list[tuple[str, str]]:
    """(turn id, its speaker-colour class) for every turn, in order."""
    return [
        (turn["id"], next(c for c in turn["class"] if c.startswith("speaker-")))
        for turn in select(response, "article.turn")
        if any(c.startswith("speaker-") for c in turn["class"])
    ]


@pytest.fixture
def kazakh_talks():
    putin = make_participant("Vladimir Putin", country="RU")
    tokayev = make_participant("Kassym-Jomart Tokayev", country="KZ")
    meeting = make_meeting(
        kremlin_id=67758,
        title="Russian-Kazakhstani talks",
        date=dt.date(2022, 2, 10),
        starts_at=dt.datetime(2022, 2, 10, 14, 45, tzinfo=dt.UTC),
        place="Moscow, the Kremlin",
        lead="The talks began in a restricted format.",
        countries=("KZ",),
    )
    add_participant(meeting, putin, role="President of Russia")
    add_participant(meeting, tokayev, role="President of Kazakhstan")
    section = "Beginning of Russian-Kazakhstani talks"
    make_utterance(
        meeting,
        section=section,
        speaker=putin,
        speaker_label="Vladimir Putin",
        text="Mr President, friends,\nWelcome to Moscow.",
    )
    make_utterance(
        meeting,
        section=section,
        speaker=tokayev,
        speaker_label="Kassym-Jomart Tokayev",
        text="Thank you.",
        translation_note="retranslated",
    )
    make_utterance(meeting, section=section, kind="omission", text="<…>")
    make_utterance(
        meeting,
        section="Statements for the press",
        kind="narrative",
        text="After the talks, the presidents made statements.",
    )
    make_document(
        meeting,
        title="Declaration on allied cooperation",
        kind="declaration",
        url="http://en.kremlin.ru/supplement/5746",
    )
    russian = make_meeting(
        kremlin_id=67758, language="ru", title="Российско-казахстанские переговоры"
    )
    meeting.counterpart = russian
    meeting.save()
    return {"meeting": meeting, "putin": putin, "tokayev": tokayev, "russian": russian}


def test_meeting_page_shows_everything_about_the_meeting(client, kazakh_talks):
    response = client.get(kazakh_talks["meeting"].get_absolute_url())
    assert response.status_code == 200
    assert texts(response, "h1") == ["Russian-Kazakhstani talks"]
    # Stored in UTC, shown in Moscow time.
    assert facts(response)["Date"] == "Feb. 10, 2022, 17:45 Moscow time"
    assert facts(response)["Place"] == "Moscow, the Kremlin"
    assert texts(response, ".participants li") == [
        "Vladimir Putin, President of Russia",
        "Kassym-Jomart Tokayev, President of Kazakhstan",
    ]
    assert texts(response, ".meeting__lead") == ["The talks began in a restricted format."]
    assert hrefs(response, ".toc a") == ["#s-1", "#s-2"]
    assert [h["id"] for h in select(response, ".transcript__section")] == ["s-1", "s-2"]
    turns = select(response, "article.turn")
    assert [turn["id"] for turn in turns] == ["u-1", "u-2", "u-3", "u-4"]
    assert [turn.select_one("a.turn__link")["href"] for turn in turns] == [
        reverse("meetings:utterance_detail", args=["en", 67758, position])
        for position in range(1, 5)
    ]
    assert "turn--omission" in turns[2]["class"] and "turn--narrative" in turns[3]["class"]
    assert text(turns[1].select_one(".turn__note")) == "(retranslated)"
    assert [str(p) for p in turns[0].select(".turn__text p")] == [
        "<p>Mr President, friends,</p>",
        "<p>Welcome to Moscow.</p>",
    ]
    assert texts(response, ".documents a") == ["Declaration on allied cooperation"]
    links = hrefs(response, ".meeting__links a")
    assert "http://en.kremlin.ru/events/president/news/67758" in links
    assert "/meetings/ru/67758/" in links
    attribution = one(response, ".attribution")
    assert attribution.select_one('a[rel="license"]')["href"].startswith(
        "https://creativecommons.org/licenses/by/"
    )
    assert text(attribution.select_one('a[rel="external"]')) == "President of Russia, kremlin.ru"


def test_counterpart_found_without_the_link(client, kazakh_talks):
    response = client.get(kazakh_talks["russian"].get_absolute_url())
    assert "/meetings/en/67758/" in hrefs(response, ".meeting__links a")


def test_each_speaker_has_a_stable_colour_and_a_legend_link(client, kazakh_talks):
    putin = kazakh_talks["putin"]
    response = client.get(kazakh_talks["meeting"].get_absolute_url())
    again = client.get(kazakh_talks["meeting"].get_absolute_url())
    colours = speaker_classes(response)
    assert colours == speaker_classes(again)
    assert colours[:2] == [("u-1", "speaker-1"), ("u-2", "speaker-2")]  # in order of first turn
    assert one(response, "#u-1")["data-speaker"] == str(putin.pk)
    assert f"?speaker={putin.pk}#transcript" in hrefs(response)
    assert not select(response, "[style]")


def test_choosing_a_speaker_without_javascript_highlights_their_turns(client, kazakh_talks):
    putin = kazakh_talks["putin"]
    response = client.get(kazakh_talks["meeting"].get_absolute_url(), {"speaker": putin.pk})
    turns = {turn["id"]: turn["class"] for turn in select(response, "article.turn")}
    assert "is-highlighted" in turns["u-1"]
    assert "is-dimmed" in turns["u-2"] and "is-highlighted" not in turns["u-2"]
    (pressed,) = select(response, '[aria-pressed="true"]')
    assert text(pressed).startswith("Vladimir Putin")  # the legend's entry, pressed
    assert "Show all speakers" in texts(response, "#transcript a")


@pytest.mark.parametrize("speaker", ["abc", "-1", "99999999999999999999999", "<script>", "other"])
def test_a_bad_speaker_parameter_is_ignored(client, kazakh_talks, speaker):
    if speaker == "other":  # a real participant who does not speak in this meeting
        speaker = make_participant("Someone Else").pk
    response = client.get(kazakh_talks["meeting"].get_absolute_url(), {"speaker": speaker})
    assert response.status_code == 200
    assert not select(response, ".is-dimmed")


def test_transcript_text_is_always_escaped(client):
    meeting = make_meeting(title="<script>alert('title')</script>", lead="<b>lead</b>")
    make_utterance(
        meeting,
        speaker_label="<img src=x onerror=alert(1)>",
        text="<script>alert(1)</script>\nsecond",
    )
    make_utterance(meeting, kind="narrative", section="<i>section</i>", text="&amp; <b>bold</b>")
    response = client.get(meeting.get_absolute_url())
    article = one(response, "article.meeting")
    assert not article.select("script, img, b, i")  # the text is shown, never run as markup
    assert text(article.h1) == "<script>alert('title')</script>"
    assert texts(response, ".meeting__lead") == ["<b>lead</b>"]
    turns = select(response, ".turn__text")
    assert text(turns[0]).startswith("<script>alert(1)</script>")
    assert text(turns[1]) == "&amp; <b>bold</b>"
    assert texts(response, ".transcript__section")[-1] == "<i>section</i>"
    listed = client.get(HOME)
    assert not select(listed, "main script")
    assert texts(listed, ".meeting-row__title") == ["<script>alert('title')</script>"]


def test_a_500_turn_transcript_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    meeting = make_meeting(countries=("TR", "CN"))
    speakers = [make_participant(f"Speaker {n}") for n in range(6)]
    for person in speakers:
        add_participant(meeting, person, role="Guest")
    from meetings.models import Utterance

    Utterance.objects.bulk_create(
        Utterance(
            meeting=meeting,
            position=n,
            section=f"Part {n // 100}",
            speaker=speakers[n % 6],
            speaker_label=f"Speaker {n % 6}",
            text="Words " * 50,
            language="en",
        )
        for n in range(1, 501)
    )
    for _ in range(3):
        make_document(meeting)
    with django_assert_max_num_queries(10):
        response = client.get(meeting.get_absolute_url(), {"speaker": speakers[0].pk})
    assert len(select(response, "article.turn")) == 500
    assert len(select(response, "article.turn.is-highlighted")) == 83  # turns 6, 12, ... 498


def test_unknown_meeting_or_language_is_a_404(client, kazakh_talks):
    assert client.get("/meetings/en/1/").status_code == 404
    assert client.get("/meetings/de/67758/").status_code == 404
    assert client.get("/meetings/en/67758/u/99/").status_code == 404


def test_utterance_page_shows_it_in_context(client, kazakh_talks):
    url = reverse("meetings:utterance_detail", args=["en", 67758, 2])
    response = client.get(url)
    assert response.status_code == 200
    turns = {turn["id"]: turn for turn in select(response, "article.turn")}
    assert "is-highlighted" in turns["u-2"]["class"]
    assert "u-1" in turns and "u-4" in turns  # in its context
    assert text(turns["u-2"].select_one(".turn__text")) == "Thank you."
    assert f"{kazakh_talks['meeting'].get_absolute_url()}#u-2" in hrefs(response)


def test_links_from_a_source_page_are_only_web_addresses(client):
    meeting = make_meeting(source_url="javascript:alert(1)")
    make_document(meeting, title="Bad link", url="javascript:alert(2)")
    make_document(meeting, title="Good link", url="http://en.kremlin.ru/supplement/1")
    response = client.get(meeting.get_absolute_url())
    assert not [href for href in hrefs(response) if href.startswith("javascript:")]
    assert texts(response, ".documents li a") == ["Good link"]
    assert hrefs(response, ".documents li a") == ["http://en.kremlin.ru/supplement/1"]
    assert "Bad link" in texts(response, ".documents li")[0]
