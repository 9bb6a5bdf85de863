"""Reading the journal: the trial balance with its control checks, an account's lines, drill-down links.

Control checks tie each account to the records it summarises (the subledgers), as of the end of the
trial balance's date (Asia/Jakarta): the ledger side is the account's balance over entries booked up to
that date, the record side the records written up to that moment. ``difference`` = ledger − records.
Commission lines carry no history (a re-run replaces a month's rows): the check takes the rows computed
by then, so for a date before a re-run that changed a month's total it shows that change as a difference.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from . import chart

_RECORDS: dict[str, list] = {}
_LINKS: dict[str, object] = {}

# The records side of the control checks: each is the sum of one app's records, and that app registers
# the function computing it (the ledger names no other app's table). ``func(until: datetime) -> int``.
PAID_BILLS = "paid_bills"                  # contributions: bills paid by payments written before ``until``
PAYMENT_FEES = "payment_fees"              # contributions: channel fees of those payments
SPONSOR_RECEIVED = "sponsor_received"      # sponsors: money received from sponsors
SPONSOR_APPLIED = "sponsor_applied"        # contributions: amount + fee of SPONSOR-channel payments
AGENT_COLLECTED = "agent_collected"        # contributions: amount + fee of AGENT-channel payments
COMMISSION_EARNED = "commission_earned"    # agents: commission lines computed by then
JHT_BALANCES = "jht_balances"              # savings: members' JHT balances
CLAIMS_OWED = "claims_owed"                # claims: approved JKK/JKM claims not transferred yet
PREPAID_BALANCES = "prepaid_balances"      # members' prepaid balances


def register_records(check: str, func) -> None:
    """Register ``func(until: datetime) -> int`` as (part of) the records side of ``check`` (one of the
    names above); until one is registered, that side is 0."""
    funcs = _RECORDS.setdefault(check, [])
    if func not in funcs:
        funcs.append(func)
    return func


# the prepaid check's sources (one list: register_prepaid_balances and register_records share it)
_PREPAID_SOURCES = _RECORDS.setdefault(PREPAID_BALANCES, [])


def register_prepaid_balances(func) -> None:
    """Register ``func(until: datetime) -> int``, the sum of members' prepaid balances at ``until``; the
    prepaid check compares it to account 2600 (until one is registered, the records' side is 0)."""
    return register_records(PREPAID_BALANCES, func)


def register_record_link(ref_type: str, func) -> None:
    """Register ``func(ref_id) -> str | None``, the page of a record an entry books (``ref_type`` is the
    record's ``app_label.model``)."""
    _LINKS[ref_type] = func
    return func


def _records(check: str, until: datetime) -> int:
    return sum(int(f(until) or 0) for f in _RECORDS.get(check, ()))


def _until(on: date) -> datetime:
    return timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min), timezone.get_default_timezone())


def _one(sql: str, params=()) -> int:
    with connection.cursor() as cur:
        cur.execute(sql, list(params))
        row = cur.fetchone()
    return int(row[0] or 0) if row else 0


def balances(on: date) -> dict[str, tuple[str, int, int]]:
    """{code: (name, debit, credit)} over entries booked up to ``on``; every account of the chart."""
    with connection.cursor() as cur:
        cur.execute("""SELECT a.code, a.name, COALESCE(t.debit, 0), COALESCE(t.credit, 0)
            FROM ledger_account a LEFT JOIN (
                SELECT l.account_id, SUM(l.debit) AS debit, SUM(l.credit) AS credit
                FROM ledger_line l JOIN ledger_entry e ON e.id = l.entry_id
                WHERE e.booked_on <= %s GROUP BY l.account_id) t ON t.account_id = a.id
            ORDER BY a.code""", [connection.ops.adapt_datefield_value(on)])
        return {code: (name, int(d), int(c)) for code, name, d, c in cur.fetchall()}


def _bal(bal, *codes, prefix: str | None = None) -> int:
    """debit − credit of some accounts (or of every account whose code starts with ``prefix``)."""
    total = 0
    for code, (_n, d, c) in bal.items():
        if code in codes or (prefix and code.startswith(prefix)):
            total += d - c
    return total


def control_checks(on: date, bal=None) -> list[dict]:
    """[{name, ok, difference, ledger, records}] for ``on``: each control account against its records."""
    bal = bal if bal is not None else balances(on)
    checks = []

    def add(name, ledger, records):
        checks.append({"name": name, "ok": ledger == records, "difference": ledger - records,
                       "ledger": ledger, "records": records})

    at = _until(on)
    # the contribution of every paid bill (bills a payment written up to then has paid) is income
    add("paid_bills_equal_contribution_income", -_bal(bal, chart.INCOME_JKK, chart.INCOME_JKM, chart.INCOME_JHT),
        _records(PAID_BILLS, at))
    add("channel_fees_equal_payment_fees", -_bal(bal, chart.CHANNEL_FEES), _records(PAYMENT_FEES, at))
    # sponsor prepayment = received from sponsors − applied to workers (their SPONSOR-channel payments)
    add("sponsor_prepayment_equal_paid_minus_applied", -_bal(bal, chart.SPONSOR_PREPAID),
        _records(SPONSOR_RECEIVED, at) - _records(SPONSOR_APPLIED, at))
    # agent cash = collected (agents' collections, posted on channel AGENT) − remitted to the bank
    remitted = _one("""SELECT SUM(l.credit) FROM ledger_line l JOIN ledger_entry e ON e.id = l.entry_id
                       JOIN ledger_account a ON a.id = l.account_id
                       WHERE e.kind = 'agent_remittance' AND a.code = %s AND e.booked_on <= %s""",
                    [chart.AGENT_CASH, connection.ops.adapt_datefield_value(on)])
    add("agent_cash_equal_collected_minus_remitted", _bal(bal, chart.AGENT_CASH),
        _records(AGENT_COLLECTED, at) - remitted)
    # commission payable = earned (commission lines) − paid out
    paid_out = _one("""SELECT SUM(l.debit) FROM ledger_line l JOIN ledger_entry e ON e.id = l.entry_id
                       JOIN ledger_account a ON a.id = l.account_id
                       WHERE e.kind = 'commission_payout' AND a.code = %s AND e.booked_on <= %s""",
                    [chart.COMMISSION_PAYABLE, connection.ops.adapt_datefield_value(on)])
    add("commission_payable_equal_earned_minus_paid", -_bal(bal, chart.COMMISSION_PAYABLE),
        _records(COMMISSION_EARNED, at) - paid_out)
    # JHT fund = members' JHT balances (their savings entries up to then)
    add("jht_fund_equal_member_balances", -_bal(bal, chart.JHT_FUND), _records(JHT_BALANCES, at))
    # claims payable = approved JKK/JKM claims not transferred yet
    add("claims_payable_equal_approved_unpaid", -_bal(bal, chart.CLAIMS_PAYABLE), _records(CLAIMS_OWED, at))
    add("prepaid_equal_member_prepaid_balances", -_bal(bal, chart.PREPAID), _records(PREPAID_BALANCES, at))
    return checks


def trial_balance(on: date | None = None) -> dict:
    """CONTRACT ``jaring ledger trial-balance``: totals, every account, and the control checks."""
    on = on or timezone.localdate()
    bal = balances(on)
    debits = sum(d for _n, d, _c in bal.values())
    credits = sum(c for _n, _d, c in bal.values())
    checks = [{"name": "debits_equal_credits", "ok": debits == credits, "difference": debits - credits,
               "ledger": debits, "records": credits}] + control_checks(on, bal)
    return {"date": on.isoformat(), "debits": debits, "credits": credits, "balanced": debits == credits,
            "accounts": [{"code": code, "name": name, "debit": d, "credit": c, "balance": d - c}
                         for code, (name, d, c) in bal.items()],
            "checks": [{"name": k["name"], "ok": k["ok"], "difference": k["difference"]} for k in checks],
            "details": checks}


def is_ok(tb: dict) -> bool:
    return tb["balanced"] and all(c["ok"] for c in tb["checks"])


# --- drill-down ---------------------------------------------------------------------------------

def record_link(ref_type: str, ref_id) -> str | None:
    """The page of the business record an entry books (payment, invoice, claim, …), when there is one
    (the owning app registers it: :func:`register_record_link`)."""
    from django.urls import NoReverseMatch

    func = _LINKS.get(ref_type)
    if func is None or not ref_type or ref_id is None:
        return None
    try:
        return func(ref_id)
    except NoReverseMatch:
        return None


def net_by_account(ref=None, *, kind: str | None = None) -> dict[str, int]:
    """{account code: debit − credit} over the entries booking one record (``ref``: a model instance or
    (ref_type, ref_id)) and/or of one kind; accounts that net to zero are left out."""
    from django.db.models import Sum

    from .models import Line

    qs = Line.objects.all()
    if ref is not None:
        ref_type, ref_id = ref if isinstance(ref, tuple) else (ref._meta.label_lower, ref.pk)
        qs = qs.filter(entry__ref_type=ref_type, entry__ref_id=ref_id)
    if kind is not None:
        qs = qs.filter(entry__kind=kind)
    out = {}
    for code, d, c in qs.values_list("account__code").annotate(d=Sum("debit"), c=Sum("credit")):
        if (d or 0) - (c or 0):
            out[code] = int(d or 0) - int(c or 0)
    return out


def income(net: dict) -> int:
    """Contribution income (positive) in a :func:`net_by_account` result."""
    return -sum(net.get(code, 0) for code in chart.INCOME.values())
