"""Our templates keep a strict Content-Security-Policy possible: no inline script or style.

The policy itself is sent by the middleware (test_middleware.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def test_no_template_of_mine_has_inline_script_or_style():
    # base.html, the error pages and the switcher; other templates are checked by theirs.
    for name in ("base.html", "404.html", "500.html", "503.html"):
        text = (BASE_DIR / "templates" / name).read_text()
        assert "style=" not in text, name
        assert "<style" not in text, name
        for tag in text.split("<script")[1:]:
            assert "src=" in tag.split(">", 1)[0], name
    switcher = (BASE_DIR / "templates" / "includes" / "language_switcher.html").read_text()
    assert "style=" not in switcher and "<script" not in switcher
