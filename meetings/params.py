"""Reading request input safely: what a view reads from the URL is checked here first.

``str.isdigit()`` is true for "²" and "٣", which ``int()`` then refuses or reads as a digit
from another script; PostgreSQL refuses a NUL in any string; control characters have no
place in a query or a path. Views and feeds read parameters through these helpers, and the
path converters registered below keep such segments from reaching a view at all (a 404).
"""

from __future__ import annotations

import re

from django.urls import register_converter

# ASCII digits only: re's \d would accept every script's digits.
_ASCII_DIGITS = re.compile(r"[0-9]+")
# C0 and C1 controls and DEL; tab, newline and carriage return are allowed in free text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Any surrogate left over from a percent-decoded byte that was not UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")

# Larger than any id the site stores (PostgreSQL bigint) but small enough to compare cheaply.
MAX_INT_DIGITS = 18


def ascii_int(value: str | None, *, max_digits: int = MAX_INT_DIGITS) -> int | None:
    """The whole number ``value`` spells in ASCII digits, or None."""
    if value is None or len(value) > max_digits or not _ASCII_DIGITS.fullmatch(value):
        return None
    return int(value)


def has_control(value: str) -> bool:
    """Whether ``value`` holds a control character (other than tab and newlines) or a
    surrogate: such text can only be an attack or a mangled link."""
    return bool(_CONTROL.search(value) or _SURROGATE.search(value))


def clean_text(value: str | None, *, max_length: int | None = None) -> str:
    """Free text from a query string with control characters and surrogates removed."""
    text = _SURROGATE.sub("", _CONTROL.sub("", value or ""))
    return text[:max_length] if max_length is not None else text


class AsciiIntConverter:
    """``<int:…>`` without the surprises: ASCII digits, at most MAX_INT_DIGITS of them, so
    a path id never overflows the database's integer columns (the API's ``<id:…>``)."""

    regex = f"[0-9]{{1,{MAX_INT_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


class SegmentConverter:
    """``<str:…>`` for a printable segment: no slash, no control character."""

    regex = r"[^/\x00-\x1f\x7f-\x9f]+"

    def to_python(self, value: str) -> str:
        if has_control(value):
            raise ValueError("control character in a path segment")
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter:
    """A country or language code: ASCII letters (ISO 3166 alpha-2 and kremlin.ru's own)."""

    regex = "[A-Za-z]{2,8}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def register() -> None:
    register_converter(AsciiIntConverter, "id")
    register_converter(SegmentConverter, "segment")
    register_converter(CodeConverter, "code")
