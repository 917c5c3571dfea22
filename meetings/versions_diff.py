"""What changed between two kept versions of a source page, turn by turn, with word marks.

Pure: two versions' ``content`` (see :func:`meetings.importer.versions.normalised`) in,
plain dataclasses out. Turns are matched in order by speaker and text
(:class:`difflib.SequenceMatcher`); inside a run of differing turns, a removed and an
added turn of the same speaker whose words mostly agree are one edited turn, shown with
``<ins>``/``<del>`` marks on the words; the rest are turns added or removed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

SAME, INS, DEL = "same", "ins", "del"
EDITED_AT = 0.5  # a pair of turns whose words agree at least this much is one edited turn
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Piece:
    op: str  # SAME, INS or DEL
    text: str


@dataclass
class TurnChange:
    status: str  # "added", "removed" or "edited"
    speaker: str
    kind: str
    old_position: int | None  # 1-based positions in each version
    new_position: int | None
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class FieldChange:
    name: str  # "title" or "lead"
    pieces: list[Piece]


@dataclass
class VersionDiff:
    fields: list[FieldChange] = field(default_factory=list)
    participants_added: list[str] = field(default_factory=list)
    participants_removed: list[str] = field(default_factory=list)
    turns: list[TurnChange] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        result = {"added": 0, "removed": 0, "edited": 0}
        for turn in self.turns:
            result[turn.status] += 1
        return result

    @property
    def empty(self) -> bool:
        return not (
            self.fields or self.participants_added or self.participants_removed or self.turns
        )


def word_diff(old: str, new: str) -> list[Piece]:
    """``old`` turned into ``new`` as runs of kept, inserted and deleted words."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(pieces, SAME, "".join(a[i1:i2]))
            continue
        if i2 > i1:
            _add(pieces, DEL, "".join(a[i1:i2]))
        if j2 > j1:
            _add(pieces, INS, "".join(b[j1:j2]))
    return pieces


def _add(pieces: list[Piece], op: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].op == op:
        pieces[-1] = Piece(op, pieces[-1].text + text)
    else:
        pieces.append(Piece(op, text))


def _similarity(old: str, new: str) -> float:
    return difflib.SequenceMatcher(
        None, _TOKENS.findall(old), _TOKENS.findall(new), autojunk=False
    ).ratio()


def diff(old: dict[str, Any], new: dict[str, Any]) -> VersionDiff:
    """Everything a reader would notice changed from ``old`` to ``new``."""
    result = VersionDiff()
    for name in ("title", "lead"):
        if old.get(name, "") != new.get(name, ""):
            result.fields.append(FieldChange(name, word_diff(old.get(name, ""), new.get(name, ""))))
    before, after = old.get("participants", []), new.get("participants", [])
    result.participants_removed = [p for p in before if p not in after]
    result.participants_added = [p for p in after if p not in before]
    result.turns = _turns(old.get("turns", []), new.get("turns", []))
    return result


def _key(turn: dict[str, str]) -> tuple[str, str, str]:
    return (turn.get("speaker", ""), turn.get("kind", ""), turn.get("text", ""))


def _turns(old: list[dict], new: list[dict]) -> list[TurnChange]:
    changes: list[TurnChange] = []
    matcher = difflib.SequenceMatcher(
        None, [_key(t) for t in old], [_key(t) for t in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes += _block(old, new, range(i1, i2), range(j1, j2))
    return changes


def _block(old: list[dict], new: list[dict], olds: range, news: range) -> list[TurnChange]:
    """A run of differing turns: edited pairs found in order, the rest added or removed."""
    changes: list[TurnChange] = []
    j = news.start
    for i in olds:
        match = next(
            (
                k
                for k in range(j, news.stop)
                if new[k].get("speaker") == old[i].get("speaker")
                and _similarity(old[i].get("text", ""), new[k].get("text", "")) >= EDITED_AT
            ),
            None,
        )
        if match is None:
            changes.append(_whole("removed", old[i], i + 1, None))
            continue
        changes += [_whole("added", new[k], None, k + 1) for k in range(j, match)]
        changes.append(
            TurnChange(
                "edited",
                new[match].get("speaker", ""),
                new[match].get("kind", ""),
                i + 1,
                match + 1,
                word_diff(old[i].get("text", ""), new[match].get("text", "")),
            )
        )
        j = match + 1
    changes += [_whole("added", new[k], None, k + 1) for k in range(j, news.stop)]
    return changes


def _whole(
    status: str, turn: dict, old_position: int | None, new_position: int | None
) -> TurnChange:
    op = INS if status == "added" else DEL
    return TurnChange(
        status,
        turn.get("speaker", ""),
        turn.get("kind", ""),
        old_position,
        new_position,
        [Piece(op, turn.get("text", ""))],
    )
