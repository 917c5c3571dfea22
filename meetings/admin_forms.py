"""The meeting form of the admin: the date once, the start as a time of that day.

A meeting has ``date`` (the Moscow day) and ``starts_at`` (a moment, when the page gives a
time); shown side by side the admin printed the date twice. The form shows the day once and
the start as a Moscow time, and puts the two together when saved."""

from __future__ import annotations

import datetime as dt

from django import forms
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
