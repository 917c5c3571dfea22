"""``{% source_changes meeting %}``: the meeting page's "changed since first published"
note (one query: the page's :class:`~meetings.models.versions.SourceCheck`)."""

from __future__ import annotations

from django import template

from meetings.models import Meeting
from meetings.models.versions import SourceCheck

register = template.Library()


@register.inclusion_tag("meetings/includes/source_changes.html")
def source_changes(meeting: Meeting) -> dict:
    check = SourceCheck.objects.filter(meeting_id=meeting.pk, changes__gt=0).first()
    return {"meeting": meeting, "check": check}
