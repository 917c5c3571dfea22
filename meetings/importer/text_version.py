"""The site's text version (/events/president/news/copy/<id>): plain lines, no markup."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .blocks import Block, classify_line, split_note
from .records import ParseError
from .text import clean, unescape

COPY_URL = re.compile(
    r"https?://(en\.)?kremlin\.ru/events/president/(?:news|transcripts)/copy/(\d+)"
)
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?$")
_ANON = r"Вопрос|Реплика|Ответ|Question|Remark|Answer"
_WORD = r"[A-ZА-ЯЁ][\w’'.-]*"
_LABEL = re.compile(
    r"^(?P<label>(?:[A-ZА-ЯЁ]\.\s?(?:-\s?[A-ZА-ЯЁ]\.\s?)?)+\s?[A-ZА-ЯЁ][\w’'-]+"
    rf"|(?:{_ANON})|{_WORD}(?:\s+(?:of|the|de|da|bin|al|and|и|{_WORD})){{1,10}})"
    r"(?:\s*\((?P<note>[^()]{1,40})\))?\s*:\s+(?P<text>.+)$"
)


@dataclass
class TextPage:
    kremlin_id: int
    language: str
    title: str
    date: dt.date
    time: dt.time | None
    place: str = ""
    lead: str = ""
    blocks: list[Block] = field(default_factory=list)


_HEADER = re.compile(r"\A\s*[^<\n][^\n]*\n(?:[^\n]*\n){0,6}?\s*\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}")


def looks_like_text_version(text: str) -> bool:
    """The text version: a title, a "YYYY-MM-DD HH:MM:SS" line (and a copy URL last)."""
    if text.lstrip().startswith("<"):
        return False
    return bool(COPY_URL.search(text.rstrip()[-300:]) or _HEADER.match(text[:2000]))


def read_text_version(text: str, source: str) -> TextPage:
    where = f"{source}: " if source else ""
    lines = [unescape(line) for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    url = COPY_URL.search(lines[-1]) if lines else None
    if not url:
        raise ParseError(f"{where}truncated text version: the source URL line is missing")
    lines.pop()
    paragraphs = _header_paragraphs(lines)
    date_at = next((i for i, (p, _) in enumerate(paragraphs) if _DATETIME.match(p)), None)
    if date_at is None or date_at == 0:
        raise ParseError(f"{where}not a kremlin.ru text version: no title and date lines")
    m = _DATETIME.match(paragraphs[date_at][0])
    date = dt.date.fromisoformat(m.group(1))
    time = dt.time(int(m.group(2)), int(m.group(3))) if m.group(2) else None
    title = " ".join(p for p, _ in paragraphs[:date_at])
    rest = paragraphs[date_at + 1 :]
    place = ""
    if rest and len(rest[0][0]) < 120 and not rest[0][0].endswith((".", "!", "?")):
        place = rest.pop(0)[0]
    lead = rest.pop(0)[0] if rest and not _is_body_start(rest[0][0]) else ""
    body_lines = [line for _, start in rest[:1] for line in _lines_from(lines, start)]
    page = TextPage(int(url.group(2)), "en" if url.group(1) else "ru", title, date, time)
    page.place, page.lead = place, lead
    page.blocks = _blocks(body_lines)
    if not page.blocks and not page.lead:
        raise ParseError(f"{where}truncated text version: no text after the header")
    return page


def _header_paragraphs(lines: list[str]) -> list[tuple[str, int]]:
    """Blank-line separated paragraphs with the line each starts on."""
    out: list[tuple[str, int]] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate(lines):
        if line.strip():
            if not current:
                start = i
            current.append(clean(line))
        elif current:
            out.append((" ".join(current), start))
            current = []
    if current:
        out.append((" ".join(current), start))
    return out


def _lines_from(lines: list[str], start: int) -> list[str]:
    return [clean(line) for line in lines[start:] if line.strip()]


def _is_body_start(text: str) -> bool:
    return classify_line(text) != "para" or bool(_LABEL.match(text))


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    after_separator = False
    for line in lines:
        kind = classify_line(line)
        if kind != "para":
            blocks.append(Block(kind, line))
            after_separator = kind == "separator"
            continue
        m = _LABEL.match(line)
        if m:
            label, note = split_note(m.group("label"))
            blocks.append(Block("para", m.group("text"), label=label, note=m.group("note") or note))
        elif after_separator and len(line) < 200 and not line.endswith((".", "!", "?", "…", ":")):
            blocks.append(Block("heading", line))
        else:
            blocks.append(Block("para", line))
        after_separator = False
    return blocks
