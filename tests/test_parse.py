"""Parser behaviour on real kremlin.ru pages and on the quirks the site is known for."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from meetings.importer.parse import parse_page
from meetings.importer.records import ParsedMeeting, ParseError

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def parse(name: str) -> ParsedMeeting:
    result = parse_page(page(name), source=name)
    assert isinstance(result, ParsedMeeting)
    return result


def speeches(meeting: ParsedMeeting) -> list[tuple[str, str | None]]:
    return [
        (u.speaker_label, meeting.participants[u.speaker].name if u.speaker is not None else None)
        for u in meeting.utterances
        if u.kind in ("speech", "question")
    ]


# --- the seed: the Russian text version ------------------------------------------------


def test_text_version_header():
    m = parse("ru-copy-677488171.txt")
    assert (m.kremlin_id, m.language) == (67748, "ru")
    assert m.source_url == "http://kremlin.ru/events/president/news/67748"
    assert m.title == "Встреча с Президентом Казахстана Касым-Жомартом Токаевым"
    assert (m.date, m.time) == (dt.date(2022, 2, 10), dt.time(17, 45))
    assert m.place == "Москва, Кремль"
    assert m.lead.startswith("В Кремле прошли переговоры Владимира Путина")
    assert m.countries == ["KZ"]
    assert m.is_domestic is False


def test_text_version_participants_are_nominative_and_merged():
    m = parse("ru-copy-677488171.txt")
    people = [(p.name, p.role, p.country) for p in m.participants]
    assert people == [
        ("Владимир Путин", "Президент России", "RU"),
        ("Касым-Жомарт Токаев", "Президент Казахстана", "KZ"),
    ]
    assert "К.-Ж.Токаев" in m.participants[1].aliases
    assert "Касым-Жомартом Токаевым" in m.participants[1].aliases
    assert m.participants[0].aliases == ["В.Путин"]


def test_text_version_turns_section_and_omission():
    m = parse("ru-copy-677488171.txt")
    turns = [u for u in m.utterances if u.kind != "narrative"]
    assert [(u.kind, u.speaker_label, u.speaker) for u in turns] == [
        ("speech", "В.Путин", 0),
        ("speech", "К.-Ж.Токаев", 1),
        ("omission", "", None),
    ]
    assert turns[0].section == "Начало российско-казахстанских переговоров"
    assert turns[0].text.startswith("Уважаемый Касым-Жомарт Кемелевич!\nСердечно приветствую")
    assert turns[1].text.endswith("я с Вами согласен.")
    assert "&lt;" not in turns[2].text and turns[2].text == "<…>"
    assert [u.position for u in m.utterances] == list(range(1, len(m.utterances) + 1))


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty input"),
        (b"   \n\t ", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("<html><body>Привет</body></html>".encode("cp1251"), "undecodable text"),
        (
            b"<html><head><title>Example</title></head><body><p>Hi</p></body></html>",
            "not a kremlin",
        ),
        (b"just some words, no markup", "not a kremlin.ru page"),
    ],
)
def test_bad_input_raises_parse_error_with_reason(data, reason):
    with pytest.raises(ParseError, match=reason) as exc:
        parse_page(data, source="bad.html")
    assert str(exc.value).startswith("bad.html: ")
    assert "\n" not in str(exc.value)


def test_truncated_page_is_rejected():
    full = page("en-54391.html")
    cut = full[: full.index(b"read__internal_content") + 5000]  # mid-body
    with pytest.raises(ParseError, match="truncated HTML"):
        parse_page(cut, source="cut.html")


def test_page_cut_inside_a_character_is_truncated_not_undecodable():
    full = page("ru-copy-677488171.txt")
    lead_byte = full.index("Казахстан".encode()[:1], 500)  # first byte of a two-byte letter
    with pytest.raises(ParseError, match="truncated input"):
        parse_page(full[: lead_byte + 1], source="cut.txt")


def test_truncated_text_version_is_rejected():
    text = page("ru-copy-677488171.txt").decode()
    with pytest.raises(ParseError, match="not a kremlin.ru page|truncated"):
        parse_page(text[:2000], source="cut.txt")


def test_declared_charset_is_honoured():
    html = page("en-54391.html").decode("utf-8")
    html = html.replace('<meta charset="utf-8"/>', '<meta charset="windows-1251"/>')
    html = html.replace("Press statements following", "Заявления для прессы по итогам", 1)
    result = parse_page(html.encode("cp1251", errors="replace"), source="cp1251.html")
    assert result.kremlin_id == 54391


# --- HTML quirks -----------------------------------------------------------------------


def test_colon_outside_bold_and_split_bold_label():
    # <b>President of Russia Vladimir Putin</b><b>:</b> Good afternoon.
    m = parse("en-54391.html")
    first = m.utterances[0]
    assert first.speaker_label == "President of Russia Vladimir Putin"
    assert first.text.startswith("Good afternoon.\nLadies and gentlemen, Mr Prime Minister,")
    assert speeches(m)[1] == ("Prime Minister of Japan Shinzo Abe", "Shinzo Abe")
    assert m.utterances[1].translation_note == "retranslated"


def test_label_split_over_several_bold_tags():
    m = parse("en-51516.html")  # <b>King Mohammed VI</b> <b>of Morocco</b> (<i>retranslated</i>):
    king = [u for u in m.utterances if u.speaker_label == "King Mohammed VI of Morocco"]
    assert king and king[0].translation_note == "retranslated"
    assert m.participants[king[0].speaker].name == "Mohammed VI"
    assert m.participants[king[0].speaker].role == "King of Morocco"


def test_person_link_tooltip_does_not_leak_into_label():
    m = parse("en-57201.html")
    labels = {u.speaker_label for u in m.utterances}
    assert "President of the Republic of Turkey Recep Tayyip Erdogan" in labels
    assert not any("Erdogan Recep" in label or "\n" in label for label in labels)
    erdogan = next(p for p in m.participants if p.kremlin_id == 122)
    assert (erdogan.name, erdogan.country) == ("Recep Tayyip Erdogan", "TR")


def test_first_full_label_then_bare_name_is_one_participant():
    m = parse("en-17622.html")
    putin = m.participants[0]
    assert (putin.name, putin.role, putin.country) == (
        "Vladimir Putin",
        "President of Russia",
        "RU",
    )
    assert putin.aliases[:2] == ["President of Russia Vladimir Putin", "Vladimir Putin"]
    assert {u.speaker for u in m.utterances if u.speaker_label == "Vladimir Putin"} == {0}


def test_questions_and_nbsp():
    m = parse("en-53964.html")
    questions = [u for u in m.utterances if u.kind == "question"]
    assert len(questions) == 4 and all(q.speaker is None for q in questions)
    assert all("\xa0" not in u.text for u in m.utterances)


def test_slider_is_ignored_and_early_note_is_narrative():
    m = parse("en-26842.html")
    assert m.date.year == 2001 and m.kind == "talks" and m.countries == ["KZ"]
    assert [u.kind for u in m.utterances] == ["narrative"]
    assert "static.kremlin.ru" not in m.utterances[0].text


def test_print_version_parses_like_the_page():
    page_m, print_m = parse("en-62562.html"), parse("en-print-62562.html")
    assert print_m.source_url == "http://en.kremlin.ru/events/president/news/62562"
    assert print_m.utterances == page_m.utterances
    assert print_m.participants == page_m.participants


def test_supplement_links_become_ids_and_documents():
    m = parse("en-27796.html")
    assert m.supplement_ids == [3547, 3548, 3549]
    assert [d.kind for d in m.documents] == ["declaration", "declaration", "joint_statement"]
    assert m.documents[0].url == "http://en.kremlin.ru/supplement/3547"


def test_supplement_list_link_is_not_a_document():
    m = parse("en-28260.html")
    assert m.supplement_ids == [3762]  # "Documents signed following Russian-Bulgarian Talks"
    assert m.documents == []


def test_note_between_two_colons_stays_out_of_the_text():
    # <b>Federal Chancellor of Germany Angela Merkel</b>: <i>(retranslated)</i><b>:</b> Thank…
    m = parse("en-62562.html")
    merkel = next(u for u in m.utterances if "Merkel" in u.speaker_label)
    assert merkel.speaker_label == "Federal Chancellor of Germany Angela Merkel"
    assert merkel.translation_note == "retranslated"
    assert merkel.text.startswith("Thank you so much for your invitation")
    assert merkel.section == "The beginning of Russian-German talks in a restricted format"


def test_bold_line_ending_in_colon_is_a_heading_not_a_speaker():
    m = parse("en-62639.html")  # <b>Statements following the meeting:</b>
    assert [p.name for p in m.participants] == ["Vladimir Putin", "Benjamin Netanyahu"]
    assert m.utterances[-1].section == "Statements following the meeting"


def test_shortened_name_in_label_is_the_tagged_person():
    m = parse("en-57632.html")  # tag "Al Nahyan Mohammed bin Zayed", label "Crown Prince
    prince = m.participants[1]  # Mohammed Al Nahyan of Abu Dhabi"
    assert (prince.name, prince.role, prince.kremlin_id) == (
        "Mohammed bin Zayed Al Nahyan",
        "Crown Prince of Abu Dhabi",
        614,
    )
    assert len(m.participants) == 2


def ru_text_version(title: str) -> str:
    return f"{title}\n\n2025-03-01 12:00:00\n\nЛид.\n\nТекст.\n\nhttp://kremlin.ru/events/president/news/copy/3"


@pytest.mark.parametrize(
    ("title", "people"),
    [
        (
            "Телефонный разговор с Президентом Бразилии Луисом Инасио Лулой да Силвой",
            [("Луис Инасио Лула да Силва", "Президент Бразилии", "BR")],
        ),
        (
            "Встреча с губернатором Камчатского края Владимиром Солодовым",
            [("Владимир Солодов", "губернатор Камчатского края", None)],
        ),
        (
            "Переговоры с Премьер-министром Мьянмы Мин Аун Хлайном",
            [("Мин Аун Хлайн", "Премьер-министр Мьянмы", "MM")],
        ),
        (
            "Телефонный разговор с Эмиром Катара Тамимом Бен Хамадом Аль Тани",
            [("Тамим Бен Хамад Аль Тани", "Эмир Катара", "QA")],
        ),
        (
            "Встреча с Патриархом Московским и всея Руси Кириллом и Патриархом Сербским Порфирием",
            [
                ("Кирилл", "Патриарх Московский и всея Руси", None),
                ("Порфирий", "Патриарх Сербский", "RS"),
            ],
        ),
        ("Встреча с вдовой Героя России Сергея Чебнёва", []),
        ("Встреча с семьёй Труфановых", []),
    ],
)
def test_russian_title_people_nominative_with_roles(title, people):
    m = parse_page(ru_text_version(title), source="title")
    assert [(p.name, p.role, p.country) for p in m.participants] == people


def test_english_text_version_with_notes_and_questions():
    text = (
        "Russian-German talks\n\n2020-01-11 18:30:00\n\nThe Kremlin, Moscow\n\n"
        "Vladimir Putin held talks in the Kremlin with Federal Chancellor of Germany Angela "
        "Merkel.\n\n* * *\nThe beginning of Russian-German talks\n"
        "President of Russia Vladimir Putin: Madam Federal Chancellor,\n"
        "Allow me to heartily welcome you.\n"
        "Federal Chancellor of Germany Angela Merkel (retranslated): Thank you.\n"
        "Question: A question for both leaders.\n"
        "Vladimir Putin: We discussed it.\n"
        "&lt;…&gt;\n\n\nhttp://en.kremlin.ru/events/president/news/copy/62562\n"
    )
    m = parse_page(text, source="en-copy")
    assert (m.kremlin_id, m.language, m.kind) == (62562, "en", "talks")
    assert m.countries == ["DE"]
    assert [(p.name, p.role, p.country) for p in m.participants] == [
        ("Vladimir Putin", "President of Russia", "RU"),
        ("Angela Merkel", "Federal Chancellor of Germany", "DE"),
    ]
    assert [(u.kind, u.speaker_label, u.speaker, u.translation_note) for u in m.utterances] == [
        ("speech", "President of Russia Vladimir Putin", 0, ""),
        ("speech", "Federal Chancellor of Germany Angela Merkel", 1, "retranslated"),
        ("question", "Question", None, ""),
        ("speech", "Vladimir Putin", 0, ""),
        ("omission", "", None, ""),
    ]
    assert m.utterances[0].text == "Madam Federal Chancellor,\nAllow me to heartily welcome you."
    assert m.utterances[0].section == "The beginning of Russian-German talks"


def test_russian_text_version_translation_notes():
    text = (
        "Российско-турецкие переговоры\n\n2020-03-05 19:00:00\n\nМосква, Кремль\n\n"
        "Владимир Путин провёл переговоры с Президентом Турецкой Республики Реджепом Тайипом "
        "Эрдоганом.\n\n* * *\nНачало российско-турецких переговоров\n"
        "В.Путин: Уважаемый господин Президент!\n"
        "Р.Т.Эрдоган (как переведено): Спасибо.\n"
        "Вопрос (через переводчика): Вопрос обоим президентам.\n"
        "Реплика: Спасибо.\n\nhttp://kremlin.ru/events/president/news/copy/62936\n"
    )
    m = parse_page(text, source="ru-copy")
    assert (m.kind, m.countries) == ("talks", ["TR"])
    assert [(p.name, p.role, p.country) for p in m.participants] == [
        ("Владимир Путин", "Президент России", "RU"),
        ("Реджеп Тайип Эрдоган", "Президент Турецкой Республики", "TR"),
    ]
    assert [(u.kind, u.speaker_label, u.speaker, u.translation_note) for u in m.utterances] == [
        ("speech", "В.Путин", 0, ""),
        ("speech", "Р.Т.Эрдоган", 1, "как переведено"),
        ("question", "Вопрос", None, "через переводчика"),
        ("speech", "Реплика", None, ""),
    ]


RU_PRESS_SWAPS = [
    (
        "News conference following Russian-Turkish talks",
        "Пресс-конференция по итогам российско-турецких переговоров",
    ),
    (
        "Vladimir Putin and Recep Tayyip Erdogan gave a joint news conference following the talks.",
        "Владимир Путин и Реджеп Тайип Эрдоган провели совместную пресс-конференцию.",
    ),
    ("President of Russia Vladimir Putin", "Президент России В.Путин"),
    ("President of Turkey", "Президент Турции"),
    ("Erdogan Recep Tayyip", "Эрдоган Реджеп Тайип"),
    ("Recep Tayyip Erdogan", "Р.Т.Эрдоган"),
    ("Vladimir Putin", "В.Путин"),
    ("retranslated", "как переведено"),
    ("Question", "Вопрос"),
    ("Geography", "География"),
    ("Topics", "Темы"),
    ("Persons", "Лица"),
    ("<i></i>Turkey", "<i></i>Турция"),
    ("http://en.kremlin.ru", "http://kremlin.ru"),
    ('content="en"', 'content="ru"'),
    ('lang="en"', 'lang="ru"'),
]


def test_synthetic_russian_news_conference_with_person_links():
    html = page("en-54444.html").decode("utf-8")
    for english, russian in RU_PRESS_SWAPS:
        pattern = r"[ \xa0]+".join(re.escape(word) for word in english.split(" "))
        html = re.sub(pattern, russian, html)
    m = parse_page(html, source="ru-54444.html")
    assert (m.language, m.source_url) == ("ru", "http://kremlin.ru/events/president/news/54444")
    assert (m.kind, m.countries, m.country_names) == ("press", ["TR"], {"TR": "Турция"})
    assert [(p.name, p.role, p.country, p.kremlin_id) for p in m.participants] == [
        ("Владимир Путин", "Президент России", "RU", None),
        ("Реджеп Тайип Эрдоган", "Президент Турции", "TR", 122),
    ]
    erdogan = m.participants[1]
    assert {"Эрдоган Реджеп Тайип", "Президент Турции Р.Т.Эрдоган", "Р.Т.Эрдоган"} <= set(
        erdogan.aliases
    )
    turns = [(u.kind, u.speaker_label, u.speaker) for u in m.utterances if u.kind != "omission"]
    assert turns[:2] == [
        ("speech", "Президент России В.Путин", 0),
        ("speech", "Президент Турции Р.Т.Эрдоган", 1),
    ]
    assert ("question", "Вопрос", None) in turns
    assert ("speech", "Р.Т.Эрдоган", 1) in turns
    notes = {u.translation_note for u in m.utterances if u.speaker_label == "Вопрос"}
    assert "как переведено" in notes
    assert not any("Эрдоган Реджеп" in u.text or "tooltip" in u.text for u in m.utterances)


def test_supplement_linked_from_the_text_with_a_mirror_relative_link():
    html = page("en-54391.html").decode("utf-8")
    link = '<p>The <a href="../../../supplement/5309.html">documents</a> were signed.</p>'
    html = html.replace('<div class="read__cut', link + '<div class="read__cut', 1)
    m = parse_page(html, source="mirror.html")
    assert m.supplement_ids == [5309]
    assert m.utterances[-1].text.endswith("The documents were signed.")


def test_country_named_in_a_domestic_lead_does_not_make_it_foreign():
    text = (
        "Встреча с начальником Генштаба Вооружённых Сил Валерием Герасимовым\n\n"
        "2025-04-26 14:00:00\n\nМосква, Кремль\n\n"
        "Валерий Герасимов доложил о ходе специальной военной операции на Украине.\n\n"
        "Текст.\n\nhttp://kremlin.ru/events/president/news/copy/76800"
    )
    m = parse_page(text, source="domestic")
    assert (m.countries, m.is_domestic) == ([], True)
    assert [(p.name, p.role) for p in m.participants] == [
        ("Валерий Герасимов", "начальник Генштаба Вооружённых Сил")
    ]


def test_country_of_the_person_met_in_the_lead_counts_without_tags():
    text = (
        "Переговоры в Кремле\n\n2025-04-26 14:00:00\n\nМосква, Кремль\n\n"
        "Владимир Путин провёл переговоры с Президентом Республики Казахстан "
        "Касым-Жомартом Токаевым.\n\nТекст.\n\nhttp://kremlin.ru/events/president/news/copy/1"
    )
    m = parse_page(text, source="lead")
    assert (m.countries, m.country_names, m.is_domestic) == (["KZ"], {"KZ": "Казахстан"}, False)


@pytest.mark.parametrize(
    ("url", "language", "source_url"),
    [
        (
            "https://en.kremlin.ru/events/president/news/54391/print",
            "en",
            "http://en.kremlin.ru/events/president/news/54391",
        ),
        (
            "http://www.kremlin.ru/events/president/transcripts/54391",
            "ru",
            "http://kremlin.ru/events/president/news/54391",
        ),
    ],
)
def test_the_url_decides_language_and_canonical_source(url, language, source_url):
    m = parse_page(page("en-54391.html"), url=url)
    assert (m.kremlin_id, m.language, m.source_url) == (54391, language, source_url)


def test_early_labels_in_capitals_and_without_bold():
    html = page("en-54391.html").decode("utf-8")
    body = (
        "<p><b>PRESIDENT OF RUSSIA VLADIMIR PUTIN:</b> Good afternoon.</p>"
        "<p>V.PUTIN: Good day.</p><p>Question: And the plan?</p>"
        "<p>Mr President: this colon is prose, not a label.</p>"
    )
    start = html.index("<p><b>President of")
    html = html[:start] + body + html[html.index('<div class="read__cut') :]
    m = parse_page(html, source="caps.html")
    assert [(u.kind, u.speaker_label, u.speaker) for u in m.utterances] == [
        ("speech", "PRESIDENT OF RUSSIA VLADIMIR PUTIN", 0),
        ("speech", "V.PUTIN", 0),
        ("question", "Question", None),
    ]
    assert m.utterances[-1].text == "And the plan?\nMr President: this colon is prose, not a label."
    assert m.participants[0].name == "Vladimir Putin"
