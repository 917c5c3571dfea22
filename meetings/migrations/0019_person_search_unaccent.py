"""Accent- and case-blind person search: the IMMUTABLE SQL functions ``meetings_fold`` and
``meetings_person_names`` (``meetings.models.folding``: plain ``translate``, no extension) and,
where ``pg_trgm`` is available, a trigram index on every name of a person folded, so
"Erdogan" finds "Erdoğan" by index. The embedded PostgreSQL ships neither ``unaccent`` nor
``pg_trgm``: the same answers there, by a scan of the people."""

from django.db import migrations

from meetings.models.folding import (
    DROP_FUNCTIONS_SQL,
    DROP_TRIGRAM_INDEX_SQL,
    FOLD_FUNCTION_SQL,
    TRIGRAM_INDEX_SQL,
)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0018_people_name_key_unrussified")]

    operations = [
        migrations.RunSQL(FOLD_FUNCTION_SQL, DROP_FUNCTIONS_SQL),
        migrations.RunSQL(TRIGRAM_INDEX_SQL, DROP_TRIGRAM_INDEX_SQL),
    ]
