"""Editors' corrections of people: merge duplicates into one participant, split one
participant's meetings off to a new person.

Both keep the next import's result: a merge moves every alias to the kept person, so the
importer's alias lookup finds the kept person for every form the duplicates were printed
as; a split is a correction of the meetings' participants and speakers, which the
three-way merge (``meetings.importer.merging``) keeps (the meetings' snapshots still name
the old person).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from meetings.importer.people.match import surname_key
from meetings.models import Participant, Participation, Utterance, record_merge


class MergeError(ValueError):
    """The chosen people cannot be merged (or split) as asked."""


@dataclass
class Moved:
    participations: int = 0
    utterances: int = 0
    deleted: int = 0


def _add_aliases(row: Participant, forms: Iterable[str]) -> None:
    row.aliases = [a for a in dict.fromkeys([*row.aliases, *(f.strip()[:300] for f in forms)]) if a]


@transaction.atomic
def merge_participants(keep: Participant, others: Iterable[Participant]) -> Moved:
    """Move the others' participations, turns and name forms to ``keep``; delete them.

    Refused when two of them carry different kremlin.ru person ids (the site says they
    are two people). Where ``keep`` and another took part in one meeting, ``keep``'s
    participation stays and the other's role fills it when empty.
    """
    keep = Participant.objects.select_for_update().get(pk=keep.pk)
    others = list(
        Participant.objects.select_for_update()
        .filter(pk__in=[o.pk for o in others])
        .exclude(pk=keep.pk)
    )
    if not others:
        raise MergeError(gettext("Choose at least one participant besides the one to keep."))
    ids = {p.kremlin_person_id for p in [keep, *others] if p.kremlin_person_id}
    if len(ids) > 1:
        raise MergeError(
            gettext(
                "These participants have different kremlin.ru person ids (%(ids)s); "
                "the site says they are different people."
            )
            % {"ids": ", ".join(map(str, sorted(ids)))}
        )
    moved = Moved()
    other_pks = [o.pk for o in others]
    mine = {p.meeting_id: p for p in Participation.objects.filter(participant=keep)}
    for row in Participation.objects.filter(participant_id__in=other_pks).order_by("pk"):
        there = mine.get(row.meeting_id)
        if there is None:
            row.participant = keep
            row.save(update_fields=["participant"])
            mine[row.meeting_id] = row
        else:
            if not there.role and row.role:
                there.role = row.role
                there.save(update_fields=["role"])
            row.delete()
        moved.participations += 1
    moved.utterances = Utterance.objects.filter(speaker_id__in=other_pks).update(speaker=keep)
    for other in others:
        _add_aliases(keep, [other.name, other.name_en, other.name_ru, *other.aliases])
        for field in ("name_en", "name_ru"):
            if not getattr(keep, field) and getattr(other, field):
                setattr(keep, field, getattr(other, field))
        if keep.country_id is None and other.country_id:
            keep.country_id = other.country_id
    person_id = next(iter(ids), None)
    record_merge(keep, others)  # before the delete: links to the others lead to ``keep``
    moved.deleted, _ = Participant.objects.filter(pk__in=other_pks).delete()
    keep.kremlin_person_id = keep.kremlin_person_id or person_id
    _add_aliases(keep, [keep.name])
    keep.name_key = surname_key(keep.name)
    keep.save()
    return moved


@transaction.atomic
def split_participant(
    person: Participant,
    name: str,
    meeting_ids: Iterable[int] = (),
    aliases: Iterable[str] = (),
    turn_ids: Iterable[int] = (),
) -> Participant:
    """A new participant ``name`` who takes ``person``'s place in the chosen meetings (the
    participation and ``person``'s turns there move) and takes the chosen turns elsewhere
    (for a page where two people were taken for one: the new person joins that meeting,
    ``person`` stays in it). ``aliases`` (name forms that belong to the new person) leave
    ``person`` so that later imports find the new one."""
    name = name.strip()
    if not name:
        raise MergeError(gettext("Give the new person's name."))
    meeting_ids = set(meeting_ids)
    turns = Utterance.objects.filter(speaker=person, pk__in=set(turn_ids))
    turn_meetings = set(turns.values_list("meeting_id", flat=True)) - meeting_ids
    if not meeting_ids and not turn_meetings:
        raise MergeError(gettext("Choose at least one meeting or turn to move."))
    aliases = [a.strip() for a in aliases if a.strip()]
    new = Participant.objects.create(
        name=name[:200],
        country_id=person.country_id,
        aliases=list(dict.fromkeys([name[:300], *aliases])),
        name_key=surname_key(name),
    )
    Participation.objects.filter(participant=person, meeting_id__in=meeting_ids).update(
        participant=new
    )
    Utterance.objects.filter(speaker=person, meeting_id__in=meeting_ids).update(speaker=new)
    turns.filter(meeting_id__in=turn_meetings).update(speaker=new)
    for meeting_id in sorted(turn_meetings):  # beside ``person``, right after them
        mine = Participation.objects.filter(participant=person, meeting_id=meeting_id).first()
        Participation.objects.create(
            participant=new, meeting_id=meeting_id, position=mine.position if mine else 0
        )
    if aliases:
        person.aliases = [a for a in person.aliases if a not in aliases]
        person.save(update_fields=["aliases"])
    return new
