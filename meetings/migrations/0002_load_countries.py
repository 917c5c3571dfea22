from django.db import migrations


def load_countries(apps, schema_editor):
    from meetings.countries import all_countries

    Country = apps.get_model("meetings", "Country")
    Country.objects.bulk_create(
        [Country(code=code, name_en=en, name_ru=ru) for code, en, ru in all_countries()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
