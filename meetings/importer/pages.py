"""Turn one input (a saved file or fetched bytes) into records, in a worker process or not.

Nothing here touches Django or the database, so the parse worker processes start without
settings and never share the parent's database connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from meetings.importer.records import PageSkipped, ParsedMeeting, ParsedSupplement, ParseError


@dataclass
class PageResult:
    source: str  # the path or URL, as shown in messages
    raw_hash: str = ""  # SHA-256 of the bytes, for "unchanged" without a parse diff
    record: ParsedMeeting | ParsedSupplement | None = None
    error: str = ""  # one line: why the input could not be imported
    skipped: str = ""  # why a real page has nothing to import ("announcement")
    warnings: list[str] = field(default_factory=list)  # imported, but: "invalid UTF-8 ..."
    # The page's site and publication day, skipped pages too: the days the archive holds.
    site: str = ""
    day: dt.date | None = None


MAX_PAGE_BYTES = 5_000_000  # the largest real page is 0.36 MB; a 51 MB one renders in 15 s
PAGE_TIMEOUT = 60  # seconds a worker may spend on one page (the slowest real page: ~0.1 s)

# Importer modules that are not the parser: changing them does not change what a page says.
_NOT_PARSER = {
    "__init__",
    "benchmark",
    "fetch",
    "listing",
    "pages",
    "run",
    "save",
    "workers",
    "run_log",
    "summary",
    "transfer",
    "merging",
    "conflicts",
    # people/: saving, editing and measuring, not parsing
    "audit",
    "merge",
    "resolve",
}


def page_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def parser_fingerprint() -> str:
    """A hash of the parser's source: a page is only "unchanged" if read by the same parser.

    So after a parser fix, re-importing the same saved pages applies the fix.
    """
    digest = hashlib.sha256()
    root = Path(__file__).parent
    # Sub-packages (people/) are parser too: names/ matches names through people/match.py.
    for module in sorted(root.rglob("*.py")):
        if module.stem not in _NOT_PARSER:
            name = module.relative_to(root).as_posix()
            digest.update(name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:16]


def parse_bytes(data: bytes, *, source: str, url: str | None = None) -> PageResult:
    """Parse one page; every failure becomes ``PageResult.error``, never an exception."""
    from meetings.importer.parse import parse_page  # imported late: the worker's heavy part
    from meetings.importer.text import decode_page

    result = PageResult(source=source, raw_hash=page_hash(data))
    if len(data) > MAX_PAGE_BYTES:
        result.error = _too_large(len(data))
        return result
    text = ""
    try:
        text, result.warnings = decode_page(data, source)
        result.record = parse_page(text, url=url, source=source)
    except PageSkipped as exc:
        result.skipped = exc.reason
        result.site, result.day = page_day(text, url)
        return result
    except ParseError as exc:
        result.error = _one_line(str(exc), source)
    except RecursionError:
        result.error = "page too deeply nested to parse"
    except Exception as exc:  # a parser bug must cost one page, not the run
        result.error = f"parser failed ({type(exc).__name__}: {_one_line(str(exc), source)})"
    if result.record is None and not result.error:
        result.error = "nothing to import on this page"
    if isinstance(result.record, ParsedMeeting):
        result.site, result.day = result.record.language, result.record.date
    return result


_PUBLISHED = (
    re.compile(r"""<time\b[^>]*\bread__published\b[^>]*\bdatetime=["'](\d{4}-\d\d-\d\d)""", re.I),
    re.compile(r"""<time\b[^>]*\bdatetime=["'](\d{4}-\d\d-\d\d)""", re.I),
)
_SITE = re.compile(
    r"""(?:og:url["']\s+content|rel=["']canonical["']\s+href)=["']https?://(en\.)?kremlin"""
)


def page_day(text: str, url: str | None = None) -> tuple[str, dt.date | None]:
    """The site and publication day of a page the parser skipped (an announcement, a photo
    page): what the coverage records. ``("", None)`` when the page does not say."""
    site_match = re.search(r"https?://(en\.)?kremlin\.ru", url or "") or _SITE.search(text[:20000])
    site = ("en" if site_match.group(1) else "ru") if site_match else ""
    found = _PUBLISHED[0].search(text) or _PUBLISHED[1].search(text)
    try:
        day = dt.date.fromisoformat(found.group(1)) if found else None
    except ValueError:
        day = None
    return (site, day) if site and day else ("", None)


def parse_file(path: str, *, timeout: int = PAGE_TIMEOUT) -> PageResult:
    """Read and parse one saved page; in a worker process, give up after ``timeout`` s."""
    try:
        with time_limit(timeout):
            try:
                size = Path(path).stat().st_size
                if size > MAX_PAGE_BYTES:
                    return PageResult(source=path, error=_too_large(size))
                data = Path(path).read_bytes()
            except OSError as exc:
                return PageResult(source=path, error=f"cannot read: {exc.strerror or exc}")
            return parse_bytes(data, source=path)
    except PageTimeout:
        return PageResult(source=path, error=f"parsing took longer than {timeout} s; gave up")


class PageTimeout(BaseException):
    """Raised inside a worker whose page takes too long (BaseException: no parser catches it)."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with :class:`PageTimeout`, in worker processes.

    Uses SIGALRM, which also interrupts a runaway regular expression (``re`` checks for
    signals while matching). The main process is left alone: its signals are Django's.
    """
    if multiprocessing.parent_process() is None or not hasattr(signal, "SIGALRM"):
        yield
        return

    def give_up(signum, frame):
        raise PageTimeout

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _one_line(message: str, source: str) -> str:
    """The reason alone: no "path: " prefix (the caller adds it) and no line breaks."""
    message = " ".join(message.split())
    prefix = f"{source}: "
    while message.startswith(prefix):
        message = message[len(prefix) :]
    return message or "cannot parse"


def _too_large(size: int) -> str:
    return f"page too large ({size / 1e6:.1f} MB; the limit is {MAX_PAGE_BYTES / 1e6:.0f} MB)"


def exit_with(parent_pid: int, every: float = 0.5) -> None:
    """Worker initializer: end this worker soon after the import process is gone.

    A killed import (``kill -9``, an OOM kill) cannot shut its pool down; without this its
    workers would go on parsing for nobody.
    """

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid now belongs to someone else's process
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()
