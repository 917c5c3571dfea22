"""Accent- and case-blind person search: PostgreSQL's unaccent and pg_trgm, the IMMUTABLE
wrappers ``meetings_fold`` and ``meetings_person_names`` (``meetings.models.folding``) and a
trigram index on every name of a person folded, so "Erdogan" finds "Erdoğan" by index."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

import meetings.models.folding
from meetings.models.folding import DROP_FUNCTIONS_SQL, FOLD_FUNCTION_SQL


class Migration(migrations.Migration):
    dependencies = [("meetings", "0018_people_name_key_unrussified")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(FOLD_FUNCTION_SQL, DROP_FUNCTIONS_SQL),
        migrations.AddIndex(
            model_name="participant",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    meetings.models.folding.FoldedNames(), name="gin_trgm_ops"
                ),
                name="participant_names_fold_trgm",
            ),
        ),
    ]
