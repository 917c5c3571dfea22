"""Fixtures shared across test modules, kept in modules of their own and registered here.

``tests/fake_site.py``: a scriptable local kremlin.ru, a fake clock and the no-internet
guard, for the fetcher and the listing crawler.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import override_settings
from pytest_django.plugin import blocking_manager_key
from xdist.scheduler import LoadFileScheduling

from tests.databases import restore

pytest_plugins = ["tests.fake_site"]

BROWSER_PACKAGE = "tests/browser/"


class LoadFileBrowserTogether(LoadFileScheduling):
    """``--dist loadfile``, with the browser package as one unit: its modules run one after
    the other in one process, which imports the corpus, starts Chromium and checks each page
    with axe-core once for all of them. Spread over the processes between other modules, the
    package's fixtures were torn down and built again each time it resumed (seven corpus
    imports and many pages checked two or three times in a run). Units go out largest first,
    so the package starts early and the other process takes most of the rest."""

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.startswith(BROWSER_PACKAGE):
            return BROWSER_PACKAGE
        return super()._split_scope(nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return LoadFileBrowserTogether(config, log)
    return None


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Passwords hashed with MD5 in the tests (Django's testing advice): the production
    hasher's million rounds of PBKDF2 cost a quarter of a second a hash, and the admin tests
    hash one for every signed-in editor and every login tried. The processes a test starts
    (gunicorn, ``manage.py``) keep the production settings: a user who signs in there is
    made under ``production_password_hasher``."""
    _production_hashers.extend(settings.PASSWORD_HASHERS)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


_production_hashers: list[str] = []


@pytest.fixture
def production_password_hasher():
    """The settings' password hashers, for a user who signs in to a process the test starts."""
    with override_settings(PASSWORD_HASHERS=_production_hashers):
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, the database as the migrations left it.

    Django ends such a test with a flush (its ``serialized_rollback`` restores the data only
    when the *next* such test starts), and counts on running those tests last. With the tests
    spread over processes (``pytest -n``) a module of ordinary tests may follow one on the
    same worker and would find no countries: so the migrated data is put back at once.
    """
    result = yield
    marker = item.get_closest_marker("django_db")
    if nextitem is not None and marker is not None and marker.kwargs.get("transaction"):
        with item.config.stash[blocking_manager_key].unblock():
            restore(connection._test_serialized_contents)
    return result
