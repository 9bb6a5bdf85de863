"""PostgreSQL: leave half of each coverage page free, so that moving a member's paid-through month
forward (every posting, up to a million rows in one settlement file) is a HOT update: no new index
entries, no table bloat. ``paid_through`` is not indexed, which HOT also requires. SQLite: nothing."""

from django.db import migrations


def forwards(apps, schema_editor):
    from django.db import connection

    conn = schema_editor.connection if schema_editor is not None else connection  # the test suite replays it
    if conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute("ALTER TABLE contributions_membercoverage SET (fillfactor = 50)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE contributions_membercoverage RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("contributions", "0006_no_fk_constraints_on_bulk_tables")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
