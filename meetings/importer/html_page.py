"""Extraction from kremlin.ru HTML: event pages (live or mirrored), print versions and
supplement pages. Only the article region is parsed (with lxml), never the whole page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from .blocks import PLAIN_LABEL, Block, PersonLink, classify_line, split_note
from .records import ParseError
from .text import clean

_ARTICLE_START = re.compile(r"<article\b", re.I)
_ARTICLE_END = re.compile(r"</article\s*>", re.I)
_TITLE_START = re.compile(r"<h1\b[^>]*\bentry-title\b", re.I)
_BODY_END = re.compile(r"</body\s*>", re.I)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=[\"']?([a-zA-Z-]+)", re.I)
_META_LANG = re.compile(r"<meta\s+itemprop=[\"']inLanguage[\"']\s+content=[\"']([a-zA-Z-]+)", re.I)
_OG_URL = re.compile(r"<meta\s+property=[\"']og:url[\"']\s+content=[\"']([^\"']+)", re.I)
_DATA_HREF = re.compile(r"<div\s+class=[\"']read[\"'][^>]*?data-href=[\"']([^\"']+)", re.I)
PERSON_HREF = re.compile(r"/catalog/persons/(\d+)")
COUNTRY_HREF = re.compile(r"/catalog/countries/([A-Za-z]{2})(?:/|\.html|$)")
SUPPLEMENT_HREF = re.compile(r"/supplement/(\d+)")
EVENT_HREF = re.compile(r"/events/president/(?:news|transcripts)/(\d+)(?:[/.?#]|$)")
_SKIP_CLASSES = ("slider", "media", "read__cut", "read__bottommeta", "read__tags", "masha-ignore")
BREAK = "\u2028"  # a <br>, kept apart from source newlines (which are only whitespace)
_SKIP_TAGS = {"script", "style", "blockquote", "figure", "video", "noscript", "img", "meta"}


@dataclass
class Seg:
    text: str
    bold: bool = False
    italic: bool = False
    link: PersonLink | None = None


@dataclass
class HtmlPage:
    """Everything read from the article region of a page, still as printed."""

    url_hints: list[str]
    language: str
    article_id: str = ""
    title: str = ""
    date: dt.date | None = None
    time: dt.time | None = None
    place: str = ""
    lead: str = ""
    blocks: list[Block] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)  # (code, printed name)
    persons: list[tuple[int, str]] = field(default_factory=list)  # (id, printed name)
    related: list[tuple[str, str]] = field(default_factory=list)  # (href, title) read__cut
    links: list[str] = field(default_factory=list)  # every href in the article
    has_tags: bool = False
    announcement: bool = False  # "Announcement, October 24, 2017": an event yet to happen
    person_links: list[PersonLink] = field(default_factory=list)  # in body and lead


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<") and ("<html" in head or "<!doctype" in head or "<article" in text)


# The deepest real article nests 11 elements; lxml (libxml2) silently drops what lies deeper
# than 256, so a deeper page is refused rather than imported with turns missing.
MAX_DEPTH = 100
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)\b[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
_VOID |= {"source", "track", "wbr"}


def nesting_depth(html: str, limit: int = MAX_DEPTH) -> int:
    """How deep elements nest in ``html`` (stops counting once past ``limit``)."""
    depth = deepest = 0
    for tag in _TAG.finditer(html):
        if tag.group(3) or tag.group(2).lower() in _VOID:
            continue
        if tag.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def read_html(text: str, source: str) -> HtmlPage:
    start, end = _region(text, f"{source}: " if source else "")
    if nesting_depth(text[start:end]) > MAX_DEPTH:
        raise ParseError(
            f"{source + ': ' if source else ''}page too deeply nested "
            f"(elements more than {MAX_DEPTH} deep)"
        )
    head = text[:start]
    hints = [m.group(1) for m in (_DATA_HREF.search(head), _OG_URL.search(head)) if m]
    language = _first(_META_LANG.search(head), _HTML_LANG.search(head))
    root = lxml.html.fragment_fromstring(text[start:end], create_parent="div")
    if root.tag == "div" and len(root) == 1 and root[0].tag == "article":
        root = root[0]
    page = HtmlPage(url_hints=hints, language=language, article_id=root.get("id", ""))
    page.announcement = "announce" in (root.get("class") or "").split() or bool(
        root.find_class("announce_date")
    )
    _read_top(root, page)
    _read_tags(root, page)
    _read_related(root, page)
    page.links = [a.get("href", "") for a in root.iter("a")]
    body = _by_class(root, "read__internal_content")
    if body is None:
        body = _by_class(root, "entry-content")
    if body is not None:
        page.blocks = list(_body_blocks(body, page))
    return page


def _region(text: str, where: str) -> tuple[int, int]:
    """The article element; failing that (a page laid out without one), everything from the
    title to the end of the body. Only this region is parsed."""
    start = _ARTICLE_START.search(text)
    if start:
        end = _ARTICLE_END.search(text, start.end())
        if not end:
            raise ParseError(f"{where}truncated HTML: the article has no closing </article>")
        return start.start(), end.end()
    title = _TITLE_START.search(text)
    if not title:
        if "</html>" not in text[-2000:].lower() and "kremlin.ru" in text:
            raise ParseError(f"{where}truncated HTML: the page ends before the article")
        raise ParseError(f"{where}not a kremlin.ru event page: no article or entry title")
    end = _BODY_END.search(text, title.end())
    if not end:
        raise ParseError(f"{where}truncated HTML: the page has no closing </body>")
    return title.start(), end.start()


def _first(*matches: re.Match[str] | None) -> str:
    for m in matches:
        if m:
            return m.group(1).lower()[:2]
    return ""


def _by_class(root: etree._Element, name: str) -> etree._Element | None:
    for el in root.find_class(name):
        return el
    return None


def _has_class(el: etree._Element, names: tuple[str, ...]) -> bool:
    classes = (el.get("class") or "").split()
    return any(n in classes for n in names)


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    raw = "".join(_visible_text(el))
    return "\n".join(line for line in (clean(x) for x in raw.split(BREAK)) if line)


def _visible_text(el: etree._Element):
    if not isinstance(el.tag, str) or _has_class(el, ("read__tooltip",)):
        return
    if el.tag == "br":
        yield BREAK
    if el.text:
        yield el.text
    for child in el:
        yield from _visible_text(child)
        if child.tail:
            yield child.tail


def _read_top(root: etree._Element, page: HtmlPage) -> None:
    page.title = _text(_by_class(root, "entry-title"))
    lead = _by_class(root, "read__lead")
    if lead is not None:
        paras = [_text(p) for p in lead.iter("p")] or [_text(lead)]
        page.lead = "\n".join(p for p in paras if p)
        page.person_links += _links_in(lead)
    published = _by_class(root, "read__published")
    if published is not None:
        page.date = _parse_date(published.get("datetime", ""))
    page.time = _parse_time(_text(_by_class(root, "read__time")))
    page.place = _text(_by_class(root, "read__place"))


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _parse_time(value: str) -> dt.time | None:
    match = re.search(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b", value)
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


def _read_tags(root: etree._Element, page: HtmlPage) -> None:
    tags = _by_class(root, "read__tags")
    if tags is None:
        return
    page.has_tags = True
    for a in tags.iter("a"):
        href = a.get("href", "")
        name = _text(a)
        if m := COUNTRY_HREF.search(href):
            code = m.group(1).upper()
            if all(code != c for c, _ in page.countries):
                page.countries.append((code, name))
        elif m := PERSON_HREF.search(href):
            pid = int(m.group(1))
            if all(pid != p for p, _ in page.persons):
                page.persons.append((pid, name))


def _read_related(root: etree._Element, page: HtmlPage) -> None:
    for cut in root.xpath(".//*[contains(@class, 'read__cut')]"):
        for a in cut.iter("a"):
            page.related.append((a.get("href", ""), _text(a)))


def _links_in(el: etree._Element) -> list[PersonLink]:
    out = []
    for a in el.iter("a"):
        link = _person_link(a)
        if link:
            out.append(link)
    return out


def _person_link(a: etree._Element) -> PersonLink | None:
    match = PERSON_HREF.search(a.get("href", ""))
    if not match:
        return None
    title = a.xpath(".//*[contains(@class, 'tooltip_title')]")
    return PersonLink(_text(a), int(match.group(1)), _text(title[0]) if title else "")


# --- body ----------------------------------------------------------------------------


def _body_blocks(body: etree._Element, page: HtmlPage):
    for el in body:
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        if _has_class(el, _SKIP_CLASSES) or el.get("hidden") is not None:
            continue
        tag = el.tag
        if tag == "p":
            page.person_links += _links_in(el)
            yield from _paragraph_blocks(el)
        elif tag in ("ul", "ol"):
            for li in el.iter("li"):
                text = _text(li)
                if text:
                    yield Block("item", text)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = _text(el)
            if text:
                yield Block("separator" if classify_line(text) == "separator" else "heading", text)
        elif tag in ("div", "section", "span", "center", "font", "table", "tbody", "tr", "td"):
            if el.xpath("./p|./div|./ul|./ol|./table|./tr|./td"):
                yield from _body_blocks(el, page)
            else:
                yield from _paragraph_blocks(el)


def _segments(el: etree._Element) -> list[Seg]:
    out: list[Seg] = []
    _walk(el, False, False, None, out, top=True)
    return out


def _walk(el, bold, italic, link, out, top=False) -> None:
    if not isinstance(el.tag, str):
        return
    if _has_class(el, ("read__tooltip",)):
        title = el.xpath(".//*[contains(@class, 'tooltip_title')]")
        if link is not None and title:
            link.catalog_name = _text(title[0])
        return
    tag = el.tag
    if tag in _SKIP_TAGS:
        return
    if tag in ("b", "strong"):
        bold = True
    elif tag in ("i", "em"):
        italic = True
    elif tag == "a" and PERSON_HREF.search(el.get("href", "")):
        match = PERSON_HREF.search(el.get("href", ""))
        link = PersonLink("", int(match.group(1)))
    elif tag == "br":
        out.append(Seg(BREAK, bold, italic, link))
    if el.text:
        out.append(Seg(el.text, bold, italic, link))
    for child in el:
        _walk(child, bold, italic, link, out)
        if child.tail:
            out.append(Seg(child.tail, bold, italic, link))
    if tag == "a" and link is not None and not link.text:
        link.text = clean("".join(s.text for s in out if s.link is link))


def _paragraph_blocks(el: etree._Element):
    segs = _segments(el)
    text = _join(segs)
    if not text:
        return
    kind = classify_line(text)
    if kind != "para":
        yield Block(kind, text)
        return
    labelled = _split_label(segs)
    if labelled:
        yield labelled
        return
    plain = PLAIN_LABEL.match(text)
    if plain:
        yield Block("para", plain["text"], label=plain["label"], note=plain["note"] or "")
        return
    if all(s.bold or not s.text.strip() for s in segs):
        yield Block("heading", text.rstrip(":").strip())
        return
    if all(s.italic or not s.text.strip() for s in segs) and _heading_like(text):
        yield Block("heading", text)
        return
    yield Block("para", text)


def _heading_like(text: str) -> bool:
    return len(text) < 200 and "\n" not in text and not text.endswith((".", ")", "!", "?", "…"))


def _join(segs: list[Seg]) -> str:
    raw = "".join(s.text for s in segs)
    return "\n".join(line for line in (clean(x) for x in raw.split(BREAK)) if line)


_PLAIN_NOTE = re.compile(r"^\s*\(([^()]{1,60})\)\s*")
_MAX_LABEL_WORDS = 16
_MAX_MARKED_LABEL_WORDS = 40


def _split_label(segs: list[Seg]) -> Block | None:
    """A paragraph that opens with a bold speaker label: "<b>Name</b> (<i>note</i>): text"."""
    content = [s for s in segs if s.text.strip()]
    if not content or not content[0].bold:
        return None
    label: list[str] = []
    notes: list[str] = []
    links: list[PersonLink] = []
    for i, seg in enumerate(segs):
        text = seg.text
        if seg.bold and not seg.italic:
            if seg.link is not None and seg.link not in links:
                links.append(seg.link)
            if ":" in text:
                before, after = text.split(":", 1)
                label.append(before)
                marked = not after.strip() or not seg_bold_after(segs, i)
                rest = [Seg(after), *segs[i + 1 :]]
                return _labelled(label, notes, links, rest, marked=marked)
            label.append(text)
        elif seg.italic:
            if text.rstrip().endswith(":") and label:  # "<b>…</b> <i>(retranslated):</i> …"
                notes.append(text.rstrip()[:-1])
                return _labelled(label, notes, links, segs[i + 1 :], marked=True)
            notes.append(text)
        else:
            stripped = text.strip()
            if not stripped or re.fullmatch(r"[()\s]*", text):
                label.append(" ") if not stripped else None
                continue
            m = re.match(r"^[\s()]*:", text)
            if m:
                rest = [Seg(text[m.end() :]), *segs[i + 1 :]]
                return _labelled(label, notes, links, rest, marked=True)
            m = _PLAIN_NOTE.match(text)
            if m:
                notes.append(m.group(1))
                rest = text[m.end() :]
                if rest.lstrip().startswith(":"):
                    rest = rest.lstrip()[1:]
                    return _labelled(label, notes, links, [Seg(rest), *segs[i + 1 :]])
                if rest.strip():
                    return None
                continue
            return None
    return None


def seg_bold_after(segs: list[Seg], i: int) -> bool:
    """Does bold text go on after the colon in ``segs[i]``: "<b>Note: this is bold</b>"?"""
    after = segs[i].text.split(":", 1)[1]
    return bool(after.strip()) or any(s.bold and s.text.strip() for s in segs[i + 1 : i + 2])


def _labelled(label_parts, notes, links, rest, marked: bool = False) -> Block | None:
    """A speaker label: up to 16 words, or any length up to 40 when the page marks it as a
    label, the bold ending at its colon ("<b>Research Director of the Foundation for
    Development and Support of the Valdai Discussion Club, moderator Fyodor
    Lukyanov</b>: Friends")."""
    label, inner_note = split_note(clean("".join(label_parts)).strip("( "))
    limit = _MAX_MARKED_LABEL_WORDS if marked else _MAX_LABEL_WORDS
    odd = not label or len(label.split()) > limit or label.endswith((".", "!", "?"))
    if odd and not re.search(r"[A-ZА-ЯЁ]\.\s?[A-ZА-ЯЁ][\w-]+$", label):
        return None
    late_note, rest = _note_after_colon(rest)
    note = clean(" ".join(notes)).strip("() ") or inner_note or late_note
    return Block("para", _join(rest), label=label, note=note, links=links)


_LATE_NOTE = re.compile(r"^\s*\(([^()]{1,60})\)\s*:\s*")


def _note_after_colon(rest: list[Seg]) -> tuple[str, list[Seg]]:
    """'<b>Name</b>: <i>(retranslated)</i><b>:</b> text': a note between two colons."""
    head = "".join(s.text for s in rest[:4])
    m = _LATE_NOTE.match(head)
    if not m:
        return "", rest
    consumed = m.end()
    out: list[Seg] = []
    for seg in rest:
        if consumed >= len(seg.text):
            consumed -= len(seg.text)
            continue
        out.append(Seg(seg.text[consumed:], seg.bold, seg.italic, seg.link))
        consumed = 0
    return m.group(1).strip(), out
