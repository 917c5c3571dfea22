"""Polite, cached HTTP fetching of kremlin.ru and en.kremlin.ru pages.

One request at a time, at least ``delay`` seconds between the starts of consecutive network
requests, an identifying User-Agent, retries with exponential backoff on transient failures,
and a clean stop (:class:`FetchBlocked`) when the site keeps refusing us. Raw pages are kept
under ``cache_dir/<host>/<path>.html`` so a re-run re-parses without touching the network.

Standard library only (``urllib``); nothing here knows about Django or the database.

Typical use (the import command)::

    fetcher = Fetcher(cache_dir=var_dir / "cache", delay=3.0)
    for entry in crawl(fetcher, "en", since=date(2025, 1, 1), until=None):  # listing.py
        try:
            page = fetcher.fetch_event(entry.kremlin_id, "en")
        except FetchBlocked:
            raise  # stop the run; the message says why and what to do
        except FetchError:
            failed += 1  # one page failing never stops the run
            continue
        meeting = parse(page.text, page.final_url)  # parse.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from protego import Protego

from meetings.importer.text import declared_encoding
from meetings.importer.transfer import decompress, retry_after_seconds, unreachable, write_atomic

logger = logging.getLogger(__name__)

# Where each language version of the site lives. Tests and mirrors pass their own mapping.
DEFAULT_BASE_URLS: Mapping[str, str] = {
    "ru": "http://kremlin.ru",
    "en": "http://en.kremlin.ru",
}
NEWS_PATH = "/events/president/news"
# Where the site's operators can read what this crawler is; pass a deployment's own URL to
# make_user_agent() when it has one.
# Set KREMLIN_PROJECT_URL so the site's operators can see who is fetching and how to reach
# them; the project has no public address of its own yet.
PROJECT_URL = ""


def _version() -> str:
    try:
        return metadata.version("kremlin-meetings")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def make_user_agent(project_url: str = PROJECT_URL) -> str:
    """``KremlinMeetings/0.1.0 (+<project_url>; research archive)``, or without the URL."""
    contact = f"+{project_url}; " if project_url else ""
    return f"KremlinMeetings/{_version()} ({contact}research archive)"


DEFAULT_USER_AGENT = make_user_agent()

# Statuses worth retrying: the site is busy or briefly broken, not refusing us.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """One URL could not be fetched (404, or still failing after retries).

    A crawl carries on past it; the caller counts it.
    """

    def __init__(
        self, url: str, message: str, status: int | None = None, *, gave_up: bool = False
    ) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.detail = message  # the message without the URL, for per-page failure lists
        self.status = status
        self.gave_up = gave_up  # still failing after every retry (not a definite 404)


class FetchBlocked(FetchError):
    """The site is refusing us or keeps failing: stop the run cleanly and try again later.

    Raised on repeated 403s, on a Retry-After longer than we are willing to wait, and when
    several pages in a row still fail after all their retries.
    """


@dataclass(frozen=True)
class FetchResult:
    url: str  # the URL asked for
    final_url: str  # the URL after redirects (as cached, on a cache hit)
    content: bytes  # raw body, decompressed, exactly as served (and cached)
    from_cache: bool

    @property
    def text(self) -> str:
        """The body decoded with the charset the page declares (the site uses UTF-8)."""
        return self.content.decode(declared_encoding(self.content) or "utf-8", errors="replace")


# --- URL helpers ------------------------------------------------------------------------------


def base_url(lang: str, base_urls: Mapping[str, str] | None = None) -> str:
    """The site root for ``lang`` ("ru" or "en"), without a trailing slash."""
    urls = DEFAULT_BASE_URLS if base_urls is None else base_urls
    try:
        return urls[lang].rstrip("/")
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(urls)}") from None


def event_url(kremlin_id: int, lang: str, base_urls: Mapping[str, str] | None = None) -> str:
    """``http://en.kremlin.ru/events/president/news/63908``"""
    return f"{base_url(lang, base_urls)}{NEWS_PATH}/{int(kremlin_id)}"


def text_version_url(kremlin_id: int, lang: str, base_urls: Mapping[str, str] | None = None) -> str:
    """The plain "text version" of an event: ``.../events/president/news/copy/<id>``."""
    return f"{base_url(lang, base_urls)}{NEWS_PATH}/copy/{int(kremlin_id)}"


def listing_url(lang: str, page: int = 1, base_urls: Mapping[str, str] | None = None) -> str:
    """Page ``page`` of the news listing, newest first; page 1 is the listing's own URL."""
    if page < 1:
        raise ValueError(f"listing pages start at 1, not {page}")
    root = f"{base_url(lang, base_urls)}{NEWS_PATH}"
    return root if page == 1 else f"{root}/page/{page}"


def by_date_url(lang: str, date: dt.date, base_urls: Mapping[str, str] | None = None) -> str:
    """The listing page that holds ``date``: ``.../events/president/news/by-date/05.03.2020``."""
    return f"{base_url(lang, base_urls)}{NEWS_PATH}/by-date/{date:%d.%m.%Y}"


def language_of_url(url: str, base_urls: Mapping[str, str] | None = None) -> str:
    """ "en" for en.kremlin.ru (or the configured English base), "ru" for kremlin.ru.

    Raises ``ValueError`` for any other host.
    """
    host = (urllib.parse.urlsplit(url).netloc or "").lower()
    if base_urls is not None:
        for lang, root in base_urls.items():
            if urllib.parse.urlsplit(root).netloc.lower() == host:
                return lang
    hostname = host.split(":")[0]
    if hostname.removeprefix("www.") in ("en.kremlin.ru", "eng.kremlin.ru"):
        return "en"
    if hostname.removeprefix("www.") == "kremlin.ru":
        return "ru"
    raise ValueError(f"not a kremlin.ru or en.kremlin.ru URL: {url!r}")


def cache_path(cache_dir: Path, url: str) -> Path:
    """Where the raw page for ``url`` is kept: ``<cache_dir>/<host>/<path>.html``.

    The scheme is ignored (http and https share an entry); a query string, rare on this site,
    gets a short hash so distinct queries never share a file.
    """
    parts = urllib.parse.urlsplit(url)
    host = re.sub(r"[^A-Za-z0-9.-]", "_", parts.netloc.lower()) or "_"
    segments = [s for s in parts.path.split("/") if s not in ("", ".", "..")]
    segments = [re.sub(r"[^\w.,-]", "_", urllib.parse.unquote(s)) for s in segments]
    name = "/".join(segments) or "index"
    if parts.query:
        name += "_" + hashlib.sha1(parts.query.encode()).hexdigest()[:12]
    return cache_dir / host / f"{name}.html"


# --- The fetcher ------------------------------------------------------------------------------


class Fetcher:
    """Fetches pages politely, one at a time, with an on-disk cache.

    ``sleep`` and ``clock`` are injectable so tests can check the pacing without waiting.
    """

    def __init__(
        self,
        cache_dir: Path,
        delay: float = 3.0,
        user_agent: str = DEFAULT_USER_AGENT,
        retries: int = 3,
        timeout: float = 30.0,
        refresh: bool = False,
        base_urls: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        backoff: float = 5.0,
        max_backoff: float = 120.0,
        max_retry_after: float = 600.0,
        blocked_after: int = 3,
        give_up_after: int = 3,
        respect_robots: bool = True,
    ) -> None:
        if delay < 0 or retries < 0 or timeout <= 0 or min(blocked_after, give_up_after) < 1:
            raise ValueError("need delay, retries >= 0, timeout > 0, *_after >= 1")
        self.cache_dir = Path(cache_dir)
        self.delay = delay
        self.user_agent = user_agent
        self.retries = retries
        self.timeout = timeout
        self.refresh = refresh
        self.base_urls: Mapping[str, str] = dict(base_urls or DEFAULT_BASE_URLS)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.blocked_after = blocked_after
        self.give_up_after = give_up_after
        self.respect_robots = respect_robots
        self._sleep = sleep
        self._clock = clock
        self._last_start: float | None = None
        self._forbidden_in_a_row = 0
        self._failing_in_a_row = 0  # pages that failed after all retries, one after another
        self._lock = threading.Lock()  # one request at a time, even if shared across threads
        self._robots: dict[str, Protego | None] = {}  # per site
        self.requests_made = 0  # network requests, retries included

    # URL helpers bound to this fetcher's base URLs.
    def event_url(self, kremlin_id: int, lang: str) -> str:
        return event_url(kremlin_id, lang, self.base_urls)

    def text_version_url(self, kremlin_id: int, lang: str) -> str:
        return text_version_url(kremlin_id, lang, self.base_urls)

    def listing_url(self, lang: str, page: int = 1) -> str:
        return listing_url(lang, page, self.base_urls)

    def by_date_url(self, lang: str, date: dt.date) -> str:
        return by_date_url(lang, date, self.base_urls)

    def rebase(self, url: str) -> str:
        """``url`` (a live kremlin.ru link, e.g. a supplement) on this fetcher's base URL."""
        lang = language_of_url(url, self.base_urls)
        parts = urllib.parse.urlsplit(url)
        root = urllib.parse.urlsplit(base_url(lang, self.base_urls))
        path = root.path.rstrip("/") + parts.path
        return urllib.parse.urlunsplit((root.scheme, root.netloc, path, parts.query, ""))

    def fetch_event(self, kremlin_id: int, lang: str) -> FetchResult:
        return self.fetch(self.event_url(kremlin_id, lang))

    def fetch(self, url: str, *, use_cache: bool = True) -> FetchResult:
        """The page at ``url``, from the cache when allowed, else from the network.

        ``use_cache=False`` (for pages that change, such as listings) skips the cache read but
        still stores the fresh copy. Raises :class:`FetchError` or :class:`FetchBlocked`.
        """
        path = cache_path(self.cache_dir, url)
        if use_cache and not self.refresh:
            cached = self._read_cache(url, path)
            if cached is not None:
                return cached
        content, final_url = self._download(url)
        self._write_cache(path, url, final_url, content)
        return FetchResult(url=url, final_url=final_url, content=content, from_cache=False)

    # --- cache ---

    @staticmethod
    def _read_cache(url: str, path: Path) -> FetchResult | None:
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None
        final_url = url
        meta = path.with_name(path.name + ".url")
        if meta.exists():
            final_url = meta.read_text(encoding="utf-8").strip() or url
        return FetchResult(url=url, final_url=final_url, content=content, from_cache=True)

    @staticmethod
    def _write_cache(path: Path, url: str, final_url: str, content: bytes) -> None:
        meta = path.with_name(path.name + ".url")
        if final_url != url:
            write_atomic(meta, final_url.encode("utf-8"))
        elif meta.exists():
            meta.unlink()
        write_atomic(path, content)

    # --- network ---

    def _download(self, url: str) -> tuple[bytes, str]:
        """Fetch with retries; stop the run once several pages in a row gave up."""
        with self._lock:
            self._check_robots(url)
            try:
                result = self._download_with_retries(url)
            except FetchBlocked:
                raise
            except FetchError as exc:
                self._failing_in_a_row = self._failing_in_a_row + 1 if exc.gave_up else 0
                if self._failing_in_a_row >= self.give_up_after:
                    raise FetchBlocked(
                        url,
                        f"the site keeps failing ({self._failing_in_a_row} pages in a row "
                        f"failed after {self.retries + 1} tries each; last: {exc}). Stopping; "
                        "retry later, or raise the delay between requests.",
                        exc.status,
                    ) from exc
                raise
            self._failing_in_a_row = 0
            return result

    def _check_robots(self, url: str) -> None:
        """Refuse URLs the site's robots.txt keeps crawlers away from; adopt its Crawl-delay."""
        if not self.respect_robots:
            return
        parts = urllib.parse.urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            self._robots[site] = self._load_robots(f"{site}/robots.txt")
        rules = self._robots[site]
        if rules is not None and not rules.can_fetch(url, self.user_agent):
            raise FetchError(url, "the site's robots.txt asks crawlers not to fetch this page")

    def _load_robots(self, robots_url: str) -> Protego | None:
        """The parsed robots.txt, or None (everything allowed) when there is none to read.

        Protego follows RFC 9309 (``*`` and ``$`` in paths, the longest match wins), which
        ``urllib.robotparser`` does not: it reads ``Disallow: /*?*format=`` as a literal path
        and allows everything it meant to keep crawlers from."""
        try:
            content, _ = self._download_with_retries(robots_url)
        except FetchBlocked:
            raise
        except FetchError as exc:
            logger.info("no robots.txt to follow (%s); assuming all pages are allowed", exc)
            return None
        rules = Protego.parse(content.decode("utf-8", "replace"))
        crawl_delay = rules.crawl_delay(self.user_agent)
        if crawl_delay is not None and float(crawl_delay) > self.delay:
            logger.info("robots.txt asks for %s s between requests; slowing down", crawl_delay)
            self.delay = float(crawl_delay)
        return rules

    def _download_with_retries(self, url: str) -> tuple[bytes, str]:
        wait = 0.0
        for attempt in range(self.retries + 1):
            self._wait_for_turn(wait)
            last_try = attempt == self.retries
            try:
                return self._request(url)
            except urllib.error.HTTPError as exc:
                wait = self._handle_http_error(url, exc, attempt, last_try)
            except (TimeoutError, urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                self._forbidden_in_a_row = 0
                reason = getattr(exc, "reason", None) or exc
                if unreachable(reason):
                    host = urllib.parse.urlsplit(url).netloc
                    raise FetchBlocked(
                        url,
                        f"cannot reach {host} ({reason}): no network, or the site is down. "
                        "Stopping; check the connection and retry.",
                    ) from exc
                if last_try:
                    raise FetchError(
                        url, f"network error after {attempt + 1} tries: {reason}", gave_up=True
                    ) from exc
                wait = self._backoff_for(attempt)
                logger.warning("%s: %s; retrying in %.0f s", url, reason, wait)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _handle_http_error(
        self, url: str, exc: urllib.error.HTTPError, attempt: int, last_try: bool
    ) -> float:
        """How long to wait before the next try; raises when there is no next try."""
        status = exc.code
        exc.close()
        if status == 403:
            self._forbidden_in_a_row += 1
            if self._forbidden_in_a_row >= self.blocked_after:
                raise FetchBlocked(
                    url,
                    f"the site is refusing us (HTTP 403 {self._forbidden_in_a_row} times in a "
                    "row). Stopping; retry later, or raise the delay between requests.",
                    status,
                )
        else:
            self._forbidden_in_a_row = 0
        if status not in RETRY_STATUSES and status != 403:
            raise FetchError(url, f"HTTP {status} {exc.reason}", status)
        if last_try:
            raise FetchError(url, f"HTTP {status} after {attempt + 1} tries", status, gave_up=True)
        wait = self._backoff_for(attempt)
        retry_after = retry_after_seconds(exc.headers.get("Retry-After"))
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                raise FetchBlocked(
                    url,
                    f"the site asks us to wait {retry_after:.0f} s (HTTP {status} Retry-After). "
                    "Stopping; retry later, or raise the delay between requests.",
                    status,
                )
            wait = max(wait, retry_after)
        logger.warning("%s: HTTP %s; retrying in %.0f s", url, status, wait)
        return wait

    def _backoff_for(self, attempt: int) -> float:
        return min(self.max_backoff, max(self.delay, self.backoff * 2**attempt))

    def _wait_for_turn(self, at_least: float) -> None:
        """Sleep so this request starts ``delay`` after the last one, and ``at_least`` from now."""
        now = self._clock()
        ready = now + at_least
        if self._last_start is not None:
            ready = max(ready, self._last_start + self.delay)
        if ready > now:
            self._sleep(ready - now)
        self._last_start = self._clock()

    def _request(self, url: str) -> tuple[bytes, str]:
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
            },
        )
        self.requests_made += 1
        logger.debug("GET %s", url)
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            body = response.read()
            encoding = (response.headers.get("Content-Encoding") or "").lower()
            final_url = response.geturl()
        self._forbidden_in_a_row = 0
        return decompress(body, encoding), final_url
