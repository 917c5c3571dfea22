"""The meeting form of the admin and the widgets of its inlines.

A meeting has ``date`` (the Moscow day) and ``starts_at`` (a moment, when the page gives a
time); shown side by side the admin printed the date twice. The form shows the day once and
the start as a Moscow time, and puts the two together when saved.

The biggest meeting (525 turns, 56 participants) took about a second to render at 100,000
meetings, most of it in widgets: a query per participant row for its autocomplete's
chosen name, and a template include per ``<option>`` of the speaker select on every turn
(57 people × 25 turns). :class:`ChosenAutocompleteSelect` and :class:`SharedChoicesSelect`
write the same HTML without either (and the participants are paged like the turns, see
meetings.admin_queries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from meetings.models import MOSCOW, Meeting


class MeetingAdminForm(forms.ModelForm):
    start_time = forms.TimeField(
        label=_("Starts at (Moscow time)"),
        required=False,
        help_text=_("When the page gives a time; the day is the date above."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    class Meta:
        model = Meeting
        fields = ("date",)  # the admin's fieldsets name the rest

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        starts_at = self.instance.starts_at if self.instance.pk else None
        if starts_at is not None:
            self.initial["start_time"] = starts_at.astimezone(MOSCOW).time()

    def save(self, commit: bool = True) -> Meeting:
        meeting = super().save(commit=False)
        start, day = self.cleaned_data.get("start_time"), self.cleaned_data.get("date")
        meeting.starts_at = (
            dt.datetime.combine(day, start, tzinfo=MOSCOW) if start and day else None
        )
        if commit:
            meeting.save()
            self.save_m2m()
        return meeting


class ChosenAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, its chosen option named by the formset (``chosen``: the
    value and label of the row's saved object, read with all the rows in one query) instead
    of one query per row. Any other value (a form sent back with errors) is looked up as
    usual."""

    chosen: tuple[Any, str] | None = None

    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> list[Any]:
        if self.chosen is None or list(value) != [str(self.chosen[0])]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        pk, label = self.chosen
        options.append(self.create_option(name, pk, label, True, len(options)))
        return [(None, options, 0)]


class SharedChoicesSelect(forms.Select):
    """A ``<select>`` repeated on every form of a formset (each turn's speaker and kind), its
    options written here in one pass: Django's own renders every ``<option>`` through a
    template include, 1,400 of them for a page of a long transcript. Same markup, no option
    groups."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == chosen else ""}>'
            f"{escape(label)}</option>"
            for v, label in self.choices
        )  # every value and label escaped: safe
        built = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, built, mark_safe(options))
