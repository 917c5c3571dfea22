"""Links taken from source pages, made safe to print."""

from __future__ import annotations


def web_url(url: str) -> str:
    """``url`` if it is an http(s) address, else "": a link taken from a source page never
    becomes ``javascript:`` or ``data:`` in ours."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""
