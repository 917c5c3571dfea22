"""Write parsed records to the database: one transaction per page, editors' corrections kept.

``save_meeting`` takes a :class:`~meetings.importer.records.ParsedMeeting` and makes the
database agree with it: it builds the page's state in the snapshot's form, merges it with
the previous import's snapshot and the database's current state
(:mod:`meetings.importer.merging`, where editors' corrections are kept), reports kept
corrections the source changed too (:mod:`meetings.importer.conflicts`) and writes the
differences. The snapshot stored afterwards is the source's version, so a kept correction
stays a correction on every later import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meetings.countries import country_names
from meetings.importer import states
from meetings.importer import versions as source_versions
from meetings.importer.conflicts import describe
from meetings.importer.merging import (
    DOCUMENT_FIELDS,
    MEETING_FIELDS,
    Conflict,
    merge_documents,
    merge_state,
)
from meetings.importer.pages import parser_fingerprint
from meetings.importer.people.resolve import _code, resolve_participants
from meetings.importer.records import (
    LANGUAGES,
    ParsedMeeting,
    ParsedSupplement,
)
from meetings.importer.states import SNAPSHOT_VERSION
from meetings.models import (
    Country,
    Meeting,
    MeetingCountry,
    Participation,
    SignedDocument,
    Supplement,
    Utterance,
)

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
CONFLICT = "conflict"  # updated, but at least one correction was kept against a source change


@dataclass
class Outcome:
    """What saving one page did."""

    status: str  # CREATED, UPDATED, UNCHANGED or CONFLICT
    label: str  # "en/62562" or "supplement en/1234"
    conflicts: list[str] = field(default_factory=list)  # one line each
    meeting_id: int | None = None
    meeting_ids: list[int] = field(default_factory=list)  # meetings a supplement reached
    source_changed: bool = False  # the page's text differs from the last version kept


@dataclass
class RunCache:
    """What one import run learnt about the database, to spare a query per page.

    Only facts that this process's own writes keep true: the country codes that exist and
    whether any supplement page is stored. Make one per run; never share across runs.
    """

    countries: set[str] | None = None
    any_supplements: bool | None = None


# --- public entry points ----------------------------------------------------------------------


def save_meeting(
    parsed: ParsedMeeting,
    *,
    raw_hash: str,
    take_source: bool = False,
    cache: RunCache | None = None,
) -> Outcome:
    """Create or update the meeting ``parsed`` describes, in one transaction."""
    cache = cache or RunCache()
    if parsed.language not in LANGUAGES:
        raise ValueError(f"unknown language {parsed.language!r}")
    label = f"{parsed.language}/{parsed.kremlin_id}"
    # Both language versions in one query: this page's row and its counterpart.
    versions = {
        language: (pk, source_hash, counterpart_id, parser)
        for language, pk, source_hash, counterpart_id, parser in Meeting.objects.filter(
            kremlin_id=parsed.kremlin_id
        ).values_list("language", "pk", "source_hash", "counterpart_id", "imported__parser")
    }
    mine = versions.pop(parsed.language, None)
    other = next(iter(versions.values()), None)
    same_page = mine is not None and mine[1] == raw_hash and mine[3] == parser_fingerprint()
    if same_page and not take_source:
        return Outcome(UNCHANGED, label, meeting_id=mine[0])  # the very same page: no writes

    with transaction.atomic():
        created = mine is None
        if created:
            meeting = Meeting(kremlin_id=parsed.kremlin_id, language=parsed.language)
        else:
            meeting = Meeting.objects.select_for_update().get(pk=mine[0])
        _ensure_countries(
            [*parsed.countries, *(p.country for p in parsed.participants if p.country)], cache
        )
        people = resolve_participants(
            parsed.participants, parsed.language, other[0] if other else None
        )
        supplements = _supplements_for(parsed, cache)
        source = states.source_state(parsed, people, supplements)
        current = states.empty_state() if created else states.current_state(meeting)
        base = meeting.imported if (meeting.imported or {}).get("v") == SNAPSHOT_VERSION else {}
        if not base:
            base = current  # never imported (or an old snapshot): no corrections to keep
        merged, found = merge_state(base, current, source, take_source)
        conflicts = [f"{label}: {line}" for line in describe(found)]
        now = timezone.now()
        if created:
            meeting.first_imported_at = meeting.last_imported_at = now
            meeting.source_hash, meeting.imported = raw_hash, source
        if created and other is not None and other[2] is None:
            meeting.counterpart_id = other[0]  # the other language's version is already here
        changed = _apply(meeting, created, current, merged)
        # A different page that says the same (a print version, a re-saved copy) writes
        # nothing: "unchanged" always means no writes; the hash is only a shortcut.
        if not created and (changed or meeting.imported != source):
            meeting.source_hash, meeting.imported = raw_hash, source
            meeting.last_imported_at = now
            fields = ["source_hash", "imported", "last_imported_at"]
            if changed:  # what a reader sees changed: feeds show the entry as updated
                meeting.content_changed_at = now
                fields.append("content_changed_at")
            meeting.save(update_fields=fields)
        _link_counterpart(meeting, other)
        source_changed = source_versions.keep(meeting.pk, parsed, raw_hash, now, created)
    if created:
        status = CREATED
    elif conflicts:
        status = CONFLICT
    else:
        status = UPDATED if changed else UNCHANGED
    return Outcome(
        status,
        label,
        conflicts,
        meeting_id=meeting.pk,
        meeting_ids=[meeting.pk],
        source_changed=source_changed,
    )


def save_supplement(
    parsed: ParsedSupplement,
    *,
    raw_hash: str = "",
    take_source: bool = False,
    cache: RunCache | None = None,
) -> Outcome:
    """Store a supplement page and make its documents those of the meetings it belongs to.

    The meetings are those that link the supplement or that it links to, in its language;
    a meeting imported later picks the documents up from the stored supplement.
    """
    label = f"supplement {parsed.language}/{parsed.supplement_id}"
    documents = [states.document_dict(d, parsed.supplement_id) for d in parsed.documents]
    with transaction.atomic():
        row, created = Supplement.objects.select_for_update().get_or_create(
            supplement_id=parsed.supplement_id,
            language=parsed.language,
            defaults={"source_url": parsed.source_url, "title": states.cut(parsed.title, 1000)},
        )
        values = {
            "source_url": parsed.source_url,
            "title": states.cut(parsed.title, 1000),
            "meeting_ids": list(dict.fromkeys(parsed.meeting_ids)),
            "documents": documents,
        }
        same = not created and all(getattr(row, k) == v for k, v in values.items())
        if same and row.source_hash == raw_hash and not take_source:
            return Outcome(UNCHANGED, label)
        for key, value in values.items():
            setattr(row, key, value)
        row.source_hash = raw_hash
        row.save()
        if cache is not None:
            cache.any_supplements = True
        meetings = Meeting.objects.select_for_update().filter(
            Q(kremlin_id__in=row.meeting_ids) | Q(supplement_ids__contains=[row.supplement_id]),
            language=row.language,
        )
        changed, conflicts, reached = False, [], []
        for meeting in meetings.order_by("pk"):
            reached.append(meeting.pk)
            meeting_changed, lines = _refresh_documents(meeting, take_source)
            changed |= meeting_changed
            conflicts += [f"{label} → {meeting.language}/{meeting.kremlin_id}: {x}" for x in lines]
    if created:
        status = CREATED
    elif conflicts:
        status = CONFLICT
    else:
        status = UPDATED if (changed or not same) else UNCHANGED
    return Outcome(status, label, conflicts, meeting_ids=reached)


# --- countries ----------------------------------------------------------------------------------


def _ensure_countries(codes: Iterable[str], cache: RunCache) -> None:
    """Create a Country for any code the preloaded table lacks, named from the project's
    country table (:mod:`meetings.countries`: pycountry and kremlin.ru's territories),
    never from the page's text:
    one page's wording ("Turkey", "the Netherlands") must not become the country's name."""
    wanted = {c for c in (_code(x) for x in codes) if c}
    if cache.countries is None:
        cache.countries = set(Country.objects.values_list("code", flat=True))
    missing = wanted - cache.countries
    if not missing:
        return
    # A transaction rolled back since the cache was filled may have taken a row with it.
    missing -= set(Country.objects.filter(code__in=missing).values_list("code", flat=True))
    for code in sorted(missing):
        name_en, name_ru = country_names(code) or (code, "")  # a code nobody knows: the code
        Country.objects.get_or_create(code=code, defaults={"name_en": name_en, "name_ru": name_ru})
    cache.countries |= wanted


def _supplements_for(parsed: ParsedMeeting, cache: RunCache) -> list[Supplement]:
    if cache.any_supplements is None:
        cache.any_supplements = Supplement.objects.exists()
    if not cache.any_supplements:
        return []
    ids = states.supplement_ids(parsed)
    rows = Supplement.objects.filter(
        Q(supplement_id__in=ids) | Q(meeting_ids__contains=[parsed.kremlin_id]),
        language=parsed.language,
    )
    order = {sid: i for i, sid in enumerate(ids)}
    return sorted(rows, key=lambda s: (order.get(s.supplement_id, len(order)), s.supplement_id))


# --- writing ----------------------------------------------------------------------------------


def _apply(meeting: Meeting, created: bool, current: dict, merged: dict) -> bool:
    """Write the differences between ``current`` and ``merged``; True when anything changed."""
    changed_fields = [
        name
        for name in MEETING_FIELDS
        if created or current["fields"].get(name) != merged["fields"][name]
    ]
    for name in changed_fields:
        value = merged["fields"][name]
        if name == "date":
            value = dt.date.fromisoformat(value)
        elif name == "starts_at":
            value = dt.datetime.fromisoformat(value) if value else None
        setattr(meeting, name, value)
    if created:
        meeting.save()
    elif changed_fields:
        meeting.save(update_fields=changed_fields)
    changed = bool(changed_fields)

    if "date" in changed_fields and not created:
        meeting.country_links.update(date=meeting.date)
    if merged["countries"] != current["countries"]:
        if not created:
            meeting.country_links.all().delete()
        MeetingCountry.objects.bulk_create(
            MeetingCountry(meeting=meeting, country_id=code, date=meeting.date, position=i)
            for i, code in enumerate(merged["countries"])
        )
        changed = True
    if list(merged["participants"].items()) != list(current["participants"].items()):
        if not created:
            meeting.participations.all().delete()
        Participation.objects.bulk_create(
            Participation(meeting=meeting, participant_id=int(pk), role=role, position=i)
            for i, (pk, role) in enumerate(merged["participants"].items())
        )
        changed = True
    changed |= _apply_utterances(meeting, current["utterances"], merged["utterances"])
    if merged["documents"] != current["documents"]:
        _write_documents(meeting, merged["documents"], created)
        changed = True
    return changed


def _apply_utterances(meeting: Meeting, current: dict, merged: dict) -> bool:
    gone = [int(p) for p in current if p not in merged]
    new, edited = [], []
    for key, values in merged.items():
        if current.get(key) == values:
            continue
        row = Utterance(
            meeting=meeting,
            position=int(key),
            section=values["section"],
            speaker_id=values["speaker"],
            speaker_label=values["speaker_label"],
            kind=values["kind"],
            translation_note=values["translation_note"],
            text=values["text"],
            language=meeting.language,
        )
        (edited if key in current else new).append(row)
    if gone:
        meeting.utterances.filter(position__in=gone).delete()
    if edited:
        ids = dict(
            meeting.utterances.filter(position__in=[u.position for u in edited]).values_list(
                "position", "pk"
            )
        )
        for row in edited:
            row.pk = ids[row.position]
        Utterance.objects.bulk_update(
            edited, ["section", "speaker", "speaker_label", "kind", "translation_note", "text"]
        )
    if new:
        Utterance.objects.bulk_create(new, batch_size=500)
    return bool(gone or new or edited)


def _write_documents(meeting: Meeting, documents: list[dict[str, Any]], created=False) -> None:
    if not created:
        meeting.documents.all().delete()
    SignedDocument.objects.bulk_create(
        SignedDocument(meeting=meeting, position=i, **{k: doc[k] for k in DOCUMENT_FIELDS})
        for i, doc in enumerate(documents)
    )


def _refresh_documents(meeting: Meeting, take_source: bool) -> tuple[bool, list[str]]:
    """Recompute a meeting's documents after one of its supplements was (re)imported."""
    snapshot = meeting.imported or {}
    page_documents = snapshot.get("page_documents", [])
    supplements = Supplement.objects.filter(
        Q(supplement_id__in=meeting.supplement_ids) | Q(meeting_ids__contains=[meeting.kremlin_id]),
        language=meeting.language,
    )
    order = {sid: i for i, sid in enumerate(meeting.supplement_ids)}
    supplements = sorted(
        supplements, key=lambda s: (order.get(s.supplement_id, len(order)), s.supplement_id)
    )
    source = states.combine_documents(page_documents, supplements)
    current = [
        {**row, "parties": list(row["parties"])}
        for row in meeting.documents.order_by("position", "id").values(*DOCUMENT_FIELDS)
    ]
    base = snapshot.get("documents", current) if snapshot.get("v") == SNAPSHOT_VERSION else current
    conflicts: list[Conflict] = []
    merged = merge_documents(base, current, source, take_source, conflicts)
    changed = merged != current
    if changed:
        _write_documents(meeting, merged)
    if snapshot.get("v") == SNAPSHOT_VERSION and snapshot.get("documents") != source:
        meeting.imported = {**snapshot, "documents": source}
        meeting.save(update_fields=["imported"])
    return changed, describe(conflicts)


def _link_counterpart(meeting: Meeting, other: tuple | None) -> None:
    """Point the two language versions of one event at each other.

    ``other`` is the other version's (pk, source_hash, counterpart_id, parser), when it
    exists. A link an editor set elsewhere is left alone.
    """
    if other is None:
        return
    other_pk, _, other_counterpart, _ = other
    if meeting.counterpart_id is None and other_counterpart in (None, meeting.pk):
        Meeting.objects.filter(pk=meeting.pk).update(counterpart=other_pk)
        meeting.counterpart_id = other_pk
    if other_counterpart is None and meeting.counterpart_id == other_pk:
        Meeting.objects.filter(pk=other_pk).update(counterpart=meeting.pk)
