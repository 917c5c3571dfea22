"""Fixtures for the end-to-end tests: Debian's Chromium through Playwright, a live server
with the saved kremlin.ru pages imported, and axe-core on every page a test visits.

The package runs in one process from its first module to its last (``make test``'s
``--dist loadfile`` keeps it together, ``tests/conftest.py``), so Chromium starts once, the
corpus is imported once and each page is checked by axe-core once for all the modules.

The corpus (``tests/fixtures/pages/`` and the Russian half of the bilingual pair) is imported
once for the whole browser package, committed so the live server's thread reads it, and
removed again when the package is done: the database is left as the migrations made it for
the tests that follow. Each browser test runs in a transaction that is rolled back, so what
a test writes through the ORM stays its own; the pages themselves are read-only. A test
that needs other data than the corpus belongs outside this package (or imports into a
fresh ``live_server`` of its own with ``transaction=True``), or adds it for one module with
``committed_for_module``: written committed before the module's first test, and the database
put back as it was after its last.

The browser is the system's ``/usr/bin/chromium`` (``playwright install`` downloads are not
used). axe-core comes from the npm registry (``package.json``; ``make test`` installs it into
``node_modules/``). A failing test leaves a full-page screenshot in
``test-results/<test name>.png``.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connection, connections
from django.test.testcases import LiveServerThread
from django.test.utils import modify_settings

from tests.browser.support import CHROMIUM, axe_violations
from tests.databases import restore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# The 59 saved pages, and the Russian page paired with en-51266 for the side-by-side view.
CORPUS = [FIXTURES / "pages", FIXTURES / "pages-bilingual" / "ru-51266.html"]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="package")
def browser():
    # Playwright's sync API runs an event loop in this thread, which makes Django refuse
    # ORM calls here (the import, the checks against the database) although they are still
    # synchronous and safe. Allowed only while the browser runs, not for the other tests or
    # the processes they start.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
        # Database connections opened while Playwright ran belong to its context: close them
        # here, or they outlive it and keep the test database from being dropped.
        connections.close_all()


@pytest.fixture(scope="package")
def live_site(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The base URL of a live server over the corpus, imported once for the package the way
    an operator would (``import_meetings``), and removed after its last test."""
    with django_db_blocker.unblock():
        as_migrated = connection.creation.serialize_db_to_string()
        call_command("import_meetings", *map(str, CORPUS), verbosity=0)
    server = LiveServerThread("localhost", StaticFilesHandler)
    server.daemon = True
    try:
        with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
            server.start()
            server.is_ready.wait()
            if server.error:
                raise server.error
            yield f"http://localhost:{server.port}"
    finally:
        server.terminate()
        with django_db_blocker.unblock():
            restore(as_migrated)


# Which committed data the live server shows: 0 is the corpus alone, and each
# ``committed_for_module`` block gets a number of its own. axe-core's findings are kept by it.
_data_versions = itertools.count(1)
_data_version = 0


@contextmanager
def committed_for_module(django_db_blocker) -> Iterator[None]:
    """For a module-scoped fixture: what is written inside (``import_meetings``, the ORM) is
    committed, so the live server sees it, and undone when the fixture ends (the database as
    it was before, the package's corpus included). Module scope, because a test's own
    transaction is still open while its fixtures end. The pages are checked by axe-core
    afresh while it holds (the data under them changed), and as before once it is undone."""
    global _data_version
    before = _data_version
    with django_db_blocker.unblock():
        saved = connection.creation.serialize_db_to_string()
    try:
        _data_version = next(_data_versions)
        with django_db_blocker.unblock():
            yield
    finally:
        with django_db_blocker.unblock():
            restore(saved)
        _data_version = before


class AxeChecks:
    """axe-core's findings by (committed data, visitor options, address), kept for the
    package: a page loads the same for every test that visits it while the data under it is
    the same (the corpus is read-only, a test's own writes are not committed), so it is
    checked once, as it loads, in each language and window size it is visited in.

    Each visitor's options have one tab of their own, kept open and cleared of cookies before
    each page, so every check is a fresh visitor's first load: a new browser context per page
    cost more than the check itself (a new renderer, the assets and axe-core's script parsed
    again)."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.found: dict[tuple[int, str, str], list[str]] = {}
        self.tabs: dict[str, object] = {}

    def violations(self, options: dict, address: str) -> list[str]:
        visitor = repr(sorted(options.items()))
        key = (_data_version, visitor, address)
        if key not in self.found:
            self.found[key] = self._on_load(visitor, options, address)
        return self.found[key]

    def _on_load(self, visitor: str, options: dict, address: str) -> list[str]:
        """Serious or critical violations on the page as it loads (none for what is not an
        HTML page)."""
        if visitor not in self.tabs:
            context = self.browser.new_context(base_url=self.base_url, **options)
            context.set_default_timeout(10_000)
            self.tabs[visitor] = context.new_page()
        tab = self.tabs[visitor]
        tab.context.clear_cookies()
        response = tab.goto(address)
        content_type = (response.headers.get("content-type", "") if response else "") or ""
        if response is None or not response.ok or not content_type.startswith("text/html"):
            return []
        return [f"{address}: {v}" for v in axe_violations(tab)]

    def close(self) -> None:
        for tab in self.tabs.values():
            tab.context.close()


@pytest.fixture(scope="package")
def axe_checked(browser, live_site) -> Iterator[AxeChecks]:
    checks = AxeChecks(browser, live_site)
    yield checks
    checks.close()


@pytest.fixture
def open_page(browser, live_site, axe_checked, request):
    """``open_page(path, **context_options)``: a fresh visitor's tab on the live site.

    JavaScript errors on any page fail the test, and so does a serious or critical axe-core
    violation on any page the test visited (each address is checked after the test, as it
    loads, in the same language and window size; once per package, see ``AxeChecks``). A
    failing test leaves a screenshot.
    """
    contexts = []
    visited: list[tuple[dict, str]] = []
    errors: list[str] = []
    failed_before = request.session.testsfailed

    def open_(path: str = "/", **options):
        options.setdefault("locale", "en-GB")
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(base_url=live_site, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on(
            "framenavigated",
            lambda frame: visited.append((options, frame.url)) if not frame.parent_frame else None,
        )
        page.goto(path)
        return page

    yield open_

    # The call's report is logged before teardown, so a failure has been counted by now.
    if request.session.testsfailed > failed_before:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for number, context in enumerate(contexts):
            for tab, page in enumerate(context.pages):
                suffix = f"-{number}-{tab}" if len(contexts) > 1 or tab else ""
                page.screenshot(path=RESULTS / f"{name}{suffix}.png", full_page=True)
    else:
        violations = _check_accessibility(live_site, visited, axe_checked)
        assert violations == [], "axe-core: serious or critical violations"
    for context in contexts:
        context.close()
    assert errors == [], "JavaScript errors"


def _check_accessibility(base_url: str, visited, checks: AxeChecks) -> list[str]:
    """Serious or critical axe-core violations on each distinct page visited (HTML pages only,
    in the language and window size they were visited in; JavaScript on, which axe needs,
    even where the test turned it off)."""
    found = []
    seen = set()
    for options, url in visited:
        address = urldefrag(url).url
        options = {k: v for k, v in options.items() if k != "java_script_enabled"}
        key = (repr(sorted(options.items())), address)
        if key in seen or not address.startswith(base_url):
            continue
        seen.add(key)
        found += checks.violations(options, address)
    return found
