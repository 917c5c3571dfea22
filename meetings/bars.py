"""The one bar scheme of the site: a bar's width as a CSS class in steps of 5 per cent
(``bar--w0`` .. ``bar--w100`` in static/css), so no inline style is needed under the CSP.
Timelines, share of voice and the search overview all draw their bars with it."""

from __future__ import annotations

BAR_STEP = 5


def bar_width(n: int, largest: int) -> int:
    """``n`` as a share of ``largest`` in steps of 5; anything above nothing shows a step."""
    percent = round(100 * n / largest / BAR_STEP) * BAR_STEP if largest else 0
    return max(percent, BAR_STEP if n else 0)


def bar_class(n: int, largest: int) -> str:
    return f"bar--w{bar_width(n, largest)}"
