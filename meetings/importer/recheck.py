"""``import_meetings --recheck``: read imported pages again on a decaying schedule
(:func:`meetings.importer.versions.next_check`), so an edit kremlin.ru makes to a published
transcript becomes a new source version. Each page is fetched afresh (never from the raw
page cache) and imported as any other page; pages the site refused are left due."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from meetings.importer import run, versions
from meetings.importer.fetch import Fetcher
from meetings.models.versions import SourceCheck

DEFAULT_LIMIT = 500  # pages per run: at 3 s a page, a daily run of under half an hour


def due(now: dt.datetime, limit: int = DEFAULT_LIMIT) -> list[SourceCheck]:
    return list(SourceCheck.objects.due(now).select_related("meeting")[:limit])


def recheck(
    fetcher: Fetcher,
    options: run.Options | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
    now: dt.datetime | None = None,
    progress: run.ProgressFactory | None = None,
) -> run.Summary:
    """Fetch and import the pages due at ``now`` (at most ``limit``), oldest due first."""
    now = now or timezone.now()
    options = options or run.Options()
    summaries, read = [], []
    checks = due(now, limit)
    bar = progress(len(checks)) if progress else None
    try:
        for check in checks:
            meeting = check.meeting
            url = fetcher.event_url(meeting.kremlin_id, meeting.language)
            summary = run.import_urls([url], fetcher, options)
            summaries.append(summary)
            if bar:
                bar.update(1)
            if summary.stopped:
                break
            if not summary.failed:
                read.append(meeting.pk)
    finally:
        if bar:
            bar.close()
    if not options.dry_run:
        versions.mark_checked(read, now)
    return run.merge(summaries)
