"""Where the Russian and English versions of one event differ (issue 18).

Two kinds of difference, on the turns :mod:`meetings.bilingual` aligns:

- a turn present in one version only (a gap in the alignment);
- an aligned pair whose length ratio is far outside what the language pair usually gives:
  a passage much shorter in one version. "Usually" is calibrated on the aligned pairs
  themselves: the median of log(English length / Russian length) and its spread, the
  median absolute deviation (robust: the few odd pairs do not move them). A pair is flagged
  when its log ratio lies more than ``THRESHOLD`` robust standard deviations from the
  median. An event with too few pairs to calibrate on uses ``DEFAULT`` (Russian runs about
  a tenth longer than English in characters); a pair of short turns ("Thank you.") is
  never judged on length, a ratio of small numbers says little, and only pairs of long
  turns calibrate.

:func:`flags` is pure (plain values in and out); :func:`refresh` keeps the counts per event
(:class:`~meetings.models.versions.BilingualDifference`) for ``/differences/``, recomputed
for the events changed since, when the data changes (``caching.data_changed``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from meetings.bilingual import Pair, Turn, pair_up
from meetings.models import Meeting, Utterance
from meetings.models.versions import BilingualDifference

T = TypeVar("T")

MIN_LENGTH = 80  # characters: calibrate on pairs this long; judge pairs with one this long
MIN_PAIRS = 8  # comparable pairs needed to calibrate on the event itself
THRESHOLD = 3.5  # robust z-score beyond which a pair is flagged
MIN_SPREAD = 0.12  # floor on the spread (log units): a very regular event flags nothing small
MAD_TO_SIGMA = 1.4826  # MAD times this estimates the standard deviation of a normal spread

ONLY_RU, ONLY_EN = "only_ru", "only_en"
SHORTER_RU, SHORTER_EN = "shorter_ru", "shorter_en"


@dataclass(frozen=True)
class Calibration:
    centre: float  # median log(en / ru) length ratio
    spread: float  # robust standard deviation of it
    pairs: int  # how many pairs it was computed on (0: the default)


DEFAULT = Calibration(centre=-0.1, spread=0.2, pairs=0)


def log_ratio(russian: int, english: int) -> float:
    return math.log(english / russian)


def calibrate(ratios: Sequence[float]) -> Calibration:
    """The usual log ratio of the pairs and its spread; the default for too few pairs."""
    if len(ratios) < MIN_PAIRS:
        return DEFAULT
    centre = statistics.median(ratios)
    mad = statistics.median(abs(r - centre) for r in ratios)
    return Calibration(centre, max(MAD_TO_SIGMA * mad, MIN_SPREAD), len(ratios))


def flags(
    pairs: Sequence[Pair[T]], length: Callable[[T], int]
) -> tuple[list[str | None], Calibration]:
    """One flag per row of the alignment (``left`` Russian, ``right`` English): ONLY_RU,
    ONLY_EN, SHORTER_RU, SHORTER_EN or None; and the calibration used."""
    comparable = [
        log_ratio(length(p.left), length(p.right))
        for p in pairs
        if p.left is not None
        and p.right is not None
        and min(length(p.left), length(p.right)) >= MIN_LENGTH
    ]
    calibration = calibrate(comparable)
    result: list[str | None] = []
    for pair in pairs:
        if pair.right is None:
            result.append(ONLY_RU)
        elif pair.left is None:
            result.append(ONLY_EN)
        elif max(length(pair.left), length(pair.right)) < MIN_LENGTH or not min(
            length(pair.left), length(pair.right)
        ):
            result.append(None)
        else:
            z = (log_ratio(length(pair.left), length(pair.right)) - calibration.centre) / (
                calibration.spread
            )
            result.append(SHORTER_EN if z < -THRESHOLD else SHORTER_RU if z > THRESHOLD else None)
    return result, calibration


def counts(row_flags: Sequence[str | None]) -> dict[str, int]:
    return {
        "only_ru": row_flags.count(ONLY_RU),
        "only_en": row_flags.count(ONLY_EN),
        "uneven": row_flags.count(SHORTER_RU) + row_flags.count(SHORTER_EN),
    }


# --- kept per event ---------------------------------------------------------------------------


def describe(utterance: Utterance) -> Turn:
    """As the side-by-side view describes a turn (meetings.views_bilingual.describe)."""
    speaker = None
    if utterance.kind == "speech":
        speaker = utterance.speaker_id or utterance.speaker_label or None
    return Turn(speaker=speaker, kind=utterance.kind, length=len(utterance.text))


def stale_events() -> list[int]:
    """kremlin.ru ids of events with both versions whose counts are missing or older than
    the last import of either version (only the meetings imported since the last
    computation are looked at once there is one)."""
    meetings = Meeting.objects.all()
    since = BilingualDifference.objects.aggregate(last=Max("computed_at"))["last"]
    if since is not None:
        touched = Meeting.objects.filter(
            Q(last_imported_at__gt=since) | Q(content_changed_at__gt=since)
        ).values("kremlin_id")
        meetings = meetings.filter(kremlin_id__in=touched)
    changed = list(
        meetings.values("kremlin_id")
        .annotate(
            versions=Count("language", distinct=True),
            touched=Max(Greatest("last_imported_at", "content_changed_at")),
        )
        .filter(versions=2)
        .values_list("kremlin_id", "touched")
    )
    kept = dict(
        BilingualDifference.objects.filter(kremlin_id__in=[k for k, _ in changed]).values_list(
            "kremlin_id", "computed_at"
        )
    )
    return [k for k, touched in changed if k not in kept or (touched and touched > kept[k])]


def refresh(kremlin_ids: list[int] | None = None) -> int:
    """Recompute the kept counts for ``kremlin_ids`` (default: the stale events); returns
    how many events were computed."""
    ids = stale_events() if kremlin_ids is None else kremlin_ids
    now = timezone.now()
    for kremlin_id in ids:
        versions = {
            m.language: m
            for m in Meeting.objects.filter(kremlin_id=kremlin_id).only("pk", "language", "date")
        }
        if set(versions) != {"ru", "en"}:
            BilingualDifference.objects.filter(kremlin_id=kremlin_id).delete()
            continue
        turns: dict[int, list] = {versions["ru"].pk: [], versions["en"].pk: []}
        for utterance in (
            Utterance.objects.filter(meeting__in=versions.values())
            .only("pk", "meeting_id", "kind", "speaker_id", "speaker_label", "text", "position")
            .order_by("meeting_id", "position")
        ):
            turns[utterance.meeting_id].append(utterance)
        pairs = pair_up(turns[versions["ru"].pk], turns[versions["en"].pk], describe)
        row_flags, _ = flags(pairs, lambda u: len(u.text))
        BilingualDifference.objects.update_or_create(
            kremlin_id=kremlin_id,
            defaults={
                "russian": versions["ru"],
                "english": versions["en"],
                "date": versions["ru"].date,
                "pairs": sum(1 for p in pairs if not p.is_gap),
                "computed_at": now,
                **counts(row_flags),
            },
        )
    return len(ids)


def refresh_on_change(sender: object = None, deferred: bool = False, **kwargs: object) -> None:
    """The ``data_changed`` receiver: the differences of the events changed since (an
    editor's save announces twice: the first, ``deferred``, is left for the second)."""
    if not deferred:
        refresh()


def listed() -> QuerySet[BilingualDifference]:
    """Events with at least one difference, newest first (``/differences/``)."""
    return (
        BilingualDifference.objects.filter(Q(only_ru__gt=0) | Q(only_en__gt=0) | Q(uneven__gt=0))
        .select_related("russian", "english")
        .annotate(total_count=F("only_ru") + F("only_en") + F("uneven"))
        .order_by("-date", "-kremlin_id")
    )
