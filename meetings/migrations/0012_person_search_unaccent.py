"""Accent- and case-blind person search: PostgreSQL's unaccent and an IMMUTABLE wrapper
``meetings_fold`` (``meetings.models.folding``), so "Erdogan" finds "Erdoğan"."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

from meetings.models.folding import FOLD_FUNCTION_SQL


class Migration(migrations.Migration):
    dependencies = [("meetings", "0011_perf_aggregates")]

    operations = [
        UnaccentExtension(),
        migrations.RunSQL(FOLD_FUNCTION_SQL, "DROP FUNCTION IF EXISTS meetings_fold(text);"),
    ]
