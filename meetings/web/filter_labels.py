"""What a list's active filters are called: the chips that remove one, the feed titles and
the feed landing page all name a filter the same way ("China", "Year: 2016", "Kind: Talks")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

NOT_FILTERS = ("sort", "person")  # the order of rows; the picker's text input


@dataclass(frozen=True)
class ActiveFilter:
    parameter: str  # the query parameter that removing it drops
    label: str
    value: str = ""  # for ``country``: the one code to drop, the others stay


def _shown(field, value) -> str:
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(int(value))  # a year: never "2,016"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = dict(getattr(field, "choices", ()) or ())
    return str(choices.get(value, value))


def active_filters(filterset) -> list[ActiveFilter]:
    """Every filter that narrows this list, in the form's order; none for an invalid form."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return []
    form = filterset.form
    cleaned = form.cleaned_data
    found: list[ActiveFilter] = []
    for name, field in form.fields.items():
        value = cleaned.get(name)
        if name in NOT_FILTERS or value in (None, "", []):
            continue
        if name == "country":
            names = dict(field.choices)
            found += [ActiveFilter(name, str(names.get(code, code)), code) for code in value]
        elif name in ("participant", "speaker"):
            found.append(ActiveFilter(name, value.display_name))
        elif name == "q":
            found.append(ActiveFilter(name, _("Words: %(words)s") % {"words": value.strip()}))
        else:
            label = _("%(filter)s: %(value)s") % {
                "filter": field.label,
                "value": _shown(field, value),
            }
            found.append(ActiveFilter(name, label))
    return found


def meetings_feed_title(filterset) -> str:
    """ "Kremlin Meetings: meetings — China, Year: 2016" (or "latest meetings" unfiltered)."""
    labels = [f.label for f in active_filters(filterset)]
    if not labels:
        return _("Kremlin Meetings: latest meetings")
    return _("Kremlin Meetings: meetings — %(filters)s") % {"filters": ", ".join(labels)}


def search_feed_title(filterset) -> str:
    """The search's words quoted once (a phrase typed in quotes keeps only its own), then
    the other filters."""
    text = filterset.text
    words = text if '"' in text else _("“%(words)s”") % {"words": text}
    title = _("Kremlin Meetings: %(words)s said") % {"words": words}
    others = [f.label for f in active_filters(filterset) if f.parameter != "q"]
    return f"{title} — {', '.join(others)}" if others else title
