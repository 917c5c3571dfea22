"""Counts for the map and the network, kept as materialized views refreshed with the
others (``meetings.aggregates.VIEWS``), so ``/map/`` and ``/network/`` sum a few thousand
precomputed rows for any year range, kind, person or country instead of counting meetings.

Events are counted once whatever the language (``count(DISTINCT kremlin_id)``).
"""

from django.db import migrations

VIEWS = {
    # The map: events per country, year and kind.
    "meetings_mapcountry": """
        SELECT mc.country_id, extract(year FROM mc.date)::int AS year, m.kind,
               count(DISTINCT m.kremlin_id) AS meetings
          FROM meetings_meetingcountry mc JOIN meetings_meeting m ON m.id = mc.meeting_id
         GROUP BY 1, 2, 3
    """,
    # The map for one person (?person=), the network around one country (?country=).
    "meetings_mapperson": """
        SELECT p.participant_id, mc.country_id, extract(year FROM m.date)::int AS year, m.kind,
               count(DISTINCT m.kremlin_id) AS meetings
          FROM meetings_participation p
          JOIN meetings_meetingcountry mc ON mc.meeting_id = p.meeting_id
          JOIN meetings_meeting m ON m.id = p.meeting_id
         GROUP BY 1, 2, 3, 4
    """,
    # The network's nodes: events per person, year and kind.
    "meetings_netnode": """
        SELECT p.participant_id, extract(year FROM m.date)::int AS year, m.kind,
               count(DISTINCT m.kremlin_id) AS meetings
          FROM meetings_participation p JOIN meetings_meeting m ON m.id = p.meeting_id
         GROUP BY 1, 2, 3
    """,
    # The network's edges: events two people took part in together (a < b).
    "meetings_netedge": """
        SELECT a.participant_id AS a_id, b.participant_id AS b_id,
               extract(year FROM m.date)::int AS year, m.kind,
               count(DISTINCT m.kremlin_id) AS meetings
          FROM meetings_participation a
          JOIN meetings_participation b
            ON b.meeting_id = a.meeting_id AND b.participant_id > a.participant_id
          JOIN meetings_meeting m ON m.id = a.meeting_id
         GROUP BY 1, 2, 3, 4
    """,
}

UNIQUE = {
    "meetings_mapcountry": "country_id, year, kind",
    "meetings_mapperson": "participant_id, country_id, year, kind",
    "meetings_netnode": "participant_id, year, kind",
    "meetings_netedge": "a_id, b_id, year, kind",
}

EXTRA_INDEXES = [
    # The network around a country: its people in the years asked for.
    "CREATE INDEX mapperson_country_idx ON meetings_mapperson (country_id, year)",
    # The network around a person: the edges where the person is the second end.
    "CREATE INDEX netedge_b_idx ON meetings_netedge (b_id, year)",
]

CREATE = (
    [f"CREATE MATERIALIZED VIEW {name} AS {sql}" for name, sql in VIEWS.items()]
    + [f"CREATE UNIQUE INDEX {name}_uniq ON {name} ({cols})" for name, cols in UNIQUE.items()]
    + EXTRA_INDEXES
)
DROP = [f"DROP MATERIALIZED VIEW IF EXISTS {name}" for name in reversed(VIEWS)]


class Migration(migrations.Migration):
    dependencies = [("meetings", "0014_source_versions")]

    operations = [migrations.RunSQL(CREATE, DROP)]
