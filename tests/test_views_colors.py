"""Speaker colours: per meeting, in order of first turn, distinct, readable (WCAG AA)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from meetings.colors import (
    AA_NORMAL_TEXT,
    BODY_TEXT,
    MIN_DELTA_E,
    NEUTRAL,
    PAGE_BACKGROUND,
    PALETTE,
    QUESTION,
    REMARK,
    MeetingPalette,
    contrast_ratio,
    delta_e,
    speaker_colour,
)

SITE_CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "site.css"


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_delta_e_matches_reference_values():
    assert delta_e("#000000", "#ffffff") == pytest.approx(100, abs=0.01)
    assert delta_e("#ff0000", "#ff0000") == 0
    # sRGB red is L*53.24 a*80.09 b*67.20; green L*87.73 a*-86.18 b*83.18.
    assert delta_e("#ff0000", "#00ff00") == pytest.approx(170.6, abs=0.2)


@pytest.mark.parametrize("colour", [*PALETTE, QUESTION, REMARK])
def test_every_colour_reads_as_text_on_the_page_and_on_its_tint(colour):
    text, tint = colour
    assert contrast_ratio(text, PAGE_BACKGROUND) >= AA_NORMAL_TEXT
    assert contrast_ratio(text, tint) >= AA_NORMAL_TEXT


@pytest.mark.parametrize("speakers", range(2, 13))
def test_up_to_twelve_speakers_of_a_meeting_are_all_clearly_distinct(speakers):
    palette = MeetingPalette()
    colours = [palette.colour(key).text for key in range(1000, 1000 + speakers)]
    for first, second in itertools.combinations(colours, 2):
        assert delta_e(first, second) >= MIN_DELTA_E, (first, second)
    for colour in colours:  # and distinct from questions, remarks and the body text
        for neutral in (QUESTION[0], REMARK[0], BODY_TEXT):
            assert delta_e(colour, neutral) >= MIN_DELTA_E, (colour, neutral)


def test_the_colour_of_the_issue_s_three_greens_now_differs():
    # Putin, Erdogan, Rouhani and a question (issue 10): four different colours.
    palette = MeetingPalette()
    colours = [palette.colour(key) for key in (1, 2, 3)] + [
        palette.colour("Question", question=True)
    ]
    assert len({c.text for c in colours}) == 4
    assert colours[3].css_class == "speaker-question"


def test_colours_follow_the_order_of_first_turn_and_stay_with_a_speaker():
    palette = MeetingPalette()
    assert palette.colour(493).css_class == "speaker-1"
    assert palette.colour("Р.Эрдоган").css_class == "speaker-2"
    assert palette.colour(493).css_class == "speaker-1"
    assert palette.colour(7).css_class == "speaker-3"
    # Another meeting starts again from the first colour.
    assert MeetingPalette().colour(7).css_class == "speaker-1"


def test_generic_labels_and_unknown_speakers_are_grey_and_take_no_slot():
    palette = MeetingPalette()
    assert palette.colour("Remark").css_class == "speaker-remark"
    assert palette.colour("Реплика:", label="Реплика:") == NEUTRAL
    assert palette.colour(None) == NEUTRAL
    assert palette.colour(1).css_class == "speaker-1"


def test_speakers_past_the_palette_get_a_pattern_and_a_number_so_none_look_alike():
    # Issue 16: the Valdai session's 24 speakers shared 12 colours (Putin and Yunusov alike).
    palette = MeetingPalette()
    colours = [palette.colour(key) for key in range(30)]
    assert len({colour.css_class for colour in colours[:12]}) == 12
    assert colours[12].css_class == "speaker-1 speaker-round-2"
    assert colours[24].css_class == "speaker-1 speaker-round-3"
    assert len({colour.css_class for colour in colours[:36]}) == 30
    assert [colour.number for colour in colours] == list(range(1, 31))


def test_search_hits_are_neutral():
    assert speaker_colour(493) == NEUTRAL == speaker_colour("В.Путин")


def test_the_stylesheet_defines_exactly_the_palette():
    rules = {
        name: (text, tint)
        for name, text, tint in re.findall(
            r"\.(speaker-[\w-]+) \{ --speaker: (#[0-9a-f]{6}); --speaker-tint: (#[0-9a-f]{6}); \}",
            SITE_CSS.read_text(encoding="utf-8"),
        )
    }
    expected = {f"speaker-{n}": colour for n, colour in enumerate(PALETTE, 1)}
    expected |= {"speaker-question": QUESTION, "speaker-remark": REMARK}
    assert rules == expected
