"""Loaded by pytest before Django (``-p tests.pytest_env`` in pyproject.toml).

The test run is a development run: settings with DEBUG off would demand a real SECRET_KEY.
Tests about production settings start their own process with their own environment.
"""

import os

os.environ.setdefault("DEBUG", "1")
