from django.db import migrations


def load(apps, schema_editor):
    from jaring.core.calendar import load_shipped

    load_shipped(apps.get_model("core", "HolidayYear"), apps.get_model("core", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_holiday_calendar")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
