"""Recompute Participant.name_key: the surname key now folds "th" to "t", "z" to "s" and
"f" to "v" ("Al Thani"/"al-Tani", "Nazarbayev"/"Nasarbayev", "Gustaf"/"Gustav" are one
key), so keys stored before would no longer find their variants."""

import importlib

from django.db import migrations


# The same recomputation as when the key was added.
fill_keys = importlib.import_module("meetings.migrations.0006_people_name_key").fill_keys


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0009_finding_content_changed_at"),
    ]

    operations = [
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
