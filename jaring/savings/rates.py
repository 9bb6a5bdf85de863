"""Dated JHT return rates: the ``ReturnRate`` table, seeded from ``rules/data/jht_rates.json``."""

from __future__ import annotations

from jaring.rules.errors import RuleError
from jaring.rules.jht import default_rate_data


def load_rates(model=None) -> int:
    """Add the shipped years that are missing (an admin's corrections are never overwritten)."""
    if model is None:
        from .models import ReturnRate as model
    have = set(model.objects.values_list("year", flat=True))
    rows = [model(year=r["year"], rate_bp=r["rate_bp"], confidence=r.get("confidence", "A"), source=r["source"])
            for r in default_rate_data()["rates"] if r["year"] not in have]
    model.objects.bulk_create(rows)
    return len(rows)


def rate_for(year: int) -> int:
    """The declared rate for ``year`` in basis points (table first, then the shipped data)."""
    from .models import ReturnRate

    row = ReturnRate.objects.filter(year=year).first()
    if row is not None:
        return row.rate_bp
    for r in default_rate_data()["rates"]:
        if r["year"] == year:
            return int(r["rate_bp"])
    msg = f"Tingkat hasil pengembangan JHT tahun {year} belum ditetapkan; tambahkan di tabel tarif JHT."
    raise RuleError(msg, {"year": msg})
