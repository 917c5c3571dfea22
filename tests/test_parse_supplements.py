"""The parser on supplement pages and the documents signed that events list."""

from __future__ import annotations

import pytest

from meetings.importer.parse import parse_page
from meetings.importer.records import ParsedSupplement
from tests.test_parse import page

# --- supplements -----------------------------------------------------------------------

SUPPLEMENT = """<!doctype html><html lang="ru"><head><meta charset="utf-8"/>
<meta property="og:url" content="http://kremlin.ru/supplement/6279"/></head><body>
<div class="read" data-href="http://kremlin.ru/supplement/6279">
<article class="read__in hentry" id="supplement-6279"><h1 class="entry-title">Список документов,
подписанных в ходе официального визита Президента Белоруссии А.Г.Лукашенко</h1>
<time class="read__published" datetime="2025-03-13">13 марта 2025 года</time>
<div class="entry-content read__internal_content">
<p>1. Совместное заявление Президента Российской Федерации и Президента Республики Беларусь</p>
<p>2. Соглашение между Российской Федерацией и Республикой Беларусь о мерах безопасности</p>
<p>3. Меморандум о взаимопонимании в области образования</p>
<p><a href="http://kremlin.ru/events/president/news/76441">Российско-белорусские переговоры</a></p>
</div></article></div></body></html>"""


SUPPLEMENT_WITHOUT_ARTICLE = SUPPLEMENT.replace(
    '<article class="read__in hentry" id="supplement-6279">', '<div class="read__in">'
).replace("</article>", "</div>")


@pytest.mark.parametrize("html", [SUPPLEMENT, SUPPLEMENT_WITHOUT_ARTICLE])
def test_supplement_page_lists_documents_and_events(html):
    s = parse_page(html, source="supplement.html")
    assert isinstance(s, ParsedSupplement)
    assert (s.supplement_id, s.language, s.source_url) == (
        6279,
        "ru",
        "http://kremlin.ru/supplement/6279",
    )
    assert [d.kind for d in s.documents] == ["joint_statement", "agreement", "memorandum"]
    assert s.documents[1].title.startswith("Соглашение между Российской Федерацией")
    assert s.documents[1].parties == ["Российской Федерацией", "Республикой Беларусь"]
    assert s.meeting_ids == [76441]


def test_documents_signed_section_becomes_documents():
    html = page("en-54391.html").decode("utf-8")
    section = (
        "<p>* * *</p><p><b>Documents signed during the visit:</b></p><ul>"
        "<li>Agreement between the Government of the Russian Federation and the Government "
        "of Japan on cooperation in tourism;</li>"
        "<li>Memorandum of understanding on energy efficiency;</li>"
        "<li>Joint statement on economic cooperation.</li></ul>"
        "<p>The leaders then left for a working lunch.</p>"
    )
    html = html.replace('<div class="read__cut', section + '<div class="read__cut', 1)
    m = parse_page(html, source="docs.html")
    assert [(d.kind, d.parties) for d in m.documents] == [
        ("agreement", ["Russian Federation", "Japan"]),
        ("memorandum", []),
        ("joint_statement", []),
    ]
    assert m.documents[0].title.endswith("on cooperation in tourism")
    assert m.utterances[-1].kind == "narrative"
    assert m.utterances[-1].text == "The leaders then left for a working lunch."
    assert not any("Memorandum" in u.text for u in m.utterances)


def test_russian_documents_heading_in_text_version():
    text = (
        "Российско-таджикистанские переговоры\n\n2025-03-17 14:00:00\n\nМосква, Кремль\n\n"
        "Лид.\n\n* * *\nДокументы, подписанные по итогам переговоров:\n"
        "1. Соглашение между Российской Федерацией и Республикой Таджикистан о сотрудничестве\n"
        "2. Программа экономического сотрудничества на 2025–2030 годы\n"
        "В.Путин: Спасибо.\n\nhttp://kremlin.ru/events/president/news/copy/76455"
    )
    m = parse_page(text, source="ru-docs")
    assert [d.kind for d in m.documents] == ["agreement", "programme"]
    assert m.documents[0].parties == ["Российской Федерацией", "Республикой Таджикистан"]
    assert [(u.speaker_label, m.participants[u.speaker].name) for u in m.utterances] == [
        ("В.Путин", "Владимир Путин")
    ]
