"""Coverage state of a BPU member on a date (SPEC 2.3). Pure Python: no Django.

Months are paid in order (advance months credited forward), so what a member has paid is one number:
``paid_through``, the last paid contribution month (``None`` when nothing is paid yet).

* ``pending``: the registration is not verified yet (member status ``pending``); not protected.
* ``unpaid_months``: whole calendar months that have *ended* unpaid, counted from the first unpaid
  month up to the month before ``on_date`` (the current month can still be paid; there are no fines).
* ``active``: no ended month is unpaid.
* ``arrears``: 1 or 2 ended months are unpaid.
* ``inactive``: 3 consecutive months ended unpaid, so the member is deactivated on the first day of
  the 4th month (SPEC 2.3: "non-active after 3 consecutive unpaid months, deactivated in month 4").
  A member whose status is already ``inactive`` (or ``rejected``) stays inactive whatever is paid
  later: reactivation is a new registration (valid data, current economic activity), not a payment.
* ``protected`` ("only active members whose contributions are paid are protected"): the member is
  not pending/inactive and the month of ``on_date`` is paid, or the previous month is paid and
  ``on_date`` is on or before this month's due date (the month's own payment window).

Example: first month 2026-01, paid through 2026-01. On 2026-02-20: active (February has not ended),
not protected (February unpaid, past its due date 18 Feb). 2026-03-01: arrears, 1 unpaid month.
2026-04-01: arrears, 2. 2026-05-01: inactive, 3 unpaid months (deactivated in the 4th month, May).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .periods import add_months, month_index, month_str

ACTIVE = "active"
ARREARS = "arrears"
INACTIVE = "inactive"
PENDING = "pending"
STATES = (ACTIVE, ARREARS, INACTIVE, PENDING)
INACTIVE_AFTER = 3  # consecutive unpaid months (SPEC 2.3, H)


@dataclass(frozen=True)
class Coverage:
    state: str
    paid_through: date | None
    protected: bool
    unpaid_months: int

    def as_dict(self) -> dict:
        return {"state": self.state, "paid_through": month_str(self.paid_through) if self.paid_through else None,
                "protected": self.protected, "unpaid_months": self.unpaid_months}


def first_unpaid_month(first_month: date, paid_through: date | None) -> date:
    first_month = first_month.replace(day=1)
    if paid_through is None or paid_through < first_month:
        return first_month
    return add_months(paid_through.replace(day=1), 1)


def unpaid_months(first_month: date, paid_through: date | None, on_date: date) -> int:
    """Calendar months that ended unpaid before ``on_date``'s month."""
    start = first_unpaid_month(first_month, paid_through)
    return max(0, month_index(on_date) - month_index(start))


def state_for(status: str, unpaid: int) -> str:
    if status == PENDING:
        return PENDING
    if status in (INACTIVE, "rejected") or unpaid >= INACTIVE_AFTER:
        return INACTIVE
    return ARREARS if unpaid > 0 else ACTIVE


def is_protected(state: str, first_month: date, paid_through: date | None, on_date: date, due: date) -> bool:
    if state in (PENDING, INACTIVE):
        return False
    start = first_unpaid_month(first_month, paid_through)
    this_month = on_date.replace(day=1)
    if start > this_month:
        return True  # this month (and maybe more) already paid
    return start == this_month and on_date <= due and this_month > first_month.replace(day=1)


def coverage_on(status: str, first_month: date, paid_through: date | None, on_date: date,
                due: date | None = None) -> Coverage:
    """The coverage state on ``on_date``. ``due`` is the due date of ``on_date``'s month (rules.billing)."""
    if due is None:
        from .billing import due_date

        due = due_date(on_date.replace(day=1))
    unpaid = 0 if status == PENDING else unpaid_months(first_month, paid_through, on_date)
    state = state_for(status, unpaid)
    if paid_through is not None and paid_through < first_month.replace(day=1):
        paid_through = None
    return Coverage(state, paid_through, is_protected(state, first_month, paid_through, on_date, due), unpaid)
