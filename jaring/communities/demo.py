"""Demo: a collective of ojek drivers in Banjarmasin (KC-6371) with its treasurer 'bendahara' (demo password),
a dozen members of whom two thirds were paid this month in one transfer (reconciled), and a benefit talk at
the demo campaign's event. Idempotent: nothing is added when the collective exists."""

from __future__ import annotations

from jaring.core.errors import DomainError
from jaring.demo import DEMO_PASSWORD
from jaring.members.models import Member
from jaring.outreach.models import Event
from jaring.outreach.services import record_talk
from jaring.rules.periods import month_str

NAME = "Paguyuban Ojek Pangkalan Alalak"
TREASURER = "bendahara"
NAMES = ["Rahmadi", "Syahrani", "Fauzan Akbar", "Muhammad Ridho", "Hairil Anwar", "Abdul Gani", "Jumberi",
         "Ahmad Yani", "Rusdiansyah", "Supiani", "Arbain", "Hamdani"]

def load(progress=None) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from . import selectors, services
    from .models import Collective

    User = get_user_model()
    officer = User.objects.filter(username="petugas").first()
    if officer is None or Collective.objects.filter(name=NAME).exists():
        return {"demo_collectives": Collective.objects.count()}
    c = services.create_collective({"name": NAME, "kind": "ojek", "branch": "KC-6371", "village_code": "63.71.04.1001",
                                    "treasurer_username": TREASURER, "treasurer_password": DEMO_PASSWORD,
                                    "treasurer_name": "Rusdi Hamzah", "treasurer_phone": "0812-5100-0100"},
                                   actor=officer)
    today = timezone.localdate()
    for i, name in enumerate(NAMES):
        nik = f"637104{(i % 27) + 1:02d}0{(i % 9) + 1}85{9100 + i:04d}"
        data = {"nik": nik, "name": name, "birth_date": "", "phone": f"0812-5100-{1001 + i:04d}",
                "village_code": "63.71.04.1001", "occupation": "ojek_pangkalan", "income": 1_500_000 + 250_000 * (i % 3),
                "programs": "JKK,JKM,JHT" if i % 4 == 0 else "JKK,JKM"}
        try:
            services.register_member(c, data, actor=c.treasurer)
        except DomainError as e:  # demo data never stops `make run`
            if progress:
                progress(f"  anggota wadah contoh dilewati: {e.message}")
    # a few members registered earlier join with their card
    for m in Member.objects.filter(regency_code="63.71", status="active", collective_memberships__isnull=True,
                                   user__isnull=True).order_by("id")[:3]:
        try:
            services.add_existing_member(c, m.kpj, m.nik, actor=officer)
        except DomainError:
            pass
    month = today.replace(day=1)
    payers = list(selectors.current_members(c).order_by("id"))
    payers = [m for m in payers if services.months_due(m, month) and services.months_due(m, month) <= 12]
    payers = payers[: max(1, len(payers) * 2 // 3)]
    result = {"demo_collective": c.code, "demo_treasurer": TREASURER}
    if payers:
        total = sum(services.line_for(m, month)[2] for m in payers)
        try:
            gp, _ = services.record_group_payment(c, reference=f"TRF-{today:%Y%m}01", members=[m.kpj for m in payers],
                                                  total=total, method="transfer", month=month, actor=c.treasurer)
            services.reconcile(gp, amount=total, bank_reference="DEMO-MUTASI-1", actor=officer)
            result["demo_collective_paid"] = f"{len(payers)} anggota, {services.rupiah(total)} ({month_str(month)})"
        except DomainError as e:
            if progress:
                progress(f"  setoran wadah contoh dilewati: {e.message}")
    _talk(officer, progress)
    return result

def _talk(officer, progress) -> None:
    from django.utils import timezone

    ev = Event.objects.filter(campaign__code="kkbc-masuk-desa-banjarmasin", date__lte=timezone.localdate()).first()
    if ev is not None and ev.talk_given_on is None:
        try:
            record_talk(ev, attendance=42, actor=officer)
        except DomainError as e:
            if progress:
                progress(f"  penyuluhan contoh dilewati: {e.message}")
