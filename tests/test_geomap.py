"""The map (``/map/``): shapes read from pygal-maps-world, counts from the kept views,
bins, the SVG's links and titles, the table of the same figures, filters and their errors."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from meetings.models import coverage
from meetings.web import geomap
from tests.factories import add_participant, make_meeting, make_participant

pytestmark = pytest.mark.django_db


def test_shapes_hold_every_country_by_iso_code():
    shapes = geomap.shapes()
    assert {"RU", "TR", "CN", "DE", "US", "BR"} <= set(shapes.paths)
    assert shapes.paths["TR"].startswith("M")  # each part's first move is absolute
    assert shapes.view_box == "0 0 2475 1388"


def test_bins_cover_one_to_the_maximum_without_gaps():
    ranges = geomap.bins([1, 3, 40, 400])
    assert ranges[0].low == 1 and ranges[-1].high == 400
    for before, after in zip(ranges, ranges[1:], strict=False):
        assert after.low == before.high + 1
    assert geomap.bin_of(400, ranges) == len(ranges)
    assert geomap.bin_of(1, ranges) == 1
    assert geomap.bins([]) == []


def test_the_shapes_svg_holds_every_outline_under_its_code(client):
    response = client.get(reverse("meetings:map_shapes"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "immutable" in response["Cache-Control"]
    root = ElementTree.fromstring(response.content)
    outlines = {path.get("id"): path.get("d") for path in root.iter(f"{geomap.SVG_NS}path")}
    assert outlines == geomap.shapes().paths
    assert root.get("viewBox") == geomap.shapes().view_box


@pytest.fixture
def world():
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR")
    for year in (2015, 2016, 2016, 2021):
        meeting = make_meeting(countries=("TR",), date=dt.date(year, 3, 1))
        add_participant(meeting, erdogan)
    make_meeting(countries=("CN",), date=dt.date(2016, 5, 1), kind="telephone")
    make_meeting(countries=("DE", "FR"), date=dt.date(2018, 5, 1))
    return erdogan


def page(client, query: str = ""):
    response = client.get(reverse("meetings:world_map") + query)
    return response, BeautifulSoup(response.content, "html.parser")


def figures(soup) -> dict[str, int]:
    return {
        row["data-code"]: int(row.select_one("td.num").get_text())
        for row in soup.select(".map__table tbody tr")
    }


def test_map_links_each_country_with_a_title_and_the_table_agrees(client, world):
    response, soup = page(client, "?from=2015&to=2020")
    assert response.status_code == 200
    links = {a["data-code"]: a for a in soup.select("svg a.map__link")}
    assert set(links) == {"TR", "CN", "DE", "FR"}
    assert links["TR"].find("title").get_text() == "Türkiye: 3 meetings"
    assert links["TR"]["href"] == reverse("meetings:country_detail", args=["TR"]) + (
        "?from=2015&to=2020"
    )
    assert figures(soup) == {"TR": 3, "CN": 1, "DE": 1, "FR": 1}
    assert {code: int(a["data-count"]) for code, a in links.items()} == figures(soup)
    # Countries without meetings are drawn but neither linked nor focusable.
    assert soup.select('svg use.map__country--none[aria-hidden="true"]')


def test_every_country_is_drawn_from_the_shapes_svg_not_copied_into_the_page(client, world):
    response, soup = page(client, "?from=2015&to=2020")
    drawn = soup.select("svg.map__svg use.map__country")
    codes = geomap.shapes().paths
    assert len(drawn) == len(codes)
    shapes_url = reverse("meetings:map_shapes") + f"?v={geomap.shapes_version()}"
    assert {use["href"] for use in drawn} == {f"{shapes_url}#{code}" for code in codes}
    assert soup.select("svg.map__svg path") == []
    # The outlines are three quarters of a megabyte; the page is a few dozen kilobytes.
    assert len(geomap.shapes_svg()) > 500_000
    assert len(response.content) < 100_000


def test_legend_bins_hold_every_count(client, world):
    _, soup = page(client)
    legend = [li.get_text(" ", strip=True) for li in soup.select(".map__legend li")]
    assert legend[-1] == "none"
    assert len(legend) >= 2
    turkey = soup.select_one('a.map__link[data-code="TR"] use')
    assert any(c.startswith("map__bin--") for c in turkey["class"])


def test_kind_and_person_filters(client, world):
    _, soup = page(client, "?kind=telephone")
    assert figures(soup) == {"CN": 1}
    _, soup = page(client, f"?person={world.pk}")
    assert figures(soup) == {"TR": 4}
    _, soup = page(client, "?person=Erdogan&to=2016")
    assert figures(soup) == {"TR": 3}
    row = soup.select_one('.map__table tr[data-code="TR"] td a')
    assert "participant=" in row["href"] and "date_to=2016-12-31" in row["href"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?from=abc", "from"),
        ("?from=2020&to=2010", "to"),
        ("?kind=x", "kind"),
        ("?person=Nobody Atall", "person"),
        ("?from=1066", "from"),
    ],
)
def test_bad_filters_give_the_forms_error_not_a_500(client, world, query, field):
    response, soup = page(client, query)
    assert response.status_code == 400
    assert soup.select_one(f"#id_{field}-errors") is not None or soup.select(
        f'.field--error [name="{field}"]'
    )
    assert soup.select("svg") == []


def test_years_the_archive_does_not_hold_are_shaded(client, world):
    # What the archive holds comes from the coverage record, not from where meetings are:
    # every day of these years was seen (the few fixture pages alone make no year held).
    for year in (2015, 2016, 2018, 2021):
        first = dt.date(year, 1, 1)
        days = [first + dt.timedelta(days=n) for n in range(365)]
        coverage.record_days("en", days, via="pages")
    _, soup = page(client, "?from=2015&to=2021")
    missing = [span.get_text() for span in soup.select(".viz__missing-year")]
    assert missing == ["2017", "2019", "2020"]
    assert "map__svg--partial" in soup.select_one("svg")["class"]


def test_map_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.get(reverse("meetings:world_map"))
    with django_assert_max_num_queries(8):
        client.get(reverse("meetings:world_map") + "?from=2016")
