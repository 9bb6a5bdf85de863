"""Demo: the 'sponsor' account becomes an individual sponsor paying for the demo workers it imported (one
group invoice, partly paid), plus Pemkab Penajam Paser Utara (APBD) with its SPEC 2.5 programme and a
village sponsor. Idempotent and quick."""

from __future__ import annotations

from jaring.members.models import Member


def load(progress=None) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from . import services
    from .models import GroupInvoice, Sponsor

    result = {}
    user = get_user_model().objects.filter(username="sponsor").first()
    if user is not None and not Sponsor.objects.filter(user=user).exists():
        sponsor = services.create_sponsor({"kind": "individual", "name": "Ibu Ratna Sari", "branch": "KC-6371",
                                           "phone": "081233344455", "username": "sponsor",
                                           "contact_name": "Ratna Sari"})
        members = list(Member.objects.filter(created_by=user, status__in=["active", "pending"])
                       .order_by("id")[:12])
        if not members:
            members = list(Member.objects.filter(regency_code="63.71", status="active", funding="self",
                                                 sponsorships__isnull=True).order_by("id")[:6])
        if members:
            try:
                inv = services.create_invoice(sponsor, members, months=6)
                lines = list(inv.lines.order_by("position").values_list("amount", flat=True))
                half = sum(lines[: max(1, len(lines) // 2)])
                services.pay_invoice(inv, amount=half, reference="DEMO-TRF-1")
            except Exception as e:  # demo data must never stop `make run`
                if progress:
                    progress(f"  tagihan contoh dilewati: {e}")
        result["demo_sponsor"] = sponsor.name
    if not Sponsor.objects.filter(name="Pemkab Penajam Paser Utara").exists():
        ppu = services.create_sponsor({"kind": "regional", "name": "Pemkab Penajam Paser Utara", "branch": "KC-6471",
                                       "region": "64.09", "contact_name": "Dinas Tenaga Kerja"})
        year = timezone.localdate().year
        services.create_program(ppu, {"name": f"Perlindungan pekerja rentan {year}", "budget": 3_024_000_000,
                                      "quota": 15_000, "target_group": "pekerja rentan: nelayan, petani, pedagang kecil",
                                      "start_month": f"{year}-01", "end_month": f"{year}-12"})
        services.create_sponsor({"kind": "village", "name": "Pemerintah Desa Alalak Tengah", "branch": "KC-6371",
                                 "region": "63.71.04.1001", "contact_name": "Kepala Desa"})
    result["demo_sponsor_invoices"] = GroupInvoice.objects.count()
    return result
