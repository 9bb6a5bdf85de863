"""Benefit simulation (public) and claims (officers and members)."""

from __future__ import annotations

from typing import Optional

from ninja import Router, Schema

from jaring.api.errors import errors
from jaring.api.schemas import InputSchema
from jaring.members.selectors import get_member_for
from jaring.rules import benefits as rules
from jaring.savings.rates import rate_table

router = Router(tags=["claims"])

ESTIMATE_DESCRIPTION = """
Benefit simulation (SPEC 2.4; wage = declared monthly income; integer Rupiah). No authentication.

* `{"program": "JKK", "case": "death", "wage": W}` → `lump_sum` = 48 × W (60% × 80), never below the JKM
  lump sum Rp20,000,000; `funeral` Rp10,000,000; `periodic` Rp12,000,000 (paid at once). Extra
  `scholarship_max` (at most 2 children, Rp87,000,000 each; optional `children`, default 2) — not in `total`.
* `{"program": "JKK", "case": "total_disability", "wage": W}` → `lump_sum` 56 × W (70% × 80), `periodic`.
* `{"program": "JKK", "case": "partial_disability", "wage": W, "percent": P}` → `lump_sum` P% × 80 × W.
* `{"program": "JKK", "case": "temporary_incapacity", "wage": W, "months": N}` → `temporary_incapacity`:
  100% of W for each of the first 12 months, 50% for each month after.
* `{"program": "JKM", "consecutive_paid_months": N, "contribution_months": M}` → `lump_sum` Rp20m,
  `periodic` Rp12m, `funeral` Rp10m (Rp42m) when N ≥ 3 (consecutive paid months since registration or
  continuation), otherwise the waiting rule: `lump_sum` (santunan) Rp8m + `funeral` Rp2m (Rp10m); `scholarship_max`
  only when M ≥ 36 (3 years of contributions), else 0; `waiting_period_met` says which applied.
* `{"program": "JHT", "balance": B, "monthly_contribution": C, "years": Y, "annual_rate": R}` →
  `{"components": {"projected_balance": ...}}`. `annual_rate` is a percentage (5.63 = 5.63%; a value
  under 1 is read as a fraction, 0.0563 = 5.63%); omitted = the latest rate in the table.
  **Crediting convention**: the contribution for month m (1 = January) is credited at the end of
  month m; the year's return is credited on 31 December =
  rate × (opening balance × 12 + Σ contribution × (12 − m)) / 12, rounded half-up to whole Rupiah;
  the next year's opening balance includes that return, so returns compound on the grown balance.
  Also returns `years` (year-by-year opening, contributions, returns, closing).

`total` is always the sum of `components`. Invalid bodies (unknown program or case, negative wage,
percent over 100, …) → 422 with `errors` naming the field.
"""


class EstimateIn(InputSchema):
    program: str
    case: Optional[str] = None
    wage: Optional[int] = None
    percent: Optional[float] = None
    months: Optional[int] = None
    children: Optional[int] = None
    consecutive_paid_months: Optional[int] = None
    contribution_months: Optional[int] = None
    balance: Optional[int] = None
    monthly_contribution: Optional[int] = None
    years: Optional[int] = None
    annual_rate: Optional[float] = None

class YearRow(Schema):
    year: int
    opening: int
    contributions: int
    returns: int
    closing: int

class EstimateOut(Schema):
    program: str
    case: str
    components: dict[str, int]
    total: int
    scholarship_max: Optional[int] = None
    scholarship_per_child: Optional[int] = None
    months_full: Optional[int] = None
    months_half: Optional[int] = None
    percent_bp: Optional[int] = None
    projected_balance: Optional[int] = None
    contributions: Optional[int] = None
    returns: Optional[int] = None
    annual_rate_bp: Optional[int] = None
    years: Optional[list[YearRow]] = None
    convention: Optional[str] = None
    notes: Optional[list[str]] = None
    waiting_period_met: Optional[bool] = None
    rate_year: Optional[int] = None
    rate_is_assumption: Optional[bool] = None
    rate_source: Optional[str] = None

@router.post("/benefits/estimate", auth=None, response={200: EstimateOut, **errors(404)}, tags=["benefits"],
             summary="Benefit simulation (JKK, JKM, JHT)", description=ESTIMATE_DESCRIPTION,
             exclude_none=True)
def estimate_benefit(request, body: EstimateIn):
    data = body.dict(exclude_none=True)
    if body.wage is None and data.get("program", "").upper() == "JKK":
        data["wage"] = None

    return rules.estimate(data, jht_rates=rate_table() if data.get("program", "").upper() == "JHT" else None)

# --- claims -------------------------------------------------------------------------------------------

from datetime import date as _date  # noqa: E402

from ninja import File, Form, Query, Status  # noqa: E402
from ninja.files import UploadedFile  # noqa: E402

from jaring.core.errors import DomainError  # noqa: E402
from jaring.accounts import policy


class ClaimOut(Schema):
    number: str
    kpj: str
    member_name: str
    branch: str
    program: str
    case: str
    event_date: _date
    status: str
    status_label: str
    status_reason: str
    components: dict[str, int]
    amount: int
    scholarship_max: int
    filed_by: str
    claimant_name: str
    submitted_at: str
    waiting_days: int
    reviewed_by: Optional[str] = None
    approved_by: Optional[str] = None
    payment_reference: str
    paid_reference: str
    paid_at: Optional[str] = None
    documents: int

def _out(claim) -> dict:
    from .selectors import ageing_days

    return {
        "number": claim.number, "kpj": claim.member.kpj, "member_name": claim.member.name, "branch": claim.branch_id,
        "program": claim.program, "case": claim.case, "event_date": claim.event_date, "status": claim.status,
        "status_label": str(claim.get_status_display()), "status_reason": claim.status_reason,
        "components": claim.components, "amount": claim.amount,
        "scholarship_max": int(claim.extras.get("scholarship_max") or 0), "filed_by": claim.filed_by,
        "claimant_name": claim.claimant_name, "submitted_at": claim.submitted_at.isoformat(),
        "waiting_days": ageing_days(claim),
        "reviewed_by": claim.reviewed_by.username if claim.reviewed_by_id else None,
        "approved_by": claim.approved_by.username if claim.approved_by_id else None,
        "payment_reference": claim.payment_reference, "paid_reference": claim.paid_reference,
        "paid_at": claim.paid_at.isoformat() if claim.paid_at else None, "documents": claim.documents.count(),
    }

class ClaimFilter(Schema):
    status: str = "open"
    program: str = ""
    q: str = ""
    page: int = 1

class ClaimPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ClaimOut]

@router.get("/claims", response={200: ClaimPage, **errors(403, 404)}, summary="Claims queue in the caller's scope (oldest first)",
            description="Officers and managers: `status` open (default) | all | submitted | reviewed | approved | "
                        "paid | rejected; `program` JKK | JKM | JHT; `q` claim number, KPJ or name; 25 per page. "
                        "A worker gets their own claims.")
def list_claims(request, filters: Query[ClaimFilter]):
    from django.core.paginator import Paginator

    from . import selectors
    if policy.is_staff(request.user):
        qs = selectors.queue(request.user, status=filters.status, program=filters.program, q=filters.q)
    else:
        qs = selectors.claims_of_user(request.user)
    paginator = Paginator(qs, 25)
    page = paginator.get_page(filters.page)
    return {"count": paginator.count, "page": page.number, "pages": paginator.num_pages,
            "results": [_out(c) for c in page.object_list]}

@router.get("/claims/{number}", response={200: ClaimOut, **errors(403, 404)}, summary="One claim with its benefit components and status")
def get_claim(request, number: str):
    from .selectors import get_claim_for

    return _out(get_claim_for(request.user, number))

class ClaimIn(InputSchema):
    program: str
    case: str = ""
    event_date: str
    cause: str
    claimant_name: str
    claimant_relation: str = ""
    claimant_phone: str = ""
    bank_name: str
    bank_account: str
    account_holder: str
    percent: Optional[float] = None
    months: Optional[int] = None
    child1_name: str = ""
    child1_birth_date: str = ""
    child1_level: str = ""
    child1_years_done: int = 0
    child2_name: str = ""
    child2_birth_date: str = ""
    child2_level: str = ""
    child2_years_done: int = 0

@router.post("/members/{kpj}/claims", response={201: ClaimOut, **errors(403, 404, 409)},
             summary="File a claim for a member (multipart: fields + documents)",
             description="The member (worker account) or an officer of the member's branch. Multipart form with "
                         "the fields of `ClaimIn` and one or more `documents` files (PDF, JPEG or PNG by content, "
                         "at most 5 MB each). Eligibility is checked against coverage on `event_date`; a refusal "
                         "is 422 with the reason in `detail` and `errors.eligibility`; a duplicate open claim 409.")
def file_claim_api(request, kpj: str, data: Form[ClaimIn], documents: File[list[UploadedFile]]):
    from .services import file_claim

    member = get_member_for(request.user, kpj)
    payload = {k: v for k, v in data.dict().items() if v not in (None, "")}
    claim = file_claim(member, payload, [("other", f) for f in documents], actor=request.user)
    return Status(201, _out(claim))

class ActionIn(InputSchema):
    note: str = ""
    reason: str = ""
    reference: str = ""
    percent: Optional[float] = None
    months: Optional[int] = None

@router.post("/claims/{number}/{action}", response={200: ClaimOut, **errors(403, 404, 409)},
             summary="Officer action: review | approve | reject | pay",
             description="`review` (first officer; approves directly up to the maker–checker threshold, otherwise "
                         "waits for a second officer), `approve` (a different officer; 403 for the reviewer), "
                         "`reject` (with `reason`), `pay` (with the bank transfer `reference`). 409 when the claim is "
                         "not in the right state.")
def act_on_claim(request, number: str, action: str, body: ActionIn):
    from . import services
    from .selectors import get_claim_for

    claim = get_claim_for(request.user, number)
    if action == "review":
        claim = services.review(claim, actor=request.user, percent=body.percent, months=body.months, note=body.note)
    elif action == "approve":
        claim = services.approve(claim, actor=request.user, note=body.note)
    elif action == "reject":
        claim = services.reject(claim, actor=request.user, reason=body.reason)
    elif action == "pay":
        claim = services.mark_paid(claim, actor=request.user, reference=body.reference, note=body.note)
    else:
        raise DomainError("Tindakan tidak dikenal; pilih review, approve, reject atau pay.", {"action": "Tidak dikenal."},
                          status=404)
    return _out(claim)
