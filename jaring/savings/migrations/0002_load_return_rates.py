from django.db import migrations


def load(apps, schema_editor):
    from jaring.savings.rates import load_rates

    load_rates(apps.get_model("savings", "ReturnRate"))


class Migration(migrations.Migration):
    dependencies = [("savings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
