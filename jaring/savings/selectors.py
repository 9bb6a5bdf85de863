"""JHT savings reads: balances, yearly summaries and the yearly statement."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, IntegerField, Q, Sum, Value, When

from jaring.core.errors import DomainError
from jaring.rules.errors import RuleError
from jaring.rules.jht import MONTHS

from .models import Account, Entry

RETURN_KINDS = (Entry.Kind.RETURN, Entry.Kind.RETURN_ADJUSTMENT)
SIGNED = Case(When(kind=Entry.Kind.WITHDRAWAL, then=-1), default=Value(1), output_field=IntegerField())


def account_of(member) -> Account | None:
    return Account.objects.filter(member=member).first()

def balance_of(member) -> int:
    acc = account_of(member)
    return acc.balance if acc else 0

def ledger_totals(account: Account) -> dict:
    """Totals recomputed from the entries (what the invariant test compares with the account)."""
    agg = account.entries.aggregate(
        contributions=Sum("amount", filter=Q(kind=Entry.Kind.CONTRIBUTION), default=0),
        returns=Sum("amount", filter=Q(kind__in=RETURN_KINDS), default=0),
        withdrawals=Sum("amount", filter=Q(kind=Entry.Kind.WITHDRAWAL), default=0),
    )
    agg["balance"] = agg["contributions"] + agg["returns"] - agg["withdrawals"]
    return agg

def balance_before(account: Account, day: date) -> int:
    rows = account.entries.filter(value_date__lt=day).values_list("kind", "amount")
    return sum(-a if k == Entry.Kind.WITHDRAWAL else a for k, a in rows)

def years_of(account: Account) -> list[int]:
    first = account.entries.order_by("value_date").values_list("value_date", flat=True).first()
    last = account.entries.order_by("-value_date").values_list("value_date", flat=True).first()
    if first is None:
        return []
    return list(range(first.year, last.year + 1))

FIRST_STATEMENT_YEAR = 1977  # JHT began with Jamsostek (Astek) in 1977: no statement can be older
LAST_STATEMENT_YEAR = 2100


def check_statement_year(year) -> int:
    """A statement year a person can ask for; anything else is a 422 naming the allowed range."""

    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not FIRST_STATEMENT_YEAR <= year <= LAST_STATEMENT_YEAR:
        msg = f"Tahun laporan harus angka empat digit antara {FIRST_STATEMENT_YEAR} dan {LAST_STATEMENT_YEAR}."
        raise DomainError(msg, {"year": msg})
    return year

def statement(account: Account, year: int) -> dict:
    """Yearly statement: opening balance, each month's contributions, withdrawals, the year's return, closing."""
    year = check_statement_year(year)
    opening = balance_before(account, date(year, 1, 1))
    entries = list(account.entries.filter(value_date__gte=date(year, 1, 1), value_date__lte=date(year, 12, 31))
                   .order_by("value_date", "id"))
    months = []
    for m in range(1, MONTHS + 1):
        contrib = sum(e.amount for e in entries if e.kind == Entry.Kind.CONTRIBUTION and e.value_date.month == m)
        out = sum(e.amount for e in entries if e.kind == Entry.Kind.WITHDRAWAL and e.value_date.month == m)
        months.append({"month": f"{year:04d}-{m:02d}", "contribution": contrib, "withdrawal": out})
    contributions = sum(r["contribution"] for r in months)
    withdrawals = sum(r["withdrawal"] for r in months)
    ret = next((e for e in entries if e.kind == Entry.Kind.RETURN and e.year == year), None)
    adjustments = sum(e.amount for e in entries if e.kind == Entry.Kind.RETURN_ADJUSTMENT and e.year == year)
    returns = (ret.amount if ret else 0) + adjustments
    rate = _rate_info(year)
    return {
        "year": year, "opening": opening, "months": months, "contributions": contributions,
        "withdrawals": withdrawals, "returns": returns, "return_credited": ret is not None,
        "return_adjustments": adjustments,
        "closing": opening + contributions + returns - withdrawals, "entries": entries,
        "rate_bp": rate["rate_bp"], "rate_is_assumption": rate["is_assumption"], "rate_source": rate["source"],
    }

def _rate_info(year: int) -> dict:
    """The year's rate, whether it is our assumption (*perkiraan*) and its source; empty when unknown."""

    from .rates import rate_row

    try:
        r = rate_row(year)
    except RuleError:
        return {"rate_bp": None, "is_assumption": True, "source": ""}
    return {"rate_bp": r.rate_bp, "is_assumption": r.is_assumption, "source": r.source}

def rate_percent(rate_bp: int | None) -> str:
    return "" if rate_bp is None else f"{rate_bp // 100},{rate_bp % 100:02d}%"

def yearly_summary(account: Account) -> list[dict]:
    return [{k: v for k, v in statement(account, y).items() if k not in ("months", "entries", "rate_source")}
            for y in years_of(account)]
