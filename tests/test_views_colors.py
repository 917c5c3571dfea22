"""Speaker colours: stable, distinct for a meeting's speakers, readable (WCAG AA)."""

from __future__ import annotations

import pytest

from meetings.colors import AA_NORMAL_TEXT, PAGE_BACKGROUND, contrast_ratio, speaker_colour


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_every_speaker_colour_reaches_aa_on_the_page_and_on_its_tint():
    for key in [*range(1, 20001), "В.Путин", "Question", "Remark", None]:
        colour = speaker_colour(key)
        assert contrast_ratio(colour.text, PAGE_BACKGROUND) >= AA_NORMAL_TEXT, key
        assert contrast_ratio(colour.text, colour.tint) >= AA_NORMAL_TEXT, key


def test_colour_is_stable_and_neighbours_differ():
    assert speaker_colour(493) == speaker_colour(493)
    first_ten = {speaker_colour(pk).text for pk in range(100, 110)}
    assert len(first_ten) == 10


def test_style_holds_only_hex_colours():
    style = speaker_colour(7).style
    assert style.startswith("--speaker: #") and ";" in style and "<" not in style
