"""The per-person and per-country counts (materialized views, migration 0011_perf_aggregates)
kept in step with the data.

A person or country page reads a handful of precomputed rows instead of counting every
meeting of the person or country, so its cost does not grow with how often they met. The
data changes only when an import or an editor writes, and both end in
``caching.data_changed()``, which calls :func:`refresh` before it retires the cached pages.

Any other write (a shell session, a test's builders) is caught too: statement-level triggers
on the tables the views read advance the sequence ``meetings_aggregates_version``, each
refresh records the value it started from, and :func:`ensure_fresh` (one small query, run by
the QuerySet methods that read the views) refreshes when the two differ, unless an import is
running: that import refreshes when it ends, so pages during it are not held up by one
refresh per request.
"""

from __future__ import annotations

from django.db import connections, transaction

VIEWS = (
    "meetings_personstats",
    "meetings_personyear",
    "meetings_personrole",
    "meetings_personcountry",
    "meetings_personcospeaker",
    "meetings_countrystats",
    "meetings_countryyear",
    "meetings_countryspeaker",
    # The map's and the network's counts (migration 0013_viz_map_network_counts).
    "meetings_mapcountry",
    "meetings_mapperson",
    "meetings_netnode",
    "meetings_netedge",
)
_LOCK = 7_310_011  # pg_advisory_xact_lock key: one refresh at a time
_CURRENT = (
    "SELECT s.version = v.last_value FROM meetings_aggregatesstate s, meetings_aggregates_version v"
)
# An import that started in the last six hours and has not finished (one killed outright
# never finishes: after six hours pages refresh the views themselves again).
_IMPORTING = (
    "EXISTS (SELECT 1 FROM meetings_importrun r WHERE r.finished_at IS NULL"
    " AND r.started_at > now() - interval '6 hours')"
)


def refresh(using: str = "default", force: bool = True) -> None:
    """Recompute every view, CONCURRENTLY: pages keep reading the old rows meanwhile
    (about 5 s at 100,000 meetings). Without ``force``, only when a write came after the
    last refresh (checked again once the lock is held: a refresh that finished while this
    one waited is enough)."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        if not force:
            cursor.execute(_CURRENT)
            if cursor.fetchone()[0]:
                return
        cursor.execute("SELECT last_value FROM meetings_aggregates_version")
        version = cursor.fetchone()[0]
        for view in VIEWS:
            cursor.execute(f"REFRESH MATERIALIZED VIEW CONCURRENTLY {view}")
        cursor.execute("UPDATE meetings_aggregatesstate SET version = %s WHERE id = 1", [version])


def ensure_fresh(using: str = "default") -> None:
    """Refresh the views if a write reached their tables after the last refresh and no
    import is under way."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT s.version = v.last_value OR {_IMPORTING} "
            "FROM meetings_aggregatesstate s, meetings_aggregates_version v"
        )
        fresh = cursor.fetchone()[0]
    if not fresh:
        refresh(using, force=False)
