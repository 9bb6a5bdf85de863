"""Reads of the outreach app: campaigns and events a user may see, and the enrolment funnel.

Funnel stages, per lead: captured → registered (converted into a member) → first month paid (the bill of the
member's first contribution month is paid) → still paying at 3, 6 and 12 months (the bill of the month 3, 6
or 12 months after the first contribution month is paid; a month that has not come yet does not count).
"""

from __future__ import annotations

from django.db.models import Count, Q

from jaring.rules.periods import add_months

from .models import Campaign, Event, Lead
from .services import user_branches

STAGES = [("leads", "Prospek"), ("registered", "Terdaftar"), ("first_paid", "Bayar bulan pertama"),
          ("paying_3", "Masih bayar bulan ke-3"), ("paying_6", "Masih bayar bulan ke-6"),
          ("paying_12", "Masih bayar bulan ke-12")]
AGES = {"paying_3": 3, "paying_6": 6, "paying_12": 12}


def campaigns_for(user):
    qs = Campaign.objects.all()
    allowed = user_branches(user)
    if allowed is not None:
        qs = qs.filter(branches__code__in=allowed).distinct()
    return qs


def events_for(user):
    qs = Event.objects.select_related("campaign", "village", "branch")
    allowed = user_branches(user)
    if allowed is not None:
        qs = qs.filter(Q(branch_id__in=allowed) | Q(agents=user)).distinct()
    return qs


def _paid_months(member_ids: list[int]) -> set[tuple[int, object]]:
    from django.apps import apps

    try:
        Bill = apps.get_model("contributions", "Bill")
    except LookupError:
        return set()
    paid = set()
    for i in range(0, len(member_ids), 2000):
        chunk = member_ids[i:i + 2000]
        paid.update(Bill.objects.filter(member_id__in=chunk, status="paid").values_list("member_id", "month"))
    return paid


def funnel(leads, by: str | None = None) -> list[dict]:
    """Counts per stage, overall (``by=None``) or per ``campaign``, ``event`` or ``agent``."""
    key = {None: None, "campaign": "campaign_id", "event": "event_id", "agent": "agent_id"}[by]
    label_field = {None: None, "campaign": "campaign__name", "event": "event__name", "agent": "agent__username"}[by]
    fields = ["member_id", "member__first_month"] + ([key, label_field] if key else [])
    rows = list(leads.values(*fields))
    paid = _paid_months([r["member_id"] for r in rows if r["member_id"]])
    groups: dict = {}
    for r in rows:
        k = r[key] if key else "all"
        g = groups.setdefault(k, {"key": k, "label": (r[label_field] if key else "Semua") or "(tanpa agen)",
                                  **{s: 0 for s, _ in STAGES}})
        g["leads"] += 1
        if not r["member_id"]:
            continue
        g["registered"] += 1
        first = r["member__first_month"]
        if (r["member_id"], first) in paid:
            g["first_paid"] += 1
        for stage, age in AGES.items():
            if (r["member_id"], add_months(first, age)) in paid:
                g[stage] += 1
    out = sorted(groups.values(), key=lambda g: (-g["registered"], -g["leads"], str(g["label"])))
    for g in out:
        g["conversion_pct"] = round(100 * g["registered"] / g["leads"], 1) if g["leads"] else 0
    return out


def campaign_leaderboard(branch_codes: list[str] | None, limit: int = 10) -> list[dict]:
    """Campaigns of these branches (None = all) ranked by registrations from their leads."""
    qs = Campaign.objects.all()
    if branch_codes is not None:
        qs = qs.filter(branches__code__in=branch_codes).distinct()
    top = list(qs.annotate(n_leads=Count("leads", distinct=True),
                           n_reg=Count("leads", filter=Q(leads__member__isnull=False), distinct=True))
               .filter(n_leads__gt=0).order_by("-n_reg", "-n_leads", "code")[:limit])
    rows = {g["key"]: g for g in funnel(Lead.objects.filter(campaign__in=top), by="campaign")}
    return [{"code": c.code, "name": c.name, "kind": c.get_kind_display(),
             **{k: rows.get(c.pk, {}).get(k, 0) for k in ("leads", "registered", "first_paid", "conversion_pct")}}
            for c in top]
