"""Read the site's news listings and walk them to find event ids in a date range.

``parse_listing`` is a pure function (page text in, plain data out). ``crawl`` drives a
:class:`~meetings.importer.fetch.Fetcher` over the listing pages; the caller then fetches each
event page itself.

How the site's listings behave (learnt from the saved pages in the shared corpus):

- ``/events/president/news`` and ``/events/president/news/page/N`` list 20 items each, newest
  first, each item a ``div.hentry[data-id]`` with ``time.published[datetime]``.
- ``/events/president/news/by-date/DD.MM.YYYY`` is not a one-day list: it is the numbered page
  that holds that day's newest items (``data-page`` says which), with the usual links to the
  neighbouring ``page/N``. So it is used as a jump into the paged listing, never per day.
- The live site links with absolute URLs; the saved mirror rewrote them to relative
  ``*.html`` paths. Both are resolved against the page's own URL.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from bs4 import BeautifulSoup, Tag

from meetings.importer.fetch import FetchBlocked, Fetcher, FetchError, language_of_url

logger = logging.getLogger(__name__)

_EVENT_ID_RE = re.compile(r"/(\d+)(?:\.html?)?/?$")
_PAGE_RE = re.compile(r"/page/(\d+)(?:\.html?)?/?$")
_LISTING_ROOT_RE = re.compile(r"/events/president/news/?(?:index\.html?)?$")
PAGE_SIZE = 20  # entries on every listing page but the last
_CLOSING = re.compile(rb"</html\s*>\s*$", re.I)


@dataclass(frozen=True)
class ListingEntry:
    kremlin_id: int
    url: str  # absolute URL of the event page, resolved against the listing's URL
    date: dt.date | None  # publication date as listed (Moscow time), None if not printed
    title: str


@dataclass
class ListingPage:
    entries: list[ListingEntry]
    page: int | None  # this page's number in the paged listing, when known
    next_url: str | None  # the next (older) page, absolute, or None on the last page
    prev_url: str | None  # the previous (newer) page, absolute, or None on the first page
    next_page: int | None = None  # number of the next (older) page, when known
    prev_page: int | None = None  # number of the previous (newer) page, when known
    unreadable: list[str] = field(default_factory=list)  # entries without an id or link
    incomplete: str = ""  # why the page looks cut short (see :func:`incompleteness`)

    @property
    def has_older(self) -> bool:
        return self.next_url is not None


@dataclass
class CrawlStats:
    """What a crawl did, for the command's summary line."""

    pages_fetched: int = 0
    pages_failed: list[str] = field(default_factory=list)  # listing URLs that could not be read
    entries_yielded: int = 0
    pages_incomplete: list[tuple[str, str]] = field(default_factory=list)  # (URL, why), kept
    entries_unreadable: list[tuple[str, str]] = field(default_factory=list)  # (listing URL, what)
    coverage: Coverage = field(default_factory=lambda: Coverage())


# --- parsing ----------------------------------------------------------------------------------


def parse_listing(html: bytes | str, page_url: str) -> ListingPage:
    """Entries and neighbour links of a listing page (``page/N``, ``by-date/...`` or page 1).

    ``page_url`` is the URL the page was fetched from; relative links resolve against it.
    """
    soup = BeautifulSoup(html, "lxml")
    lister = soup.select_one("div.lister-page") or soup
    entries, unreadable = [], []
    for div in _entry_divs(lister):
        entry = _parse_entry(div, page_url)
        if entry is None:
            text = " ".join(div.get_text(" ", strip=True).split())[:120]
            unreadable.append(f"an entry without an id or link ({text or 'empty'})")
        else:
            entries.append(entry)
    next_url = _link_url(soup, "next", page_url)
    prev_url = _link_url(soup, "prev", page_url)
    return ListingPage(
        unreadable=unreadable,
        entries=entries,
        page=_int_attr(lister, "data-page"),
        next_url=next_url,
        prev_url=prev_url,
        next_page=page_number_of_url(next_url) if next_url else None,
        prev_page=page_number_of_url(prev_url) if prev_url else None,
    )


def incompleteness(content: bytes, page: ListingPage) -> str:
    """Why a listing page looks cut short ("" when it does not): no closing ``</html>``, or
    fewer than ``PAGE_SIZE`` entries while it links an older page. A server or proxy that
    drops the connection mid-page can still answer 200."""
    if not _CLOSING.search(content[-200:]):
        return "cut short: no closing </html>"
    found = len(page.entries) + len(page.unreadable)
    if found < PAGE_SIZE and page.has_older:
        return f"{found} of {PAGE_SIZE} entries while it links an older page"
    return ""


def page_number_of_url(url: str) -> int | None:
    """``.../news/page/3`` -> 3, ``.../news`` -> 1, anything else -> None."""
    path = urllib.parse.urlsplit(url).path
    match = _PAGE_RE.search(path)
    if match:
        return int(match.group(1))
    return 1 if _LISTING_ROOT_RE.search(path) else None


def _entry_divs(lister: Tag | BeautifulSoup) -> list[Tag]:
    return [div for div in lister.select("div.hentry") if not div.find_parent(class_="promoted")]


def _parse_entry(div: Tag, page_url: str) -> ListingEntry | None:
    link = div.select_one("h3 a[href]") or div.select_one("a[href]")
    url = _absolute(link["href"], page_url) if link else None
    kremlin_id = _int_attr(div, "data-id") or (_id_from_url(url) if url else None)
    if kremlin_id is None or url is None:
        return None
    title_tag = div.select_one(".entry-title") or link
    title = " ".join(title_tag.get_text(" ", strip=True).split()) if title_tag else ""
    return ListingEntry(kremlin_id=kremlin_id, url=url, date=_entry_date(div), title=title)


def _entry_date(div: Tag) -> dt.date | None:
    """The item's own ``time.published``, else the day heading (``h2.events__title``) above it."""
    time_tag = div.select_one("time.published[datetime]") or div.select_one("time[datetime]")
    if time_tag is None:
        heading = div.find_previous("h2", class_="events__title")
        time_tag = heading.find("time", attrs={"datetime": True}) if heading else None
    return _parse_date(time_tag["datetime"]) if time_tag else None


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _link_url(soup: BeautifulSoup, rel: str, page_url: str) -> str | None:
    """The ``rel=next``/``rel=prev`` pagination link: the button first, then ``<link>``."""
    for selector in (f"a.more[rel~={rel}]", f"link[rel~={rel}]"):
        tag = soup.select_one(selector)
        if tag is not None and tag.get("href"):
            return _absolute(tag["href"], page_url)
    return None


def _absolute(href: str, page_url: str) -> str:
    """Resolve ``href`` against the page and drop the mirror's ``.html`` suffix."""
    url = urllib.parse.urljoin(page_url, href.strip())
    parts = urllib.parse.urlsplit(url)
    path = re.sub(r"\.html?$", "", parts.path)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _id_from_url(url: str) -> int | None:
    match = _EVENT_ID_RE.search(urllib.parse.urlsplit(url).path)
    return int(match.group(1)) if match else None


def _int_attr(tag: Tag | BeautifulSoup, name: str) -> int | None:
    value = tag.get(name) if isinstance(tag, Tag) else None
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


# --- crawling ---------------------------------------------------------------------------------


def crawl(
    fetcher: Fetcher,
    lang: str,
    since: dt.date,
    until: dt.date | None = None,
    *,
    stats: CrawlStats | None = None,
    max_failed_pages: int = 3,
    max_pages: int | None = None,
) -> Iterator[ListingEntry]:
    """Listing entries published from ``since`` to ``until`` (inclusive), newest first.

    Starts on page 1, or, with ``until``, jumps to the page holding ``until`` through
    ``by-date`` (stepping back a page if that day may begin on the page before). Walks to older
    pages until one reaches past ``since``. Ids are yielded once. Listing pages are always
    fetched fresh (they shift as news is published) but still cached for inspection.

    A listing page that cannot be fetched is logged, recorded in ``stats`` and skipped; after
    ``max_failed_pages`` failures in a row the crawl raises :class:`FetchError`.
    ``FetchBlocked`` always propagates.
    """
    if until is not None and until < since:
        raise ValueError(f"until ({until}) is before since ({since})")
    stats = stats if stats is not None else CrawlStats()
    seen: set[int] = set()
    stats.coverage.start(until or dt.date.today())
    for page in _walk(fetcher, lang, until, since, stats, max_failed_pages, max_pages):
        for entry in page.entries:
            if entry.kremlin_id in seen or not _in_range(entry.date, since, until):
                continue
            seen.add(entry.kremlin_id)
            stats.entries_yielded += 1
            yield replace(entry, url=fetcher.event_url(entry.kremlin_id, lang))


def _in_range(date: dt.date | None, since: dt.date, until: dt.date | None) -> bool:
    if date is None:
        return True  # undated items are rare; let the event page decide
    return since <= date and (until is None or date <= until)


def _walk(
    fetcher: Fetcher,
    lang: str,
    until: dt.date | None,
    since: dt.date,
    stats: CrawlStats,
    max_failed_pages: int,
    max_pages: int | None,
) -> Iterator[ListingPage]:
    """Listing pages from the starting page to the first page reaching older than ``since``."""
    prefetched = _start_at_date(fetcher, lang, until, stats) if until is not None else []
    url = prefetched[0][0] if prefetched else fetcher.listing_url(lang, 1)
    visited: set[str] = set()
    failures = 0
    while max_pages is None or len(visited) < max_pages:
        visited.add(url)
        page = prefetched.pop(0)[1] if prefetched else _fetch_page(fetcher, url, stats)
        stats.coverage.saw(page)
        if page is None:
            failures += 1
            next_url = _page_after(fetcher, lang, url)
            if failures >= max_failed_pages or next_url is None:
                raise FetchError(url, f"{failures} listing page(s) in a row failed; stopping")
        else:
            failures = 0
            yield page
            next_url = _neighbour_url(fetcher, lang, page.next_page, page.next_url)
            if next_url is None and page.incomplete and page.page is not None:
                next_url = fetcher.listing_url(lang, page.page + 1)  # its links may be cut off
            if _reaches_before(page, since) or next_url is None:
                stats.coverage.complete = True
                return
        if next_url in visited:
            return
        url = next_url


def _start_at_date(
    fetcher: Fetcher, lang: str, until: dt.date, stats: CrawlStats
) -> list[tuple[str, ListingPage]]:
    """The page holding ``until`` (via by-date), preceded by newer pages while it may start
    mid-day; newest first. Empty when by-date fails, so the walk starts from page 1.
    """
    url = fetcher.by_date_url(lang, until)
    page = _fetch_page(fetcher, url, stats)
    if page is None or not page.entries:
        logger.warning("could not jump to %s via by-date; starting from page 1", until)
        return []
    pages = [(url, page)]
    for _ in range(5):  # by-date lands on the right page or next to it; never walk far
        _, first = pages[0]
        prev_url = _neighbour_url(fetcher, lang, first.prev_page, first.prev_url)
        if not _may_start_mid_range(first, until) or prev_url is None:
            break
        newer = _fetch_page(fetcher, prev_url, stats)
        if newer is None or not newer.entries:
            break
        pages.insert(0, (prev_url, newer))
    return pages


def _may_start_mid_range(page: ListingPage, until: dt.date) -> bool:
    """True when items dated ``until`` or earlier open the page: newer pages may hold more."""
    first = next((e.date for e in page.entries if e.date is not None), None)
    return first is not None and first <= until and page.page != 1


def _reaches_before(page: ListingPage, since: dt.date) -> bool:
    dates = [e.date for e in page.entries if e.date is not None]
    return bool(dates) and dates[-1] < since


def _neighbour_url(
    fetcher: Fetcher, lang: str, number: int | None, linked_url: str | None
) -> str | None:
    """The neighbouring listing page on the fetcher's own site.

    The live site links absolutely to its own host; rebuilding the URL from the page number
    keeps a crawl on the configured base URL (a mirror, a test server). A link whose number
    cannot be read is followed only when it stays on that site.
    """
    if number is not None:
        return fetcher.listing_url(lang, number)
    if linked_url is None:
        return None
    try:
        same_site = language_of_url(linked_url, fetcher.base_urls) == lang
    except ValueError:
        same_site = False
    return linked_url if same_site else None


def _page_after(fetcher: Fetcher, lang: str, failed_url: str) -> str | None:
    number = page_number_of_url(failed_url)
    return fetcher.listing_url(lang, number + 1) if number is not None else None


def _fetch_page(fetcher: Fetcher, url: str, stats: CrawlStats) -> ListingPage | None:
    """The listing page at ``url``; one that looks cut short is fetched once more and, if it
    still does, kept for the entries it has and reported (``stats.pages_incomplete``)."""
    for _attempt in (1, 2):
        try:
            result = fetcher.fetch(url, use_cache=False)
        except FetchError as exc:
            if isinstance(exc, FetchBlocked):
                raise
            logger.warning("listing page failed: %s", exc)
            stats.pages_failed.append(url)
            return None
        stats.pages_fetched += 1
        page = parse_listing(result.content, result.final_url)
        page.incomplete = incompleteness(result.content, page)
        if not page.incomplete:
            break
        logger.warning("listing page %s looks incomplete (%s)", url, page.incomplete)
    if page.incomplete:
        stats.pages_incomplete.append((url, page.incomplete))
    stats.entries_unreadable += [(url, what) for what in page.unreadable]
    return page


@dataclass
class Coverage:
    """The days a crawl's listing showed completely, walking from newest to oldest.

    Pages read whole in a row make a chain: it covers from the oldest day on its last page
    to the newest on its first. A page that failed or looks cut short breaks the chain, and
    the days at the break (which may go on on that page) are left out. A walk that reached
    past ``since`` (or the listing's end) covers down to ``since``.
    """

    complete: bool = False  # the walk reached past since, or the end of the listing
    ranges: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # closed (lo, hi)
    _top: dt.date | None = None  # hi of the chain being walked
    _low: dt.date | None = None  # oldest day on the chain's last page
    _broken: bool = False

    def start(self, until: dt.date) -> None:
        self._top = until

    def saw(self, page: ListingPage | None) -> None:
        dates = [e.date for e in page.entries if e.date is not None] if page else []
        if page is None or page.incomplete or not dates:
            self._close(partial=True)
            self._broken = True
            return
        if self._broken or self._top is None:  # a new chain, after a break or unstarted
            self._top = max(dates) - dt.timedelta(days=1 if self._broken else 0)
            self._broken = False
        self._low = min(dates)

    def _close(self, *, partial: bool) -> None:
        if self._top is not None and self._low is not None:
            low = self._low + dt.timedelta(days=1) if partial else self._low
            if low <= self._top:
                self.ranges.append((low, self._top))
        self._top = self._low = None

    def days(self, since: dt.date, until: dt.date) -> list[dt.date]:
        """The covered days from ``since`` to ``until``, once the walk has ended."""
        if self._low is not None:
            if self.complete:
                self._low = min(self._low, since)
            self._close(partial=not self.complete)
        found: set[dt.date] = set()
        for lo, hi in self.ranges:
            day = max(lo, since)
            while day <= min(hi, until):
                found.add(day)
                day += dt.timedelta(days=1)
        return sorted(found)
