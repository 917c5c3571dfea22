"""The network (``/network/``): people as nodes sized by meetings, edges for meetings
together, the same picture for the same URL, top N with "more", centred on a country or a
person, node links, the tables, and bad filters as the form's errors."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from meetings import network
from meetings.geomap import Filters
from meetings.models import aggregates
from tests.factories import add_participant, make_meeting, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    putin = make_participant("Vladimir Putin", country="RU")
    lavrov = make_participant("Sergei Lavrov", country="RU")
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR")
    xi = make_participant("Xi Jinping", country="CN")
    for year in (2016, 2017, 2019):
        talks = make_meeting(countries=("TR",), date=dt.date(year, 3, 1))
        for person in (putin, lavrov, erdogan):
            add_participant(talks, person)
    call = make_meeting(countries=("CN",), date=dt.date(2019, 6, 1), kind="telephone")
    add_participant(call, putin)
    add_participant(call, xi)
    return {"putin": putin, "lavrov": lavrov, "erdogan": erdogan, "xi": xi}


def page(client, query: str = ""):
    response = client.get(reverse("meetings:network") + query)
    return response, BeautifulSoup(response.content, "html.parser")


def test_nodes_link_person_pages_with_titles_and_the_table_agrees(client, people):
    response, soup = page(client)
    assert response.status_code == 200
    nodes = {int(a["data-pk"]): a for a in soup.select("svg a.net__link")}
    assert set(nodes) == {p.pk for p in people.values()}
    putin = nodes[people["putin"].pk]
    assert putin["href"] == people["putin"].get_absolute_url()
    assert putin.find("title").get_text() == "Vladimir Putin: 4 meetings"
    table = {
        int(row["data-pk"]): int(row.select_one("td.num").get_text())
        for row in soup.select(".net__table tbody tr")
    }
    assert table == {
        people["putin"].pk: 4,
        people["lavrov"].pk: 3,
        people["erdogan"].pk: 3,
        people["xi"].pk: 1,
    }
    # A bigger node for more meetings.
    radius = {pk: float(a.find("circle")["r"]) for pk, a in nodes.items()}
    assert radius[people["putin"].pk] > radius[people["lavrov"].pk] > radius[people["xi"].pk]
    # Four edges: the three at the talks, Putin and Xi on the telephone.
    assert len(soup.select("svg line.net__edge")) == 4


def test_same_url_draws_the_same_picture(client, people):
    first = page(client, "?from=2016")[1].select_one("svg")
    second = page(client, "?from=2016")[1].select_one("svg")
    assert str(first) == str(second)
    nodes, _ = network.build(Filters(year_from=2016), 25)
    again, _ = network.build(Filters(year_from=2016), 25)
    assert [(n.pk, n.x, n.y) for n in nodes] == [(n.pk, n.x, n.y) for n in again]


def test_edges_count_meetings_together_in_the_years(people):
    aggregates.ensure_fresh()  # as the view does before reading the kept counts
    _, edges = network.build(Filters(year_to=2017), 25)
    together = {(e.a, e.b): e.meetings for e in edges}
    pair = tuple(sorted((people["putin"].pk, people["erdogan"].pk)))
    assert together[pair] == 2
    assert all(people["xi"].pk not in key for key in together)


def test_top_n_with_more(client, people, monkeypatch):
    monkeypatch.setattr(network, "LIMITS", (2, 3, 100))
    _, soup = page(client)
    assert len(soup.select("svg a.net__link")) == 2
    more = soup.find("a", string="Show more people")
    assert more["href"].endswith("?top=3")
    _, soup = page(client, "?top=3")
    assert len(soup.select("svg a.net__link")) == 3


def test_country_and_person_at_the_centre(client, people):
    _, soup = page(client, "?country=cn")
    assert {int(a["data-pk"]) for a in soup.select("svg a.net__link")} == {
        people["putin"].pk,
        people["xi"].pk,
    }
    _, soup = page(client, f"?person={people['xi'].pk}")
    assert {int(a["data-pk"]) for a in soup.select("svg a.net__link")} == {
        people["xi"].pk,
        people["putin"].pk,
    }


@pytest.mark.parametrize("query", ["?country=ZZ", "?from=x", "?person=999999", "?to=3000"])
def test_bad_filters_give_the_forms_error(client, people, query):
    response, soup = page(client, query)
    assert response.status_code == 400
    assert soup.select(".field--error")
    assert soup.select("svg") == []


def test_network_reads_a_fixed_number_of_queries(client, people, django_assert_max_num_queries):
    client.get(reverse("meetings:network"))
    with django_assert_max_num_queries(8):
        client.get(reverse("meetings:network") + "?from=2016")
