"""Demo: a KKBC Masuk Desa campaign in Banjarmasin with one market event and three leads (idempotent)."""

from jaring.contributions.models import Payment
from jaring.contributions.prepaid import top_up
from jaring.members.models import Member
from jaring.rules.periods import add_months


def load(progress) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from .models import Campaign, Lead
    from .services import capture_lead, create_campaign, create_event

    today = timezone.localdate()
    extra = _demo_prepaid_and_experiment(today)
    if Campaign.objects.filter(code="kkbc-masuk-desa-banjarmasin").exists():
        return {"demo_campaigns": 0, **extra}
    User = get_user_model()
    officer = User.objects.filter(username="petugas").first()
    if officer is None:
        return {"demo_campaigns": 0, **extra}
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
    out = {"demo_campaigns": 1, "demo_leads": Lead.objects.filter(campaign=c).count()}
    out.update(extra)
    return out

def _demo_prepaid_and_experiment(today) -> dict:
    """A small prepaid balance for the demo worker (SPEC 2.9) and a reminder experiment for next month."""
    from django.contrib.auth import get_user_model

    from .experiments import create_experiment
    from .models import Experiment
    from .reminders import set_pay_ahead_months

    out = {}
    worker = Member.objects.filter(user__username="peserta").first()
    if worker is not None and worker.status in ("active", "pending") \
            and not Payment.objects.filter(reference="DEMO-SALDO-1").exists():
        top_up(member=worker, amount=5000, channel="BRANCH", reference="DEMO-SALDO-1", source="branch")
        set_pay_ahead_months(worker, [3, 8])
        out["demo_prepaid_topup"] = 5000
    manager = get_user_model().objects.filter(username="manajer").first()
    code = f"pengingat-{add_months(today.replace(day=1), 1):%Y-%m}"
    if not Experiment.objects.filter(code=code).exists():
        exp = create_experiment(code=code, name="WhatsApp 7 hari sebelum jatuh tempo vs SMS 3 hari",
                                month=f"{add_months(today.replace(day=1), 1):%Y-%m}", actor=manager, arms=[
                                    {"code": "kontrol", "control": True, "days_before_due": 3, "channel": "sms"},
                                    {"code": "wa-7-ramah", "days_before_due": 7, "channel": "whatsapp",
                                     "wording": "friendly"}])
        out["demo_experiment"] = exp.code
        out["demo_experiment_members"] = exp.members
    return out
