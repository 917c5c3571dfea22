"""How fast the whole import is, next to the bare ``BeautifulSoup(page, "lxml")`` parse rate.

    python -m meetings.importer.benchmark [DIR ...] [--copies 3]

DIRs default to the shared corpus's en.kremlin.ru event and print pages. Measured in one run:

1. the bare parse rate: ``BeautifulSoup(page, "lxml")`` over every page, one core;
2. the whole import (parse in worker processes, save, one transaction per page) of those
   pages into an empty scratch database, in pages per second;
3. the same import of ``--copies`` times as many distinct pages (each copy's kremlin.ru ids
   shifted so every page is a new meeting), to show that peak memory does not grow with the
   number of pages;
4. with ``--versions-cost``, the first import again without keeping source versions
   (``versions.keep`` made a no-op in that process only), to show what keeping them costs.

Each import runs in its own process with its own scratch database (created, migrated and
dropped on the configured PostgreSQL server; the user's database is never touched), and
reports its peak RSS: the main process (``getrusage``) and the parse workers (sampled).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ID_OFFSET = 10_000_000  # kremlin.ru ids are far below this; copy k adds k * ID_OFFSET
PAGE_SUFFIXES = (".html", ".htm")
# Event and supplement ids in absolute links (og:url, share links): what the parser reads.
_ID_IN_URL = re.compile(r"(/events/president/news/(?:copy/)?|/supplement/|kremlin\.ru/d/)(\d+)")


def default_dirs() -> list[Path]:
    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "en"
    return [corpus / "events", corpus / "print"]


def collect(dirs: list[Path]) -> list[Path]:
    pages: list[Path] = []
    for folder in dirs:
        if folder.is_file():
            pages.append(folder)
        else:
            pages += sorted(p for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES)
    return pages


# --- 1. the bare parse rate -------------------------------------------------------------------


def bare_parse_rate(pages: list[Path]) -> tuple[float, float]:
    """(pages per second, seconds) of ``BeautifulSoup(page, "lxml")`` on this core alone."""
    from bs4 import BeautifulSoup

    data = [p.read_bytes() for p in pages]
    started = time.perf_counter()
    for page in data:
        BeautifulSoup(page, "lxml").decompose()
    elapsed = time.perf_counter() - started
    return len(data) / elapsed, elapsed


# --- 2 and 3. the whole import, in a child process --------------------------------------------


def write_copies(pages: list[Path], copies: int, folder: Path) -> int:
    """``copies`` distinct versions of every page (ids shifted), written under ``folder``."""
    written = 0
    for k in range(copies):
        target = folder / f"copy-{k}"
        target.mkdir(parents=True)
        for page in pages:
            text = page.read_bytes().decode("utf-8", "surrogateescape")
            if k:
                text = _ID_IN_URL.sub(lambda m, k=k: f"{m[1]}{int(m[2]) + k * ID_OFFSET}", text)
            (target / f"{page.parent.name}-{page.name}").write_bytes(
                text.encode("utf-8", "surrogateescape")
            )
            written += 1
    return written


class RssSampler(threading.Thread):
    """Samples the resident memory of this process's descendants (the parse workers)."""

    def __init__(self, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_worker_kb = 0
        self.peak_total_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._done.wait(self.interval):
            sizes = _descendant_rss_kb(me)
            own = _rss_kb(me)
            if sizes:
                self.peak_worker_kb = max(self.peak_worker_kb, max(sizes))
            self.peak_total_kb = max(self.peak_total_kb, own + sum(sizes))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendant_rss_kb(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    family, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - family
        family |= frontier
    return [_rss_kb(pid) for pid in family]


def child_run(folder: Path, keep_versions: bool = True) -> dict:
    """Import every page under ``folder`` into a scratch database; return the figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kremlin_meetings.settings")
    os.environ.setdefault("DEBUG", "1")  # a development run, like the tests
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from meetings.importer import run, versions

    if not keep_versions:  # the cost of keeping versions: this process only, never a setting
        versions.keep = lambda *args, **kwargs: False
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"km_benchmark_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    sampler = RssSampler()
    try:
        sampler.start()
        started = time.perf_counter()
        summary = run.import_paths([folder])
        elapsed = time.perf_counter() - started
        sampler.stop()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    pages = summary.total
    return {
        "pages": pages,
        "seconds": elapsed,
        "pages_per_second": pages / elapsed,
        "summary": summary.line(),
        "failures": summary.failures[:5],
        "main_peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "worker_peak_rss_kb": sampler.peak_worker_kb,
        "total_peak_rss_kb": sampler.peak_total_kb,
    }


def run_child(folder: Path, keep_versions: bool = True) -> dict:
    flags = [] if keep_versions else ["--without-versions"]
    result = subprocess.run(
        [sys.executable, "-m", "meetings.importer.benchmark", "--child", str(folder), *flags],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"import run failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the report -------------------------------------------------------------------------------


def _per_page(figures: dict) -> float:
    return figures["seconds"] / figures["pages"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="Folders of saved event pages.")
    parser.add_argument("--copies", type=int, default=3, help="Size of the second run (x).")
    parser.add_argument(
        "--versions-cost",
        action="store_true",
        help="Import the pages once more without keeping source versions, and compare.",
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=1,
        help="With --versions-cost: that many runs without versions, each between two runs "
        "with them, and the median cost (one pair's figure moves by a few per cent).",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--without-versions", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child_run(args.child, keep_versions=not args.without_versions)))
        return

    pages = collect(args.dirs or default_dirs())
    if not pages:
        raise SystemExit("no pages found")
    print(
        f"{len(pages)} pages, {sum(p.stat().st_size for p in pages) / 1e6:.1f} MB, "
        f"{os.cpu_count()} CPU(s)"
    )
    bare_rate, bare_seconds = bare_parse_rate(pages)
    print(
        f"bare BeautifulSoup(page, 'lxml'), one core: {bare_rate:7.1f} pages/s "
        f"({bare_seconds:.2f} s)"
    )
    with tempfile.TemporaryDirectory(prefix="km-benchmark-") as tmp:
        one = Path(tmp) / "one"
        write_copies(pages, 1, one)
        first = run_child(one)
        # Runs keeping versions and runs without them, alternating: keeping[i] and
        # keeping[i + 1] are the runs before and after without[i].
        keeping, without = [first], []
        for _ in range(max(args.pairs, 1) if args.versions_cost else 0):
            without.append(run_child(one, keep_versions=False))
            keeping.append(run_child(one))
        many = Path(tmp) / "many"
        write_copies(pages, args.copies, many)
        second = run_child(many)
    for label, figures in ((f"1x ({len(pages)})", first), (f"{args.copies}x", second)):
        print(
            f"whole import {label:>9}: {figures['pages_per_second']:7.1f} pages/s "
            f"({figures['pages']} pages in {figures['seconds']:.2f} s, "
            f"{figures['pages_per_second'] / bare_rate:.2f}x the bare parse rate); "
            f"peak RSS main {figures['main_peak_rss_kb'] / 1024:.0f} MB, "
            f"per worker {figures['worker_peak_rss_kb'] / 1024:.0f} MB, "
            f"all {figures['total_peak_rss_kb'] / 1024:.0f} MB"
        )
        print(f"    {figures['summary']}")
        for line in figures["failures"]:
            print(f"    failed: {line}")
    if without:
        # Per page, against the runs keeping versions just before and just after: the first
        # run of a session is often the slowest, which would flatter the comparison.
        costs = []
        for i, bare_import in enumerate(without):
            around = (_per_page(keeping[i]) + _per_page(keeping[i + 1])) / 2
            costs.append(around / _per_page(bare_import) - 1)
            print(
                f"without keeping source versions: {bare_import['pages_per_second']:7.1f} "
                f"pages/s ({bare_import['seconds']:.2f} s; with them, before and after: "
                f"{keeping[i]['seconds']:.2f} s, {keeping[i + 1]['seconds']:.2f} s): "
                f"keeping them costs {costs[-1]:+.1%}"
            )
        print(
            f"keeping source versions costs {statistics.median(costs):+.1%} of the import "
            f"time, the median of {len(costs)} pair(s) (target: at most +10 %)"
        )
    growth = second["total_peak_rss_kb"] / max(first["total_peak_rss_kb"], 1)
    print(f"peak memory with {args.copies}x the pages: {growth:.2f}x")


if __name__ == "__main__":
    main()
