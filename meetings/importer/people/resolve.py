"""The Participant row for each person a page names, creating or enriching rows.

Order of evidence: the kremlin.ru person id; any name or label already printed for the
person (``Participant.aliases``, which keeps every printed form, so an editor's merge is
found again on the next import); the other language's version of the same event; and
last a spelling or transliteration variant of the name ("Касым-Жомарт Токаев" for
"Kassym-Jomart Tokayev", "Angela Markel") of a person of the same country, taken only
when exactly one stored person fits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from meetings.importer.people.match import (
    extended_name,
    prefixed_name,
    same_name,
    surname_key,
)
from meetings.importer.records import ParsedParticipant
from meetings.models import Participant


def _cut(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolve_participants(
    parsed: list[ParsedParticipant], language: str, counterpart_pk: int | None = None
) -> list[int]:
    """The Participant pk for each parsed participant, creating or enriching rows.

    By kremlin.ru person id first, then by any name or label the page printed for them
    (``Participant.aliases``, GIN-indexed); a person with a different person id never
    matches by name. Failing both, the other language's version of the same event links
    them: the only person of a country here is the only person of that country there.
    """
    if not parsed:
        return []
    person_ids = {p.kremlin_id for p in parsed if p.kremlin_id}
    labels = sorted({label for p in parsed for label in _labels(p)})
    keys = {surname_key(p.name) for p in parsed} - {""}
    extensions = _extensions(parsed)
    # One query for every stored person the page may mean, sorted out below: an import's
    # time per page is mostly round trips, and these were three.
    stored = list(
        Participant.objects.filter(
            Q(kremlin_person_id__in=person_ids)
            | Q(aliases__overlap=labels)
            | Q(name_key__in=keys)
            | extensions.query
        )
    )
    printed = set(labels)
    candidates = {
        row.pk: row
        for row in stored
        if row.kremlin_person_id in person_ids or printed.intersection(row.aliases)
    }
    rows: list[Participant] = []
    new: list[Participant] = []
    counterpart_people: list[Participant] | None = None
    keyed = [row for row in stored if row.name_key in keys]
    keyed += [row for row in stored if extensions.match(row.name) and row not in keyed]
    for person in parsed:
        row = _best_match(person, candidates.values())
        if row is None and counterpart_pk is not None:
            if counterpart_people is None:
                counterpart_people = list(
                    Participant.objects.filter(participations__meeting_id=counterpart_pk)
                )
            row = _same_person_there(person, parsed, counterpart_people, language)
            if row is not None:
                candidates[row.pk] = row
        if row is None:
            row = _variant_match(person, rows, keyed)
            if row is not None:
                candidates[row.pk] = row
        if row is None:
            row = Participant(
                pk=-len(new) - 1,  # a placeholder, so later people on the page can match it
                name=_cut(person.name, 200),
                kremlin_person_id=person.kremlin_id,
                country_id=_code(person.country),
                aliases=list(_labels(person)),
                name_key=surname_key(person.name),
            )
            setattr(row, f"name_{language}", _cut(person.name, 200))
            new.append(row)
            candidates[row.pk] = row
            keyed.append(row)
        else:
            _enrich(row, person, language, candidates.values(), save=row.pk > 0)
        rows.append(row)
    if new:
        for row in new:
            row.pk = None
        Participant.objects.bulk_create(new)
    return [row.pk for row in rows]


def _same_person_there(
    person: ParsedParticipant,
    here: list[ParsedParticipant],
    there: list[Participant],
    language: str,
) -> Participant | None:
    """The counterpart meeting's participant who must be ``person``, if exactly one can be.

    Only someone not yet named in this language, of the same country, and the only one of
    that country on both versions of the event.
    """
    code = _code(person.country)
    if not code or sum(_code(p.country) == code for p in here) != 1:
        return None
    same = [row for row in there if row.country_id == code]
    if len(same) != 1:
        return None
    row = same[0]
    if getattr(row, f"name_{language}"):
        return None  # already known in this language under another name: someone else
    if person.kremlin_id and row.kremlin_person_id not in (None, person.kremlin_id):
        return None
    return row


def _labels(person: ParsedParticipant) -> Iterable[str]:
    seen = dict.fromkeys(_cut(x.strip(), 300) for x in [person.name, *person.aliases])
    return [x for x in seen if x]


def _best_match(person: ParsedParticipant, rows: Iterable[Participant]) -> Participant | None:
    if person.kremlin_id:
        for row in rows:
            if row.kremlin_person_id == person.kremlin_id:
                return row
    labels = set(_labels(person))
    best, best_score = None, 0
    for row in sorted(rows, key=lambda r: r.pk):
        if person.kremlin_id and row.kremlin_person_id not in (None, person.kremlin_id):
            continue  # the site says these are two different people
        names = {row.name, row.name_en, row.name_ru}
        score = 2 * len(labels & names) + len(labels & set(row.aliases))
        if score > best_score:
            best, best_score = row, score
    return best


def _enrich(
    row: Participant,
    person: ParsedParticipant,
    language: str,
    others: Iterable[Participant],
    *,
    save: bool = True,
) -> None:
    """Fill what the row lacks from this page; never overwrite what is there."""
    changed = []
    current = getattr(row, f"name_{language}")
    if not current and person.name:
        setattr(row, f"name_{language}", _cut(person.name, 200))
        changed.append(f"name_{language}")
    elif _site_spelling(person, current):
        # The site's catalogue spells the name so (a person tag): it wins over another
        # page's transliteration ("Kassym-Jomart", not 2000's "Kasymzhomart", Tokayev).
        setattr(row, f"name_{language}", _cut(person.name, 200))
        changed.append(f"name_{language}")
        if row.name == current:
            row.name = _cut(person.name, 200)
            row.name_key = surname_key(row.name)
            changed += ["name", "name_key"]
    if (
        person.kremlin_id
        and row.kremlin_person_id is None
        and not any(o.kremlin_person_id == person.kremlin_id for o in others)
    ):
        row.kremlin_person_id = person.kremlin_id
        changed.append("kremlin_person_id")
    if row.country_id is None and _code(person.country):
        row.country_id = _code(person.country)
        changed.append("country")
    new_aliases = [a for a in _labels(person) if a not in row.aliases]
    if new_aliases:
        row.aliases = [*row.aliases, *new_aliases]
        changed.append("aliases")
    if changed and save:
        row.save(update_fields=changed)


def _site_spelling(person: ParsedParticipant, current: str) -> bool:
    """Does this page give the site's own spelling of a name stored under another one? Only
    a page that tags the person (kremlin.ru's catalogue), and only a spelling variant."""
    if not person.kremlin_id or not current or not person.name or person.name == current:
        return False
    return same_name(person.name, current) and person.name.split()[-1] == current.split()[-1]


def _code(code: str | None) -> str | None:
    code = (code or "").strip().upper()
    return code if len(code) == 2 else None


def _variant_match(
    person: ParsedParticipant, taken: list[Participant], rows: list[Participant]
) -> Participant | None:
    """The one stored person whose name is a variant of ``person``'s, if exactly one is.

    Candidates share the surname key; the country must agree when both are known and the
    kremlin.ru person ids must not differ; someone already matched on this page is another
    person. Two or more fits (two Aliyevs of one country with no first name told apart)
    match nobody: a new participant is safer than a wrong merge.
    """
    key = surname_key(person.name)
    if not key:
        return None
    code = _code(person.country)
    taken_pks = {row.pk for row in taken}
    fits = []
    for row in rows:
        if row.pk in taken_pks:
            continue
        names = {row.name, row.name_en, row.name_ru} - {""}
        extended = any(
            extended_name(person.name, n) or extended_name(n, person.name) for n in names
        )
        if row.name_key != key and not extended:
            continue
        if code and row.country_id and row.country_id != code:
            continue
        if person.kremlin_id and row.kremlin_person_id not in (None, person.kremlin_id):
            continue
        prefixed = bool(code and row.country_id == code) and any(
            prefixed_name(person.name, n) or prefixed_name(n, person.name) for n in names
        )
        if extended or prefixed or any(same_name(person.name, name) for name in names):
            fits.append(row)
    return fits[0] if len(fits) == 1 else None


@dataclass(frozen=True)
class _Extensions:
    """Stored people whose name is a page's name with more after it, or less: "Ricardo
    Lagos" for "Ricardo Lagos Escobar" and the other way round (see ``extended_name``), as
    a query and as the same test on a name already read."""

    longer: tuple[str, ...]  # a page's name and a space: what a longer name starts with
    shorter: frozenset[str]  # a page's name without its last words

    @property
    def query(self) -> Q:
        query = Q(name__in=self.shorter) if self.shorter else Q(pk__in=[])
        for start in self.longer:
            query |= Q(name__startswith=start)
        return query

    def match(self, name: str) -> bool:
        return name in self.shorter or name.startswith(self.longer)


def _extensions(parsed: list[ParsedParticipant]) -> _Extensions:
    longer: list[str] = []
    shorter: set[str] = set()
    for person in parsed:
        words = person.name.split()
        if len(words) < 2:
            continue
        longer.append(person.name + " ")
        shorter.update(" ".join(words[:n]) for n in range(2, len(words)))
    return _Extensions(tuple(longer), frozenset(shorter))


def may_be_foreign(parsed: list[ParsedParticipant]) -> bool:
    """Does the page name someone it gives no country, whom :func:`known_foreigner` could
    know? The site's host always has one."""
    return any(not _code(p.country) for p in parsed)


def known_foreigner(parsed: list[ParsedParticipant]) -> str:
    """Cross-meeting evidence that a page is diplomatic: a participant the page gives no
    country whom earlier imports know as a person of a foreign country, by kremlin.ru
    person id or by a printed form of the name (en-27029's "Prime Minister Silvio
    Berlusconi", en-62222's tag "Juncker Jean-Claude"). One line naming them, or "" when
    nobody is known so. The import run asks before skipping a page the parser found
    domestic."""
    unplaced = [p for p in parsed if not _code(p.country)]
    labels = sorted({label for p in unplaced for label in _labels(p)})
    person_ids = sorted({p.kremlin_id for p in unplaced if p.kremlin_id})
    if not labels and not person_ids:
        return ""
    row = (
        Participant.objects.filter(
            Q(aliases__overlap=labels) | Q(kremlin_person_id__in=person_ids),
            country__isnull=False,
        )
        .exclude(country_id="RU")
        .order_by("pk")
        .first()
    )
    return f"{row.name} is known as a person of {row.country_id}" if row else ""
