"""Does every diplomatic event name its foreign side? The share per kind of stored meetings
with a participant from abroad.

    DATABASE_URL=... python manage.py audit_counterparts [-v 2]

Method (reproducible, printed with the figures): among the meetings the archive shows (not
domestic), a meeting has a *foreign participant* when one of its participants is of a
country other than Russia, or holds a role at an international organisation ("UN
Secretary-General", "President of the World Bank"), as :mod:`meetings.importer.geo` finds
them. The target is that 95 % of the talks, meetings, telephone conversations, visits and
press statements (:data:`COUNTERPART_KINDS`) have one, and that "other" stays within 5 % of
all meetings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from meetings.importer import geo

# The kinds that are a meeting with someone from abroad: each should name them.
COUNTERPART_KINDS = ("talks", "meeting", "telephone", "visit", "press")


@dataclass
class CounterpartFigures:
    meetings: Counter = field(default_factory=Counter)  # kind -> meetings shown
    foreign: Counter = field(default_factory=Counter)  # kind -> with a foreign participant
    missing: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # kind -> (pk, title)

    def share(self, kinds: tuple[str, ...] | None = None) -> float:
        kinds = kinds or tuple(self.meetings)
        total = sum(self.meetings[k] for k in kinds)
        return sum(self.foreign[k] for k in kinds) / total if total else 1.0

    @property
    def total(self) -> int:
        return sum(self.meetings.values())

    @property
    def other_share(self) -> float:
        return self.meetings["other"] / self.total if self.total else 0.0

    def lines(self) -> list[str]:
        out = [f"{'kind':<10} {'meetings':>8} {'foreign':>8} {'share':>7}"]
        for kind, n in self.meetings.most_common():
            out.append(f"{kind:<10} {n:>8} {self.foreign[kind]:>8} {self.foreign[kind] / n:>7.1%}")
        out.append(
            f"five kinds ({', '.join(COUNTERPART_KINDS)}): "
            f"{self.share(COUNTERPART_KINDS):.1%} with a foreign participant; "
            f"other: {self.meetings['other']} of {self.total} ({self.other_share:.1%})"
        )
        return out


def foreign_participant(country: str | None, role: str, language: str) -> bool:
    """Is someone of ``country`` holding ``role`` at a meeting the foreign side?"""
    if country:
        return country.upper() != geo.RUSSIA
    return bool(role) and geo.mentions_organisation(role, language)


def audit_counterparts(examples: int = 0) -> CounterpartFigures:
    """The figures over every meeting the archive shows; ``examples`` meetings per kind
    without a foreign participant are kept in ``missing`` (pk, title)."""
    from meetings.models import Meeting, Participation

    figures = CounterpartFigures()
    foreign_ids = set()
    rows = Participation.objects.filter(meeting__is_domestic=False).values_list(
        "meeting_id", "participant__country_id", "role", "meeting__language"
    )
    for meeting_id, country, role, language in rows.iterator(chunk_size=5000):
        if meeting_id not in foreign_ids and foreign_participant(country, role, language):
            foreign_ids.add(meeting_id)
    meetings = Meeting.objects.diplomatic().values_list("pk", "kind", "title").order_by("pk")
    for pk, kind, title in meetings.iterator(chunk_size=5000):
        figures.meetings[kind] += 1
        if pk in foreign_ids:
            figures.foreign[kind] += 1
        else:
            listed = figures.missing.setdefault(kind, [])
            if len(listed) < examples:
                listed.append((pk, title))
    return figures
