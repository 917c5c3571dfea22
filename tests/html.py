"""Reading a page the way a browser would, for assertions on elements rather than on
substrings of the markup ("3 meetings" is a substring of "13 meetings").

``assertContains(response, "<label ...>...</label>", html=True)`` (pytest_django.asserts)
compares whole elements; the selectors here answer "which elements, with what text".
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from django.http import HttpResponse


def page(response: HttpResponse) -> BeautifulSoup:
    """The response's HTML, parsed (it must be a 200 or an error page with a body)."""
    return BeautifulSoup(response.content, "lxml")


def select(response: HttpResponse, selector: str) -> list[Tag]:
    """Every element matching the CSS selector."""
    return page(response).select(selector)


def one(response: HttpResponse, selector: str) -> Tag:
    """The one element matching the selector; fails when there is none or more than one."""
    found = select(response, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def text(element: Tag | BeautifulSoup) -> str:
    """An element's text as a reader sees it: whitespace runs collapsed, ends trimmed."""
    return " ".join(element.get_text().split())


def texts(response: HttpResponse, selector: str) -> list[str]:
    """The text of every element matching the selector, in document order."""
    return [text(element) for element in select(response, selector)]


def hrefs(response: HttpResponse, selector: str = "a") -> list[str]:
    """The href of every matching element, in document order."""
    return [str(element["href"]) for element in select(response, selector)]
