"""A stand-in parser that kills its worker process on one page (no Django: runs in workers)."""

import os

from meetings.importer.pages import PageResult, parse_file


def parse_or_die(path: str) -> PageResult:
    if path.endswith("en-62562.html"):
        os._exit(1)  # as a segfault in a C library would
    return parse_file(path)


def parse_with_short_timeout(path: str) -> PageResult:
    return parse_file(path, timeout=1)
