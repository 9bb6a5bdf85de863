"""Posting to the journal: the ONE way money is booked (docs/architecture.md, "Money").

* :func:`post` books one balanced entry from a few lines, in the caller's transaction; unbalanced,
  negative or non-integer amounts are refused (:class:`LedgerError`). ``key`` makes it idempotent.
* :func:`post_sql` is the set-based path: the lines come from a ``SELECT code, debit, credit`` (for
  example sums over the rows a bulk ``INSERT ... SELECT`` just wrote); the entry is checked in SQL.
* :func:`reverse` books the mirror image of an earlier entry (once); :func:`reverse_payment` the
  reversal of one channel payment, whether it was booked alone or inside a settlement file's entry.
* The ``post_*`` helpers below name each kind of movement and its accounts (see :mod:`.chart`).

On PostgreSQL a deferred constraint trigger also refuses, at commit, any entry whose lines do not
balance, even when written by raw SQL.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from jaring.core.errors import DomainError

from . import chart
from .models import Account, Entry, Line


class LedgerError(DomainError):
    pass


def dr(code: str, amount: int) -> tuple[str, int, int]:
    return (code, amount, 0)


def cr(code: str, amount: int) -> tuple[str, int, int]:
    return (code, 0, amount)


def account_ids(codes) -> dict[str, int]:
    """Account ids by code, creating chart accounts (and channel cash accounts) on first use."""
    codes = set(codes)
    found = dict(Account.objects.filter(code__in=codes).values_list("code", "id"))
    for code in codes - set(found):
        spec = chart.definition(code)
        if spec is None:
            raise LedgerError(f"Akun {code} tidak ada di bagan akun.")
        name, type_, description = spec
        acc, _ = Account.objects.get_or_create(code=code, defaults={"name": name, "type": type_,
                                                                     "description": description})
        found[code] = acc.pk
    return found


def ensure_chart() -> None:
    account_ids(chart.ACCOUNTS)


def _ref(ref) -> tuple[str, int | None]:
    if ref is None:
        return "", None
    if isinstance(ref, tuple):
        return ref[0], (int(ref[1]) if ref[1] is not None else None)
    return ref._meta.label_lower, ref.pk


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _normalise(lines) -> list[tuple[str, int, int]]:
    out = []
    for code, debit, credit in lines:
        if isinstance(debit, bool) or isinstance(credit, bool) or not isinstance(debit, int) \
                or not isinstance(credit, int):
            raise LedgerError(f"Nominal jurnal harus Rupiah bulat (akun {code}).")
        if debit < 0 or credit < 0:
            raise LedgerError(f"Nominal jurnal tidak boleh negatif (akun {code}).")
        if debit and credit:  # a line is one side: split it
            out += [(code, debit, 0), (code, 0, credit)]
        elif debit or credit:
            out.append((code, debit, credit))
    return out


def post(kind: str, lines, *, ref=None, on: date | None = None, memo: str = "", key: str | None = None,
         actor=None, reverses: Entry | None = None) -> Entry | None:
    """Book one entry; lines are ``(account code, debit, credit)`` (see :func:`dr`, :func:`cr`).

    Refuses an entry whose debits and credits differ. Zero lines are dropped; an entry with nothing
    left books nothing and returns None. With ``key``, a second call returns the first entry unchanged.
    """
    if key is not None:
        existing = Entry.objects.filter(key=key).first()
        if existing is not None:
            return existing
    lines = _normalise(lines)
    debits, credits = sum(d for _, d, _ in lines), sum(c for _, _, c in lines)
    if debits != credits:
        raise LedgerError(f"Jurnal {kind} tidak seimbang: debit Rp{debits:,} dan kredit Rp{credits:,}."
                          .replace(",", "."))
    if not lines:
        return None
    ids = account_ids(code for code, _, _ in lines)
    ref_type, ref_id = _ref(ref)
    with transaction.atomic():
        entry = Entry.objects.create(kind=kind, booked_on=on or timezone.localdate(), memo=memo[:200], ref_type=ref_type,
                                     ref_id=ref_id, key=key, reverses=reverses, created_by=_user(actor))
        Line.objects.bulk_create([Line(entry=entry, account_id=ids[code], debit=d, credit=c) for code, d, c in lines])
    return entry


def post_sql(kind: str, select_sql: str, params=(), *, codes, ref=None, on: date | None = None, memo: str = "",
             key: str | None = None, actor=None) -> Entry | None:
    """Set-based posting: ``select_sql`` yields ``(code, debit, credit)`` rows (any number, computed in
    SQL over the bulk rows just written); ``codes`` lists the accounts it may name (created if needed).
    The lines are written by one ``INSERT ... SELECT``, then the entry is checked in SQL."""
    if key is not None:
        existing = Entry.objects.filter(key=key).first()
        if existing is not None:
            return existing
    account_ids(codes)
    ref_type, ref_id = _ref(ref)
    with transaction.atomic():
        entry = Entry.objects.create(kind=kind, booked_on=on or timezone.localdate(), memo=memo[:200], ref_type=ref_type,
                                     ref_id=ref_id, key=key, created_by=_user(actor))
        with connection.cursor() as cur:
            cur.execute(f"""INSERT INTO ledger_line (entry_id, account_id, debit, credit)
                SELECT %s, a.id, x.debit, x.credit FROM ({select_sql}) x JOIN ledger_account a ON a.code = x.code
                WHERE x.debit > 0 OR x.credit > 0""", [entry.pk, *params])
            cur.execute("SELECT COUNT(*), COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) FROM ledger_line"
                        " WHERE entry_id = %s", [entry.pk])
            n, debits, credits = cur.fetchone()
        if debits != credits:
            raise LedgerError(f"Jurnal {kind} tidak seimbang: debit Rp{int(debits):,} dan kredit Rp{int(credits):,}."
                              .replace(",", "."))
        if not n:
            entry.delete()
            return None
    return entry


def lines_of(entry: Entry) -> list[tuple[str, int, int]]:
    return [(code, d, c) for code, d, c in entry.lines.values_list("account__code", "debit", "credit")]


def reverse(entry: Entry, *, on: date | None = None, memo: str = "", actor=None) -> Entry:
    """Book the mirror image of ``entry`` (debits become credits), once: reversing it again returns the
    first reversal. The reversal points at the entry (``reverses``) and at the same business record."""
    existing = Entry.objects.filter(reverses=entry).first()
    if existing is not None:
        return existing
    lines = [(code, c, d) for code, d, c in lines_of(entry)]
    return post("reversal", lines, ref=(entry.ref_type, entry.ref_id) if entry.ref_type else None, on=on,
                memo=memo or f"Pembalikan jurnal #{entry.pk} ({entry.kind})", actor=actor, reverses=entry)


# --- contributions ------------------------------------------------------------------------------

def payment_lines(channel_code: str, *, jkk: int, jkm: int, jht: int, fee: int) -> list[tuple[str, int, int]]:
    """A contribution paid on a channel: the channel (or agent, or sponsor prepayment) gives amount + fee;
    the contribution is income per program, the fee is held for the channel (never contribution income)."""
    amount = jkk + jkm + jht
    return [dr(chart.source_account(channel_code), amount + fee), cr(chart.INCOME_JKK, jkk), cr(chart.INCOME_JKM, jkm),
            cr(chart.INCOME_JHT, jht), cr(chart.CHANNEL_FEES, fee)]


def post_payment(payment, *, jkk: int, jkm: int, jht: int, actor=None) -> Entry:
    """Book one posted payment (``contributions.services.post_payment``); parts are its bills' sums."""
    if jkk + jkm + jht != payment.amount:
        raise LedgerError(f"Rincian iuran Rp{jkk + jkm + jht:,} tidak sama dengan pembayaran Rp{payment.amount:,}."
                          .replace(",", "."))
    code = payment.channel.code
    return post("payment", payment_lines(code, jkk=int(jkk), jkm=int(jkm), jht=int(jht), fee=int(payment.fee)),
                ref=payment, on=timezone.localdate(), memo=f"{code} {payment.reference}", key=f"payment:{payment.pk}",
                actor=actor)


def post_settlement(settlement_file, channel, *, jkk: int, jkm: int, jht: int, fee: int, actor=None) -> Entry | None:
    """Book a settlement file's posted payments as ONE entry (sums computed set-based by the import)."""
    return post("settlement", payment_lines(channel.code, jkk=int(jkk), jkm=int(jkm), jht=int(jht), fee=int(fee)),
                ref=settlement_file, memo=f"{channel.code} {settlement_file.filename}"[:200],
                key=f"settlement:{settlement_file.pk}", actor=actor)


_PAYMENT_PARTS = []


def register_payment_parts(func) -> None:
    """Register ``func(payment) -> {jkk, jkm, jht}``, the parts of the bills a payment paid (the
    contributions app owns the bills); :func:`reverse_payment` uses it when not given ``parts``."""
    if func not in _PAYMENT_PARTS:
        _PAYMENT_PARTS.append(func)
    return func


def payment_parts(payment) -> dict:
    """jkk/jkm/jht of the bills a payment paid (computed by the app that owns the bills)."""
    if not _PAYMENT_PARTS:
        raise LedgerError("Tidak ada sumber rincian iuran yang terdaftar.")
    return _PAYMENT_PARTS[0](payment)


def reverse_payment(payment, *, parts: dict | None = None, on: date | None = None, memo: str = "",
                    actor=None) -> Entry:
    """Book the reversal of one channel payment (for the payment reversal service). A payment booked
    by itself is reversed entry for entry (:func:`reverse`); one booked inside a settlement file's entry
    gets its own mirror entry. ``parts`` ({jkk, jkm, jht}) defaults to the payment's bills, so call this
    before the bills are released, or pass the parts. Idempotent per payment."""
    own = Entry.objects.filter(key=f"payment:{payment.pk}").first()
    if own is not None:
        return reverse(own, on=on, memo=memo, actor=actor)
    parts = parts or payment_parts(payment)
    lines = [(code, c, d) for code, d, c in payment_lines(payment.channel.code, fee=int(payment.fee), **parts)]
    return post("reversal", lines, ref=payment, on=on, key=f"payment-reversal:{payment.pk}",
                memo=memo or f"Pembalikan {payment.channel.code} {payment.reference}", actor=actor)


# --- prepaid balances (the prepaid issue calls these) ---------------------------------------------

def post_prepaid_topup(member, amount: int, *, channel_code: str, ref=None, key: str | None = None,
                       actor=None) -> Entry:
    """A member tops up a prepaid balance through a channel: channel cash up, members' prepaid balances up.
    ``ref`` is the top-up record; the control check compares account 2600 to the sum of members' balances
    (see :func:`jaring.ledger.checks.register_prepaid_balances`)."""
    return post("prepaid_topup", [dr(chart.source_account(channel_code), amount), cr(chart.PREPAID, amount)],
                ref=ref or member, memo=f"Isi saldo prabayar {getattr(member, 'kpj', member)}", key=key, actor=actor)


def post_prepaid_application(member, *, jkk: int, jkm: int, jht: int, ref=None, key: str | None = None,
                             actor=None) -> Entry:
    """A prepaid balance pays contributions: members' prepaid balances down, contribution income up."""
    total = jkk + jkm + jht
    return post("prepaid_application", [dr(chart.PREPAID, total), cr(chart.INCOME_JKK, jkk),
                                        cr(chart.INCOME_JKM, jkm), cr(chart.INCOME_JHT, jht)],
                ref=ref or member, memo=f"Saldo prabayar untuk iuran {getattr(member, 'kpj', member)}", key=key,
                actor=actor)


# --- sponsors -----------------------------------------------------------------------------------

def post_invoice_payment(invoice_payment, *, actor=None) -> Entry:
    """Money a sponsor paid for a group invoice: held as a prepayment until applied to workers (each
    worker's contribution is then a SPONSOR-channel payment, debiting the prepayment)."""
    return post("sponsor_payment", [dr(chart.channel_cash("SPONSOR"), invoice_payment.amount),
                                    cr(chart.SPONSOR_PREPAID, invoice_payment.amount)],
                ref=invoice_payment, memo=f"{invoice_payment.invoice.number} {invoice_payment.reference}",
                key=f"invoice-payment:{invoice_payment.pk}", actor=actor)


def post_sponsor_refund(invoice, amount: int, *, reference: str, actor=None) -> Entry:
    """Unapplied sponsor money paid back: the prepayment and the sponsor channel's cash go down."""
    return post("sponsor_refund", [dr(chart.SPONSOR_PREPAID, amount), cr(chart.channel_cash("SPONSOR"), amount)],
                ref=invoice, memo=f"Pengembalian {invoice.number} {reference}",
                key=f"sponsor-refund:{invoice.pk}:{reference}", actor=actor)


# --- agents -------------------------------------------------------------------------------------

def post_agent_remittance(agent, amount: int, *, reference: str, actor=None) -> Entry:
    """An agent hands collected cash to the bank: agent cash down, bank up (idempotent per reference)."""
    return post("agent_remittance", [dr(chart.BANK, amount), cr(chart.AGENT_CASH, amount)], ref=agent,
                memo=f"Setoran {agent.code} {reference}", key=f"agent-remittance:{agent.code}:{reference}",
                actor=actor)


def post_commission_run(month: date, total: int, *, actor=None) -> Entry | None:
    """A commission run for ``month`` left ``total`` owed: book the difference to what earlier runs of
    the same month booked (a re-run that changes nothing books nothing)."""
    from django.db.models import Sum

    tag = f"{month:%Y-%m}"
    ref = ("agents.commissionmonth", month.year * 100 + month.month)
    booked = (Line.objects.filter(entry__kind="commission", entry__ref_type=ref[0], entry__ref_id=ref[1],
                                  account__code=chart.COMMISSION_EXPENSE)
              .aggregate(d=Sum("debit"), c=Sum("credit")))
    delta = int(total) - int(booked["d"] or 0) + int(booked["c"] or 0)
    if delta == 0:
        return None
    lines = ([dr(chart.COMMISSION_EXPENSE, delta), cr(chart.COMMISSION_PAYABLE, delta)] if delta > 0 else
             [dr(chart.COMMISSION_PAYABLE, -delta), cr(chart.COMMISSION_EXPENSE, -delta)])
    return post("commission", lines, ref=ref, memo=tag, actor=actor)


def post_commission_payout(month: date, amount: int, *, reference: str, actor=None) -> Entry:
    """Commission transferred to agents: commission payable down, bank down (idempotent per reference)."""
    return post("commission_payout", [dr(chart.COMMISSION_PAYABLE, amount), cr(chart.BANK, amount)],
                ref=("agents.commissionmonth", month.year * 100 + month.month), memo=f"{month:%Y-%m} {reference}",
                key=f"commission-payout:{reference}", actor=actor)


# --- JHT savings ----------------------------------------------------------------------------------

def post_jht_sql(kind: str, expense_code: str, amount_sql: str, params, *, ref=None, memo: str = "") -> Entry | None:
    """JHT crediting: the amount a bulk run just credited to savings (``amount_sql`` sums it) moves from
    ``expense_code`` into the JHT fund, in one set-based statement."""
    select = (f"SELECT %s AS code, t.amount AS debit, 0 AS credit FROM ({amount_sql}) t UNION ALL "
              f"SELECT %s, 0, t.amount FROM ({amount_sql}) t")
    return post_sql(kind, select, [expense_code, *params, chart.JHT_FUND, *params],
                    codes=[expense_code, chart.JHT_FUND], ref=ref, memo=memo)


def post_jht_withdrawal(entry, *, actor=None) -> Entry:
    """A JHT claim paid out of a member's savings: the JHT fund goes down, the bank pays."""
    return post("jht_withdrawal", [dr(chart.JHT_FUND, entry.amount), cr(chart.BANK, entry.amount)],
                ref=entry.claim if entry.claim_id else entry, memo=f"Pencairan JHT {entry.account.member_id}",
                key=f"jht-withdrawal:{entry.pk}", actor=actor)


# --- claims ---------------------------------------------------------------------------------------

def post_claim_approval(claim, *, actor=None) -> Entry | None:
    """A JKK/JKM claim approved: the benefit is an expense and owed until transferred (JHT claims are paid
    from the JHT fund when transferred)."""
    if claim.program not in chart.BENEFIT or not claim.amount:
        return None
    return post("claim_approval", [dr(chart.BENEFIT[claim.program], int(claim.amount)),
                                   cr(chart.CLAIMS_PAYABLE, int(claim.amount))],
                ref=claim, memo=claim.number, key=f"claim-approval:{claim.pk}", actor=actor)


def post_claim_payout(claim, *, actor=None) -> Entry | None:
    """An approved JKK/JKM claim transferred: claims payable down, bank down."""
    approval = Entry.objects.filter(key=f"claim-approval:{claim.pk}").first()
    if approval is None:
        return None
    amount = sum(c for code, _, c in lines_of(approval) if code == chart.CLAIMS_PAYABLE)
    return post("claim_payout", [dr(chart.CLAIMS_PAYABLE, amount), cr(chart.BANK, amount)], ref=claim,
                memo=f"{claim.number} {claim.paid_reference}"[:200], key=f"claim-payout:{claim.pk}", actor=actor)


def post_scholarship(item, *, actor=None) -> Entry | None:
    """A yearly scholarship paid (a benefit of the claim's program), straight from the bank."""
    program = item.claim.program
    if program not in chart.BENEFIT or not item.amount:
        return None
    return post("scholarship", [dr(chart.BENEFIT[program], int(item.amount)), cr(chart.BANK, int(item.amount))],
                ref=item.claim, memo=f"Beasiswa {item.claim.number} {item.child_name} {item.year}"[:200],
                key=f"scholarship:{item.pk}", actor=actor)


def record_trial_balance(on: date):
    """Run the trial balance for ``on`` and keep the result; any difference is logged as an error."""
    import logging

    from .models import TrialBalanceRun
    from .selectors import is_ok, trial_balance

    tb = trial_balance(on)
    failed = [{"name": c["name"], "difference": c["difference"]} for c in tb["checks"] if not c["ok"]]
    run, _ = TrialBalanceRun.objects.update_or_create(on=on, defaults={
        "balanced": tb["balanced"], "ok": is_ok(tb), "debits": tb["debits"], "credits": tb["credits"],
        "failed": failed})
    if not run.ok:
        logging.getLogger("jaring.ledger").error("neraca saldo %s TIDAK SEIMBANG: %s", on.isoformat(), failed)
    return run
