"""What the browser tests share besides fixtures: the marks every test module carries, the
phone viewport, and axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE.read_text(encoding="utf-8") if AXE.exists() else ""
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# axe-core impacts that fail a test; "moderate" and "minor" are reported by axe only.
FAILING_IMPACTS = {"serious", "critical"}

# Every browser test module sets ``pytestmark = BROWSER``.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.skipif(
        not AXE_SOURCE, reason=f"{AXE} is missing: `make test` installs it with npm"
    ),
    # The corpus is committed once for the package (conftest.live_site); what a test writes
    # through the ORM is rolled back after it.
    pytest.mark.django_db,
]


def screenshot(target, name: str) -> bytes:
    """A PNG of a page or an element. Written to ``$SCREENSHOT_DIR/<name>.png`` only when
    SCREENSHOT_DIR is set (the README's pictures: ``SCREENSHOT_DIR=docs/screenshots``), so a
    test run never rewrites tracked files."""
    png = target.screenshot()
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.png").write_bytes(png)
    return png


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each.

    The script is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not govern, so the check works under the strict policy."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} ({', '.join(v['targets'])})"
        for v in results
        if v["impact"] in FAILING_IMPACTS
    ]
