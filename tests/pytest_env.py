"""Loaded by pytest before Django (``-p tests.pytest_env`` in pyproject.toml).

The test run is a development run: settings with DEBUG off would demand a real SECRET_KEY.
Tests about production settings start their own process with their own environment.
"""

import os

os.environ.setdefault("DEBUG", "1")

# Imports regenerate the bulk downloads (meetings/downloads.py): into a throwaway directory.
# Each worker of a parallel run (``pytest -n``, README "Tests") writes into its own.
if "DATA_DIR" not in os.environ:
    import tempfile

    os.environ["DATA_DIR"] = os.environ["KM_TEST_DATA_DIR"] = tempfile.mkdtemp(
        prefix="km-test-data-"
    )
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ["DATA_DIR"] == os.environ.get(
    "KM_TEST_DATA_DIR"
):
    os.environ["DATA_DIR"] = os.path.join(os.environ["DATA_DIR"], os.environ["PYTEST_XDIST_WORKER"])
    os.makedirs(os.environ["DATA_DIR"], exist_ok=True)
# Admin saves refresh the kept counts before returning: a thread outside the test's
# transaction would wait on its locks (tests/test_admin_save_speed.py turns it on).
os.environ.setdefault("AGGREGATES_REFRESH_IN_BACKGROUND", "0")
