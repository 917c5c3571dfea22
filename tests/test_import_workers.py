"""The import survives its workers, and its workers do not survive the import.

Real processes and real signals: a worker killed with SIGKILL (as an OOM kill or a segfault in
lxml would end it), a worker that dies or hangs on one page, and an import process killed
with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from meetings.importer import run
from tests.test_import import PAGES, copy_pages

pytestmark = pytest.mark.slow  # real processes killed with real signals


@pytest.mark.slow
def test_a_worker_killed_with_sigkill_fails_only_its_page(tmp_path):
    from tests.crashing_parser import parse_or_sigkill

    names = sorted(p.name for p in PAGES.glob("en-6*.html"))
    folder = copy_pages(tmp_path, *names)
    paths = [str(folder / name) for name in names]
    assert len(paths) >= run.PARALLEL_FROM  # parsed in workers
    results = list(run.parse_in_order(paths, workers=2, parse=parse_or_sigkill))
    assert [r.source for r in results] == paths  # the run went on, every page once, in order
    assert [(r.source, r.error) for r in results if r.error] == [
        (str(folder / "en-62562.html"), "the parser process died on this page")
    ]


def test_a_page_whose_worker_was_killed_once_is_read_again(tmp_path):
    from tests.crashing_parser import parse_or_sigkill_once

    names = sorted(p.name for p in PAGES.glob("en-6*.html"))
    folder = copy_pages(tmp_path, *names)
    paths = [str(folder / name) for name in names]
    results = list(run.parse_in_order(paths, workers=2, parse=parse_or_sigkill_once))
    assert (folder / "en-62562.killed").exists()  # its worker was killed
    assert [r.source for r in results] == paths
    assert [r.error for r in results if r.error] == []  # and the page read by another
    assert next(r for r in results if r.source.endswith("en-62562.html")).record is not None


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            kids.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for kid in kids.get(todo.pop(), []):
            found.add(kid)
            todo.append(kid)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.slow
def test_killing_the_import_ends_its_workers(tmp_path):
    names = sorted(p.name for p in PAGES.glob("en-6*.html"))
    folder = copy_pages(tmp_path, *names)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parents[1])!r})
        import django
        django.setup()
        from meetings.importer import run
        from tests.crashing_parser import parse_slowly
        paths = {[str(folder / n) for n in names]!r}
        for result in run.parse_in_order(paths, workers=2, parse=parse_slowly):
            pass
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kremlin_meetings.settings"}
    main = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while len(workers) < 3 and time.monotonic() < deadline:  # forkserver + 2 workers
            time.sleep(0.2)
            workers = _children(main.pid)
        assert len(workers) >= 3, "the workers did not start"
        os.kill(main.pid, signal.SIGKILL)
        main.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if main.poll() is None:
            main.kill()
        for pid in _children(main.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_page_that_kills_its_worker_fails_alone(tmp_path):
    from tests.crashing_parser import parse_or_die

    names = sorted(p.name for p in PAGES.glob("en-6*.html"))
    folder = copy_pages(tmp_path, *names)
    paths = [str(folder / name) for name in names]
    assert len(paths) >= run.PARALLEL_FROM  # in workers: in-process it would end the tests
    results = list(run.parse_in_order(paths, workers=2, parse=parse_or_die))
    assert [r.source for r in results] == paths  # in order, every page once
    failed = [r for r in results if r.error]
    assert [(r.source, r.error) for r in failed] == [
        (str(folder / "en-62562.html"), "the parser process died on this page")
    ]
    assert all(r.record is not None for r in results if not r.error)


@pytest.mark.slow
def test_a_page_that_hangs_its_worker_times_out_alone(tmp_path):
    from tests.crashing_parser import parse_with_short_timeout

    names = sorted(p.name for p in PAGES.glob("en-6*.html"))
    folder = copy_pages(tmp_path, *names)
    stuck = tmp_path / "stuck.html"
    os.mkfifo(stuck)  # opening it blocks forever: nobody writes
    paths = [str(folder / name) for name in names]
    paths.insert(len(paths) // 2, str(stuck))
    results = list(run.parse_in_order(paths, workers=2, parse=parse_with_short_timeout))
    assert [r.source for r in results] == paths
    assert [(r.source, r.error) for r in results if r.error] == [
        (str(stuck), "parsing took longer than 1 s; gave up")
    ]
