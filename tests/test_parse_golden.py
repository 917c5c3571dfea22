"""Every saved page parses to exactly its reviewed golden JSON (regenerate: make golden)."""

from __future__ import annotations

import json

import pytest

from tests.golden import expected_path, page_files, render

PAGES = page_files()


def test_fixture_set_is_large_and_varied():
    names = [p.name for p in PAGES]
    assert len(names) >= 45
    assert sum(n.startswith("en-print-") for n in names) == 3
    assert "ru-copy-677488171.txt" in names


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_matches_golden(page):
    expected = expected_path(page)
    assert expected.exists(), f"no golden file for {page.name}: run make golden and review it"
    got = render(page)
    want = expected.read_text(encoding="utf-8")
    if got != want:  # compare as data so pytest shows which field moved
        assert json.loads(got) == json.loads(want)
    assert got == want
