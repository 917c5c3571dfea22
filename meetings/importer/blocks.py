"""The page body as a flat list of blocks, the common ground of the HTML and text parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SEPARATOR = re.compile(r"^[*\s]*\*\s*\*\s*\*[*\s]*$")
OMISSION = re.compile(r"^[<\[(]\s*(?:…|\.\.\.)\s*[>\])]$")
# A label printed without bold (early pages): only the unmistakable forms, "В.Путин:",
# "К.-Ж.Токаев:", "Вопрос:", never an arbitrary "Word Word:" that prose could produce.
PLAIN_LABEL = re.compile(
    r"^(?P<label>(?:[A-ZА-ЯЁ]\.\s?(?:-\s?[A-ZА-ЯЁ]\.\s?)?)+\s?[A-ZА-ЯЁ][\w’'-]+"
    r"|(?i:вопрос|реплика|question|remark))"
    r"(?:\s*\((?P<note>[^()]{1,40})\))?\s*:\s+(?P<text>.+)$",
    re.S,
)
# Translation and delivery notes that follow a label: "(retranslated)", "(как переведено)".
NOTE = re.compile(r"\(\s*([^()]{1,60})\s*\)\s*$")


@dataclass
class PersonLink:
    """A link to /catalog/persons/<id>/ inside a paragraph."""

    text: str  # link text as printed, tooltip left out: "Hugo Chavez"
    kremlin_id: int | None = None
    catalog_name: str = ""  # the tooltip's catalogue form, surname first: "Chavez Hugo"


@dataclass
class Block:
    kind: str  # "para" | "heading" | "separator" | "omission" | "item"
    text: str = ""
    label: str = ""  # speaker label as printed, no colon or note
    note: str = ""  # translation note after the label, without brackets
    links: list[PersonLink] = field(default_factory=list)  # person links in the label


def classify_line(text: str) -> str:
    """Kind of a whole unlabelled line: separator, omission or ordinary paragraph."""
    if SEPARATOR.match(text):
        return "separator"
    if OMISSION.match(text):
        return "omission"
    return "para"


def split_note(label: str) -> tuple[str, str]:
    """("Question (retranslated)") -> ("Question", "retranslated")."""
    match = NOTE.search(label)
    if not match or match.start() == 0:
        return label.strip(), ""
    return label[: match.start()].strip(), match.group(1).strip()
