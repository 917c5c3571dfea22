"""Template helpers for source text: always escaped first, then given structure. Each is a
thin filter over a function below the views (``meetings.search``, ``meetings.web.links``)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from meetings import search
from meetings.web import links

register = template.Library()


@register.filter(needs_autoescape=False)
def highlight(headline: str) -> SafeString:
    """A search snippet: the text escaped, then the hit markers made into ``<mark>``."""
    return search.highlight_html(headline)


@register.filter
def paragraphs(text: str) -> SafeString:
    """Plain text with newline-separated paragraphs as escaped ``<p>`` elements."""
    parts = [part.strip() for part in (text or "").split("\n")]
    return format_html_join("\n", "<p>{}</p>", ((part,) for part in parts if part))


@register.filter
def web_url(url: str) -> str:
    """``url`` if it is an http(s) address, else "" (see ``meetings.web.links``)."""
    return links.web_url(url)
