"""Lapse risk: how likely a member is to stop paying, as a transparent points score (no Django).

Every point comes with a reason a person can read and act on; the weights below are the whole model.
SPEC 2.3: after 3 consecutive unpaid months a BPU membership becomes non-active, so months in arrears weigh
most; late payers, new members and members who only ever pay one month at a time follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WEIGHTS = {
    "per_month_in_arrears": 25,     # each unpaid month past its due date …
    "arrears_cap": 60,              # … up to this many points
    "never_paid": 30,               # no payment at all since the first month became due
    "per_late_payment": 5,          # each bill of the last 12 months paid after its due date …
    "late_cap": 20,                 # … up to this many points
    "tenure_under_3_months": 15,    # new members lapse most
    "tenure_under_6_months": 8,
    "single_month_only": 10,        # 2+ payments, every one for a single month (no habit of paying ahead)
    "paid_ahead": -15,              # the current month is already paid and at least one more
}
HIGH, MEDIUM = 50, 25  # bands shown on the follow-up list


@dataclass(frozen=True)
class History:
    months_in_arrears: int = 0
    late_payments_12m: int = 0
    tenure_months: int = 0
    payments: int = 0
    single_month_payments: int = 0
    months_paid_ahead: int = 0
    ever_paid: bool = True


@dataclass
class Risk:
    score: int
    band: str  # "tinggi" | "sedang" | "rendah"
    reasons: list[tuple[str, int]] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return "; ".join(f"{text} ({'+' if pts > 0 else ''}{pts})" for text, pts in self.reasons)


def score(h: History, weights: dict | None = None) -> Risk:
    w = {**WEIGHTS, **(weights or {})}
    reasons: list[tuple[str, int]] = []
    if h.months_in_arrears > 0:
        reasons.append((f"{h.months_in_arrears} bulan menunggak",
                        min(w["arrears_cap"], w["per_month_in_arrears"] * h.months_in_arrears)))
    if not h.ever_paid and h.tenure_months >= 1:
        reasons.append(("belum pernah membayar", w["never_paid"]))
    if h.late_payments_12m > 0:
        reasons.append((f"{h.late_payments_12m}× bayar lewat jatuh tempo dalam 12 bulan",
                        min(w["late_cap"], w["per_late_payment"] * h.late_payments_12m)))
    if h.tenure_months < 3:
        reasons.append(("peserta baru (< 3 bulan)", w["tenure_under_3_months"]))
    elif h.tenure_months < 6:
        reasons.append(("peserta baru (< 6 bulan)", w["tenure_under_6_months"]))
    if h.payments >= 2 and h.single_month_payments == h.payments:
        reasons.append(("selalu bayar hanya 1 bulan", w["single_month_only"]))
    if h.months_paid_ahead >= 1 and h.months_in_arrears == 0:
        reasons.append((f"sudah bayar {h.months_paid_ahead} bulan di muka", w["paid_ahead"]))
    total = max(0, min(100, sum(p for _, p in reasons)))
    band = "tinggi" if total >= HIGH else "sedang" if total >= MEDIUM else "rendah"
    return Risk(total, band, reasons)
