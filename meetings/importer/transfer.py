"""Small HTTP helpers of the fetcher (``fetch.py``): which errors mean no network, response
bodies, Retry-After, and cache files written whole."""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import gzip
import os
import socket
import tempfile
import zlib
from pathlib import Path


def unreachable(reason: object) -> bool:
    """No answer is coming: the name does not resolve, or nothing listens or routes there.

    Retrying these only makes an import without network hang for a minute; one clear line
    says more. Timeouts and dropped connections (a busy site) are still retried.
    """
    if isinstance(reason, (socket.gaierror, ConnectionRefusedError)):
        return True
    return isinstance(reason, OSError) and reason.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.ENETDOWN,
    )


def decompress(body: bytes, encoding: str) -> bytes:
    """The body without its Content-Encoding; a corrupt body is an ``OSError`` (retried)."""
    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if encoding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as some send
    except (zlib.error, EOFError) as exc:
        raise OSError(f"could not decode a {encoding} response: {exc}") from exc
    return body


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def write_atomic(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` via a temporary file and a rename, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
