"""Absolute addresses for many rows at once.

A page of 500 meetings names about 3,000 addresses; ``reverse()`` costs about half a
millisecond each (it walks the URL patterns), which made the serializers the slowest part of
a page. Each route is reversed once per process with stand-in arguments into a template, and
a row's address is that template filled in: the same string ``reverse()`` gives.
"""

from __future__ import annotations

from functools import cache

from django.urls import get_script_prefix, reverse

_INT = "9876543210"
_CODES = ("QZXJ", "JXZQ", "ZQJX")  # letters only: the ``<code:…>`` converter's shape


@cache
def _template(name: str, kinds: str, prefix: str) -> str:
    stand_ins = [f"{_INT}{i}" if kind == "i" else _CODES[i] for i, kind in enumerate(kinds)]
    path = reverse(name, args=stand_ins)
    for i, stand_in in enumerate(stand_ins):
        path = path.replace(stand_in, f"{{{i}}}", 1)
    return path


class Links:
    """``links.url("api:meeting-detail", "en", 51266)``: the absolute address."""

    def __init__(self, request):
        self.base = request.build_absolute_uri("/")[:-1] if request is not None else ""
        self.prefix = get_script_prefix()  # a thread-local read: once, not per address

    def path(self, name: str, *args) -> str:
        kinds = "".join("i" if isinstance(arg, int) else "s" for arg in args)
        return _template(name, kinds, self.prefix).format(*args)

    def url(self, name: str, *args) -> str:
        return self.base + self.path(name, *args)


def links_of(context: dict) -> Links:
    """The request's ``Links``, made once and kept in the serializer context."""
    links = context.get("links")
    if links is None:
        links = context["links"] = Links(context.get("request"))
    return links
