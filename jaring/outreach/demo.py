"""Demo: a KKBC Masuk Desa campaign in Banjarmasin with one market event and three leads (idempotent)."""

from jaring.rules.periods import add_months


def load(progress) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from .models import Campaign, Lead
    from .services import capture_lead, create_campaign, create_event

    if Campaign.objects.filter(code="kkbc-masuk-desa-banjarmasin").exists():
        return {"demo_campaigns": 0}
    User = get_user_model()
    officer = User.objects.filter(username="petugas").first()
    if officer is None:
        return {"demo_campaigns": 0}
    today = timezone.localdate()
    start = today.replace(day=1)
    c = create_campaign({"code": "kkbc-masuk-desa-banjarmasin", "name": "KKBC Masuk Desa Banjarmasin",
                         "kind": "kkbc_desa", "starts_on": start, "ends_on": add_months(start, 3),
                         "branches": ["KC-6371"], "target_leads": 500, "target_registrations": 300,
                         "description": "Sosialisasi Kerja Keras Bebas Cemas di pasar dan desa Banjarmasin."},
                        actor=officer)
    agents = "agen" if User.objects.filter(username="agen").exists() else ""
    ev = create_event(c, {"name": "Pasar Lama Banjarmasin", "kind": "market", "place": "Pasar Lama",
                          "village_code": "6371041001", "date": today, "officers": "petugas", "agents": agents},
                      actor=officer)
    for name, phone, occ in [("Siti Rahmah", "081251000001", "pedagang"), ("Ahmad Fauzi", "081251000002", "ojek_online"),
                             ("Nur Aini", "081251000003", "usaha_mikro")]:
        capture_lead(ev, {"name": name, "phone": phone, "occupation": occ, "consent": "1", "agent": agents},
                     actor=officer)
    return {"demo_campaigns": 1, "demo_leads": Lead.objects.filter(campaign=c).count()}
