"""Name the historical countries kremlin.ru tags (YU, CS): rows created by earlier imports
were named with their code ("YU", "CS"), which pages and pickers showed as a name."""

from django.db import migrations


def name_historic(apps, schema_editor):
    from meetings.countries import HISTORIC

    Country = apps.get_model("meetings", "Country")
    for code, (english, russian) in HISTORIC.items():
        Country.objects.filter(code=code).update(name_en=english, name_ru=russian)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0016_meeting_kinds_beside_meetings")]

    operations = [migrations.RunPython(name_historic, migrations.RunPython.noop)]
