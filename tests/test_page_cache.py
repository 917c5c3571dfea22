"""Rendered public pages are served from the cache until the data changes."""

from __future__ import annotations

import pickle
import socket
import uuid
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command

from kremlin_meetings.cache import FAST_COMPRESSION, FastFileBasedCache
from meetings import caching, signals
from meetings.models import ImportRun, Meeting
from tests.factories import make_meeting
from tests.html import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"pages-{uuid.uuid4()}",
        }
    }
    return settings


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request, page_cache):
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("Redis is not reachable on 127.0.0.1:6379")
        page_cache.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/15",
                "KEY_PREFIX": f"test-{uuid.uuid4()}",
            }
        }
    return page_cache


def listed(client, **params: str) -> list[str]:
    """The meeting titles the list page shows (from the cache when it holds the page)."""
    response = client.get("/", params)
    assert response.status_code == 200
    return texts(response, ".meeting-row__title")


def test_page_served_from_cache_until_data_changed(client, any_cache):
    make_meeting(kremlin_id=1, title="Talks with the Sultan")
    assert listed(client) == ["Talks with the Sultan"]
    make_meeting(kremlin_id=2, title="Meeting with the Emir")  # no import, no admin: unseen
    assert listed(client) == ["Talks with the Sultan"]
    signals.announce(sender=None)
    assert sorted(listed(client)) == ["Meeting with the Emir", "Talks with the Sultan"]


def test_admin_change_invalidates(client, page_cache, django_capture_on_commit_callbacks):
    meeting = make_meeting(kremlin_id=1, title="Talks with the Sultan")
    client.get("/")
    meeting.title = "Talks with the Shah"
    meeting.save()
    assert listed(client) == ["Talks with the Sultan"]
    editor = User.objects.create_superuser("editor", "e@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):  # pages go stale once committed
        LogEntry.objects.log_actions(editor.pk, [meeting], ADDITION)  # every admin save does
    assert listed(client) == ["Talks with the Shah"]


def test_language_and_query_are_part_of_the_key(client, page_cache):
    make_meeting(kremlin_id=1, title="Talks with the Sultan")
    english = client.get("/", headers={"accept-language": "en"})
    russian = client.get("/", headers={"accept-language": "ru"})
    assert english["Content-Language"] == "en" and russian["Content-Language"] == "ru"
    assert english.content != russian.content
    assert client.get("/?q=sultan").content != client.get("/?q=emir").content


def test_cached_page_keeps_headers_and_sets_no_cookie(page_cache):
    from django.test import Client

    make_meeting(kremlin_id=1)
    first, second = Client(), Client()
    a = first.get("/")
    b = second.get("/")
    assert b["ETag"] == a["ETag"] and "max-age" in b["Cache-Control"]
    assert b["Content-Type"] == a["Content-Type"]
    # Nothing of one visitor reaches another: no cookie, no CSRF token on a public page.
    assert not a.cookies and not b.cookies
    assert b"csrfmiddlewaretoken" not in b.content


def test_page_with_a_csrf_token_is_not_stored(page_cache, rf):
    from django.http import HttpResponse

    from meetings.caching import data_generation, page_key
    from meetings.middleware import PageCacheMiddleware

    request = rf.get("/some-form/")
    form = b'<input type="hidden" name="csrfmiddlewaretoken" value="secret">'
    PageCacheMiddleware(lambda r: HttpResponse(form))(request)
    assert cache.get(page_key(request, data_generation())) is None


def test_not_cached_when_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_meeting(kremlin_id=1, title="Talks with the Sultan")
    client.get("/")
    make_meeting(kremlin_id=2, title="Meeting with the Emir")
    assert "Meeting with the Emir" in listed(client)


def test_generation_created_once(page_cache):
    cache.clear()
    first = caching.data_generation()
    assert caching.data_generation() == first
    signals.announce(sender=None)
    assert caching.data_generation() != first


FIXTURE_PAGE = Path(__file__).parent / "fixtures" / "pages" / "en-62562.html"


def test_an_import_that_changes_data_invalidates_and_is_recorded(client, page_cache):
    client.get("/")
    call_command("import_meetings", str(FIXTURE_PAGE), stdout=StringIO(), stderr=StringIO())
    title = Meeting.objects.get().title
    assert listed(client) == [title]
    run = ImportRun.objects.latest_finished()
    assert (run.created, run.failed) == (1, 0)
    generation = caching.data_generation()
    call_command("import_meetings", str(FIXTURE_PAGE), stdout=StringIO(), stderr=StringIO())
    assert caching.data_generation() == generation  # nothing changed: pages stay cached
    assert ImportRun.objects.latest_finished().unchanged == 1


def test_loading_the_sample_invalidates_and_is_recorded(client, page_cache):
    assert listed(client) == []  # the empty list, now cached
    call_command("load_sample", stdout=StringIO(), stderr=StringIO())
    sample = Meeting.objects.order_by("-date", "-id").first()
    assert sample.title in listed(client, lang=sample.language)
    run = ImportRun.objects.latest_finished()
    assert run.arguments == "load_sample" and run.created == Meeting.objects.count()


def test_the_file_cache_stores_pages_at_zlibs_fastest_level_and_reads_them_back(tmp_path):
    # Without Redis a cold page stores itself in this cache before it is sent.
    store = FastFileBasedCache(str(tmp_path), {})
    page = ([("Content-Type", "application/json")], b'{"results": ["turn"]}' * 50_000)
    store.set("page", page, 60)
    assert store.get("page") == page
    (path,) = tmp_path.glob("*.djcache")
    with path.open("rb") as file:
        pickle.load(file)  # the expiry
        stored = file.read()
    pickled = pickle.dumps(page, store.pickle_protocol)
    assert stored == zlib.compress(pickled, FAST_COMPRESSION) != zlib.compress(pickled)
