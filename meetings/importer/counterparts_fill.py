"""The foreign side of an event whose page names no foreign person, taken from the archive's
own other meetings: a pass after every import, over the whole archive.

Two rules, each adding only someone the archive itself shows in that place at that time:

- **Trip.** A visit as a whole ("Vladimir Putin arrived in Italy", "Visit to Uzbekistan";
  not a stop on the way such as "visited the Academy of Fire Science"), talks
  ("Top-level Russian-French negotiations were held in the Kremlin") or a news conference
  after a visit ("… summarising the results of his visit to Kyrgyzstan"), tagged with
  a foreign country, takes the people of that country who took part in the talks, meetings,
  visits and press statements with that country within :data:`TRIP_DAYS` days who hold a
  head of state's or government's role there: the host or guest of the same trip, with the
  role printed there (not the ministers, party leaders and clergy met on the way); someone
  printed there without a role, with the role the archive shows them holding nearest in
  time (within :data:`ROLE_DAYS` days).
- **Role without a name.** "The Russian and Armenian Presidents met", "a meeting with the
  Moldovan President", "the Presidents of Russia, Belarus, Kazakhstan and Ukraine": for each
  foreign country of the meeting, the person of that country who held that role at the
  archive's nearest meetings before *and* after, within :data:`ROLE_DAYS` days; only when
  both are the same person (a change of office in between leaves the meeting alone).

Editors' corrections are kept: a meeting whose participants differ from what its last
import wrote (``Meeting.imported``) is left alone, and what the pass adds is written into
that snapshot too, so an editor who removes it later is not overruled by the next pass.
Idempotent: a meeting that already has a foreign participant is never a candidate.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from meetings.importer import geo
from meetings.importer.counterparts_audit import COUNTERPART_KINDS, foreign_participant

TRIP_DAYS = 2
ROLE_DAYS = 365
# The meetings of a trip whose people are its hosts (not calls or messages).
TRIP_KINDS = ("talks", "meeting", "visit", "press", "summit")
# A trip's host: a head of state or government, as printed at the trip's other meetings
# (not the ministers, party leaders and clergy met on the way).
_HOST_ROLE = re.compile(
    r"\b(?:President|Prime Minister|Premier|Chancellor|King|Queen|Emir|Sultan)\b", re.I
)
# A visit as a whole ("arrived in Italy", "Visit to Uzbekistan", "his state visit to
# Britain"); a stop on the way ("visited the Academy of Fire Science", "laid a wreath", a
# warship that "arrived in Britain") is not, as the host may not have been there.
_WHOLE_VISIT = re.compile(
    r"\b(?:(?:Putin|Medvedev|President|President of Russia) arrived (?:in|at)"
    r"|returned to Moscow after|(?:state|official|working) visit"
    r"|visits? (?:to|of|in)|trip to)\b|^(?:State |Official |Working )?[Vv]isit\b"
)
# An official meal of a visit, given by its host ("An official dinner at the Italian
# President's residence … crowned the second day of Vladimir Putin's visit to Italy").
_OFFICIAL_MEAL = re.compile(
    r"\b(?:official|state|gala) (?:dinner|lunch|luncheon|breakfast|reception)\b", re.I
)
# A news conference that closes a trip, not one at home about a country.
_TRIP_PRESS = re.compile(r"\b(?:visit|trip|following|results|in the capital)\b", re.I)

# The Russian side, struck out before looking for an unnamed foreign role.
_RUSSIAN_SIDE = re.compile(
    r"\b(?:Acting\s+)?(?:Russian\s+)?(?:President|Prime Minister)(?:\s+and\s+Prime Minister)?"
    r"(?:\s+of\s+Russia|\s+of\s+the\s+Russian\s+Federation)?(?:\s+(?:Vladimir|Dmitry))?"
    r"\s+(?:Putin|Medvedev)\b"
)
# Roles printed without a name, and how a participation's role must read to hold them.
ROLES = {
    "President": re.compile(
        r"(?<![Vv]ice )(?<![Vv]ice-)(?<!former )\b[Pp]residents?\b(?! of (?:the )?[a-z])"
    ),
    "Prime Minister": re.compile(r"(?<!Deputy )(?<!former )\bPrime Ministers?\b"),
}
# A Russian leader filed under a foreign country by a misread page ("Mr Putin", TH).
_RUSSIAN_NAME = re.compile(r"\b(?:Putin|Medvedev)\b")
_NOT_THE_ROLE = re.compile(
    r"\b(?:vice|deputy|former|elect|acting|interim|honorary|first lady|government|council"
    r"|commission|committee|bank|assembly|parliament|senate|court|company|chamber|union"
    r"|party|congress|association|foundation|academy|olympic|federation of|first)\b|-elect"
    r"|\b\d+(?:st|nd|rd|th)\b",
    re.I,
)


@dataclass(frozen=True)
class Addition:
    meeting_id: int
    participant_id: int
    role: str
    rule: str  # "trip" or "role"

    def line(self) -> str:
        return f"meeting {self.meeting_id}: participant {self.participant_id} ({self.rule})"


def fill_counterparts(dry_run: bool = False, days: set[dt.date] | None = None) -> list[Addition]:
    """Add the foreign side to the candidates the two rules resolve; the additions made.
    ``days``: only meetings within ``TRIP_DAYS`` of them (the days an import read: what it
    may have added is a host for those meetings only); None: the whole archive."""
    from meetings.models import Meeting

    additions: list[Addition] = []
    for meeting in _candidates(days):
        found = _trip(meeting) if _is_trip(meeting) else []
        found = found or _by_role(meeting)
        if not found:
            continue
        additions += found
        if not dry_run:
            _add(Meeting.objects.get(pk=meeting.pk), found)
    return additions


@dataclass
class _Candidate:
    pk: int
    kind: str
    date: dt.date
    language: str
    text: str
    countries: list[str]


def _candidates(days: set[dt.date] | None = None) -> list[_Candidate]:
    """Meetings of the five kinds, shown, tagged with a foreign country, without anyone from
    abroad, whose participants are still as their last import wrote them."""
    from meetings.models import Meeting

    out: list[_Candidate] = []
    meetings = Meeting.objects.diplomatic()
    if days is not None:
        if not days:
            return out
        near = {
            day + dt.timedelta(days=n) for day in days for n in range(-TRIP_DAYS, TRIP_DAYS + 1)
        }
        meetings = meetings.filter(date__in=near)
    rows = (
        meetings.filter(kind__in=COUNTERPART_KINDS, country_links__isnull=False)
        .distinct()
        .prefetch_related("country_links", "participations__participant")
        .order_by("pk")
    )
    for meeting in rows:
        countries = [c.country_id for c in meeting.country_links.all()]
        countries = [c for c in countries if c != geo.RUSSIA]
        if not countries:
            continue
        current = {str(p.participant_id): p.role for p in meeting.participations.all()}
        if (meeting.imported or {}).get("participants", {}) != current:
            continue  # an editor changed who took part: theirs to decide
        if any(
            foreign_participant(p.participant.country_id, p.role, meeting.language)
            for p in meeting.participations.all()
        ):
            continue
        text = f"{meeting.title}. {meeting.lead}"
        out.append(
            _Candidate(meeting.pk, meeting.kind, meeting.date, meeting.language, text, countries)
        )
    return out


def _is_trip(meeting: _Candidate) -> bool:
    if meeting.kind == "talks":  # "Top-level Russian-French negotiations …"
        return True
    if meeting.kind == "visit":  # the visit as a whole, not "visited the National Museum"
        return bool(_WHOLE_VISIT.search(meeting.text))
    if meeting.kind == "meeting":
        return bool(_OFFICIAL_MEAL.search(meeting.text) and _WHOLE_VISIT.search(meeting.text))
    # Not a multilateral summit's: its host was not at the Russian news conference.
    summit = re.search(r"\bsummit\b", meeting.text, re.I)
    return meeting.kind == "press" and bool(_TRIP_PRESS.search(meeting.text)) and not summit


def _trip(meeting: _Candidate) -> list[Addition]:
    from meetings.models import Participation

    days = dt.timedelta(days=TRIP_DAYS)
    # Tagged with the country, or an early page with no tags at all ("Vladimir Putin and
    # George Bush visited a public school in Crawford").
    tagged = Q(meeting__country_links__country_id__in=meeting.countries)
    rows = (
        Participation.objects.filter(
            tagged | Q(meeting__country_links__isnull=True),
            meeting__date__range=(meeting.date - days, meeting.date + days),
            meeting__kind__in=TRIP_KINDS,
            meeting__is_domestic=False,
            participant__country_id__in=meeting.countries,
        )
        .exclude(meeting_id=meeting.pk)
        .order_by("meeting__date", "meeting_id", "position")
        .values_list("participant_id", "role", "participant__name")
    )
    out: dict[int, Addition] = {}
    for participant_id, role, name in rows:
        if participant_id in out or _RUSSIAN_NAME.search(name):
            continue
        if not role:  # "Heidar Aliyev" named without a role at the same trip's talks
            role = _host_role_held(participant_id, meeting.date)
        if _HOST_ROLE.search(role) and not _NOT_THE_ROLE.search(role):
            out[participant_id] = Addition(meeting.pk, participant_id, role, "trip")
    return list(out.values())


def _host_role_held(participant_id: int, date: dt.date) -> str:
    """The head of state's or government's role ``participant_id`` held at the archive's
    nearest meeting within :data:`ROLE_DAYS` of ``date`` where one was printed, or ""."""
    from meetings.models import Participation

    window = dt.timedelta(days=ROLE_DAYS)
    rows = Participation.objects.filter(
        participant_id=participant_id,
        meeting__date__range=(date - window, date + window),
        meeting__is_domestic=False,
    ).values_list("role", "meeting__date")
    held = [(abs(day - date), role) for role, day in rows if role]
    held = [(gap, r) for gap, r in held if _HOST_ROLE.search(r) and not _NOT_THE_ROLE.search(r)]
    return min(held)[1] if held else ""


def _by_role(meeting: _Candidate) -> list[Addition]:
    text = _RUSSIAN_SIDE.sub("", meeting.text)
    out: list[Addition] = []
    for role, printed in ROLES.items():
        for country in meeting.countries:
            if not any(country in _countries_near(text, m) for m in printed.finditer(text)):
                continue  # "reported to the President": Russia's own, or no country named
            holder = _holder(role, country, meeting.date, trip=meeting.kind == "visit")
            if holder and not any(a.participant_id == holder[0] for a in out):
                out.append(Addition(meeting.pk, holder[0], holder[1], "role"))
    return out


def _countries_near(text: str, match: re.Match) -> list[str]:
    """The countries printed with a role word: "the Moldovan President", "the Russian and
    Armenian Presidents", "the Presidents of Russia, Belarus, Kazakhstan and Ukraine"."""
    before = text[: match.start()].split()[-3:]
    after = re.split(r"[.;:(]| met\b| held\b", text[match.end() :])[0].split()[:8]
    if after[:1] and after[0][:1].isupper():
        return []  # "President Cardoso of Brazil": a name the parser did not take
    if after[:1] != ["of"]:
        after = []  # "reported to the President on a crash in Syria": not of Syria
    return geo.country_codes(" ".join([*before, match.group(0), *after]), "en")


def _holder(role: str, country: str, date: dt.date, trip: bool = False) -> tuple[int, str] | None:
    """The one person of ``country`` who held ``role`` at the archive's nearest meetings
    on both sides of ``date`` (within :data:`ROLE_DAYS`), and the role printed there. On a
    ``trip`` ("The Russian and Greek presidents visited Vergina"), the one holder met on the
    same trip (within :data:`TRIP_DAYS`) is enough."""
    from meetings.models import Participation

    window = dt.timedelta(days=ROLE_DAYS)
    rows = Participation.objects.filter(
        participant__country_id=country,
        role__icontains=role,
        meeting__date__range=(date - window, date + window),
        meeting__is_domestic=False,
    ).values_list("participant_id", "role", "meeting__date")
    held = [(pk, printed, day) for pk, printed, day in rows if not _NOT_THE_ROLE.search(printed)]
    near = [r for r in held if abs(r[2] - date) <= dt.timedelta(days=TRIP_DAYS)]
    if trip and len({r[0] for r in near}) == 1:
        return near[0][0], near[0][1]
    before = [r for r in held if r[2] < date]
    after = [r for r in held if r[2] > date]
    if not before or not after:
        return None
    last = max(before, key=lambda r: r[2])
    first = min(after, key=lambda r: r[2])
    on_the_day = {r[0] for r in held if r[2] == date}
    if last[0] != first[0] or on_the_day - {last[0]}:
        return None
    return last[0], last[1]


@transaction.atomic
def _add(meeting, found: list[Addition]) -> None:
    from meetings.models import Participation

    start = meeting.participations.count()
    Participation.objects.bulk_create(
        Participation(
            meeting=meeting, participant_id=a.participant_id, role=a.role[:300], position=start + i
        )
        for i, a in enumerate(found)
    )
    snapshot = dict(meeting.imported or {})
    participants = dict(snapshot.get("participants", {}))
    participants.update({str(a.participant_id): a.role[:300] for a in found})
    snapshot["participants"] = participants
    meeting.imported = snapshot
    meeting.save(update_fields=["imported"])
