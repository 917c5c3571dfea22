"""Speaker colours: assigned per meeting, in order of first turn, from a fixed palette.

A colour derived from a participant's id collides sooner or later (issue 10: three speakers
and "Question" all green on one news conference). Instead each meeting hands out the
twelve colours of ``PALETTE`` in the order its speakers first speak, so the speakers of one
meeting never share a colour. Past the palette (a Valdai session has 24 speakers) the colours
come round again with a pattern (``speaker-round-2``: dashed rules and a striped swatch,
``speaker-round-3``: dotted) and every speaker carries a number, its order of first turn,
so no two speakers of a meeting look alike.

The palette starts with Okabe and Ito's colour-blind-safe set, darkened until each colour
reads as text on white and on its own tint (WCAG 2.1 AA, 4.5:1), and continues with
colours chosen to stay at least 20 CIELAB ΔE (CIE76) from every other entry, from the
question grey and from the body text. Questions and generic remarks are neutral greys.

Templates never carry the colour itself (a strict Content-Security-Policy forbids inline
``style=``): they carry ``SpeakerColour.css_class``, and ``static/css/site.css`` defines
``--speaker`` and ``--speaker-tint`` for each class; a test keeps the two in step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

AA_NORMAL_TEXT = 4.5
PAGE_BACKGROUND = "#ffffff"
BODY_TEXT = "#222222"
MIN_DELTA_E = 20

# (text, tint): text is the speaker's name, swatch and the turn's left rule; tint is the
# highlighted turn's background (the text colour blended 90% towards white).
PALETTE: tuple[tuple[str, str], ...] = (
    ("#0072b2", "#e6f1f7"),  # Okabe-Ito blue
    ("#b5430a", "#f8ece6"),  # Okabe-Ito vermillion, darkened
    ("#00785a", "#e6f2ee"),  # Okabe-Ito bluish green, darkened
    ("#a8427f", "#f6ecf2"),  # Okabe-Ito reddish purple, darkened
    ("#8a6100", "#f3efe6"),  # Okabe-Ito orange, darkened to ochre
    ("#5b4ea0", "#efedf6"),  # violet
    ("#0000f8", "#e6e6fe"),  # ultramarine
    ("#b800c8", "#f8e6fa"),  # magenta
    ("#0058f8", "#e6eefe"),  # azure
    ("#487800", "#edf2e6"),  # olive green
    ("#d00048", "#fae6ed"),  # crimson
    ("#782828", "#f2eaea"),  # maroon
)
QUESTION = ("#595959", "#eeeeee")
REMARK = ("#666666", "#efefef")
# Printed labels that name no one: coloured like questions, never given a palette slot.
GENERIC_LABELS = frozenset(
    {"question", "вопрос", "remark", "реплика", "replica", "voice", "голос", "reply", "ответ"}
)


ROUNDS = 3  # patterns past the palette: none, dashed, dotted (then dotted again)


@dataclass(frozen=True)
class SpeakerColour:
    # "speaker-1" … "speaker-12" (+ " speaker-round-2" … past the palette),
    # "speaker-question", "speaker-remark"
    css_class: str
    text: str
    tint: str
    number: int = 0  # the speaker's order of first turn in the meeting; 0: a neutral grey
    round: int = 1  # 1 for the first twelve speakers, 2 for the next twelve, …


NEUTRAL = SpeakerColour("speaker-remark", *REMARK)
QUESTION_COLOUR = SpeakerColour("speaker-question", *QUESTION)


def is_generic(label: str) -> bool:
    return label.strip().rstrip(":.").casefold() in GENERIC_LABELS


class MeetingPalette:
    """Hands out colours for one meeting: ``colour(key, ...)`` gives a key the next free
    palette entry on its first turn and the same entry on every later one."""

    def __init__(self) -> None:
        self._assigned: dict[int | str, SpeakerColour] = {}

    def colour(
        self, key: int | str | None, *, question: bool = False, label: str = ""
    ) -> SpeakerColour:
        if question:
            return QUESTION_COLOUR
        if key is None or (isinstance(key, str) and is_generic(label or key)):
            return NEUTRAL
        if key not in self._assigned:
            number = len(self._assigned) + 1
            slot, round_ = (number - 1) % len(PALETTE), (number - 1) // len(PALETTE) + 1
            css = f"speaker-{slot + 1}"
            if round_ > 1:
                css += f" speaker-round-{min(round_, ROUNDS)}"
            self._assigned[key] = SpeakerColour(css, *PALETTE[slot], number=number, round=round_)
        return self._assigned[key]


def speaker_colour(key: int | str | None = None) -> SpeakerColour:
    """The colour of a turn shown outside its meeting (a search hit): neutral, since a
    colour means something only among the speakers of one meeting."""
    return NEUTRAL


# WCAG 2.1 contrast and CIELAB distance -------------------------------------------------


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _linear(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour."""
    r, g, b = (_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def cielab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) coordinates of an sRGB ``#rrggbb`` colour."""
    r, g, b = (_linear(c) for c in _rgb(colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e(first: str, second: str) -> float:
    """CIE76 colour difference (Euclidean distance in CIELAB)."""
    return math.dist(cielab(first), cielab(second))
