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

from typing import Any

from django.db import transaction
from django.dispatch import Signal

data_changed = Signal()


def announce(sender: Any) -> None:
    """Send ``data_changed`` now."""
    data_changed.send(sender=sender)


def admin_change(sender: Any, created: bool = False, **kwargs: Any) -> None:
    """``post_save`` of ``LogEntry``: an editor's change, announced once it is committed."""
    if created:
        transaction.on_commit(lambda: announce(sender))
