"""The news listings (``meetings/importer/listing.py``): parsing saved listing pages and
crawling them for event ids, against a local HTTP server (``tests/fake_site.py``).

No database and no internet: every request goes to 127.0.0.1, and a guard fails the test if
anything tries to connect elsewhere.
"""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.importer.fetch import FetchBlocked, FetchError
from meetings.importer.listing import CrawlStats, crawl, parse_listing
from tests.fake_site import FIXTURES, NEWS, Reply, Site

pytestmark = pytest.mark.usefixtures("no_internet")
D = dt.date


# --- synthetic listing pages in the site's markup ---------------------------------------------


def listing_page(
    entries: list[tuple[int, str, str]],
    *,
    page: int,
    prev_href: str | None = None,
    next_href: str | None = None,
) -> bytes:
    """A listing page in the real markup; entries are (id, ISO date, title), links absolute."""
    items = "".join(
        f'<div class="hentry h-entry hentry_event" data-id="{kremlin_id}" role="listitem">'
        f'<h3 class="hentry__title hentry__title_special">'
        f'<a href="http://en.kremlin.ru{NEWS}/{kremlin_id}" rel="bookmark" itemprop="url">'
        f'<span class="entry-title p-name" itemprop="name">{title}</span>'
        f'<span class="hentry__meta"><time class="published dt-published" datetime="{date}" '
        f'itemprop="datePublished">{date}, 12:00</time></span></a></h3></div>'
        for kremlin_id, date, title in entries
    )
    prev = (
        f'<a href="{prev_href}" class="button button_white more more-prev" rel="prev">Next</a>'
        if prev_href
        else ""
    )
    nxt = (
        f'<a href="{next_href}" class="button button_green more more-next" rel="next">Previous</a>'
        if next_href
        else ""
    )
    return (
        f'<!doctype html><html lang="en"><body><div class="events" id="events">{prev}'
        f'<div class="entry-content lister-page" role="list" data-page="{page}" '
        f'data-pages="1198">{items}</div>{nxt}</div></body></html>'
    ).encode()


def page_one() -> Reply:
    """Page 1: twenty items (a full page) newer than the saved page 2, one a day from 28
    August and the last thirteen on 21 August, linking to page 2 the live site's way."""
    entries = [(63912 + n, f"2020-08-{28 - min(n, 7)}", f"Item {n}") for n in range(20)]
    return Reply(body=listing_page(entries, page=1, next_href=f"http://en.kremlin.ru{NEWS}/page/2"))


PAGE_ONE_IDS = list(range(63912, 63932))
PAGE_TWO_IDS = [
    63911, 63908, 63907, 63904, 63903, 63906, 63905, 63900, 63898, 63897,
    63896, 63894, 63893, 63892, 63887, 63888, 63886, 63885, 63884, 63883,
]  # fmt: skip


def serve_pages_2_3_10(site: Site) -> None:
    for number in (2, 3, 10):
        site.page(f"{NEWS}/page/{number}", f"listings/page/{number}.html")


# --- parsing listing pages --------------------------------------------------------------------


def test_parse_listing_reads_entries_and_mirror_links() -> None:
    url = f"http://en.kremlin.ru{NEWS}/page/2"
    page = parse_listing((FIXTURES / "listings/page/2.html").read_bytes(), url)

    assert [e.kremlin_id for e in page.entries] == PAGE_TWO_IDS
    first = page.entries[0]
    assert first.url == f"http://en.kremlin.ru{NEWS}/63911"
    assert first.date == D(2020, 8, 19)
    assert first.title == (
        "Greetings on opening of Biryusa 2020 Territory of Proactive Youth forum"
    )
    assert page.entries[-1].date == D(2020, 8, 12)
    assert (page.page, page.next_page, page.prev_page) == (2, 3, 1)
    assert page.next_url == f"http://en.kremlin.ru{NEWS}/page/3"
    assert page.prev_url == f"http://en.kremlin.ru{NEWS}"


def test_parse_by_date_page_links_into_the_paged_listing() -> None:
    url = f"http://en.kremlin.ru{NEWS}/by-date/05.03.2020"
    page = parse_listing((FIXTURES / "listings/by-date/05.03.2020.html").read_bytes(), url)

    assert page.page == 24
    assert page.next_url == f"http://en.kremlin.ru{NEWS}/page/25"
    assert [e.date for e in page.entries[-6:]] == [D(2020, 3, 5)] * 6
    assert page.entries[0].date == D(2020, 3, 10)


def test_parse_listing_last_page_has_nothing_older() -> None:
    body = listing_page([(1, "2000-01-01", "First item")], page=1198, prev_href="1197")
    page = parse_listing(body, f"http://en.kremlin.ru{NEWS}/page/1198")
    assert not page.has_older
    assert page.prev_page == 1197
    assert page.entries[0].url == f"http://en.kremlin.ru{NEWS}/1"


# --- crawling ---------------------------------------------------------------------------------


def test_crawl_walks_from_page_one_until_entries_get_older_than_since(
    site: Site, make_fetcher
) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)

    ids = [e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 8, 10))]

    page_three_from_10_august = [63882, 63881, 63877, 63879, 63875, 63874, 63872]
    assert ids == PAGE_ONE_IDS + PAGE_TWO_IDS + page_three_from_10_august
    assert site.paths() == [NEWS, f"{NEWS}/page/2", f"{NEWS}/page/3"]  # never page/4


def test_crawl_jumps_to_until_through_by_date(site: Site, make_fetcher) -> None:
    site.page(f"{NEWS}/by-date/05.03.2020", "listings/by-date/05.03.2020.html")
    older = [(62935, "2020-03-05", "a"), (62930, "2020-03-04", "b"), (62920, "2020-02-28", "c")]
    older += [(62900 + n, "2020-02-27", "filler") for n in range(17)]  # a full page of 20
    site.route(f"{NEWS}/page/25", Reply(body=listing_page(older, page=25, next_href="26")))

    entries = list(crawl(make_fetcher(), "en", since=D(2020, 3, 1), until=D(2020, 3, 5)))

    assert [e.kremlin_id for e in entries] == [
        62948, 62936, 62946, 62945, 62937, 62938, 62935, 62930,
    ]  # fmt: skip
    assert all(D(2020, 3, 1) <= e.date <= D(2020, 3, 5) for e in entries)
    assert site.paths() == [f"{NEWS}/by-date/05.03.2020", f"{NEWS}/page/25"]


def test_crawl_steps_back_when_until_may_begin_on_a_newer_page(site: Site, make_fetcher) -> None:
    site.page(f"{NEWS}/by-date/11.01.2020", "listings/by-date/11.01.2020.html")
    newer = [(62580 + n, "2020-01-14", "filler") for n in range(17)]  # a full page of 20
    newer += [(62572, "2020-01-13", "x"), (62570, "2020-01-12", "y"), (62569, "2020-01-11", "z")]
    site.route(f"{NEWS}/page/33", Reply(body=listing_page(newer, page=33, next_href="34")))

    ids = [
        e.kremlin_id
        for e in crawl(make_fetcher(), "en", since=D(2020, 1, 10), until=D(2020, 1, 11))
    ]

    assert ids == [62569, 62568, 62565, 62562, 62554, 62564, 62563, 62561, 62559]
    # page 34 is the by-date page already in hand; page 32 cannot hold 11 January.
    assert site.paths() == [f"{NEWS}/by-date/11.01.2020", f"{NEWS}/page/33"]


def test_crawl_falls_back_to_page_one_when_by_date_is_missing(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)

    ids = [
        e.kremlin_id
        for e in crawl(make_fetcher(), "en", since=D(2020, 8, 17), until=D(2020, 8, 18))
    ]

    assert ids == [63908, 63907, 63904, 63903, 63906, 63905, 63900, 63898, 63897]
    assert site.paths()[0] == f"{NEWS}/by-date/18.08.2020"


def test_crawl_starts_from_page_one_when_by_date_lists_nothing(site: Site, make_fetcher) -> None:
    site.route(f"{NEWS}/by-date/01.01.2030", Reply(body=listing_page([], page=1)))
    site.route(NEWS, page_one())

    ids = [
        e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 8, 27), until=D(2030, 1, 1))
    ]

    assert ids == [63912, 63913]  # 28 and 27 August


def test_crawl_never_loops_on_a_page_linking_to_itself(site: Site, make_fetcher) -> None:
    body = listing_page([(n, "2020-08-05", "e") for n in range(5, 25)], page=1, next_href=NEWS)
    site.route(NEWS, Reply(body=body))
    ids = [e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 1, 1))]
    assert ids == list(range(5, 25))
    assert site.count(NEWS) == 1


def test_crawl_stops_after_max_pages(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)
    ids = [e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 1, 1), max_pages=2)]
    assert ids == PAGE_ONE_IDS + PAGE_TWO_IDS
    assert site.paths() == [NEWS, f"{NEWS}/page/2"]


def test_crawl_hands_out_event_urls_on_the_fetchers_site(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())  # the page links to http://en.kremlin.ru/... absolutely
    entry = next(crawl(make_fetcher(), "en", since=D(2020, 8, 28)))
    assert entry.url == f"{site.url}{NEWS}/63912"


def test_crawl_yields_each_id_once_when_items_shift_between_pages(site: Site, make_fetcher) -> None:
    first = [(100 + n, "2020-08-04", "d") for n in range(18)]  # a full page of 20
    first += [(3, "2020-08-03", "c"), (2, "2020-08-02", "b")]
    second = [(2, "2020-08-02", "b"), (1, "2020-08-01", "a")]  # 2 slid down a page meanwhile
    site.route(NEWS, Reply(body=listing_page(first, page=1, next_href=f"{NEWS}/page/2")))
    site.route(f"{NEWS}/page/2", Reply(body=listing_page(second, page=2)))

    ids = [e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 1, 1))]

    assert ids == [*range(100, 118), 3, 2, 1]


def test_crawl_refetches_listing_pages_on_every_run(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)
    fetcher = make_fetcher()

    list(crawl(fetcher, "en", since=D(2020, 8, 20)))
    list(crawl(fetcher, "en", since=D(2020, 8, 20)))

    assert site.count(NEWS) == 2


def test_crawl_skips_failed_listing_pages_and_counts_them(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)  # pages 4-9 are missing: 404
    stats = CrawlStats()

    ids = [
        e.kremlin_id
        for e in crawl(make_fetcher(), "en", since=D(2020, 6, 15), stats=stats, max_failed_pages=7)
    ]

    assert ids[-8:] == [63523, 63537, 63517, 63513, 63510, 63509, 63508, 63507]
    assert stats.pages_failed == [f"{site.url}{NEWS}/page/{n}" for n in range(4, 10)]
    assert stats.pages_fetched == 4
    assert stats.entries_yielded == len(ids)


def test_crawl_stops_after_too_many_failed_listing_pages(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)
    yielded = []

    with pytest.raises(FetchError, match="3 listing page"):
        for entry in crawl(make_fetcher(), "en", since=D(2020, 6, 15)):
            yielded.append(entry.kremlin_id)

    assert yielded[-1] == 63779  # everything up to the gap was handed over first
    assert f"{NEWS}/page/7" not in site.paths()


def test_crawl_stops_when_the_site_blocks_us(site: Site, make_fetcher) -> None:
    site.route(NEWS, Reply(status=403))
    with pytest.raises(FetchBlocked):
        list(crawl(make_fetcher(), "en", since=D(2020, 1, 1)))


def test_crawl_rejects_an_inverted_range(make_fetcher) -> None:
    with pytest.raises(ValueError, match="before since"):
        list(crawl(make_fetcher(), "en", since=D(2020, 2, 1), until=D(2020, 1, 1)))
