"""The parser on Russian event pages: kinds, countries and people from Russian titles."""

from __future__ import annotations

import re

import pytest

from meetings.importer.parse import parse_page
from tests.test_parse import page, speeches

# --- Russian pages ---------------------------------------------------------------------

RU_SWAPS = [
    ("Geography", "География"),
    ("Topics", "Темы"),
    ("Persons", "Лица"),
    (
        "Meeting with President of Ukraine Viktor Yanukovych",
        "Встреча с Президентом Украины Виктором Януковичем",
    ),
    ("President of Russia Vladimir Putin", "Президент России В.Путин"),
    ("President of Ukraine", "Президент Украины"),
    ("Vladimir Putin", "В.Путин"),
    ("Viktor Yanukovych", "В.Янукович"),
    ("Question", "Вопрос"),
    ("http://en.kremlin.ru", "http://kremlin.ru"),
    ('content="en"', 'content="ru"'),
    ("Yanukovych Viktor", "Янукович Виктор"),
]


def russian_page() -> str:
    html = page("en-17622.html").decode("utf-8")
    for english, russian in RU_SWAPS:  # the page mixes spaces and non-breaking spaces
        pattern = r"[ \xa0]+".join(re.escape(word) for word in english.split(" "))
        html = re.sub(pattern, russian, html)
    return html


def test_synthetic_russian_event_page():
    m = parse_page(russian_page(), url="http://kremlin.ru/events/president/news/17622")
    assert (m.language, m.source_url) == ("ru", "http://kremlin.ru/events/president/news/17622")
    assert m.countries == ["UA"] and m.kind == "meeting"
    names = [p.name for p in m.participants]
    assert names[:2] == ["Владимир Путин", "Виктор Янукович"]
    yanukovych = m.participants[1]
    assert (yanukovych.role, yanukovych.country, yanukovych.kremlin_id) == (
        "Президент Украины",
        "UA",
        62,
    )
    labels = speeches(m)
    assert ("В.Путин", "Владимир Путин") in labels
    assert ("В.Янукович", "Виктор Янукович") in labels
    assert any(u.kind == "question" and u.speaker_label == "Вопрос" for u in m.utterances)


@pytest.mark.parametrize(
    ("title", "kind", "countries"),
    [
        (
            "Телефонный разговор с Президентом Бразилии Луисом Инасио Лулой да Силвой",
            "telephone",
            ["BR"],
        ),
        ("Телефонный разговор с Президентом Белоруссии Александром Лукашенко", "telephone", ["BY"]),
        ("Переговоры с Премьер-министром Мьянмы Мин Аун Хлайном", "talks", ["MM"]),
        ("Российско-таджикистанские переговоры", "talks", ["TJ"]),
        (
            "Совместная пресс-конференция с Президентом Белоруссии Александром Лукашенко",
            "press",
            ["BY"],
        ),
        ("Встреча с избранным Президентом Абхазии Бадрой Гунбой", "meeting", ["XA"]),
        ("Телефонный разговор с Президентом ЮАР Сирилом Рамафозой", "telephone", ["ZA"]),
        ("Встреча с губернатором Тверской области Игорем Руденей", "meeting", []),
        ("Посещение завода «АвтоВАЗ»", "visit", []),
        ("Заявления по итогам российско-мьянманских переговоров", "press", ["MM"]),
        ("Совещание с членами Правительства", "meeting", []),
    ],
)
def test_russian_kind_and_country_from_real_titles(title, kind, countries):
    text = (
        f"{title}\n\n2025-03-01 12:00:00\n\nМосква, Кремль\n\nЛид.\n\nТекст.\n\n"
        "http://kremlin.ru/events/president/news/copy/1"
    )
    m = parse_page(text, source="title")
    assert (m.kind, m.countries) == (kind, countries)
    assert m.is_domestic is (not countries)


def test_russian_title_person_in_nominative():
    text = (
        "Телефонный разговор с Президентом Турции Реджепом Тайипом Эрдоганом\n\n"
        "2025-04-01 15:00:00\n\nЛид.\n\nТекст.\n\nhttp://kremlin.ru/events/president/news/copy/2"
    )
    m = parse_page(text, source="title")
    erdogan = m.participants[-1]
    assert (erdogan.name, erdogan.role, erdogan.country) == (
        "Реджеп Тайип Эрдоган",
        "Президент Турции",
        "TR",
    )
