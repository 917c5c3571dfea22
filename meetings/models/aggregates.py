"""The kept aggregates: per-person and per-country counts (materialized views, migration
0011_perf_aggregates), their read-only models and the code that keeps them in step.

A person or country page reads a handful of precomputed rows instead of counting every
meeting of the person or country, so its cost does not grow with how often they met. The
data changes only when an import or an editor writes, and both send
``meetings.signals.data_changed``; :func:`refresh_on_change` (connected in ``apps.py``)
recomputes the views before the page cache retires its pages.

Any other write (a shell session, a test's builders) is caught too: statement-level triggers
on the tables the views read advance the sequence ``meetings_aggregates_version``, each
refresh records the value it started from, and :func:`ensure_fresh` (one small query, called
once per request by the views that read the aggregates, never inside a QuerySet builder)
refreshes when the two differ, unless an import is running: that import refreshes when it
ends, so pages during it are not held up by one refresh per request.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, models, transaction

from meetings.models.catalogue import Country, Participant

VIEWS = (
    "meetings_personstats",
    "meetings_personyear",
    "meetings_personrole",
    "meetings_personcountry",
    "meetings_personcospeaker",
    "meetings_countrystats",
    "meetings_countryyear",
    "meetings_countryspeaker",
    # The map's and the network's counts (migration 0015_viz_map_network_counts).
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
# An unfinished import whose heartbeat is fresh (ImportRun.STALE_AFTER; it beats every 10 s):
# a killed one stops beating, and its process id is checked too (ImportRun.is_dead).
_IMPORTING = (
    "EXISTS (SELECT 1 FROM meetings_importrun r WHERE r.finished_at IS NULL"
    " AND coalesce(r.heartbeat_at, r.started_at) > now() - interval '2 minutes')"
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
            f"SELECT s.version = v.last_value, {_IMPORTING} "
            "FROM meetings_aggregatesstate s, meetings_aggregates_version v"
        )
        current, importing = cursor.fetchone()
    if not current and not (importing and _import_running(using)):
        refresh(using, force=False)


def _import_running(using: str) -> bool:
    """An import is under way (it refreshes when it ends): its heartbeat is fresh and, when
    it runs on this host, its process is alive."""
    from meetings.models.imports import ImportRun

    return bool(ImportRun.objects.using(using).running())


def refresh_on_change(
    sender: Any = None, deferred: bool = False, background: bool = False, **kwargs: Any
) -> None:
    """The ``data_changed`` receiver: bring the aggregates up to date. An editor's save
    announces twice (``meetings.signals.announce_after_edit``): ``deferred`` at once, left
    for the second, ``background``, which refreshes only if no refresh since the write did."""
    if deferred:
        return
    refresh(force=not background)


# The read-only rows -----------------------------------------------------------------------
# Read-only: Django never creates or writes them.


class Aggregate(models.Model):
    """Base of the read-only aggregate rows."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


def _aggregate_of(model, related_name: str, **extra) -> models.ForeignKey:
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, related_name=related_name, **extra
    )


class PersonStats(Aggregate):
    """A person's events (a kremlin.ru id counted once), latest date, turns and words."""

    participant = models.OneToOneField(
        Participant,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="stats",
    )
    meetings = models.IntegerField()
    last_meeting = models.DateField(null=True)
    turns = models.IntegerField()
    words = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "meetings_personstats"


class PersonYear(Aggregate):
    """A person's events in one year, and in them their words and everybody's words."""

    pk = models.CompositePrimaryKey("participant", "year")
    participant = _aggregate_of(Participant, "years")
    year = models.IntegerField()
    meetings = models.IntegerField()
    first = models.DateField()
    last = models.DateField()
    words_own = models.BigIntegerField()
    words_all = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "meetings_personyear"


class PersonRole(Aggregate):
    """A role as printed for a person, per site: how often, first and last held."""

    pk = models.CompositePrimaryKey("participant", "role", "language")
    participant = _aggregate_of(Participant, "role_stats")
    role = models.CharField(max_length=300)
    language = models.CharField(max_length=2)
    n = models.IntegerField()
    first = models.DateField()
    last = models.DateField()

    class Meta:
        managed = False
        db_table = "meetings_personrole"


class PersonCountry(Aggregate):
    """Events of a person with a country, and the latest."""

    pk = models.CompositePrimaryKey("participant", "country")
    participant = _aggregate_of(Participant, "country_stats")
    country = _aggregate_of(Country, "person_stats")
    meetings = models.IntegerField()
    last = models.DateField()

    class Meta:
        managed = False
        db_table = "meetings_personcountry"


class PersonCoSpeaker(Aggregate):
    """The words another identified speaker said in the meetings a person took part in."""

    pk = models.CompositePrimaryKey("participant", "other")
    participant = _aggregate_of(Participant, "cospeakers")
    other = _aggregate_of(Participant, "cospeaker_of")
    words = models.BigIntegerField()
    meetings = models.IntegerField()

    class Meta:
        managed = False
        db_table = "meetings_personcospeaker"


class CountryStats(Aggregate):
    """A country's events, first and last date, and the words said in its meetings."""

    country = models.OneToOneField(
        Country,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="stats",
    )
    meetings = models.IntegerField()
    first = models.DateField()
    last = models.DateField()
    words = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "meetings_countrystats"


class CountryYear(Aggregate):
    """A country's events in one year."""

    pk = models.CompositePrimaryKey("country", "year")
    country = _aggregate_of(Country, "years")
    year = models.IntegerField()
    meetings = models.IntegerField()

    class Meta:
        managed = False
        db_table = "meetings_countryyear"


class CountrySpeaker(Aggregate):
    """The words an identified speaker said across a country's meetings."""

    pk = models.CompositePrimaryKey("country", "speaker")
    country = _aggregate_of(Country, "speaker_stats")
    speaker = _aggregate_of(Participant, "country_words")
    words = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "meetings_countryspeaker"
