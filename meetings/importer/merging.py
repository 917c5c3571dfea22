"""The three-way merge that keeps editors' corrections through re-imports.

Three versions of every value meet when a page is saved:

- *base*: what the previous import wrote, kept in ``Meeting.imported``;
- *current*: what the database holds now (the base, unless an editor corrected it);
- *source*: what the page says today.

Where current equals base, the source wins. Where they differ an editor corrected the value:
it is kept, and if the source changed the same value too the merge records a
:class:`Conflict`. ``take_source=True`` lets the source win everywhere.

The units compared are: each meeting field, the countries (as one list), each participant's
role, each field of each utterance (by position) and each field of each signed document (by
position). Pure functions on the snapshot dicts; no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MEETING_FIELDS = (
    "source_url",
    "title",
    "date",
    "starts_at",
    "place",
    "lead",
    "kind",
    "is_domestic",
    "supplement_ids",
)
UTTERANCE_FIELDS = ("section", "speaker", "speaker_label", "kind", "translation_note", "text")
DOCUMENT_FIELDS = ("title", "kind", "url", "supplement_id", "parties")

MISSING = object()  # a value absent from one version (a row added or deleted)


@dataclass
class Conflict:
    what: str
    kept: Any
    source: Any


def merge_value(base, current, source, take_source, what, conflicts):
    if take_source or current == base:
        return source
    if source != base and source != current:
        conflicts.append(Conflict(what, current, source))
    return current


def merge_keyed(base: dict, current: dict, source: dict, take_source, what, conflicts, fields=()):
    """Three-way merge of ``{key: value}``; with ``fields``, values are dicts merged per field."""
    merged = {}
    for key in dict.fromkeys([*source, *current]):
        b, c, s = (d.get(key, MISSING) for d in (base, current, source))
        if fields and all(isinstance(x, dict) for x in (b, c, s)):
            merged[key] = {
                f: merge_value(b[f], c[f], s[f], take_source, f"{what} {key} {f}", conflicts)
                for f in fields
            }
            continue
        value = merge_value(b, c, s, take_source, f"{what} {key}", conflicts)
        if value is not MISSING:
            merged[key] = value
    return merged


def merge_state(base, current, source, take_source):
    conflicts: list[Conflict] = []
    fields = {
        name: merge_value(
            base["fields"].get(name, MISSING),
            current["fields"].get(name, MISSING),
            source["fields"][name],
            take_source,
            name,
            conflicts,
        )
        for name in MEETING_FIELDS
    }
    # The countries are one unit: an editor's list is kept whole.
    countries = merge_value(
        base["countries"],
        current["countries"],
        source["countries"],
        take_source,
        "countries",
        conflicts,
    )
    participants = merge_keyed(
        base["participants"],
        current["participants"],
        source["participants"],
        take_source,
        "participant",
        conflicts,
    )
    utterances = merge_keyed(
        base["utterances"],
        current["utterances"],
        source["utterances"],
        take_source,
        "utterance",
        conflicts,
        UTTERANCE_FIELDS,
    )
    documents = merge_documents(
        base["documents"], current["documents"], source["documents"], take_source, conflicts
    )
    merged = {
        "fields": fields,
        "countries": list(countries),
        "participants": participants,
        "utterances": utterances,
        "documents": documents,
    }
    return merged, conflicts


def merge_documents(base, current, source, take_source, conflicts):
    def keyed(docs):
        return {str(i + 1): d for i, d in enumerate(docs)}

    merged = merge_keyed(
        keyed(base),
        keyed(current),
        keyed(source),
        take_source,
        "document",
        conflicts,
        DOCUMENT_FIELDS,
    )
    return list(merged.values())
