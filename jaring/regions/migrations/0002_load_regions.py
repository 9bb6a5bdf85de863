from django.db import migrations


def load(apps, schema_editor):
    from jaring.regions.loader import load_regions

    load_regions(apps.get_model("regions", "Region"), apps.get_model("regions", "RegionalOffice"),
                 apps.get_model("regions", "BranchOffice"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
