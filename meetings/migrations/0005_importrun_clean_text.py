"""Remove control characters (tab and newline kept) and, from one-line fields, bidi
embedding/override/isolate controls from rows imported before the importer did so.

Written with SQL ``regexp_replace`` over only the rows that hold such a character, so it is
quick on a large archive. Irreversible in effect (the characters are gone), harmless to undo.
"""

from django.db import migrations

CONTROLS = r"[\x01-\x08\x0b-\x1f\x7f-\x9f]"
BIDI = "[\u202a-\u202e\u2066-\u2069]"
ONE_LINE = f"{CONTROLS}|{BIDI}"

# (table, column, pattern): long texts keep bidi characters (quoted text may need them).
COLUMNS = [
    ("meetings_meeting", "title", ONE_LINE),
    ("meetings_meeting", "place", ONE_LINE),
    ("meetings_meeting", "lead", CONTROLS),
    ("meetings_participant", "name", ONE_LINE),
    ("meetings_participant", "name_en", ONE_LINE),
    ("meetings_participant", "name_ru", ONE_LINE),
    ("meetings_participation", "role", ONE_LINE),
    ("meetings_utterance", "section", ONE_LINE),
    ("meetings_utterance", "speaker_label", ONE_LINE),
    ("meetings_utterance", "translation_note", ONE_LINE),
    ("meetings_utterance", "text", CONTROLS),
    ("meetings_signeddocument", "title", ONE_LINE),
    ("meetings_supplement", "title", ONE_LINE),
]
ARRAYS = [
    ("meetings_participant", "aliases"),
    ("meetings_signeddocument", "parties"),
]


def clean(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table, column, pattern in COLUMNS:
            cursor.execute(
                f"UPDATE {table} SET \"{column}\" = regexp_replace(\"{column}\", %s, '', 'g') "
                f'WHERE "{column}" ~ %s',
                [pattern, pattern],
            )
        for table, column in ARRAYS:
            cursor.execute(
                f"UPDATE {table} SET \"{column}\" = ARRAY(SELECT regexp_replace(x, %s, '', 'g') "
                f'FROM unnest("{column}") WITH ORDINALITY AS t(x, n) ORDER BY n) '
                f"WHERE array_to_string(\"{column}\", ' ') ~ %s",
                [ONE_LINE, ONE_LINE],
            )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_importrun_import_run")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
