"""Recompute Participant.name_key: the surname key now leaves out a Russified "-ov"/"-ev"
("Emomali Rakhmonov" and "Emomali Rahmon" share one key), so keys stored before would not
find the other spelling."""

import importlib

from django.db import migrations

fill_keys = importlib.import_module("meetings.migrations.0006_people_name_key").fill_keys


class Migration(migrations.Migration):
    dependencies = [("meetings", "0017_historic_country_names")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
