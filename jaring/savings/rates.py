"""Dated JHT return rates: the ``ReturnRate`` table, seeded from ``rules/data/jht_rates.json``.

A year's row is either a published figure (confidence H/M, with its source) or our assumption (A), shown
as *perkiraan* on statements and in the simulation. When BPJS Ketenagakerjaan declares the rate, an admin
enters it (:func:`set_declared_rate`, the "Tarif JHT" page or the Django admin); the crediting job
(:func:`jaring.savings.services.recompute_returns`) then posts the difference for every account already
credited at the old rate.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from jaring.core import audit
from jaring.rules.errors import RuleError
from jaring.rules.jht import RateRow, RateTable, default_rate_data, default_rates

# The shipped sources of assumed rates (rules/data/jht_rates.json) are Bahasa Indonesia; pages translate them.
SHIPPED_SOURCES = [
    gettext_noop("Asumsi: perkiraan di sekitar batas bawah bunga deposito 12 bulan bank BUMN; belum ada angka resmi "
                 "yang dimuat."),
    gettext_noop("Asumsi (perkiraan): angka resmi tidak ditemukan di pemberitaan maupun laporan tahunan; tarif resmi "
                 "2020 (5,59 persen) dipakai sementara. Ganti dengan angka resmi."),
    gettext_noop("Asumsi (perkiraan): tahun belum berakhir; tarif resmi 2025 (5,51 persen) dipakai sementara. Ganti "
                 "dengan angka resmi."),
]


def load_rates(model=None) -> int:
    """Add the shipped years that are missing (an admin's corrections are never overwritten)."""
    if model is None:
        from .models import ReturnRate as model
    have = set(model.objects.values_list("year", flat=True))
    rows = [model(year=r["year"], rate_bp=r["rate_bp"], confidence=r.get("confidence", "A"), source=r["source"])
            for r in default_rate_data()["rates"] if r["year"] not in have]
    model.objects.bulk_create(rows)
    return len(rows)


def rate_row(year: int) -> RateRow:
    """The year's rate with its confidence and source (table first, then the shipped data)."""
    from .models import ReturnRate

    row = ReturnRate.objects.filter(year=year).first()
    if row is not None:
        return RateRow(row.year, row.rate_bp, row.confidence, row.source)
    try:
        return default_rates().row_for(year)
    except RuleError:
        msg = f"Tingkat hasil pengembangan JHT tahun {year} belum ditetapkan; tambahkan di tabel tarif JHT."
        raise RuleError(msg, {"year": msg}) from None


def rate_for(year: int) -> int:
    """The declared rate for ``year`` in basis points (table first, then the shipped data)."""
    return rate_row(year).rate_bp


def rate_table() -> RateTable:
    """Every year's rate as the pure-rules table (the database rows; the shipped data when empty)."""
    from .models import ReturnRate

    rows = tuple(RateRow(r.year, r.rate_bp, r.confidence, r.source) for r in ReturnRate.objects.order_by("year"))
    return RateTable(rows) if rows else default_rates()


def parse_percent(text) -> int:
    """``5,51`` / ``5.51`` / ``5.51%`` → 551 basis points; a clear message otherwise."""
    raw = str(text or "").strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 100 or value != value:
        msg = "Tulis tarif sebagai persen setahun, misalnya 5,51."
        raise RuleError(msg, {"rate": msg})
    bp = round(value * 100)
    if abs(value * 100 - bp) > 1e-6:
        msg = "Tarif paling banyak dua angka di belakang koma, misalnya 5,51."
        raise RuleError(msg, {"rate": msg})
    return int(bp)


@transaction.atomic
def set_declared_rate(year: int, rate_bp: int, source: str, *, confidence: str = "M", actor=None):
    """Enter the declared (published) rate for ``year`` with its source. Returns the row; the returns already
    credited for that year are corrected by :func:`jaring.savings.services.recompute_returns`."""
    from .models import ReturnRate

    source = " ".join(str(source or "").split())
    if len(source) < 10:
        msg = "Tulis sumber tarif (pengumuman BPJS Ketenagakerjaan, laporan tahunan atau berita dengan tanggalnya)."
        raise RuleError(msg, {"source": msg})
    if confidence not in ("H", "M", "A"):
        msg = "Tingkat keyakinan: H (beberapa sumber sepakat), M (satu sumber) atau A (perkiraan)."
        raise RuleError(msg, {"confidence": msg})
    if not 1990 <= int(year) <= 2200:
        msg = f"Tahun '{year}' tidak valid."
        raise RuleError(msg, {"year": msg})
    row = ReturnRate.objects.select_for_update().filter(year=year).first()
    before = None if row is None else [row.rate_bp, row.confidence]
    if row is None:
        row = ReturnRate(year=year)
    row.rate_bp, row.confidence, row.source, row.updated_at = int(rate_bp), confidence, source, timezone.now()
    row.save()
    audit.record(actor, "savings.rate_set", object_type="savings.returnrate", object_id=str(year),
                 changes={"rate_bp": [before[0] if before else None, row.rate_bp],
                          "confidence": [before[1] if before else None, confidence]}, note=source[:200])
    return row
