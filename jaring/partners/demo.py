"""Demo: partner SEHATKU (a health app) with the ComboFit bundles and SINYALKU (a mobile operator); the demo
worker 'peserta' bought ComboFit 3 at the branch and holds its entitlement. Idempotent."""

from __future__ import annotations

from jaring.core.errors import DomainError
from jaring.members.models import Member


def load(progress=None) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from . import services
    from .models import Partner

    User = get_user_model()
    boss = User.objects.filter(username="admin").first()
    if boss is None or Partner.objects.filter(code="SEHATKU").exists():
        return {"demo_partners": Partner.objects.count()}
    sehat, key = services.create_partner({"code": "SEHATKU", "name": "SehatKu (aplikasi kesehatan)",
                                          "kind": "health_app"}, actor=boss)
    combo3 = services.create_bundle(sehat, {"product_code": "COMBOFIT-3", "name": "ComboFit 3", "months": 3,
                                            "benefit": "Premium SehatKu 3×30 hari + 10 GB",
                                            "partner_price": 30_000}, actor=boss)
    services.create_bundle(sehat, {"product_code": "COMBOFIT-12", "name": "ComboFit 12", "months": 12,
                                   "benefit": "Premium SehatKu 12×30 hari + 40 GB", "partner_price": 99_000},
                           actor=boss)
    sinyal, _key2 = services.create_partner({"code": "SINYALKU", "name": "SinyalKu (operator seluler)",
                                             "kind": "mobile_operator"}, actor=boss)
    services.create_bundle(sinyal, {"product_code": "KUOTA-AMAN-1", "name": "Kuota Aman 1", "months": 1,
                                    "benefit": "Kuota data 5 GB", "partner_price": 15_000}, actor=boss)
    result = {"demo_partner": "SEHATKU", "demo_partner_api_key": key}
    worker = User.objects.filter(username="peserta").first()
    member = Member.objects.filter(user=worker).first() if worker else None
    if member is not None:
        try:
            e, _ = services.purchase(combo3, member, channel="BRANCH", reference=f"LOKET-DEMO-{member.kpj}",
                                     paid_at=timezone.now(), source="branch")
            result["demo_entitlement"] = e.code
        except DomainError as e:
            if progress:
                progress(f"  paket contoh dilewati: {e.message}")
    return result
