"""``data_changed``: the one announcement that the archive's data changed.

Sent by an import that created or updated anything (``importer.run.recorded``, which
``load_sample`` uses too) and by every admin change (each writes a ``LogEntry``; see
:func:`admin_change`), once the change is committed. Whoever keeps something derived from the
data listens; both receivers are connected in ``MeetingsConfig.ready()``, in this order:

1. ``models.aggregates.refresh_on_change``: recompute the kept aggregates;
2. ``caching.retire_pages``: start a new data generation, so every cached page is stale
   (after the refresh, so no page rendered under the new generation shows the old counts).

The importer imports this module and nothing of the web side.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

data_changed = Signal()


def announce(sender: Any) -> None:
    """Send ``data_changed`` now."""
    data_changed.send(sender=sender)


def admin_change(sender: Any, created: bool = False, **kwargs: Any) -> None:
    """``post_save`` of ``LogEntry``: an editor's change, announced once it is committed.

    The editor does not wait for the kept counts: the cached pages are retired at once
    (``deferred=True``: the aggregates' receiver leaves them for later), and a thread then
    refreshes the counts and retires the pages again, within seconds. Several saves in a row
    cost one refresh (the others find the counts current). With
    ``AGGREGATES_REFRESH_IN_BACKGROUND`` off (the tests) all of it happens before returning."""
    if created:
        transaction.on_commit(lambda: announce_after_edit(sender))


def announce_after_edit(sender: Any) -> None:
    if not settings.AGGREGATES_REFRESH_IN_BACKGROUND:
        announce(sender)
        return
    data_changed.send(sender=sender, deferred=True)
    threading.Thread(
        target=_announce_in_background, args=(sender,), name="aggregates-refresh", daemon=True
    ).start()


def _announce_in_background(sender: Any) -> None:
    try:
        with connections["default"].cursor() as cursor:  # not a request: no time limit
            cursor.execute("SELECT set_config('statement_timeout', '0', false)")
        data_changed.send(sender=sender, background=True)
    except Exception:
        logger.exception("Refreshing the kept counts after an edit failed")
    finally:
        connections.close_all()  # this thread's own connections
