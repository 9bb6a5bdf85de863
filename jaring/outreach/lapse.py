"""The lapse-risk follow-up list: active members likely to stop paying, ranked by rules/lapse.py.

Features come from a few aggregate queries over bills and payments for the members in view (one branch at a
time for officers and managers, the agent's own recruits for agents) — never one query per member.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Max, Q, Sum

from jaring.accounts.models import Role
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.members.models import Member
from jaring.regions.models import BranchOffice
from jaring.rules.lapse import History, score
from jaring.rules.periods import add_months


def members_in_view(user, branch: str | None = None):
    """(queryset of active members, branch shown, branches the user may pick)."""

    qs = Member.objects.filter(status="active")
    if role_of(user) == Role.AGENT:
        return qs.filter(recruitment__agent__user=user), None, []
    scope = scope_for(user)

    choices = list(BranchOffice.objects.all() if scope.national
                   else BranchOffice.objects.filter(code__in=scope.branch_codes or []))
    codes = {b.code for b in choices}
    if not codes:
        return qs.none(), None, []
    branch = branch if branch in codes else sorted(codes)[0]
    return qs.filter(branch_id=branch), branch, choices

def _months(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month

def follow_up_list(members, day: date, band: str | None = None, q: str = "", order: str = "risk") -> list[dict]:
    """Members with their risk score and reasons (score > 0 only), with their prepaid balance and the Rupiah
    still short of paying what is overdue (SPEC 2.9).

    ``order="risk"``: highest score first (officers). ``order="impact"`` (an agent's round): first the members
    one month from lapsing (2+ months overdue), smallest shortfall first — where a small collection keeps a
    person covered — then the rest by shortfall, then by score."""
    from django.apps import apps

    Bill = apps.get_model("contributions", "Bill")
    Payment = apps.get_model("contributions", "Payment")
    if q:
        members = members.filter(Q(name__icontains=q) | Q(kpj__startswith=q))
    base = list(members.values("id", "kpj", "name", "phone", "whatsapp", "first_month", "village__name"))
    if not base:
        return []
    ids = [m["id"] for m in base]
    this_month = day.replace(day=1)
    year_ago = add_months(this_month, -12)
    overdue, late, ahead, pays, owed, balance = {}, {}, {}, {}, {}, {}
    Prepaid = apps.get_model("contributions", "PrepaidBalance")
    for i in range(0, len(ids), 5000):
        chunk = ids[i:i + 5000]
        bills = Bill.objects.filter(member_id__in=chunk)
        # months before first_month belong to a membership that lapsed and was reactivated: not owed (SPEC 2.3)
        for mid, n, total in (bills.filter(status="due", due_date__lt=day, month__gte=F("member__first_month"))
                              .values("member_id").annotate(n=Count("id"), total=Sum("amount"))
                              .values_list("member_id", "n", "total")):
            overdue[mid], owed[mid] = n, int(total or 0)
        balance.update(Prepaid.objects.filter(member_id__in=chunk).values_list("member_id", "balance"))
        late.update(bills.filter(status="paid", month__gte=year_ago, payment__paid_at__date__gt=F("due_date"))
                    .values("member_id").annotate(n=Count("id")).values_list("member_id", "n"))
        ahead.update(bills.filter(status="paid").values("member_id").annotate(last=Max("month"))
                     .values_list("member_id", "last"))
        for mid, n, single in (Payment.objects.filter(member_id__in=chunk).values("member_id")
                               .annotate(n=Count("id"), single=Count("id", filter=Q(months=1)))
                               .values_list("member_id", "n", "single")):
            pays[mid] = (n, single)
    out = []
    for m in base:
        last_paid = ahead.get(m["id"])
        n, single = pays.get(m["id"], (0, 0))
        h = History(months_in_arrears=overdue.get(m["id"], 0), late_payments_12m=late.get(m["id"], 0),
                    tenure_months=max(0, _months(m["first_month"], this_month)), payments=n,
                    single_month_payments=single,
                    months_paid_ahead=max(0, _months(this_month, last_paid)) if last_paid else 0,
                    ever_paid=last_paid is not None)
        risk = score(h)
        if risk.score <= 0 or (band and risk.band != band):
            continue
        bal = int(balance.get(m["id"], 0))
        out.append({**m, "score": risk.score, "band": risk.band, "reasons": risk.reason_text,
                    "months_in_arrears": h.months_in_arrears, "balance": bal, "owed": owed.get(m["id"], 0),
                    "short_by": max(0, owed.get(m["id"], 0) - bal)})
    if order == "impact":
        out.sort(key=lambda r: (0 if r["months_in_arrears"] >= 2 else 1, r["short_by"], -r["score"], r["name"]))
    else:
        out.sort(key=lambda r: (-r["score"], r["name"]))
    return out
