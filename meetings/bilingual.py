"""The two language versions of one event, turn by turn.

kremlin.ru and en.kremlin.ru publish the same event under the same id, but the two
transcripts need not have the same turns: a short exchange is left out of one, a turn is
split in two, a retranslated remark appears only in English. So the versions are aligned,
not zipped: a Needleman–Wunsch global alignment over the sequence of speakers, where

- the same person is a strong match: the same participant (people resolution gives one
  participant across both languages), or, where the versions still hold two participants
  or two printed labels for one person, the keys a first pass pairs most often;
- the same kind of unlabelled or anonymous item (a question, a remark, a narrative
  paragraph, an omission) is a good match;
- a speaker nothing is known of is a weak match (the labels are in different languages, so
  they cannot be compared as printed);
- two people known to be different never match: a gap costs less;
- among equal choices, turns of similar length win (a translation keeps a turn's length
  roughly; the ratio of the shorter to the longer adds a little to a match).

Pure: plain values in, plain values out, no database. The search is banded around the
diagonal, so a news conference of a thousand turns costs a few hundred thousand cells, not
a million.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

SAME_PERSON = 4.0
SAME_KIND = 3.0
MAYBE_SAME = 1.0  # unresolved on at least one side: plausible, never certain
DIFFERENT = -4.0  # two known different people: two gaps (-2) are cheaper
GAP = -1.0
LENGTH_WEIGHT = 1.0  # at most this much added for equal lengths
BAND = 40  # cells either side of the diagonal, beyond the difference in turn counts

NEG = float("-inf")


@dataclass(frozen=True)
class Turn:
    """What the alignment knows of one item of a transcript.

    ``speaker`` identifies who spoke within the version (a participant id, or the label as
    printed when unresolved; None when nobody speaks); ``kind`` is the utterance kind
    ("speech", "question", "narrative", "omission"); ``length`` the text's length."""

    speaker: Hashable | None
    kind: str
    length: int = 0


@dataclass(frozen=True)
class Pair(Generic[T]):
    """One row of the side-by-side view: an item of each version, or None for a gap."""

    left: T | None
    right: T | None

    @property
    def is_gap(self) -> bool:
        return self.left is None or self.right is None


class Speakers:
    """Who is who across the two versions.

    A speaker key found in both versions (one participant across languages) is the same
    person on both sides. The others (a Russian participant apart from its English twin, a
    label printed in one language) are learnt from a first alignment: the keys that most
    often face each other are taken to be one person."""

    def __init__(self, same: dict[Hashable, Hashable]):
        self.same = same
        self.known_left = set(same)
        self.known_right = set(same.values())

    def relation(self, a: Hashable | None, b: Hashable | None) -> bool | None:
        """True for one person, False for two, None when nothing says."""
        if a is None or b is None:
            return None
        if self.same.get(a) == b:
            return True
        if a in self.known_left or b in self.known_right:
            return False
        return None


def match_score(a: Turn, b: Turn, speakers: Speakers) -> float:
    """How well two items correspond; below 2 * GAP means "rather leave both unmatched"."""
    if a.kind != b.kind:
        # A question against a speech, a narrative paragraph against a turn: different
        # things, whoever said them.
        return DIFFERENT
    if a.kind == "speech" or (a.speaker is not None and b.speaker is not None):
        same = speakers.relation(a.speaker, b.speaker)
        if same is False:
            return DIFFERENT
        base = SAME_PERSON if same else MAYBE_SAME
    else:
        base = SAME_KIND
    longer = max(a.length, b.length)
    similarity = min(a.length, b.length) / longer if longer else 1.0
    return base + LENGTH_WEIGHT * similarity


def align(left: Sequence[Turn], right: Sequence[Turn]) -> list[tuple[int | None, int | None]]:
    """The best global alignment of two sequences, as (left index, right index) pairs in
    order; None on one side is a gap. Every index of each side appears exactly once.

    Two passes: the first knows only the speakers found in both versions; the speakers it
    pairs most often become known too, and the second pass aligns with them."""
    shared = {t.speaker for t in left if t.speaker is not None} & {
        t.speaker for t in right if t.speaker is not None
    }
    first = Speakers({key: key for key in shared})
    pairs = _align(left, right, first)
    facing = Counter(
        (left[i].speaker, right[j].speaker)
        for i, j in pairs
        if i is not None
        and j is not None
        and left[i].speaker is not None
        and right[j].speaker is not None
        and left[i].speaker not in shared
        and right[j].speaker not in shared
    )
    same = dict(first.same)
    taken = set(shared)
    for (a, b), _count in facing.most_common():
        if a not in same and b not in taken:
            same[a] = b
            taken.add(b)
    if len(same) == len(first.same):
        return pairs
    return _align(left, right, Speakers(same))


def _align(
    left: Sequence[Turn], right: Sequence[Turn], speakers: Speakers
) -> list[tuple[int | None, int | None]]:
    """Needleman–Wunsch, banded around the diagonal."""
    n, m = len(left), len(right)
    if not n or not m:
        return [(i, None) for i in range(n)] + [(None, j) for j in range(m)]
    width = BAND + abs(n - m)

    def band(i: int) -> range:
        centre = round(i * m / n)
        return range(max(0, centre - width), min(m, centre + width) + 1)

    # score[i][j]: best score aligning left[:i] with right[:j]; move: 0 diagonal, 1 up
    # (left[i-1] against a gap), 2 left (right[j-1] against a gap). Rows are dicts holding
    # only the band's cells.
    score: list[dict[int, float]] = [{j: GAP * j for j in band(0)}]
    move: list[dict[int, int]] = [dict.fromkeys(band(0), 2)]
    for i in range(1, n + 1):
        previous = score[i - 1]
        row: dict[int, float] = {}
        moves: dict[int, int] = {}
        a = left[i - 1]
        for j in band(i):
            best, how = previous.get(j, NEG) + GAP, 1
            if j:
                diagonal = previous.get(j - 1, NEG) + match_score(a, right[j - 1], speakers)
                if diagonal > best:
                    best, how = diagonal, 0
                sideways = row.get(j - 1, NEG) + GAP
                if sideways > best:
                    best, how = sideways, 2
            row[j], moves[j] = best, how
        score.append(row)
        move.append(moves)
    pairs: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        how = move[i].get(j, 1) if i else 2
        if how == 0:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif how == 1:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    pairs.reverse()
    return pairs


def pair_up(left: Sequence[T], right: Sequence[T], describe: Callable[[T], Turn]) -> list[Pair[T]]:
    """Align two versions' items (anything ``describe`` turns into a :class:`Turn`)."""
    indexes = align([describe(x) for x in left], [describe(x) for x in right])
    return [
        Pair(left[i] if i is not None else None, right[j] if j is not None else None)
        for i, j in indexes
    ]


def counterpart_positions(pairs: Sequence[Pair[T]], position: Callable[[T], int]) -> dict:
    """For each item of each side, the position of the other side's item to jump to: its
    match, or for an item with no match the other side's nearest item before it (the other
    side's first item when there is none).

    Returns ``{"left": {position: position}, "right": {position: position}}``."""
    result: dict[str, dict[int, int]] = {"left": {}, "right": {}}
    first = {
        "left": next((position(p.left) for p in pairs if p.left is not None), None),
        "right": next((position(p.right) for p in pairs if p.right is not None), None),
    }
    last = {"left": first["left"], "right": first["right"]}
    for pair in pairs:
        if pair.left is not None:
            last["left"] = position(pair.left)
        if pair.right is not None:
            last["right"] = position(pair.right)
        if pair.left is not None and last["right"] is not None:
            result["left"][position(pair.left)] = last["right"]
        if pair.right is not None and last["left"] is not None:
            result["right"][position(pair.right)] = last["left"]
    return result
