"""``/meetings/<lang>/<id>/versions/``: every kept version of a meeting's source page and
what changed from one to the next (:mod:`meetings.versions_diff`); ``/feeds/changes.atom``:
the meetings whose source changed, newest change first."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from meetings.models import Meeting
from meetings.models.versions import SourceVersion
from meetings.versions_diff import diff

FEED_ENTRIES = 50


@require_safe
def meeting_versions(request: HttpRequest, language: str, kremlin_id: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.only("pk", "kremlin_id", "language", "title", "date", "source_url"),
        language=language,
        kremlin_id=kremlin_id,
    )
    versions = list(SourceVersion.objects.filter(meeting=meeting).order_by("number"))
    changes = [
        {"old": old, "new": new, "diff": diff(old.content, new.content)}
        for old, new in zip(versions, versions[1:], strict=False)
    ]
    changes.reverse()  # the newest change first
    return render(
        request,
        "meetings/meeting_versions.html",
        {"meeting": meeting, "versions": versions, "changes": changes},
    )


class ChangesFeed(Feed):
    """Meetings whose source page kremlin.ru changed after it was first imported."""

    feed_type = Atom1Feed
    title = _("Kremlin Meetings: changed transcripts")
    subtitle = _("Meetings whose text on kremlin.ru changed after it was first published.")

    def link(self) -> str:
        return reverse("meetings:meeting_list")

    def items(self) -> QuerySet[SourceVersion]:
        return (
            SourceVersion.objects.filter(number__gt=1)
            .select_related("meeting")
            .only(
                "pk",
                "number",
                "seen_at",
                "meeting__kremlin_id",
                "meeting__language",
                "meeting__title",
            )
            .order_by("-seen_at", "-id")[:FEED_ENTRIES]
        )

    def item_title(self, item: SourceVersion) -> str:
        return item.meeting.title

    def item_description(self, item: SourceVersion) -> str:
        return _("Version %(number)d of the source page, first seen %(when)s.") % {
            "number": item.number,
            "when": item.seen_at.strftime("%Y-%m-%d %H:%M UTC"),
        }

    def item_link(self, item: SourceVersion) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: SourceVersion) -> str:
        return f"{item.meeting.language}/{item.meeting.kremlin_id}/v{item.number}"

    def item_guid_is_permalink(self, item: SourceVersion) -> bool:
        return False

    def item_pubdate(self, item: SourceVersion) -> dt.datetime:
        return item.seen_at

    def item_updateddate(self, item: SourceVersion) -> dt.datetime:
        return item.seen_at
