"""The layout's rules that no linter keeps (README "Layout"): no module outside the
migrations over 500 lines, so each stays one concern a newcomer can read through."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 500
MODULES = sorted(
    path
    for package in ("meetings", "kremlin_meetings", "tests")
    for path in (ROOT / package).rglob("*.py")
    if "migrations" not in path.parts
)


def test_the_modules_are_found():
    assert ROOT / "meetings" / "importer" / "parse.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_over_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= LIMIT, f"{path.relative_to(ROOT)}: {lines} lines; split it by concern"
