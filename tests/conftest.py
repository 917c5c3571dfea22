"""Fixtures shared across test modules, kept in modules of their own and registered here.

``tests/fake_site.py``: a scriptable local kremlin.ru, a fake clock and the no-internet
guard, for the fetcher and the listing crawler.
"""

import pytest
from django.db import connection
from pytest_django.plugin import blocking_manager_key

from tests.databases import restore

pytest_plugins = ["tests.fake_site"]


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
