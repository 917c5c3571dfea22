"""Does every diplomatic event name its foreign side? The share per kind of stored meetings
with a participant from abroad.

    DATABASE_URL=... python manage.py audit_counterparts [-v 2]

Method (reproducible, printed with the figures): among the meetings the archive shows (not
domestic), a meeting has a *foreign participant* when one of its participants is of a
country other than Russia, or holds a role at an international organisation ("UN
Secretary-General", "President of the World Bank"), as :mod:`meetings.importer.geo` finds
them. A meeting without one whose title names a foreign *group* ("met with French
businessmen", "members of the Russian-French Council", "Defence Ministers of the CIS
countries") is counted apart, in ``group``: its foreign side is real but no one is named, so
it is never counted as a participant; the last line gives both shares. The target is that
95 % of the talks, meetings, telephone conversations, visits and press statements
(:data:`COUNTERPART_KINDS`) have one, and that "other" stays within 5 % of all meetings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from meetings.importer import geo

# The kinds that are a meeting with someone from abroad: each should name them.
COUNTERPART_KINDS = ("talks", "meeting", "telephone", "visit", "press")


# A group that can be the foreign side: "businessmen", "members of …", "a delegation".
_GROUP_NOUN = re.compile(
    r"\b(?:businessmen|businesspeople|entrepreneurs|bankers|business (?:leaders|circles|community)"
    r"|members|representatives|leaders|leadership|heads|delegations?|delegates|participants"
    r"|ministers|parliamentarians|journalists|activists|officials|executives|directors"
    r"|co-chairmen|secretaries|presidents|speakers|spokesmen|elite|schoolchildren|students)\b",
    re.I,
)
# Russians abroad are not a foreign side: "Russians living in France", "Russian expatriates".
_COMPATRIOTS = re.compile(
    r"\bRussians?\b(?! and)|\bexpatriates\b|\bcompatriots\b|\bliving in\b|\bBritish"
    r" companies\b(?=.*\bRussia's)",
    re.I,
)


# Where the group's description ends: "journalists | to discuss the visits to Belgium".
_AFTER_END = re.compile(r"[.,;:(—–]|\b(?:who|after|following|to|about|on|in|at|during|for|from)\b")
# The kinds where a group can be whom the President met (not a press conference or a visit).
GROUP_KINDS = ("meeting", "talks")


def foreign_group(title: str, language: str) -> bool:
    """Does ``title`` name a foreign group met, with its country or organisation, and no
    one in it ("met with Italian business leaders", "met with Defence Ministers of the CIS
    countries")? English titles only."""
    if language != "en":
        return False
    for match in _GROUP_NOUN.finditer(title):
        before = title[: match.start()].split()[-4:]
        after = re.split(_AFTER_END, title[match.end() :])[0]
        window = " ".join([*before, match.group(0), *after.split()[:9]])
        if _COMPATRIOTS.search(window):
            continue
        found = geo.find_countries(window, language)
        if any(m.code != geo.RUSSIA for m in found):
            return True
    return False


@dataclass
class CounterpartFigures:
    meetings: Counter = field(default_factory=Counter)  # kind -> meetings shown
    foreign: Counter = field(default_factory=Counter)  # kind -> with a foreign participant
    group: Counter = field(default_factory=Counter)  # kind -> no one, but a foreign group
    groups: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # kind -> (pk, title)
    missing: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # kind -> (pk, title)

    def share(self, kinds: tuple[str, ...] | None = None, groups: bool = False) -> float:
        kinds = kinds or tuple(self.meetings)
        total = sum(self.meetings[k] for k in kinds)
        named = sum(self.foreign[k] + (self.group[k] if groups else 0) for k in kinds)
        return named / total if total else 1.0

    @property
    def total(self) -> int:
        return sum(self.meetings.values())

    @property
    def other_share(self) -> float:
        return self.meetings["other"] / self.total if self.total else 0.0

    def lines(self) -> list[str]:
        out = [f"{'kind':<10} {'meetings':>8} {'foreign':>8} {'share':>7} {'group':>6}"]
        for kind, n in self.meetings.most_common():
            out.append(
                f"{kind:<10} {n:>8} {self.foreign[kind]:>8} {self.foreign[kind] / n:>7.1%}"
                f" {self.group[kind]:>6}"
            )
        out.append(
            f"five kinds ({', '.join(COUNTERPART_KINDS)}): "
            f"{self.share(COUNTERPART_KINDS):.1%} with a foreign participant, "
            f"{self.share(COUNTERPART_KINDS, groups=True):.1%} counting a foreign group "
            "named without a person; "
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
    meetings = Meeting.objects.diplomatic().values_list("pk", "kind", "title", "language")
    for pk, kind, title, language in meetings.order_by("pk").iterator(chunk_size=5000):
        figures.meetings[kind] += 1
        if pk in foreign_ids:
            figures.foreign[kind] += 1
        elif kind in GROUP_KINDS and foreign_group(title, language):
            figures.group[kind] += 1
            listed = figures.groups.setdefault(kind, [])
            if len(listed) < examples:
                listed.append((pk, title))
        else:
            listed = figures.missing.setdefault(kind, [])
            if len(listed) < examples:
                listed.append((pk, title))
    return figures
