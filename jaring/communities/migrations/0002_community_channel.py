from django.db import migrations


def add_channel(apps, schema_editor):
    Channel = apps.get_model("contributions", "Channel")
    Channel.objects.get_or_create(code="COMMUNITY", defaults={
        "name": "Pembayaran kelompok wadah (bendahara)", "system": True, "fee": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0001_initial"),
        ("contributions", "0004_system_channels"),
    ]

    operations = [migrations.RunPython(add_channel, migrations.RunPython.noop)]
