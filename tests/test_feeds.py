"""Atom feeds, sitemap.xml and robots.txt, read the way a feed reader or a crawler reads them."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import aggregates
from tests.factories import make_meeting
from tests.html import hrefs
from tests.worlds import pipeline_world

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

pytestmark = pytest.mark.django_db


def atom(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


def link(element: ET.Element, rel: str) -> str:
    return next(e.get("href") for e in element.findall(f"{ATOM}link") if e.get("rel") == rel)


def test_feed_is_valid_atom_with_required_elements(client):
    make_meeting(title="Talks with Recep Tayyip Erdogan", countries=("TR",))
    root = atom(client.get("/feeds/meetings.atom"))
    # RFC 4287: a feed has id, title, updated and an author (here, per entry and per feed).
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    (entry,) = entries(root)
    for name in ("id", "title", "updated", "published", "summary", "author"):
        assert entry.find(f"{ATOM}{name}") is not None, name
    assert entry.findtext(f"{ATOM}title") == "Talks with Recep Tayyip Erdogan"


def test_feed_lists_latest_meetings_newest_first(client):
    make_meeting(title="Old talks", date=dt.date(2015, 1, 1))
    make_meeting(title="New talks", date=dt.date(2024, 5, 1))
    make_meeting(title="Middle talks", date=dt.date(2019, 3, 1))
    root = atom(client.get("/feeds/meetings.atom"))
    titles = [e.findtext(f"{ATOM}title") for e in entries(root)]
    assert titles == ["New talks", "Middle talks", "Old talks"]


def test_feed_leaves_out_domestic_meetings(client):
    make_meeting(title="Talks with Turkey", countries=("TR",))
    make_meeting(title="Meeting with governors", is_domestic=True)
    titles = [e.findtext(f"{ATOM}title") for e in entries(atom(client.get("/feeds/meetings.atom")))]
    assert titles == ["Talks with Turkey"]


def test_feed_entry_links_to_this_site_and_credits_kremlin(client):
    meeting = make_meeting(kremlin_id=62562, lead="Vladimir Putin held talks.")
    (entry,) = entries(atom(client.get("/feeds/meetings.atom")))
    assert link(entry, "alternate") == f"http://testserver{meeting.get_absolute_url()}"
    assert link(entry, "via") == "http://en.kremlin.ru/events/president/news/62562"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "en.kremlin.ru"
    assert "CC BY 4.0" in entry.findtext(f"{ATOM}rights")
    summary = entry.findtext(f"{ATOM}summary")
    assert "Vladimir Putin held talks." in summary
    assert 'href="http://en.kremlin.ru/events/president/news/62562"' in summary


def test_feed_summary_escapes_source_text(client):
    make_meeting(lead="<script>alert(1)</script> & more")
    (entry,) = entries(atom(client.get("/feeds/meetings.atom")))
    summary = entry.findtext(f"{ATOM}summary")  # the HTML a reader will render
    assert "<script>" not in summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in summary


def test_feed_language_follows_lang_parameter_then_reader_language(client):
    make_meeting(kremlin_id=1, language="en", title="Talks")
    make_meeting(kremlin_id=1, language="ru", title="Переговоры")

    def titles(response):
        return [e.findtext(f"{ATOM}title") for e in entries(atom(response))]

    assert titles(client.get("/feeds/meetings.atom?lang=ru")) == ["Переговоры"]
    assert titles(client.get("/feeds/meetings.atom?lang=en")) == ["Talks"]
    assert titles(client.get("/feeds/meetings.atom", HTTP_ACCEPT_LANGUAGE="ru")) == ["Переговоры"]
    assert titles(client.get("/feeds/meetings.atom", HTTP_ACCEPT_LANGUAGE="en")) == ["Talks"]
    root = atom(client.get("/feeds/meetings.atom?lang=ru"))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"


def test_country_feed_only_has_that_country(client):
    make_meeting(title="Talks with Turkey", countries=("TR",))
    make_meeting(title="Talks with Turkey and Iran", countries=("IR", "TR"))
    make_meeting(title="Talks with China", countries=("CN",))
    root = atom(client.get("/feeds/countries/tr.atom"))
    titles = sorted(e.findtext(f"{ATOM}title") for e in entries(root))
    assert titles == ["Talks with Turkey", "Talks with Turkey and Iran"]
    assert "Turkey" in root.findtext(f"{ATOM}title") or "Türkiye" in root.findtext(f"{ATOM}title")
    assert link(root, "self").startswith("http://testserver/feeds/countries/TR.atom")


def test_country_feed_for_unknown_country_is_404(client):
    assert client.get("/feeds/countries/zz.atom").status_code == 404


def test_feed_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    for i in range(30):
        make_meeting(title=f"Talks {i}", countries=("TR", "IR"))
    aggregates.refresh()  # as the import does when it ends
    # The aggregates check before the filters' countries, the countries, the meetings, and
    # their countries.
    with django_assert_max_num_queries(4):
        atom(client.get("/feeds/meetings.atom"))


def test_sitemap_lists_meetings_people_and_countries(client):
    from tests.factories import add_participant, make_participant

    meeting = make_meeting(countries=("TR",))
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR")
    add_participant(meeting, erdogan, role="President of Turkey")
    make_participant("Nobody Who Met Anyone")

    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = [loc.text for loc in ET.fromstring(index.content).iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-meetings.xml" in sections

    locations = set()
    for section in sections:
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200
        locations |= {loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}
    assert f"http://testserver{meeting.get_absolute_url()}" in locations
    assert f"http://testserver{erdogan.get_absolute_url()}" in locations
    assert "http://testserver" + reverse("meetings:country_detail", args=["TR"]) in locations
    # Only countries with meetings: not every country kremlin.ru knows.
    assert "http://testserver" + reverse("meetings:country_detail", args=["FR"]) not in locations
    assert not any("people" in loc and loc.endswith(f"/{erdogan.pk + 1}/") for loc in locations)


def test_robots_txt_allows_all_but_admin_and_points_to_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines
    assert "Disallow: /*?*format=" in lines  # whole-list exports are not crawled
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.django_db
def test_feed_links_choose_no_site(client):
    # A feed without lang= lists both sites' meetings (each event once): a link that added
    # the interface language would leave out the meetings published in the other only.
    make_meeting(countries=("TR",))
    russian = client.get("/countries/TR/", HTTP_ACCEPT_LANGUAGE="ru")
    feeds = hrefs(russian, 'link[rel="alternate"][type="application/atom+xml"]')
    assert set(feeds) == {"/feeds/meetings.atom", "/feeds/countries/TR.atom"}
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    feeds = hrefs(english, 'link[rel="alternate"][type="application/atom+xml"]')
    assert "/feeds/meetings.atom" in feeds


@pytest.mark.django_db
def test_english_feed_keeps_russian_only_meetings(client):
    make_meeting(kremlin_id=1, language="en", title="Talks", date=dt.date(2020, 1, 1))
    make_meeting(kremlin_id=1, language="ru", title="Переговоры", date=dt.date(2020, 1, 1))
    make_meeting(kremlin_id=2, language="ru", title="Только по-русски", date=dt.date(2021, 1, 1))
    root = atom(client.get("/feeds/meetings.atom", HTTP_ACCEPT_LANGUAGE="en"))
    assert [e.findtext(f"{ATOM}title") for e in entries(root)] == ["Только по-русски", "Talks"]
    only_english = atom(client.get("/feeds/meetings.atom?lang=en"))
    assert [e.findtext(f"{ATOM}title") for e in entries(only_english)] == ["Talks"]


# Feeds of any list filter or search (the pipeline world) -----------------------------------


@pytest.fixture
def world():
    return pipeline_world()


def atom_entries(response) -> list[ET.Element]:
    assert response.status_code == 200, response.content
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_meetings_feed_takes_every_list_filter(client, world):
    titles = lambda query: [  # noqa: E731
        e.findtext(f"{ATOM}title")
        for e in atom_entries(client.get(f"/feeds/meetings.atom?{query}"))
    ]
    assert titles("country=TR") == ["Talks with Erdogan"]
    assert titles(f"participant={world['xi'].pk}") == ["Talks with Xi"]
    assert titles("q=pipeline&year=2014") == ["Talks with Xi"]
    assert titles("kind=telephone") == ["Talks 70003"]
    assert len(titles("")) == 3


def test_meetings_feed_refuses_a_bad_filter_with_the_reason(client, world):
    response = client.get("/feeds/meetings.atom", {"country": "ZZ", "date_from": "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "country:" in text and "date_from:" in text


def test_search_feed_lists_newest_matching_turns_with_permalinks(client, world):
    entries = atom_entries(client.get("/feeds/search.atom", {"q": "pipeline"}))
    links = [
        next(
            link.get("href") for link in e.findall(f"{ATOM}link") if link.get("rel") == "alternate"
        )
        for e in entries
    ]
    assert links == [
        "http://testserver/meetings/en/70002/u/1/",
        "http://testserver/meetings/en/70001/u/1/",
        "http://testserver/meetings/en/70001/u/2/",
    ]
    assert entries[0].findtext(f"{ATOM}published").startswith("2017-04-08")
    speaker = client.get("/feeds/search.atom", {"q": "pipeline", "speaker": world["xi"].pk})
    assert len(atom_entries(speaker)) == 1
    assert client.get("/feeds/search.atom").status_code == 400


def test_feed_updated_is_when_content_changed_not_the_last_import(client, world):
    changed = dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.UTC)
    world["turkey"].content_changed_at = changed
    world["turkey"].last_imported_at = timezone.now()
    world["turkey"].save()
    (entry,) = atom_entries(client.get("/feeds/meetings.atom", {"country": "TR"}))
    assert entry.findtext(f"{ATOM}updated").startswith("2020-01-02T03:04")


def test_search_feed_takes_a_speaker_by_name(client, world):
    entries = atom_entries(
        client.get("/feeds/search.atom", {"q": "pipeline", "person": "Xi Jinping"})
    )
    assert len(entries) == 1
