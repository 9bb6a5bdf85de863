from django.db import migrations


def create_row(apps, schema_editor):
    KpjSerial = apps.get_model("members", "KpjSerial")
    KpjSerial.objects.get_or_create(pk=1, defaults={"last": 0})


class Migration(migrations.Migration):
    """The single KPJ serial row, so that concurrent first registrations only ever lock it, never create it."""

    dependencies = [("members", "0002_correction_and_import_jobs")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
