from django.db import migrations


def load(apps, schema_editor):
    from jaring.regions.codes import load_code_changes

    load_code_changes(apps.get_model("regions", "RegionCodeChange"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0003_region_code_changes")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
