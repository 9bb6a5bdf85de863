"""Benefit simulation (public) and claims (officers and members)."""

from __future__ import annotations

from typing import Optional

from ninja import Router, Schema

from jaring.rules import benefits as rules

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
  `periodic` Rp12m, `funeral` Rp10m (Rp42m) when N ≥ 3, otherwise only `funeral`; `scholarship_max`
  only when M ≥ 36 (3 years of contributions), else 0.
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


class EstimateIn(Schema):
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


@router.post("/benefits/estimate", auth=None, response=EstimateOut, tags=["benefits"],
             summary="Benefit simulation (JKK, JKM, JHT)", description=ESTIMATE_DESCRIPTION,
             exclude_none=True)
def estimate_benefit(request, body: EstimateIn):
    data = body.dict(exclude_none=True)
    if body.wage is None and data.get("program", "").upper() == "JKK":
        data["wage"] = None
    return rules.estimate(data)
