"""Template helpers for source text: always escaped first, then given structure."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# SearchHeadline's markers around a hit: private-use characters that escaping leaves alone
# and that kremlin.ru text does not contain; turned into <mark> only after escaping.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"


@register.filter(needs_autoescape=False)
def highlight(headline: str) -> SafeString:
    """A search snippet: the text escaped, then the hit markers made into ``<mark>``."""
    escaped = conditional_escape(headline or "")
    marked = escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    # Unbalanced markers (a fragment cut inside a hit) cannot open an element for good:
    # every <mark> opened without its closing one is closed at the end.
    marked += "</mark>" * (marked.count("<mark>") - marked.count("</mark>"))
    return mark_safe(marked)  # noqa: S308 - built from escaped text and our own two tags


@register.filter
def paragraphs(text: str) -> SafeString:
    """Plain text with newline-separated paragraphs as escaped ``<p>`` elements."""
    parts = [part.strip() for part in (text or "").split("\n")]
    return format_html_join("\n", "<p>{}</p>", ((part,) for part in parts if part))


@register.filter
def percent_of(value: int, total: int) -> int:
    """``value`` as a whole percentage of ``total`` (bar widths)."""
    return round(100 * value / total) if total else 0


@register.filter
def web_url(url: str) -> str:
    """``url`` if it is an http(s) address, else "": a link taken from a source page never
    becomes ``javascript:`` or ``data:`` in ours."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""
