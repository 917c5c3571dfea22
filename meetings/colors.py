"""Speaker colours: stable per participant, readable on the page (WCAG 2.1 AA).

Each speaker gets a hue from their participant id, spread by the golden angle so that the
speakers of one meeting (consecutive ids, usually) land far apart on the wheel. The text
colour is then darkened until it reaches 4.5:1 against both the page background and the
speaker's own light tint, which is the turn's background when it is highlighted.
"""

from __future__ import annotations

import colorsys
import hashlib
from dataclasses import dataclass
from functools import lru_cache

AA_NORMAL_TEXT = 4.5
PAGE_BACKGROUND = "#ffffff"
GOLDEN_ANGLE = 137.508


@dataclass(frozen=True)
class SpeakerColour:
    text: str  # the speaker's name and the turn's left rule
    tint: str  # the highlighted turn's background

    @property
    def style(self) -> str:
        """CSS custom properties for a ``style`` attribute (hex digits only, nothing else)."""
        return f"--speaker: {self.text}; --speaker-tint: {self.tint};"


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _hue(key: int | str) -> float:
    if isinstance(key, int):
        return (key * GOLDEN_ANGLE) % 360
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:4], "big") % 360


@lru_cache(maxsize=4096)
def speaker_colour(key: int | str | None) -> SpeakerColour:
    """The colour of a speaker: ``key`` is the participant id, or the printed label of a
    speaker we could not resolve (a muted colour from the label), or None (a grey)."""
    saturation = 0.0 if key is None else 0.35 if isinstance(key, str) else 0.70
    hue = 0.0 if key is None else _hue(key) / 360
    tint = _hex(colorsys.hls_to_rgb(hue, 0.95, saturation))
    lightness = 0.45
    while True:
        text = _hex(colorsys.hls_to_rgb(hue, lightness, saturation))
        if (
            contrast_ratio(text, PAGE_BACKGROUND) >= AA_NORMAL_TEXT
            and contrast_ratio(text, tint) >= AA_NORMAL_TEXT
        ) or lightness <= 0:
            return SpeakerColour(text=text, tint=tint)
        lightness = round(lightness - 0.01, 2)
