from django.db import migrations


def load(apps, schema_editor):
    from jaring.contributions.rates import load_schedule_rows

    load_schedule_rows(apps.get_model("contributions", "ContributionRate"),
                       apps.get_model("contributions", "IncomeBand"),
                       apps.get_model("contributions", "ContributionDiscount"))


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
