"""How clean are the people? Junk names and likely duplicates among all participants.

    DATABASE_URL=... python -m meetings.importer.people.audit [-v]

Method (reproducible, printed with the figures):

- *junk*: a participant name that cannot be a person's name: a digit; a lower-case word
  that is not a name particle ("… and", "media"); a word of an office or body ("Council",
  "President", "Business"); a leading "Of"; more than six words; or a single word, unless
  one of the person's roles is a monarch's or church head's ("Akihito", "Fahd").
- *duplicates*: participants joined when their names (any language, transliterated) are
  variants of each other by :func:`meetings.importer.people.match.same_name` (which takes a
  dropped Russified "-ov" as one name: "Emomali Rahmon" / "Emomali Rakhmonov"), when one is
  the other followed by more of the name (:func:`~meetings.importer.people.match.
  extended_name`: "Ricardo Lagos" / "Ricardo Lagos Escobar", "Juan Manuel Santos" / "Juan
  Manuel Santos Calderon", "Abdullah II" / "Abdullah II bin Al Hussein"), when their
  transliterated names are 92% alike by rapidfuzz's token-sort ratio, or when one name is
  the other with a title or rank in front ("State Counsellor Aung San Suu Kyi"); countries
  must not differ. Each group of n joined participants counts n - 1 duplicates.
- Putin and Tokayev: the number of participants whose names, in any language or alias,
  transliterate to theirs (must be 1 each).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict

from meetings.importer.people.match import (
    ONE_NAME_ROLES,
    PARTICLES,
    extended_name,
    latin,
    same_name,
    surname_key,
    tokens,
)

_OFFICE_WORDS = re.compile(
    r"\b(?:Council|Committee|Business|Ministry|Government|Security|National|Federation"
    r"|Minister|President|Chairman|Secretary|Entry|Media|Press|Company|Union|Bank|Group"
    r"|Совет|Комитет|Министр|Президент|Председатель|Правительств\w*)\b"
)


def junk_reason(name: str, roles: tuple[str, ...] = ()) -> str:
    """Why ``name`` is not a person's name, or "" when it may be one. A single word is a
    name only for a monarch or a church head ("Akihito", "King Fahd"), told by a role."""
    words = name.split()
    if re.search(r"\d", name):
        return "digit"
    if len(words) < 2 and not any(ONE_NAME_ROLES.search(r) for r in roles):
        return "one word"
    if len(words) > 6:
        return "more than six words"
    if words[0] in ("Of", "of", "And", "and"):
        return "leading connector"
    lower = [
        w
        for w in words
        if w[:1].islower()
        and w.lower().strip(".") not in PARTICLES
        and not ("-" in w and w.rsplit("-", 1)[-1][:1].isupper())  # "al-Assad", "el-Sisi"
    ]
    if lower:
        return f"lower-case word {lower[0]!r}"
    if m := _OFFICE_WORDS.search(name):
        return f"office word {m.group(0)!r}"
    if re.search(r"[…,;:()\"«»]", name):
        return "punctuation"
    return ""


def duplicate_groups(people: list[dict]) -> list[list[dict]]:
    """Groups of two or more participants that are likely one person."""
    from rapidfuzz import fuzz

    parent = list(range(len(people)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks = defaultdict(list)
    for i, p in enumerate(people):
        for name in p["names"]:
            if key := surname_key(name):
                blocks[key].append(i)
            if len(words := tokens(name)) >= 2:  # "Ricardo Lagos" / "Ricardo Lagos Escobar"
                blocks["+" + " ".join(words[:2])].append(i)
    for members in blocks.values():
        members = sorted(set(members))
        for a_i, a in enumerate(members):
            for b in members[a_i + 1 :]:
                pa, pb = people[a], people[b]
                if pa["country"] and pb["country"] and pa["country"] != pb["country"]:
                    continue
                if any(
                    same_name(x, y)
                    or fuzz.token_sort_ratio(latin(x), latin(y)) >= 92
                    or _titled(x, y)
                    or _titled(y, x)
                    or extended_name(x, y)
                    or extended_name(y, x)
                    for x in pa["names"]
                    for y in pb["names"]
                ):
                    parent[root(b)] = root(a)
    groups = defaultdict(list)
    for i, p in enumerate(people):
        groups[root(i)].append(p)
    return [g for g in groups.values() if len(g) > 1]


def _titled(long: str, short: str) -> bool:
    """ "General Adrienne Clarkson" is "Adrienne Clarkson" with a word in front; "Tamim bin
    Hamad Al Thani" is not "Hamad … Al Thani" with "Tamim bin" in front: the name cut off
    would begin with "bin" (son of), so the front is a person, not a title."""
    a, b = long.split(), short.split()
    if len(b) < 2 or len(a) <= len(b) or a[-len(b)].lower() in PARTICLES | _PATRONYMIC:
        return False
    return same_name(" ".join(a[-len(b) :]), short)


_PATRONYMIC = frozenset(["ben", "бин", "ибн"])


def count_person(people: list[dict], first: str, last: str) -> int:
    """Participants any of whose names transliterates to ``first`` … ``last``."""
    found = 0
    for p in people:
        if any(same_name(f"{first} {last}", n) for n in p["names"]):
            found += 1
    return found


def audit(verbose: bool = False, out=sys.stdout) -> dict[str, int]:
    from meetings.models import Participant, Participation

    roles = defaultdict(set)
    for pk, role in Participation.objects.exclude(role="").values_list("participant_id", "role"):
        roles[pk].add(role)
    people = [
        {
            "pk": pk,
            "name": name,
            "names": [x for x in dict.fromkeys([name, name_en, name_ru]) if x],
            "country": country,
        }
        for pk, name, name_en, name_ru, country in Participant.objects.values_list(
            "pk", "name", "name_en", "name_ru", "country_id"
        )
    ]
    reasons = [(p, junk_reason(p["name"], tuple(roles[p["pk"]]))) for p in people]
    junk = [(p, why) for p, why in reasons if why]
    groups = duplicate_groups(people)
    figures = {
        "participants": len(people),
        "junk": len(junk),
        "duplicates": sum(len(g) - 1 for g in groups),
        "putin": count_person(people, "Vladimir", "Putin"),
        "tokayev": count_person(people, "Kassym-Jomart", "Tokayev"),
    }
    if verbose:
        for p, why in junk:
            print(f"junk {p['pk']}: {p['name']!r} ({why})", file=out)
        for g in groups:
            print("duplicates: " + " | ".join(f"{p['pk']} {p['name']}" for p in g), file=out)
    print(
        " ".join(f"{k}={v}" for k, v in figures.items())
        + f" junk+duplicates={figures['junk'] + figures['duplicates']}",
        file=out,
    )
    return figures


def main(argv: list[str]) -> int:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kremlin_meetings.settings")
    django.setup()
    audit(verbose="-v" in argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
