"""The chart of accounts, and the existing money booked as one opening entry (see jaring/ledger/migrations/_opening.py)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from jaring.ledger import chart
    from jaring.ledger.migrations._opening import book_opening, commission_months

    Account = apps.get_model("ledger", "Account")
    Entry = apps.get_model("ledger", "Entry")
    Line = apps.get_model("ledger", "Line")
    for code, (name, type_, description) in chart.ACCOUNTS.items():
        Account.objects.get_or_create(code=code, defaults={"name": name, "type": type_, "description": description})
    if Entry.objects.filter(key="opening").exists():
        return

    def account_id(code):
        name, type_, description = chart.definition(code)
        return Account.objects.get_or_create(code=code, defaults={"name": name, "type": type_,
                                                                   "description": description})[0].pk

    def insert(lines):
        entry = Entry.objects.create(kind="opening", booked_on=timezone.localdate(), key="opening",
                                     memo="Saldo awal dari data sebelum jurnal")
        Line.objects.bulk_create([Line(entry=entry, account_id=a, debit=d, credit=c) for a, d, c in lines])
        return entry.pk

    from django.db import connection

    conn = schema_editor.connection if schema_editor is not None else connection
    with conn.cursor() as cur:
        book_opening(cur, on=timezone.localdate(), account_id=account_id, entry_insert=insert)
        for ref_id, tag, total in commission_months(cur):
            if Entry.objects.filter(key=f"opening-commission:{ref_id}").exists():
                continue
            entry = Entry.objects.create(kind="commission", booked_on=timezone.localdate(), memo=tag,
                                         ref_type="agents.commissionmonth", ref_id=ref_id,
                                         key=f"opening-commission:{ref_id}")
            Line.objects.bulk_create([Line(entry=entry, account_id=account_id(chart.COMMISSION_EXPENSE), debit=total),
                                      Line(entry=entry, account_id=account_id(chart.COMMISSION_PAYABLE), credit=total)])


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
        ("contributions", "0008_coverage_state_without_index"),
        ("sponsors", "0002_payment_allocation"),
        ("agents", "0001_initial"),
        ("savings", "0003_entry_created_at_index"),
        ("claims", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
