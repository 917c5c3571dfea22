"""Decoding and whitespace helpers shared by the page parsers."""

from __future__ import annotations

import codecs
import dataclasses
import html
import re

from bs4.dammit import EncodingDetector

from .records import ParseError

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
# Zero-width characters and soft hyphens vanish; every Unicode space (no-break ones too)
# is whitespace to str.split().
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def decode(data: bytes | str, source: str = "") -> str:
    """Return the page as text, refusing empty, binary or truncated input."""
    return decode_page(data, source)[0]


def decode_page(data: bytes | str, source: str = "") -> tuple[str, list[str]]:
    """The page as text and the warnings decoding it gave.

    A few bytes that are not valid in the page's encoding (a real mirror has such pages)
    become U+FFFD with a warning; empty, binary or truncated input is refused.
    """
    where = f"{source}: " if source else ""
    warnings: list[str] = []
    if isinstance(data, str):
        text = data
    else:
        if not data.strip():
            raise ParseError(f"{where}empty input")
        if b"\x00" in data[:4096]:
            raise ParseError(f"{where}binary data, not a text page")
        encoding = declared_encoding(data) or "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data":
                raise ParseError(f"{where}truncated input: it ends inside a character") from None
            bad = sum(1 for ch in data.decode(encoding, "replace") if ch == "\ufffd")
            bad -= data.decode(encoding, "ignore").count("\ufffd")
            if bad * 200 > len(data):  # more than a stray byte: the wrong encoding
                raise ParseError(
                    f"{where}undecodable text: not valid {encoding} at byte {exc.start}"
                ) from None
            text = data.decode(encoding, "replace")
            warnings.append(
                f"{bad} invalid {encoding} byte sequence(s), first at byte {exc.start}; "
                "replaced with U+FFFD"
            )
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ParseError(f"{where}empty input")
    sample = text[:4096]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) // 100:
        raise ParseError(f"{where}binary data, not a text page")
    return text, warnings


def declared_encoding(data: bytes) -> str | None:
    """The encoding the page declares (an XML declaration or a ``<meta charset>`` near the
    top), as a Python codec name; None when it declares none or one Python does not know.
    Read by bs4's ``EncodingDetector``, the rules browsers follow."""
    name = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def clean(text: str) -> str:
    """Collapse whitespace (non-breaking spaces included) to single spaces and strip."""
    return " ".join(text.translate(_INVISIBLE).split())


def unescape(text: str) -> str:
    """Decode HTML entities in text that was published as plain text."""
    return html.unescape(text) if "&" in text else text


# Control characters other than tab and newline (C0, DEL, C1): no page means them, and one
# of them in a title makes XML output (feeds) impossible to write.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates: in a name or title they reorder what follows
# on screen (a "right-to-left override" spoof); Russian and English text never needs them.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Text that may run over several paragraphs keeps its newlines; short fields are one line.
_LONG_FIELDS = {"text", "lead"}


def strip_unprintable(text: str, *, bidi: bool = True) -> str:
    """``text`` without control characters (tab and newline kept) and, with ``bidi``,
    without bidi embedding/override/isolate controls."""
    text = _UNPRINTABLE.sub("", text)
    return _BIDI.sub("", text) if bidi else text


def clean_record(record):
    """Strip unprintable characters from every string of a parsed record, recursively.

    Runs once on what the parser produced, so no field (title, label, role, alias, document
    title...) can carry a control character into the database, a feed or an export.
    """
    if isinstance(record, str):
        return strip_unprintable(record)
    if isinstance(record, list):
        return [clean_record(item) for item in record]
    if isinstance(record, dict):
        return {clean_record(k): clean_record(v) for k, v in record.items()}
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        for f in dataclasses.fields(record):
            value = getattr(record, f.name)
            if isinstance(value, str):
                setattr(record, f.name, strip_unprintable(value, bidi=f.name not in _LONG_FIELDS))
            elif isinstance(value, (list, dict)) or dataclasses.is_dataclass(value):
                setattr(record, f.name, clean_record(value))
    return record
