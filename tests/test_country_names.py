"""Countries by the names people type: the shared table and the list filter that uses it."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from meetings.countries import country_name, resolve_country
from tests.factories import add_participant, make_meeting, make_participant


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("turkiye", "TR"),
        ("Турция", "TR"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("USA", "US"),
        ("United States", "US"),
        ("США", "US"),
        ("Russia", "RU"),
        ("Россия", "RU"),
        ("Белоруссия", "BY"),
        ("Yugoslavia", "YU"),
        ("Serbia and Montenegro", "CS"),
        ("Южная Осетия", "XO"),
        ("tr", "TR"),
        ("  france ", "FR"),
    ],
)
def test_resolve_country_by_any_common_name(typed, code):
    assert resolve_country(typed) == code


@pytest.mark.parametrize("typed", ["", "Atlantis", "ZZ", "Turk"])
def test_resolve_country_refuses_what_names_no_country(typed):
    assert resolve_country(typed) is None


def test_historic_codes_are_named_not_printed_as_codes():
    assert country_name("YU", "en") == "Yugoslavia"
    assert country_name("CS", "en") == "Serbia and Montenegro"
    assert country_name("YU", "ru") == "Югославия"
    assert country_name("TR", "ru") == "Турция"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Turkey", "Türkiye", "Турция", "turkey"])
def test_list_filter_takes_a_country_by_name(client, typed):
    talks = make_meeting(title="Talks with Erdogan", countries=("TR",))
    add_participant(talks, make_participant("Recep Tayyip Erdogan", country="TR"))
    make_meeting(title="Meeting with Angela Merkel", countries=("DE",))
    response = client.get(reverse("meetings:meeting_list"), {"country": typed}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain in ([], [("/?country=TR", 302)])
    assert not response.context["filter"].form.errors
    assert [m.title for m in response.context["meetings"]] == ["Talks with Erdogan"]
    page = lxml.html.fromstring(response.content)
    chosen = page.xpath("//ul[contains(@class, 'picker__chosen')]//input[@name='country']")
    assert [box.get("value") for box in chosen] == ["TR"]
    assert chosen[0].getparent().text_content().strip() in ("Türkiye", "Turkey")


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "code"), [("UK", "GB"), ("USA", "US"), ("Russia", "RU")])
def test_list_filter_takes_aliases(client, typed, code):
    make_meeting(title="The meeting", countries=(code,))
    make_meeting(title="Elsewhere", countries=("CN",))
    response = client.get(reverse("meetings:meeting_list"), {"country": typed}, follow=True)
    assert not response.context["filter"].form.errors
    assert response.context["filter"].form.cleaned_data["country"] == [code]
    assert [m.title for m in response.context["meetings"]] == ["The meeting"]


@pytest.mark.django_db
def test_historic_country_rows_are_named_by_the_data_migration():
    # The migrations ran on the test database; an import creates YU and CS by name too.
    from meetings.importer.save import country_names
    from meetings.models import Country

    assert country_names("YU") == ("Yugoslavia", "Югославия")
    for code in ("YU", "CS"):
        row = Country.objects.filter(code=code).first()
        assert row is None or row.name_en != code
