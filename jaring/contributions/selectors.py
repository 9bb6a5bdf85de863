"""Reads shared by pages, API and reports: coverage, what is owed, bills, payments, settlement files."""

from __future__ import annotations

from datetime import date

from django.db.models import Max, QuerySet
from django.utils import timezone

from jaring.accounts.scoping import scope_for
from jaring.core.errors import DomainError
from jaring.rules.billing import bill_status, due_date
from jaring.rules.contributions import quote
from jaring.rules.coverage import coverage_on as rule_coverage_on, first_unpaid_month
from jaring.rules.identifiers import mask_nik
from jaring.rules.periods import add_months, iter_months, month_str, months_between, parse_month

from .rates import current_schedule

MAX_BILL_RANGE = 36  # CONTRACT: at most 36 months per call


def paid_through_on(member, on_date: date | None = None) -> date | None:
    from .models import Bill

    qs = Bill.objects.filter(member=member, status=Bill.Status.PAID, month__gte=member.first_month)
    if on_date is not None:
        # what had been paid by the end of that day (payments made later do not count back)
        qs = qs.filter(payment__paid_at__date__lte=on_date) | qs.filter(payment__isnull=True)
    return qs.aggregate(m=Max("month"))["m"]

def coverage_on(member, on_date: date | None = None) -> dict:
    """``{"state", "paid_through", "protected", "unpaid_months"}`` on a date (SPEC 2.3, rules.coverage)."""
    on_date = on_date or timezone.localdate()
    paid = paid_through_on(member, on_date)
    return rule_coverage_on(member.status, member.first_month, paid, on_date).as_dict()

def bills_between(member, month_from: str | None, month_to: str | None, today: date | None = None) -> list[dict]:
    """One row per month from the member's first month on, billed or not: month, amount (after discount),
    due date, status paid|due|overdue|upcoming. At most 36 months."""
    from .models import Bill

    today = today or timezone.localdate()
    start = parse_month(month_from, "from") if month_from else add_months(today.replace(day=1), -11)
    end = parse_month(month_to, "to") if month_to else add_months(today.replace(day=1), 0)
    if end < start:
        raise DomainError("Bulan 'to' harus sama atau sesudah bulan 'from'.", {"to": "Harus >= from."})
    if months_between(start, end) + 1 > MAX_BILL_RANGE:
        raise DomainError(f"Paling banyak {MAX_BILL_RANGE} bulan sekali minta; persempit from/to.",
                          {"to": f"Rentang paling banyak {MAX_BILL_RANGE} bulan."})
    start = max(start, member.first_month.replace(day=1))
    if end < start:
        return []
    billed = {b.month: b for b in Bill.objects.filter(member=member, month__gte=start, month__lte=end)}
    schedule = None
    rows = []
    for m in iter_months(start, end):
        b = billed.get(m)
        if b is not None:
            amount, due, paid = b.amount, b.due_date, b.status == Bill.Status.PAID
        else:
            schedule = schedule or current_schedule()
            amount = quote(schedule, member.income, member.programs, m, member.sector or "other",
                           member.funding or "self").total
            due, paid = due_date(m), False
        rows.append({"month": month_str(m), "amount": amount, "due_date": due.isoformat(),
                     "status": bill_status(m, paid, today, member.registered_on)})
    return rows

def owed(member, today: date | None = None) -> dict:
    """What the member owes now: unpaid months up to and including this month (at most 12), after any
    discount. A non-active member owes this month alone: paying it continues the membership (SPEC 2.3),
    ``continuation`` is then true."""
    from .services import MAX_MONTHS, cost_of_months, payable_start

    today = today or timezone.localdate()
    continuation = member.status == "inactive"
    this_month = today.replace(day=1)
    recent = None if continuation else _recent_bills(member)
    if recent is None:
        start = payable_start(member, today)
        n = months_between(start, this_month) + 1 if start <= this_month else 0
        items = cost_of_months(member, min(n, MAX_MONTHS), start) if n > 0 else []
    else:  # one read of the bill index gives both the last paid month and the billed amounts
        paid = [m for m, _, status in recent if status == "paid"]
        start = first_unpaid_month(member.first_month, max(paid) if paid else None)
        n = months_between(start, this_month) + 1 if start <= this_month else 0
        billed = {m: a for m, a, _ in recent}
        schedule = None
        items = []
        for i in range(min(n, MAX_MONTHS)):
            m = add_months(start, i)
            amount = billed.get(m)
            if amount is None:
                schedule = schedule or current_schedule()
                amount = quote(schedule, member.income, member.programs, m, member.sector or "other",
                               member.funding or "self").total
            items.append((m, amount))
    return {"first_unpaid": start, "months": n, "continuation": continuation, "items": [
        {"month": m, "amount": a, "due_date": due_date(m), "status": bill_status(m, False, today, member.registered_on)} for m, a in items],
        "total": sum(a for _, a in items)}

RECENT_BILLS = 36


def _recent_bills(member):
    """The member's latest bills from the first month on (month, amount, status), newest first; None when
    there are more than fit in one read (then :func:`owed` takes the two-query path)."""
    from .models import Bill

    rows = list(Bill.objects.filter(member=member, month__gte=member.first_month.replace(day=1))
                .order_by("-month").values_list("month", "amount", "status")[:RECENT_BILLS])
    return None if len(rows) == RECENT_BILLS else rows

def payments_of(member) -> QuerySet:
    from .models import Payment

    return Payment.objects.filter(member=member).select_related("channel").order_by("-paid_at", "-id")

def settlement_files(user=None) -> QuerySet:
    """Settlement files; for an officer with a regional or branch scope only files holding a payment or a
    rejected row of a member in that scope (national scope: all)."""
    from django.db.models import Exists, OuterRef

    from .models import Payment, SettlementFile, SettlementRow

    qs = SettlementFile.objects.select_related("channel").all()
    if user is None:
        return qs

    scope = scope_for(user)
    if scope.national:
        return qs
    codes = list(scope.branch_codes or [])
    return qs.filter(Exists(Payment.objects.filter(settlement_file=OuterRef("pk"), member__branch_id__in=codes))
                     | Exists(SettlementRow.objects.filter(file=OuterRef("pk"), member__branch_id__in=codes)))

def rejected_rows(file=None, q: str = "", user=None) -> QuerySet:
    """Rejected rows of a file. For an officer outside national scope: rows of members in their scope, and rows
    that matched no member (their customer number is shown masked, see :func:`shown_customer`)."""
    from django.db.models import Q

    from .models import SettlementRow

    qs = SettlementRow.objects.select_related("file", "file__channel", "member")
    if file is not None:
        qs = qs.filter(file=file)
    if q:
        qs = qs.filter(reference__icontains=q) | qs.filter(customer__icontains=q)
    if user is not None:
        scope = scope_for(user)
        if not scope.national:
            qs = qs.filter(Q(member__isnull=True) | Q(member__branch_id__in=list(scope.branch_codes or [])))
    return qs.order_by("-file_id", "line")

def shown_customer(row, user) -> str:
    """A rejected row's customer number as this user may see it: in full for national scope or a member in
    scope, masked otherwise."""

    scope = scope_for(user)
    if scope.national or (row.member_id and scope.allows_branch(row.member.branch_id)):
        return row.customer
    return mask_nik(row.customer) if len(row.customer) == 16 else "*" * len(row.customer)

def coverage_counts() -> dict:
    from django.db.models import Count

    from .models import MemberCoverage

    return dict(MemberCoverage.objects.values_list("state").annotate(n=Count("pk")).order_by())
