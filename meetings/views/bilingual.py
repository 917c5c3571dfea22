"""One event in two languages: the two transcripts side by side, turn by turn, and the map
the meeting page's "other version" link uses to land on the same place.

The alignment itself is :mod:`meetings.bilingual` (pure); these views fetch both versions
in two queries and hand the turns over.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from meetings import differences
from meetings.bilingual import Pair, Turn, counterpart_positions, pair_up
from meetings.models import Language, Meeting, Utterance, UtteranceKind

# The original first: kremlin.ru publishes in Russian, en.kremlin.ru translates.
COLUMN_ORDER = (Language.RUSSIAN, Language.ENGLISH)


def describe(utterance: Utterance) -> Turn:
    """The speaker is the participant, else the label as printed (consistent within one
    version); questions, remarks and narrative pair by their kind alone."""
    speaker = None
    if utterance.kind == UtteranceKind.SPEECH:
        speaker = utterance.speaker_id or utterance.speaker_label or None
    return Turn(speaker=speaker, kind=utterance.kind, length=len(utterance.text))


def _versions(kremlin_id: int) -> tuple[list[Meeting], dict[str, list[Utterance]]]:
    """Both versions (Russian first) and their transcripts in order: two queries."""
    meetings = sorted(
        Meeting.objects.filter(kremlin_id=kremlin_id).defer("lead", "imported"),
        key=lambda m: COLUMN_ORDER.index(m.language),
    )
    if not meetings:
        raise Http404("No meeting with this id.")
    by_id = {m.pk: m for m in meetings}
    turns: dict[str, list[Utterance]] = {m.language: [] for m in meetings}
    for utterance in (
        Utterance.objects.filter(meeting__in=meetings)
        .for_transcript()
        .defer("search_vector")
        .order_by("meeting_id", "position")
    ):
        utterance.meeting = by_id[utterance.meeting_id]
        turns[utterance.meeting.language].append(utterance)
    return meetings, turns


def _aligned(kremlin_id: int):
    meetings, turns = _versions(kremlin_id)
    if len(meetings) < 2:
        return meetings, None
    left, right = meetings
    return meetings, pair_up(turns[left.language], turns[right.language], describe)


@require_safe
def meeting_compare(request: HttpRequest, kremlin_id: int) -> HttpResponse:
    meetings, pairs = _aligned(kremlin_id)
    if pairs is None:
        # Only one version: say so, and offer the one there is.
        return render(request, "meetings/meeting_compare.html", {"only": meetings[0]}, status=404)
    left, right = meetings
    row_flags, _calibration = differences.flags(pairs, lambda u: len(u.text))
    return render(
        request,
        "meetings/meeting_compare.html",
        {
            "left": left,
            "right": right,
            "versions": meetings,
            "rows": [
                _row(pair, left, right, flag) for pair, flag in zip(pairs, row_flags, strict=True)
            ],
            "matched": sum(1 for pair in pairs if not pair.is_gap),
            "gaps": sum(1 for pair in pairs if pair.is_gap),
            "differences": differences.counts(row_flags),
        },
    )


def _row(pair: Pair[Utterance], left: Meeting, right: Meeting, flag: str | None = None) -> dict:
    """One row: a cell per version, each (meeting, utterance or None for a gap), and the
    RU/EN difference it shows (meetings.differences), if any."""
    return {
        "gap": pair.is_gap,
        "flag": flag,
        "cells": [
            {"meeting": left, "utterance": pair.left},
            {"meeting": right, "utterance": pair.right},
        ],
    }


@require_safe
def meeting_compare_map(request: HttpRequest, kremlin_id: int) -> JsonResponse:
    """``{"ru": {"12": 11, ...}, "en": {...}}``: for each turn of each version, the aligned
    turn's position in the other (what the meeting page's version link jumps to)."""
    meetings, pairs = _aligned(kremlin_id)
    if pairs is None:
        raise Http404("Only one version of this meeting.")
    left, right = meetings
    positions = counterpart_positions(pairs, lambda u: u.position)
    return JsonResponse({left.language: positions["left"], right.language: positions["right"]})
