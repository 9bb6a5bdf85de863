from django.db import migrations


def load(apps, schema_editor):
    from jaring.contributions.models import SYSTEM_CHANNELS

    Channel = apps.get_model("contributions", "Channel")
    for code, name in SYSTEM_CHANNELS:
        Channel.objects.get_or_create(code=code, defaults={"name": name, "system": True, "fee": 0})


class Migration(migrations.Migration):
    dependencies = [("contributions", "0003_bills_payments_settlement")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
