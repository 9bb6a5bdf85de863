"""Claims reads shared by pages and API: the member's claims, the officer queue, the paid report."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.core.errors import Forbidden, NotFound
from jaring.core.models import AuditEvent
from jaring.regions.models import Region

from .models import OPEN_STATUSES, Claim, Status
from .services import REVIEWERS, may_view


def claims_of_user(user) -> QuerySet:
    return (Claim.objects.filter(Q(member__user=user) | Q(filed_by_user=user))
            .select_related("member").order_by("-submitted_at", "-id"))

def get_claim_for(user, number: str) -> Claim:
    claim = Claim.objects.select_related("member", "member__branch", "branch", "reviewed_by", "approved_by").filter(
        number=str(number or "").strip()).first()
    if claim is None:
        raise NotFound(f"Klaim {number} tidak ditemukan.")
    if not may_view(user, claim):
        if role_of(user) in REVIEWERS:
            raise Forbidden("Klaim ini milik kantor cabang di luar wilayah kerja Anda.")
        raise NotFound(f"Klaim {number} tidak ditemukan.")
    return claim

QUEUE_FILTERS = {"open": list(OPEN_STATUSES), "all": None}


def queue(user, *, status: str = "open", program: str = "", q: str = "") -> QuerySet:
    """Claims in the user's scope, oldest first (the longest wait on top)."""
    qs = scope_for(user).filter(Claim.objects.select_related("member", "reviewed_by"), "branch")
    if status in QUEUE_FILTERS:
        if QUEUE_FILTERS[status] is not None:
            qs = qs.filter(status__in=QUEUE_FILTERS[status])
    elif status in Status.values:
        qs = qs.filter(status=status)
    if program:
        qs = qs.filter(program=program.upper())
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__iexact=q) | Q(member__kpj=q) | Q(member__name__icontains=q)
                       | Q(claimant_name__icontains=q))
    return qs.order_by("submitted_at", "id")

def ageing_days(claim: Claim, today=None) -> int:
    today = today or timezone.localdate()
    return (today - timezone.localtime(claim.submitted_at).date()).days

def queue_counts(user) -> dict:
    qs = scope_for(user).filter(Claim.objects.all(), "branch")
    rows = qs.values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}

def paid_report(user, *, province: str = "", year: int | None = None) -> dict:
    """Paid claims by program and region (provinces; a province's regencies when ``province`` is given)."""

    qs = scope_for(user).filter(Claim.objects.filter(status=Status.PAID), "branch")
    if year:
        qs = qs.filter(paid_at__year=year)
    key = "member__province_code"
    if province:
        qs = qs.filter(member__province_code=province)
        key = "member__regency_code"
    rows = list(qs.values(key, "program").annotate(n=Count("id"), amount=Sum("amount")).order_by(key, "program"))
    names = dict(Region.objects.filter(code__in={r[key] for r in rows}).values_list("code", "name"))
    table: dict[str, dict] = {}
    for r in rows:
        code = r[key]
        row = table.setdefault(code, {"code": code, "name": names.get(code, code), "JKK": [0, 0], "JKM": [0, 0],
                                      "JHT": [0, 0], "count": 0, "amount": 0})
        row[r["program"]] = [r["n"], r["amount"] or 0]
        row["count"] += r["n"]
        row["amount"] += r["amount"] or 0
    totals = {p: [sum(t[p][0] for t in table.values()), sum(t[p][1] for t in table.values())]
              for p in ("JKK", "JKM", "JHT")}
    return {"rows": sorted(table.values(), key=lambda t: -t["amount"]), "totals": totals,
            "count": sum(t["count"] for t in table.values()), "amount": sum(t["amount"] for t in table.values()),
            "level": "regency" if province else "province"}

def timeline(claim: Claim) -> QuerySet:
    return (AuditEvent.objects.filter(object_type="claims.claim", object_id=str(claim.pk))
            .select_related("actor").order_by("created_at", "id"))
