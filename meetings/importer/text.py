"""Decoding and whitespace helpers shared by the page parsers."""

from __future__ import annotations

import codecs
import html
import re

from .records import ParseError

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,100}encoding\s*=\s*["']([\w.:-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
# Zero-width characters and soft hyphens vanish; every Unicode space (no-break ones too)
# is whitespace to str.split().
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def decode(data: bytes | str, source: str = "") -> str:
    """Return the page as text, refusing empty, binary or undecodable input."""
    where = f"{source}: " if source else ""
    if isinstance(data, str):
        text = data
    else:
        if not data.strip():
            raise ParseError(f"{where}empty input")
        if b"\x00" in data[:4096]:
            raise ParseError(f"{where}binary data, not a text page")
        encoding = _declared_encoding(data) or "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data":
                raise ParseError(f"{where}truncated input: it ends inside a character") from None
            raise ParseError(
                f"{where}undecodable text: not valid {encoding} at byte {exc.start}"
            ) from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ParseError(f"{where}empty input")
    sample = text[:4096]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) // 100:
        raise ParseError(f"{where}binary data, not a text page")
    return text


def _declared_encoding(data: bytes) -> str | None:
    head = data[:2048]
    match = _XML_ENCODING.search(head) or _DECLARED_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
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
