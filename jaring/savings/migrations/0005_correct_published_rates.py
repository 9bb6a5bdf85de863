"""Correct the shipped JHT return rates to the published figures (2017-2020, 2025) and mark the rest as
assumptions with their sources. A row an admin has changed (rate or confidence differing from what was
shipped before) is left alone. Years already credited keep ``applied_rate_bp`` = the rate they were
credited with, so the crediting job posts the difference for them (``savings.recompute_returns``)."""

from django.db import migrations

# what 0002 shipped: year -> (rate_bp, confidence)
SHIPPED_BEFORE = {2015: (600, "A"), 2016: (719, "H"), 2017: (650, "A"), 2018: (620, "A"), 2019: (600, "A"),
                  2020: (563, "M"), 2021: (563, "A"), 2022: (563, "A"), 2023: (563, "A"), 2024: (563, "A"),
                  2025: (563, "A"), 2026: (563, "A")}


def forward(apps, schema_editor):
    from jaring.rules.jht import default_rate_data

    ReturnRate = apps.get_model("savings", "ReturnRate")
    Entry = apps.get_model("savings", "Entry")
    credited = set(Entry.objects.filter(kind="return").values_list("year", flat=True).distinct())
    for row in ReturnRate.objects.filter(year__in=credited, applied_rate_bp__isnull=True):
        row.applied_rate_bp = row.rate_bp
        row.save(update_fields=["applied_rate_bp"])
    for r in default_rate_data()["rates"]:
        year = int(r["year"])
        row = ReturnRate.objects.filter(year=year).first()
        if row is None:
            ReturnRate.objects.create(year=year, rate_bp=r["rate_bp"], confidence=r["confidence"], source=r["source"])
        elif (row.rate_bp, row.confidence) == SHIPPED_BEFORE.get(year):
            row.rate_bp, row.confidence, row.source = r["rate_bp"], r["confidence"], r["source"]
            row.save(update_fields=["rate_bp", "confidence", "source"])


class Migration(migrations.Migration):
    dependencies = [("savings", "0004_declared_rate_recompute")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
