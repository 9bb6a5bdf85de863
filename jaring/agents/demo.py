"""Demo: the 'agen' account becomes agent PRS-… in KC-6371, credited with the demo members it registered,
with a cash collection today and last month's commission. Idempotent and quick."""

from __future__ import annotations

from jaring.members.models import Member
from jaring.rules.periods import add_months, month_str


def load(progress=None) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from . import services
    from .models import Agent, Collection, Recruitment

    user = get_user_model().objects.filter(username="agen").first()
    if user is None:
        return {}
    agent = Agent.objects.filter(user=user).first()
    if agent is None:
        agent = services.onboard_agent({"username": "agen", "name": "Siti Rahmah", "phone": "081255500011",
                                        "branch": "KC-6371", "bank_name": "BRI", "bank_account": "012301000111509",
                                        "joined_on": add_months(timezone.localdate().replace(day=1), -12)})
    # members the agent registered (the members demo bulk-creates them) → recruitments, set-based
    mine = (Member.objects.filter(created_by=user, channel="agent", recruitment__isnull=True)
            .values_list("pk", "registered_on"))
    Recruitment.objects.bulk_create([Recruitment(member_id=pk, agent=agent, recruited_on=on) for pk, on in mine],
                                    ignore_conflicts=True)
    if not Collection.objects.filter(agent=agent).exists():
        member = (Member.objects.filter(recruitment__agent=agent, status="active").order_by("id").first())
        if member is not None:
            try:
                services.collect(agent, member, 1, reference="demo-1")
            except Exception as e:  # demo data must never stop `make run`
                if progress:
                    progress(f"  setoran contoh dilewati: {e}")
    last = month_str(add_months(timezone.localdate().replace(day=1), -1))
    result = services.run_commissions(last)
    return {"demo_agent": agent.code, "demo_agent_recruits": agent.recruitments.count(),
            "demo_commission_month": last, "demo_commission_total": result["total"]}
