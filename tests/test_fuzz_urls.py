"""No request to the public site ends in a server error, whatever its path or query string.

The routes are read from the URL resolver, so a page added later is driven too. Hypothesis
fills each route's path segments and query string with arbitrary text (control characters,
other scripts' digits, slashes, undecodable bytes) and near-valid values (the ids of rows
that exist), and every answer must be below 500. The examples are bounded so the whole file
runs in well under a minute.
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_from_bytes

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import add_participant, make_meeting, make_participant, make_utterance

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ROUTE = 40
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")

# Parameters the pages read, plus room for Hypothesis to invent others.
KNOWN_PARAMETERS = [
    "q",
    "page",
    "speaker",
    "country",
    "participant",
    "date_from",
    "date_to",
    "year",
    "kind",
    "lang",
    "has_transcript",
    "has_documents",
    "sort",
    "format",
    "next",
]


def public_routes() -> list[str]:
    """Every route outside the admin, as its pattern string (``meetings/<str:language>/…``)."""

    def walk(patterns, prefix: str):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route.startswith(django_settings.ADMIN_URL) or route.startswith("^"):
                    continue
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                yield route

    return sorted(set(walk(get_resolver().url_patterns, "")))


ROUTES = public_routes()

# Arbitrary text for a path segment or a parameter; surrogates cannot travel in a URL.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
# Values that broke pages before, or are likely to: other scripts' digits, control
# characters, ids past any integer column, codes in the wrong case, bidi overrides.
tricky_text = st.sampled_from(
    ["²", "٣", "\x00", "\x01", "a\x1fb", "99999999999999999999999", "-1", "1.5", "tr", "\u202e"]
)
raw_bytes = st.binary(min_size=1, max_size=8).map(lambda b: quote_from_bytes(b, safe=""))


def encode(text: str) -> str:
    return quote(text, safe="")


value = st.one_of(
    tricky_text.map(encode),
    any_text.map(encode),
    raw_bytes,
    st.sampled_from(["62562", "1", "en", "ru", "TR", "true", "csv", "json", "2019-06-01"]),
)
path_segment = value
parameter = st.tuples(st.one_of(st.sampled_from(KNOWN_PARAMETERS), any_text.map(encode)), value)
query_string = st.lists(parameter, max_size=4).map(
    lambda pairs: "&".join(f"{key}={value}" for key, value in pairs)
)


@st.composite
def requests(draw, route: str) -> str:
    path = "/" + _PARAMETER.sub(lambda _match: draw(path_segment), route)
    return f"{path}?{draw(query_string)}"


@pytest.fixture
def corpus():
    meeting = make_meeting(kremlin_id=62562, title="Talks with Erdogan", countries=("TR",))
    putin = make_participant("Vladimir Putin", pk=62562)
    add_participant(meeting, putin, role="President of Russia")
    make_utterance(meeting, speaker=putin, speaker_label="Vladimir Putin")
    return meeting


def test_routes_are_found():
    # The walk sees the site's own pages and not the admin's.
    assert "" in ROUTES
    assert any(route.startswith("meetings/") for route in ROUTES)
    assert any(route.startswith("feeds/") for route in ROUTES)
    assert not any(route.startswith(django_settings.ADMIN_URL) for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES)
def test_no_request_gets_a_server_error(client, corpus, route):
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples on every run: a failure is reproducible
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(url=requests(route))
    def check(url):
        response = client.get(url)
        assert response.status_code < 500, url

    check()


@pytest.mark.parametrize("speaker", ["²", "%C2%B2", "٣", "1" * 30])
def test_a_speaker_that_is_not_ascii_digits_highlights_nobody(client, corpus, speaker):
    response = client.get(f"/meetings/en/62562/?speaker={speaker}")
    assert response.status_code == 200
    assert response.context["selected_speaker"] is None


@pytest.mark.parametrize(
    "url, status",
    [
        ("/countries/%00/", 404),
        ("/feeds/countries/%00.atom", 404),
        ("/meetings/en%01/62562/", 404),
        ("/people/?q=%00", 400),
        ("/?country=%00", 400),
        ("/?q=%01", 400),
        ("/search/?q=a%00b", 400),
        ("/feeds/meetings.atom?lang=%00", 400),
    ],
)
def test_control_characters_are_refused_cleanly(client, corpus, url, status):
    assert client.get(url).status_code == status
