"""A stand-in parser that kills its worker process on one page (no Django: runs in workers)."""

import os

from meetings.importer.pages import PageResult, parse_file


def parse_or_die(path: str) -> PageResult:
    if path.endswith("en-62562.html"):
        os._exit(1)  # as a segfault in a C library would
    return parse_file(path)


def parse_with_short_timeout(path: str) -> PageResult:
    return parse_file(path, timeout=1)


def parse_or_sigkill(path: str) -> PageResult:
    """Kills its own worker with a real SIGKILL on one page, as the kernel's OOM killer does."""
    if path.endswith("en-62562.html"):
        os.kill(os.getpid(), 9)
    return parse_file(path)


def parse_slowly(path: str) -> PageResult:
    import time

    time.sleep(30)
    return parse_file(path)


def parse_or_sigkill_once(path: str) -> PageResult:
    """Kills its worker the first time it meets one page, as an outside kill would: the
    page's second reading (by a fresh worker) goes through."""
    from pathlib import Path

    marker = Path(path).with_suffix(".killed")
    if path.endswith("en-62562.html") and not marker.exists():
        marker.touch()
        os.kill(os.getpid(), 9)
    return parse_file(path)
