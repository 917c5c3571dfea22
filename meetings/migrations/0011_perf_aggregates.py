"""Per-person and per-country counts kept as materialized views, so a page for Putin (in
nearly every one of 100,000 meetings) costs what a page for a one-off visitor costs.

The data only changes on an import or an editor's save: ``meetings.aggregates.refresh()``
re-reads it then (and whenever a page finds the views behind the data: statement-level
triggers on the tables they read advance a sequence, the last refresh records where it was).
Each view has a unique index, so it is refreshed CONCURRENTLY while pages keep reading it.
"""

import django.db.models.deletion
from django.db import migrations, models

# Words per speaker per meeting: the legend's share of voice, for every meeting at once.
# Only turns (a printed speaker label) count, as in the transcript's legend.
SPOKEN = """
    SELECT meeting_id, speaker_id, sum(word_count)::bigint AS words
      FROM meetings_utterance WHERE speaker_label <> ''
     GROUP BY meeting_id, speaker_id
"""

VIEWS = {
    # /people/, the person picker, a person page's totals.
    "meetings_personstats": """
        WITH attended AS (
            SELECT p.participant_id, count(DISTINCT m.kremlin_id) AS meetings,
                   max(m.date) AS last_meeting
              FROM meetings_participation p JOIN meetings_meeting m ON m.id = p.meeting_id
             GROUP BY p.participant_id),
        said AS (
            SELECT speaker_id, count(*) AS turns, coalesce(sum(word_count), 0)::bigint AS words
              FROM meetings_utterance WHERE speaker_id IS NOT NULL GROUP BY speaker_id)
        SELECT coalesce(a.participant_id, s.speaker_id) AS participant_id,
               coalesce(a.meetings, 0) AS meetings, a.last_meeting,
               coalesce(s.turns, 0) AS turns, coalesce(s.words, 0) AS words
          FROM attended a FULL JOIN said s ON s.speaker_id = a.participant_id
    """,
    # A person's timeline and their share of the words in the meetings they took part in.
    "meetings_personyear": f"""
        WITH spoken AS ({SPOKEN}),
        total AS (SELECT meeting_id, sum(words)::bigint AS words FROM spoken GROUP BY meeting_id)
        SELECT p.participant_id, extract(year FROM m.date)::int AS year,
               count(DISTINCT m.kremlin_id) AS meetings, min(m.date) AS first,
               max(m.date) AS last, coalesce(sum(s.words), 0)::bigint AS words_own,
               coalesce(sum(t.words), 0)::bigint AS words_all
          FROM meetings_participation p JOIN meetings_meeting m ON m.id = p.meeting_id
          LEFT JOIN spoken s ON s.meeting_id = p.meeting_id AND s.speaker_id = p.participant_id
          LEFT JOIN total t ON t.meeting_id = p.meeting_id
         GROUP BY 1, 2
    """,
    # A person's roles as printed, per site.
    "meetings_personrole": """
        SELECT p.participant_id, p.role, m.language, count(*) AS n, min(m.date) AS first,
               max(m.date) AS last
          FROM meetings_participation p JOIN meetings_meeting m ON m.id = p.meeting_id
         WHERE p.role <> ''
         GROUP BY 1, 2, 3
    """,
    # A person's countries; a country page's leaders (its own people among them).
    "meetings_personcountry": """
        SELECT p.participant_id, mc.country_id, count(DISTINCT m.kremlin_id) AS meetings,
               max(m.date) AS last
          FROM meetings_participation p
          JOIN meetings_meetingcountry mc ON mc.meeting_id = p.meeting_id
          JOIN meetings_meeting m ON m.id = p.meeting_id
         GROUP BY 1, 2
    """,
    # Who else spoke in the meetings a person took part in, and how much.
    "meetings_personcospeaker": f"""
        WITH spoken AS ({SPOKEN})
        SELECT p.participant_id, s.speaker_id AS other_id, sum(s.words)::bigint AS words,
               count(DISTINCT m.kremlin_id) AS meetings
          FROM meetings_participation p
          JOIN spoken s ON s.meeting_id = p.meeting_id
          JOIN meetings_meeting m ON m.id = p.meeting_id
         WHERE s.speaker_id IS NOT NULL AND s.speaker_id <> p.participant_id
         GROUP BY 1, 2
    """,
    # The country list, the list's country picker, a country page's totals and words.
    "meetings_countrystats": f"""
        WITH spoken AS ({SPOKEN}),
        total AS (SELECT meeting_id, sum(words)::bigint AS words FROM spoken GROUP BY meeting_id)
        SELECT mc.country_id, count(DISTINCT m.kremlin_id) AS meetings, min(mc.date) AS first,
               max(mc.date) AS last, coalesce(sum(t.words), 0)::bigint AS words
          FROM meetings_meetingcountry mc JOIN meetings_meeting m ON m.id = mc.meeting_id
          LEFT JOIN total t ON t.meeting_id = mc.meeting_id
         GROUP BY 1
    """,
    # A country page's timeline.
    "meetings_countryyear": """
        SELECT mc.country_id, extract(year FROM mc.date)::int AS year,
               count(DISTINCT m.kremlin_id) AS meetings
          FROM meetings_meetingcountry mc JOIN meetings_meeting m ON m.id = mc.meeting_id
         GROUP BY 1, 2
    """,
    # A country page's share of voice: the words of each identified speaker across its
    # meetings (the unidentified are the country's total minus these).
    "meetings_countryspeaker": f"""
        WITH spoken AS ({SPOKEN})
        SELECT mc.country_id, s.speaker_id, sum(s.words)::bigint AS words
          FROM meetings_meetingcountry mc JOIN spoken s ON s.meeting_id = mc.meeting_id
         WHERE s.speaker_id IS NOT NULL
         GROUP BY 1, 2
    """,
}

UNIQUE = {
    "meetings_personstats": "participant_id",
    "meetings_personyear": "participant_id, year",
    "meetings_personrole": "participant_id, role, language",
    "meetings_personcountry": "participant_id, country_id",
    "meetings_personcospeaker": "participant_id, other_id",
    "meetings_countrystats": "country_id",
    "meetings_countryyear": "country_id, year",
    "meetings_countryspeaker": "country_id, speaker_id",
}

# What else each page reads in order (besides the unique index's leading column).
EXTRA_INDEXES = [
    # /people/ most meetings first.
    "CREATE INDEX personstats_meetings_idx ON meetings_personstats (meetings DESC)",
    # Country leaders: the country's column first.
    "CREATE INDEX personcountry_country_idx ON meetings_personcountry (country_id, meetings DESC)",
]

WATCHED = (
    "meetings_meeting",
    "meetings_participation",
    "meetings_meetingcountry",
    "meetings_utterance",
    "meetings_participant",
)

CREATE = (
    [f"CREATE MATERIALIZED VIEW {name} AS {sql}" for name, sql in VIEWS.items()]
    + [f"CREATE UNIQUE INDEX {name}_uniq ON {name} ({cols})" for name, cols in UNIQUE.items()]
    + EXTRA_INDEXES
    + [
        "CREATE SEQUENCE meetings_aggregates_version",
        "SELECT nextval('meetings_aggregates_version')",
        """CREATE TABLE meetings_aggregatesstate (
               id smallint PRIMARY KEY CHECK (id = 1),
               version bigint NOT NULL)""",
        """INSERT INTO meetings_aggregatesstate (id, version)
               SELECT 1, last_value FROM meetings_aggregates_version""",
        """CREATE FUNCTION meetings_aggregates_touch() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
               PERFORM nextval('meetings_aggregates_version');
               RETURN NULL;
           END $$""",
    ]
    + [
        f"""CREATE TRIGGER {table.removeprefix("meetings_")}_aggregates_touch
               AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
               FOR EACH STATEMENT EXECUTE FUNCTION meetings_aggregates_touch()"""
        for table in WATCHED
    ]
)

DROP = (
    [
        f"DROP TRIGGER IF EXISTS {table.removeprefix('meetings_')}_aggregates_touch ON {table}"
        for table in WATCHED
    ]
    + [
        "DROP FUNCTION IF EXISTS meetings_aggregates_touch()",
        "DROP TABLE IF EXISTS meetings_aggregatesstate",
        "DROP SEQUENCE IF EXISTS meetings_aggregates_version",
    ]
    + [f"DROP MATERIALIZED VIEW IF EXISTS {name}" for name in reversed(VIEWS)]
)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0010_people_name_key_folds")]

    operations = [
        migrations.RunSQL(CREATE, list(DROP)),
        migrations.CreateModel(
            name="CountrySpeaker",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "country",
                        "speaker",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("words", models.BigIntegerField()),
            ],
            options={
                "db_table": "meetings_countryspeaker",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="CountryStats",
            fields=[
                (
                    "country",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="stats",
                        serialize=False,
                        to="meetings.country",
                    ),
                ),
                ("meetings", models.IntegerField()),
                ("first", models.DateField()),
                ("last", models.DateField()),
                ("words", models.BigIntegerField()),
            ],
            options={
                "db_table": "meetings_countrystats",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="CountryYear",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "country",
                        "year",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("year", models.IntegerField()),
                ("meetings", models.IntegerField()),
            ],
            options={
                "db_table": "meetings_countryyear",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="PersonCoSpeaker",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "participant",
                        "other",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("words", models.BigIntegerField()),
                ("meetings", models.IntegerField()),
            ],
            options={
                "db_table": "meetings_personcospeaker",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="PersonCountry",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "participant",
                        "country",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("meetings", models.IntegerField()),
                ("last", models.DateField()),
            ],
            options={
                "db_table": "meetings_personcountry",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="PersonRole",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "participant",
                        "role",
                        "language",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("role", models.CharField(max_length=300)),
                ("language", models.CharField(max_length=2)),
                ("n", models.IntegerField()),
                ("first", models.DateField()),
                ("last", models.DateField()),
            ],
            options={
                "db_table": "meetings_personrole",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="PersonStats",
            fields=[
                (
                    "participant",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="stats",
                        serialize=False,
                        to="meetings.participant",
                    ),
                ),
                ("meetings", models.IntegerField()),
                ("last_meeting", models.DateField(null=True)),
                ("turns", models.IntegerField()),
                ("words", models.BigIntegerField()),
            ],
            options={
                "db_table": "meetings_personstats",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="PersonYear",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "participant",
                        "year",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("year", models.IntegerField()),
                ("meetings", models.IntegerField()),
                ("first", models.DateField()),
                ("last", models.DateField()),
                ("words_own", models.BigIntegerField()),
                ("words_all", models.BigIntegerField()),
            ],
            options={
                "db_table": "meetings_personyear",
                "managed": False,
            },
        ),
    ]
