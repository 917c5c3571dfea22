"""Fixtures shared across test modules, kept in modules of their own and registered here.

``tests/fake_site.py``: a scriptable local kremlin.ru, a fake clock and the no-internet
guard, for the fetcher and the listing crawler.
"""

pytest_plugins = ["tests.fake_site"]
