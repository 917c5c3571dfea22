"""The interface in Russian and English: chosen by Accept-Language or the switcher's cookie,
with every message translated and dates written the way each language writes them."""

from __future__ import annotations

import datetime as dt
import gettext
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from meetings import downloads
from tests.factories import make_meeting
from tests.html import one, select, text, texts
from tests.worlds import pipeline_world

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.fixture
def meeting():
    return make_meeting(
        title="Russian-Turkish talks", date=dt.date(2019, 6, 1), countries=("TR",), kind="talks"
    )


def html_lang(response) -> str:
    return one(response, "html")["lang"]


def navigation(response) -> list[str]:
    return texts(response, "nav.site-nav a")


def dates(response) -> list[str]:
    return texts(response, ".meeting-row time")


def test_home_page_in_russian_from_accept_language(client, meeting):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert html_lang(response) == "ru"
    assert response["Content-Language"] == "ru"
    assert texts(response, "h1") == ["Встречи"]
    assert navigation(response) == ["Встречи", "Люди", "Страны", "Поиск", "Данные"]
    assert "Переговоры" in texts(response, ".meeting-row__meta .tag")  # the meeting's kind
    assert dates(response) == ["1 июня 2019 г."]  # the date, written the Russian way


def test_home_page_in_english_from_accept_language(client, meeting):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(response) == "en"
    assert navigation(response) == ["Meetings", "People", "Countries", "Search", "Data"]
    assert dates(response) == ["June 1, 2019"]


def test_unknown_accept_language_falls_back_to_english(client, meeting):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert html_lang(response) == "en"


def test_switcher_sets_russian_and_it_sticks(client, meeting):
    response = client.get(
        reverse("set_language"), {"lang": "ru", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "no-store" in response["Cache-Control"]  # the redirect sets the visitor's cookie
    # The cookie outweighs the browser's Accept-Language from now on.
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(response) == "ru"
    assert "Страны" in navigation(response)
    assert dates(response) == ["1 июня 2019 г."]


def test_switcher_back_to_english(client, meeting):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    client.get(reverse("set_language"), {"lang": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Countries" in navigation(response)
    assert dates(response) == ["June 1, 2019"]


def test_switcher_form_is_on_every_page_and_needs_no_csrf_token(client, meeting):
    response = client.get("/")
    form = one(response, "form.language-switcher")
    assert form["action"] == reverse("set_language")
    assert form["method"] == "get"
    assert form.select('[name="lang"]')
    assert not select(response, '[name="csrfmiddlewaretoken"]')


def test_switcher_keeps_the_page_and_its_filters(client, meeting):
    response = client.get(reverse("set_language"), {"lang": "ru", "next": "/?country=TR&year=2019"})
    assert response["Location"] == "/?country=TR&year=2019"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x", ""]
)
def test_switcher_goes_home_rather_than_off_site(client, next_url):
    response = client.get(reverse("set_language"), {"lang": "ru", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting_list")


def test_switcher_ignores_an_unknown_language(client):
    response = client.get(reverse("set_language"), {"lang": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_data_page_in_russian_with_its_nav_link(client, meeting, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    downloads.regenerate(base_url="https://example.org")
    response = client.get(reverse("data"), HTTP_ACCEPT_LANGUAGE="ru")
    assert html_lang(response) == "ru"
    assert texts(response, "h1") == ["Данные для скачивания"]
    current = one(response, 'nav.site-nav a[aria-current="page"]')
    assert (text(current), current["href"]) == ("Данные", reverse("data"))
    assert texts(response, "thead th")[:4] == ["Файл", "Содержание", "Записей", "Размер"]
    # The manifest is written in English; the page says what each file holds in Russian.
    assert [cells[1] for cells in rows(response)] == [
        "Все встречи в формате выгрузки, по объекту JSON в строке (gzip).",
        "Все реплики, по строке CSV на каждую (gzip).",
        "Корпус TEI по образцу ParlaMint: корневой teiCorpus и по файлу на встречу (zip).",
    ]
    english = client.get(reverse("data"), HTTP_ACCEPT_LANGUAGE="en")
    assert (
        rows(english)[0][1] == "Every meeting in the export format, one JSON object a line (gzip)."
    )


def test_data_page_before_the_first_regeneration_in_russian(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    response = client.get(reverse("data"), HTTP_ACCEPT_LANGUAGE="ru")
    assert texts(response, "main p")[-1] == (
        "Файлов для скачивания пока нет: они появятся после первого импорта."
    )


def rows(response) -> list[list[str]]:
    return [[text(cell) for cell in row.select("th, td")] for row in select(response, "tbody tr")]


def test_feed_titles_follow_the_language(client, meeting):
    assert (
        "Встречи в Кремле"
        in client.get("/feeds/meetings.atom", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    )


# The catalogue itself


def po_entries(path: Path = PO) -> list[tuple[list[str], str, list[str], bool]]:
    """(flags, msgid, msgstrs, plural) for every entry but the header."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags: list[str] = []
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",")]
                continue
            match = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                key, line = match.group(1), match.group(2)
                fields[key] = ""
            if key and line.startswith('"'):
                fields[key] += json.loads(line)  # PO string escapes are JSON's
        if fields.get("msgid"):
            strs = [value for name, value in fields.items() if name.startswith("msgstr")]
            entries.append((flags, fields["msgid"], strs, "msgid_plural" in fields))
    return entries


def test_every_message_is_translated_into_russian():
    entries = po_entries()
    assert len(entries) > 50
    untranslated = [msgid for _, msgid, strs, _ in entries if not all(strs)]
    fuzzy = [msgid for flags, msgid, _, _ in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    # A .po edited without compilemessages would show English on the site.
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for _, msgid, strs, plural in po_entries():
        if plural:
            continue
        assert catalogue.gettext(msgid) == strs[0], msgid


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext is not installed")
def test_the_catalogue_holds_every_marked_string(tmp_path):
    """Every string marked for translation is in the catalogue: ``make messages`` on a copy
    of the code adds no entry (the test above only sees entries already extracted)."""
    base = Path(settings.BASE_DIR)
    for name in ("meetings", "kremlin_meetings", "templates", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "manage.py", tmp_path)
    environment = {
        **os.environ,
        "DEBUG": "1",
        # Never connected: a server of its own would otherwise start under the copy.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ru"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    copy = tmp_path / PO.relative_to(base)
    before = {msgid for _, msgid, _, _ in po_entries()}
    after = po_entries(copy)
    assert sorted({msgid for _, msgid, _, _ in after} - before) == []
    assert [msgid for flags, msgid, _, _ in after if "fuzzy" in flags] == []


def test_the_list_and_search_strings_are_in_russian(client):
    pipeline_world()
    client.cookies["django_language"] = "ru"
    home = client.get(reverse("meetings:meeting_list"), {"country": "CN"})
    assert texts(home, 'label[for="id_lang"]') == ["Сайт-источник"]
    assert texts(home, "a.follow__link")[0].startswith("Следить за этими встречами")
    search = client.get(reverse("meetings:search"), {"q": "pipeline"})
    assert texts(search, ".overview figcaption")[0] == "Фрагменты по годам"
    assert texts(search, "a.follow__link")[0].startswith("Следить за этим запросом")
