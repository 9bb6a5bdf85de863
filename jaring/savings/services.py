"""JHT savings writes: credit paid contributions, credit yearly returns, pay withdrawals.

All bulk work is set-based SQL that runs on SQLite and PostgreSQL alike (``INSERT … SELECT`` with
``NOT EXISTS`` guards plus unique constraints), so running a command twice never credits twice.
The crediting convention is the one of :mod:`jaring.rules.jht`: an entry dated in month *m* of the
year earns (12 − m)/12 of the year's rate, the opening balance earns the whole year, and the
return is credited on 31 December, rounded half-up to whole Rupiah.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import F as models_F
from django.utils import timezone

from jaring.contributions.sql import bill_table
from jaring.core import audit
from jaring.core.errors import DomainError
from jaring.ledger import chart, services as ledger

from .models import Account, Entry
from .rates import rate_for


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)

def _d(value: date):
    return connection.ops.adapt_datefield_value(value)

def _refresh_totals(where_sql: str, params: list) -> None:
    """Recompute the cached totals and balance of the accounts selected by ``where_sql``."""
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE savings_account SET "
            " contributions = COALESCE((SELECT SUM(e.amount) FROM savings_entry e"
            "   WHERE e.account_id = savings_account.id AND e.kind = 'contribution'), 0),"
            " returns = COALESCE((SELECT SUM(e.amount) FROM savings_entry e"
            "   WHERE e.account_id = savings_account.id AND e.kind IN ('return', 'return_adjustment')), 0),"
            " withdrawals = COALESCE((SELECT SUM(e.amount) FROM savings_entry e"
            "   WHERE e.account_id = savings_account.id AND e.kind = 'withdrawal'), 0)"
            f" WHERE {where_sql}", params)
        cur.execute("UPDATE savings_account SET balance = contributions + returns - withdrawals, updated_at = %s"
                    f" WHERE {where_sql}", [_dt(timezone.now())] + params)

@transaction.atomic
def credit_contributions(member_ids=None) -> dict:
    """Credit the JHT part of every paid bill not credited yet to its member's account (opening the
    account at the first paid JHT month). ``member_ids`` limits the run to some members."""
    now = _dt(timezone.now())
    member_filter, params = "", []
    if member_ids is not None:
        ids = [int(i) for i in member_ids]
        if not ids:
            return {"accounts_opened": 0, "contributions_credited": 0, "amount": 0}
        member_filter = f" AND b.member_id IN ({', '.join(['%s'] * len(ids))})"
        params = ids
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO savings_account (member_id, opened_on, contributions, returns, withdrawals, balance,"
            " updated_at)"
            f" SELECT b.member_id, MIN(b.month), 0, 0, 0, 0, %s FROM {bill_table()} b"
            " WHERE b.status = 'paid' AND b.jht > 0" + member_filter +
            " AND NOT EXISTS (SELECT 1 FROM savings_account a WHERE a.member_id = b.member_id)"
            " GROUP BY b.member_id", [now] + params)
        opened = cur.rowcount
        cur.execute(
            "INSERT INTO savings_entry (account_id, kind, amount, value_date, year, bill_id, claim_id, created_at)"
            " SELECT a.id, 'contribution', b.jht, b.month, NULL, b.id, NULL, %s"
            f" FROM {bill_table()} b JOIN savings_account a ON a.member_id = b.member_id"
            " WHERE b.status = 'paid' AND b.jht > 0" + member_filter +
            " AND NOT EXISTS (SELECT 1 FROM savings_entry e WHERE e.bill_id = b.id)", [now] + params)
        credited = cur.rowcount
        cur.execute("SELECT COALESCE(SUM(amount), 0) FROM savings_entry WHERE kind = 'contribution'"
                    " AND created_at = %s", [now])
        amount = int(cur.fetchone()[0])
    if credited:
        _refresh_totals("id IN (SELECT account_id FROM savings_entry WHERE created_at = %s)", [now])

        ledger.post_jht_sql("jht_contributions", chart.JHT_TRANSFER,
                            "SELECT COALESCE(SUM(amount), 0) AS amount FROM savings_entry"
                            " WHERE kind = 'contribution' AND created_at = %s", [now],
                            memo=f"{credited} iuran JHT dikreditkan")
    return {"accounts_opened": opened, "contributions_credited": credited, "amount": amount}

def _weight_case(year: int) -> tuple[str, list]:
    """SQL ``CASE`` giving each entry's weight in twelfths for ``year`` (before the year: 12)."""
    parts, params = ["CASE WHEN e.value_date < %s THEN 12"], [_d(date(year, 1, 1))]
    for month in range(2, 13):  # an entry in month m (before the first of month m+1) earns 12 − m
        parts.append("WHEN e.value_date < %s THEN %s")
        params += [_d(date(year, month, 1)), 12 - (month - 1)]
    parts.append("ELSE 0 END")
    return " ".join(parts), params

def _lock_rate(year: int, rate: int) -> None:
    """Take the year's rate row for this transaction (a row lock on PostgreSQL, the write lock on SQLite),
    so that two crediting runs for one year never both post, and record the rate now applied."""
    from .models import ReturnRate

    ReturnRate.objects.filter(year=year).update(applied_rate_bp=rate)

def _base_sql(year: int) -> tuple[str, list]:
    """Per account, the year's weighted base in Rupiah-months (see :mod:`jaring.rules.jht`)."""
    weight, wparams = _weight_case(year)
    sql = ("SELECT e.account_id AS account_id, CAST(SUM((CASE WHEN e.kind = 'withdrawal' THEN -e.amount"
           "   ELSE e.amount END) * (" + weight + ")) AS BIGINT) AS base"
           "   FROM savings_entry e WHERE e.value_date <= %s GROUP BY e.account_id")
    return sql, wparams + [_d(date(year, 12, 31))]

@transaction.atomic
def recompute_returns(from_year: int, actor=None) -> dict:
    """Recompute the credited returns of ``from_year`` and of every later credited year (a changed year
    changes the opening balance the next years compound on) at each year's rate in the table, and post the
    difference from what was credited as a signed ``return_adjustment`` dated 31 December of that year.

    Idempotent: the target is recomputed from the entries and compared with everything posted for the year
    (return + earlier adjustments), so a second run posts nothing. Only accounts already credited for the
    year are adjusted; an account never credited gets its return from :func:`credit_returns`."""
    years = sorted(set(Entry.objects.filter(kind=Entry.Kind.RETURN, year__gte=from_year)
                       .values_list("year", flat=True).distinct()))
    out = {"from_year": from_year, "years": [], "accounts_adjusted": 0, "amount": 0}
    for year in years:
        rate = rate_for(year)
        _lock_rate(year, rate)
        now = _dt(timezone.now())
        base, bparams = _base_sql(year)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO savings_entry (account_id, kind, amount, value_date, year, bill_id, claim_id, created_at)"
                " SELECT p.account_id, 'return_adjustment',"
                "  (CASE WHEN w.base > 0 THEN (2 * w.base * %s + 120000) / 240000 ELSE 0 END) - p.posted,"
                "  %s, %s, NULL, NULL, %s"
                " FROM (SELECT account_id, SUM(amount) AS posted FROM savings_entry"
                "   WHERE kind IN ('return', 'return_adjustment') AND year = %s GROUP BY account_id) p"
                " JOIN (" + base + ") w ON w.account_id = p.account_id"
                " WHERE (CASE WHEN w.base > 0 THEN (2 * w.base * %s + 120000) / 240000 ELSE 0 END) <> p.posted",
                [rate, _d(date(year, 12, 31)), year, now, year] + bparams + [rate])
            adjusted = cur.rowcount
            cur.execute("SELECT COALESCE(SUM(amount), 0) FROM savings_entry WHERE kind = 'return_adjustment'"
                        " AND year = %s AND created_at = %s", [year, now])
            amount = int(cur.fetchone()[0])
            if amount:  # the journal: the difference moves between the JHT fund and the returns expense
                up = [ledger.dr(chart.JHT_RETURNS, amount), ledger.cr(chart.JHT_FUND, amount)]
                down = [ledger.dr(chart.JHT_FUND, -amount), ledger.cr(chart.JHT_RETURNS, -amount)]
                ledger.post("jht_return_adjustment", up if amount > 0 else down, ref=("savings.year", year),
                            memo=f"Koreksi hasil pengembangan JHT {year} (tarif {rate / 100:.2f}%)", actor=actor)
        if adjusted:
            _refresh_totals("id IN (SELECT account_id FROM savings_entry WHERE kind = 'return_adjustment'"
                            " AND created_at = %s)", [now])
            audit.record(actor, "savings.recompute_returns", object_type="savings.year", object_id=str(year),
                         changes={"accounts": [None, adjusted], "amount": [None, amount]}, note=f"rate_bp={rate}")
        out["years"].append({"year": year, "rate_bp": rate, "accounts_adjusted": adjusted, "amount": amount})
        out["accounts_adjusted"] += adjusted
        out["amount"] += amount
    return out

def recompute_changed_rates(actor=None) -> dict:
    """The crediting job's second half: recompute from the earliest credited year whose rate in the table
    differs from the rate its returns were computed with (an admin entered the declared rate)."""
    from .models import ReturnRate

    changed = (ReturnRate.objects.filter(applied_rate_bp__isnull=False).exclude(applied_rate_bp=models_F("rate_bp"))
               .order_by("year").values_list("year", flat=True).first())
    if changed is None:
        return {"from_year": None, "years": [], "accounts_adjusted": 0, "amount": 0}
    return recompute_returns(changed, actor=actor)

@transaction.atomic
def credit_returns(year: int, today: date | None = None, actor=None) -> dict:
    """Credit ``year``'s declared return to every account, once (idempotent per account and year). When the
    year's rate has changed since it was first credited, the difference is posted too (``recompute_returns``)."""
    from .models import ReturnRate

    today = today or timezone.localdate()
    if year >= today.year:
        msg = f"Hasil pengembangan tahun {year} baru dapat dikreditkan setelah tahun itu berakhir (31 Desember)."
        raise DomainError(msg, {"year": msg})
    rate = rate_for(year)
    applied = ReturnRate.objects.filter(year=year).values_list("applied_rate_bp", flat=True).first()
    recomputed = recompute_returns(year, actor=actor) if applied is not None and applied != rate else None
    _lock_rate(year, rate)
    contributions = credit_contributions()
    now = _dt(timezone.now())
    weight, wparams = _weight_case(year)
    already = Entry.objects.filter(kind=Entry.Kind.RETURN, year=year).count()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO savings_entry (account_id, kind, amount, value_date, year, bill_id, claim_id, created_at)"
            " SELECT w.account_id, 'return', (2 * w.base * %s + 120000) / 240000, %s, %s, NULL, NULL, %s"
            " FROM (SELECT e.account_id AS account_id, CAST(SUM((CASE WHEN e.kind = 'withdrawal' THEN -e.amount"
            "   ELSE e.amount END) * (" + weight + ")) AS BIGINT) AS base"
            "   FROM savings_entry e WHERE e.value_date <= %s GROUP BY e.account_id) w"
            " WHERE w.base > 0 AND NOT EXISTS (SELECT 1 FROM savings_entry r"
            "   WHERE r.account_id = w.account_id AND r.kind = 'return' AND r.year = %s)",
            [rate, _d(date(year, 12, 31)), year, now] + wparams + [_d(date(year, 12, 31)), year])
        credited = cur.rowcount
        cur.execute("SELECT COALESCE(SUM(amount), 0) FROM savings_entry WHERE kind = 'return' AND year = %s"
                    " AND created_at = %s", [year, now])
        amount = int(cur.fetchone()[0])
    if credited:
        _refresh_totals("id IN (SELECT account_id FROM savings_entry WHERE kind = 'return' AND created_at = %s)",
                        [now])

        ledger.post_jht_sql("jht_returns", chart.JHT_RETURNS,
                            "SELECT COALESCE(SUM(amount), 0) AS amount FROM savings_entry"
                            " WHERE kind = 'return' AND year = %s AND created_at = %s", [year, now],
                            ref=("savings.year", year), memo=f"Hasil pengembangan JHT {year}")
        audit.record(actor, "savings.credit_returns", object_type="savings.year", object_id=str(year),
                     changes={"accounts": [None, credited], "amount": [None, amount]}, note=f"rate_bp={rate}")
    out = {"year": year, "rate_bp": rate, "accounts_credited": credited, "already_credited": already,
           "amount": amount, "contributions_credited": contributions["contributions_credited"]}
    if recomputed is not None:
        out["recomputed"] = recomputed
    return out

@transaction.atomic
def withdraw(member, amount: int, *, claim, on: date, actor=None) -> Entry:
    """Pay ``amount`` out of the member's JHT account for ``claim`` (once per claim)."""
    credit_contributions([member.pk])
    account = Account.objects.select_for_update().filter(member=member).first()
    if account is None:
        raise DomainError("Peserta belum punya saldo JHT.", {"program": "Saldo JHT kosong."})
    if amount <= 0 or amount > account.balance:
        msg = f"Jumlah pencairan Rp{amount:,} melebihi saldo JHT Rp{account.balance:,}.".replace(",", ".")
        raise DomainError(msg, {"amount": msg})
    if Entry.objects.filter(claim=claim, kind=Entry.Kind.WITHDRAWAL).exists():
        raise DomainError("Klaim ini sudah dicairkan dari saldo JHT.", status=409)
    entry = Entry.objects.create(account=account, kind=Entry.Kind.WITHDRAWAL, amount=amount, value_date=on,
                                 claim=claim, created_at=timezone.now())
    _refresh_totals("id = %s", [account.pk])

    ledger.post_jht_withdrawal(entry, actor=actor)
    audit.record(actor, "savings.withdraw", account, changes={"balance": [account.balance, account.balance - amount]},
                 note=f"claim {claim.number}")
    return entry
