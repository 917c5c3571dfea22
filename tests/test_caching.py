"""HTTP caching: public pages are cacheable and revalidate to 304; private ones never cache."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.urls import reverse

from meetings.middleware import CacheHeadersMiddleware
from tests.factories import add_participant, make_meeting, make_participant, make_utterance

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/search/?q=afternoon",
    "/countries/",
    "/countries/TR/",
    "/people/",
    "/meetings/en/62562/",
    "/meetings/en/62562/u/1/",
    "/feeds/meetings.atom",
    "/sitemap.xml",
    "/robots.txt",
]


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def never_cached(response) -> bool:
    directives = cache_control(response)
    return (
        {"private", "no-cache", "no-store"} <= directives
        and not any(d.startswith("public") for d in directives)
        and not response.has_header("ETag")
    )


@pytest.fixture
def meeting():
    meeting = make_meeting(
        kremlin_id=62562, title="Talks with Recep Tayyip Erdogan", countries=("TR",)
    )
    putin = make_participant("Vladimir Putin")
    add_participant(meeting, putin, role="President of Russia")
    make_utterance(meeting, speaker=putin, speaker_label="Vladimir Putin")
    return meeting


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_is_cacheable_with_etag(client, meeting, settings, url):
    settings.PUBLIC_CACHE_SECONDS = 600
    response = client.get(url)
    assert response.status_code == 200
    # The browser asks again every time (a 304 when nothing changed); a CDN may keep it.
    assert cache_control(response) == {"public", "max-age=0", "must-revalidate", "s-maxage=600"}
    assert response["ETag"].startswith('"')
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_meeting_page_is_cacheable(client, meeting):
    client.get(meeting.get_absolute_url())
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert "public" in cache_control(response)
    assert response.has_header("ETag")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_revalidation_with_etag_gets_304(client, meeting, url):
    first = client.get(url)
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert second.content == b""
    assert second["ETag"] == first["ETag"]
    assert "public" in cache_control(second)


def test_streamed_export_is_cacheable_without_reading_it_all(client, meeting):
    client.get("/")
    response = client.get("/?country=TR&format=json")
    assert response.status_code == 200
    assert response.streaming  # an ETag would need the whole body first
    assert "public" in cache_control(response)
    assert b"Talks with Recep Tayyip Erdogan" in b"".join(response.streaming_content)


def test_changed_data_changes_etag(client, meeting):
    first = client.get("/feeds/meetings.atom")
    make_meeting(title="Talks with Xi Jinping", countries=("CN",))
    second = client.get("/feeds/meetings.atom", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert b"Xi Jinping" in second.content


def test_page_in_another_language_is_not_a_304(client, meeting):
    english = client.get("/feeds/meetings.atom", HTTP_ACCEPT_LANGUAGE="en")
    russian = client.get(
        "/feeds/meetings.atom", HTTP_ACCEPT_LANGUAGE="ru", HTTP_IF_NONE_MATCH=english["ETag"]
    )
    assert russian.status_code == 200


def test_feed_revalidates_with_last_modified(client, meeting):
    first = client.get("/feeds/meetings.atom")
    assert first.has_header("Last-Modified")
    second = client.get("/feeds/meetings.atom", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert second.status_code == 304


def test_admin_is_never_cached(client, admin_user):
    assert never_cached(client.get("/admin/login/"))
    client.force_login(admin_user)
    assert never_cached(client.get("/admin/"))
    assert never_cached(client.get("/admin/meetings/meeting/"))


def test_public_page_for_signed_in_staff_is_never_cached(client, admin_user, meeting):
    client.force_login(admin_user)
    response = client.get("/")
    assert response.status_code == 200
    assert never_cached(response)


def test_language_switch_is_never_cached(client):
    response = client.get(reverse("set_language"), {"lang": "ru", "next": "/"})
    assert response.status_code == 302
    assert never_cached(response)


def test_page_setting_a_cookie_is_private_to_the_browser(rf, settings):
    # A page that sets a cookie: the visitor's browser may keep it, a shared cache must
    # never hand that cookie to someone else.
    def view(request):
        response = HttpResponse("<p>Meetings</p>")
        response.set_cookie("csrftoken", "secret")
        return response

    settings.PUBLIC_CACHE_SECONDS = 600
    # In the order settings.MIDDLEWARE has them: ConditionalGetMiddleware adds the ETag.
    response = ConditionalGetMiddleware(CacheHeadersMiddleware(view))(rf.get("/"))
    assert cache_control(response) == {"private", "max-age=0", "must-revalidate"}
    assert response.has_header("ETag")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_first_visit_gets_a_shareable_page_without_cookies(client, meeting, url):
    # The language switcher is a GET form: no page carries a CSRF token or sets its cookie.
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "public" in cache_control(response)


def test_not_found_is_not_marked_public(client):
    response = client.get("/countries/ZZ/")
    assert response.status_code == 404
    assert "public" not in cache_control(response)
