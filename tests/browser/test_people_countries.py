"""Person and country pages in Chromium: timeline bars sized by classes, every year shown,
the feed to follow; English and Russian, desktop and phone (axe-core checks every page)."""

from __future__ import annotations

import pytest

from meetings.models import Country, Participant
from tests.browser.conftest import sync_api
from tests.browser.support import BROWSER, DESKTOP, PHONE

pytestmark = BROWSER
expect = sync_api.expect

VIEWS = [
    pytest.param("en-GB", DESKTOP, "Follow (Atom feed)", id="en-desktop"),
    pytest.param("ru-RU", PHONE, "Следить (лента Atom)", id="ru-phone"),
]


@pytest.mark.parametrize(("locale", "viewport", "follow"), VIEWS)
def test_person_page_timeline_and_follow(open_page, locale, viewport, follow):
    person = Participant.objects.with_event_counts().order_by("-meeting_count", "id").first()
    page = open_page(person.get_absolute_url(), locale=locale, viewport=viewport)
    bars = page.locator(".timeline__bar")
    expect(bars.first).to_be_attached()
    assert page.locator(".timeline [style]").count() == 0
    widths = bars.evaluate_all("bars => bars.map(b => b.getBoundingClientRect().width)")
    assert max(widths) > 0
    link = page.get_by_role("link", name=follow)
    # The feed's landing page, for both sites' meetings (no lang=).
    expect(link).to_have_attribute("href", f"/feeds/meetings/?participant={person.pk}")
    assert_share_of_voice(page)
    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').count() >= 1


@pytest.mark.parametrize(("locale", "viewport", "follow"), VIEWS)
def test_country_page_timeline_includes_empty_years(open_page, locale, viewport, follow):
    code = (  # the country whose meetings have the most transcripts: its share of voice
        Country.objects.with_meeting_stats()
        .filter(stats__words__gt=0)
        .order_by("-stats__words")
        .values_list("code", flat=True)
        .first()
    )
    page = open_page(f"/countries/{code}/", locale=locale, viewport=viewport)
    years = [int(y) for y in page.locator(".timeline__year").all_inner_texts()]
    assert years == list(range(years[0], years[-1] + 1))
    assert page.locator(".timeline [style]").count() == 0
    assert_share_of_voice(page)


def assert_share_of_voice(page) -> None:
    """Each share is a bar as wide as its per cent of the row's track (classes, no style)."""
    rows = page.locator(".voice .overview__bars--voice li")
    expect(rows.first).to_be_visible()
    assert page.locator(".voice [style]").count() == 0
    measured = rows.evaluate_all(
        """rows => rows.map(row => {
            const bar = row.querySelector('.bar');
            const track = parseFloat(getComputedStyle(row).gridTemplateColumns.split(' ')[1]);
            return [bar.getBoundingClientRect().width, track,
                    parseInt(row.querySelector('.overview__count').textContent)];
        })"""
    )
    for width, track, share in measured:
        # bars step by 5 %; a share above 0 never shows an empty bar
        assert abs(width - track * share / 100) <= track * 0.05 + 1, (width, track, share)
        assert width > 0 or share == 0
