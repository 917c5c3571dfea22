"""Conflicts of a merge, told to the person running the import: one line each, with
speakers and participants by name."""

from __future__ import annotations

from meetings.importer.merging import MISSING, Conflict
from meetings.models import Participant


def describe(conflicts: list[Conflict]) -> list[str]:
    """One readable line per conflict, speakers and participants by name."""
    pks = set()
    for c in conflicts:
        if c.what.startswith("participant ") or c.what.endswith(" speaker"):
            pks.update(x for x in (c.kept, c.source) if isinstance(x, int))
            if c.what.startswith("participant "):
                pks.add(int(c.what.split()[1]))
    names = dict(Participant.objects.filter(pk__in=pks).values_list("pk", "name")) if pks else {}

    def show(value):
        if value is MISSING:
            return "(absent)"
        if isinstance(value, int) and value in names:
            return names[value]
        text = repr(value)
        return text if len(text) <= 80 else text[:77] + "…"

    lines = []
    for c in conflicts:
        what = c.what
        if what.startswith("participant "):
            what = f"participant {names.get(int(what.split()[1]), what.split()[1])} role"
        lines.append(
            f"{what}: kept the editor's {show(c.kept)}, the source now has {show(c.source)}"
        )
    return lines
