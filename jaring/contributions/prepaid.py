"""The prepaid balance (*tabungan iuran*, SPEC 2.9): any amount from Rp1,000, through any channel, waits in
the member's balance and pays whole months, oldest unpaid first, as soon as it covers one.

- :func:`top_up` takes the money: a channel payment with ``months = 0`` (unique per channel and reference,
  so a retry posts nothing), booked in the journal as channel cash → members' prepaid balances, then
  :func:`apply_balance` at once.
- :func:`apply_balance` pays what the balance covers — unpaid months up to this month (for a non-active
  member: this month, which continues the membership, SPEC 2.3) — as ONE ordinary payment on the system
  channel ``PREPAID`` through :func:`services.post_payment`, so bills, coverage and the journal
  (members' prepaid balances → contribution income) follow the same path as any other payment.
- :func:`apply_after_billing` runs it again for every member whose balance can pay a month, after the
  billing run created that month's bills.
- :func:`balance_of` is what the member sees: balance, the next month it will pay, its amount, and how much
  is still short.

The member row and the balance row are locked for the whole change, so concurrent top-ups never pay one
month twice and the balance never goes below zero (a database CHECK as well).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jaring.core import audit
from jaring.core.errors import Conflict, DomainError
from jaring.ledger import selectors as ledger_selectors, services as ledger
from jaring.members.models import Member
from jaring.rules import prepaid as rules
from jaring.rules.periods import add_months, months_between

from . import services
from .models import Payment, PrepaidBalance, PrepaidMovement

CHANNEL = "PREPAID"


def _rupiah(n: int) -> str:
    return f"Rp{int(n):,}".replace(",", ".")

def check_amount(amount) -> int:
    lim = rules.limits()
    try:
        if isinstance(amount, bool):
            raise TypeError
        amount = int(amount)
    except (TypeError, ValueError):
        raise DomainError("Nominal isi saldo harus angka Rupiah bulat.", {"amount": "Isi angka Rupiah bulat."}) from None
    if amount < lim["minimum_topup"]:
        raise DomainError(f"Isi saldo paling sedikit {_rupiah(lim['minimum_topup'])}; Anda mengirim {_rupiah(amount)}.",
                          {"amount": f"Paling sedikit {_rupiah(lim['minimum_topup'])}."})
    if amount > lim["maximum_topup"]:
        raise DomainError(f"Isi saldo paling banyak {_rupiah(lim['maximum_topup'])} sekali bayar (12 bulan iuran "
                          "tertinggi).", {"amount": f"Paling banyak {_rupiah(lim['maximum_topup'])}."})
    return amount

def _locked_balance(member) -> PrepaidBalance:
    PrepaidBalance.objects.get_or_create(member_id=member.pk)
    return PrepaidBalance.objects.select_for_update().get(member_id=member.pk)

def top_up(*, member, amount, channel, reference, paid_at=None, source: str, actor=None,
           today: date | None = None) -> tuple[Payment, bool, list]:
    """Put ``amount`` into the member's prepaid balance, then pay what it covers.

    Returns ``(top-up payment, created, payments made from the balance)``. The same (channel, reference) with
    the same content again returns the first top-up and changes nothing; other content is a Conflict (409)."""
    amount = check_amount(amount)
    channel = services.get_channel(channel)
    reference = str(reference or "").strip()
    if not reference or len(reference) > 64:
        raise DomainError("Referensi pembayaran wajib diisi (paling panjang 64 karakter).",
                          {"reference": "Isi referensi unik dari kanal."})
    paid_at = services.parse_paid_at(paid_at) if paid_at is not None else timezone.now()
    if source not in Payment.Source.values:
        raise DomainError(f"Sumber pembayaran '{source}' tidak dikenal.", {"source": "Tidak dikenal."})
    with transaction.atomic():
        # the reference is claimed before anything else: a retry, even a concurrent one, gets the first answer
        existing = services.claim_reference(channel, reference)
        if existing is not None:
            return _replay(existing, member, amount), False, []
        member = services.lock_member(member)
        if member.status not in ("active", "pending", "inactive"):
            raise DomainError("Pendaftaran peserta ini ditolak; saldo tidak bisa diisi.",
                              {"customer": "Pendaftaran ditolak."})
        services.check_paid_at(member, paid_at)
        payment = Payment.objects.create(
            channel=channel, reference=reference, member=member, amount=amount, fee=channel.fee, months=0,
            first_month=(today or timezone.localdate()).replace(day=1), paid_at=paid_at, source=source,
            created_by=actor if getattr(actor, "is_authenticated", False) else None)
        ledger.post("prepaid_topup", [ledger.dr(ledger.chart.source_account(channel.code), amount + channel.fee),
                                      ledger.cr(ledger.chart.PREPAID, amount),
                                      ledger.cr(ledger.chart.CHANNEL_FEES, channel.fee)],
                    ref=payment, memo=f"Isi saldo prabayar {member.kpj} {channel.code} {reference}"[:200],
                    key=f"payment:{payment.pk}", actor=actor)
        bal = _locked_balance(member)
        bal.balance += amount
        bal.save(update_fields=["balance", "updated_at"])
        PrepaidMovement.objects.create(member=member, kind=PrepaidMovement.Kind.TOPUP, amount=amount,
                                       balance_after=bal.balance, payment=payment)
        if actor is not None:
            audit.record(actor, "prepaid.topup", payment, changes={"amount": [None, amount]})
        paid = apply_balance(member, actor=actor, today=today, topup=payment)
    return payment, True, paid

def _replay(existing: Payment, member, amount: int) -> Payment:
    if existing.member_id == member.pk and existing.amount == amount and existing.months == 0:
        return existing
    raise Conflict(f"Referensi {existing.reference} sudah dipakai untuk pembayaran lain (isi berbeda).",
                   {"reference": "Referensi sudah dipakai dengan isi berbeda."})

def _payable(member, today: date) -> list[tuple[date, int]]:
    """The months a balance may pay now, oldest first, with their amounts: unpaid months up to this month;
    this month alone for a non-active member (continuation, SPEC 2.3)."""
    this_month = today.replace(day=1)
    if member.status == "inactive":
        return services.cost_of_months(member, 1, start=this_month)
    start = services.first_unpaid(member)
    if start > this_month:
        return []
    n = months_between(start, this_month) + 1
    out = []
    while n > 0:  # cost_of_months takes at most 12 months at a time
        chunk = min(n, services.MAX_MONTHS)
        out += services.cost_of_months(member, chunk, start=start)
        start = add_months(start, chunk)
        n -= chunk
    return out

def apply_balance(member, *, today: date | None = None, actor=None, topup: Payment | None = None) -> list[Payment]:
    """Pay from the balance every whole month it covers (oldest unpaid first, up to this month)."""
    today = today or timezone.localdate()
    made = []
    with transaction.atomic():
        member = services.lock_member(member)
        bal = _locked_balance(member)
        while bal.balance > 0:
            costs = _payable(member, today)
            k = rules.months_paid(bal.balance, [a for _, a in costs])
            k = min(k, services.MAX_MONTHS)
            if k == 0:
                break
            total = sum(a for _, a in costs[:k])
            n = PrepaidMovement.objects.filter(member=member, kind=PrepaidMovement.Kind.APPLICATION).count() + 1
            payment, _ = services.post_payment(
                member=member, months=k, amount=total, channel=CHANNEL, reference=f"SALDO-{member.kpj}-{n}",
                paid_at=timezone.now(), source=Payment.Source.PREPAID, actor=actor)
            bal.balance -= total
            bal.save(update_fields=["balance", "updated_at"])
            PrepaidMovement.objects.create(member=member, kind=PrepaidMovement.Kind.APPLICATION, amount=-total,
                                           balance_after=bal.balance, payment=payment, topup=topup)
            made.append(payment)
            member.refresh_from_db()
    return made

def apply_after_billing(month: date, *, today: date | None = None) -> dict:
    """After the billing run: pay the new month from every balance that covers the member's next month.

    Only members with a balance at least the smallest bill of the month are visited (one query); each
    application is its own transaction, like a top-up."""
    from .models import Bill

    # members saving at all (usually few): when nobody saves, the billing run pays for one small query only
    savers = PrepaidBalance.objects.filter(balance__gt=0)
    if not savers.exists():
        return {"members": 0, "payments": 0, "amount": 0}
    smallest = (Bill.objects.filter(month=month, status=Bill.Status.DUE, member_id__in=savers.values("member_id"))
                .order_by("amount").values_list("amount", flat=True).first())
    if smallest is None:
        return {"members": 0, "payments": 0, "amount": 0}
    ids = list(savers.filter(balance__gte=smallest).values_list("member_id", flat=True))

    payments = 0
    amount = 0
    for m in Member.objects.filter(pk__in=ids).iterator(chunk_size=500):
        made = apply_balance(m, today=today)
        payments += len(made)
        amount += sum(p.amount for p in made)
    return {"members": len(ids), "payments": payments, "amount": amount}

def balance_of(member, today: date | None = None) -> dict:
    """``{"balance", "next_month", "next_amount", "short_by"}`` in Rupiah (CONTRACT.md)."""
    today = today or timezone.localdate()
    balance = int(PrepaidBalance.objects.filter(member_id=member.pk).values_list("balance", flat=True).first() or 0)
    this_month = today.replace(day=1)
    if member.status == "inactive":
        start = this_month
    else:
        start = services.first_unpaid(member)
    month, amount = services.cost_of_months(member, 1, start=start)[0]
    return {"balance": balance, "next_month": f"{month:%Y-%m}", "next_amount": int(amount),
            "short_by": rules.short_by(balance, amount)}

def reverse_topup(payment: Payment, *, reason: str = "", actor=None, now=None) -> None:
    """Cancel a top-up on its own day (the payer's transaction cancelled at the till, SPEC 2.8): the months it
    completed at once are reversed first (their money returns to the balance), then the top-up leaves the
    balance and its journal entry is reversed. Refused (409) when the balance no longer holds the money
    because later months were paid from it."""
    now = now or timezone.now()
    member = services.lock_member(payment.member)
    for applied in reversed(paid_by_topup(payment)):
        if applied.reversed_at is None:
            services.reverse_payment(channel=CHANNEL, reference=applied.reference, reason=reason, actor=actor, now=now)
            bal = _locked_balance(member)
            bal.balance += applied.amount
            bal.save(update_fields=["balance", "updated_at"])
            PrepaidMovement.objects.create(member=member, kind=PrepaidMovement.Kind.REVERSAL, amount=applied.amount,
                                           balance_after=bal.balance, payment=applied,
                                           note="iuran dari saldo dibatalkan bersama setorannya")
    bal = _locked_balance(member)
    if bal.balance < payment.amount:
        raise Conflict(f"Saldo prabayar tinggal Rp{bal.balance:,}; setoran Rp{payment.amount:,} sudah dipakai untuk "
                       "iuran dan tidak bisa dibatalkan lagi.".replace(",", "."),
                       {"reference": "Saldo sudah dipakai."})
    bal.balance -= payment.amount
    bal.save(update_fields=["balance", "updated_at"])
    PrepaidMovement.objects.create(member=member, kind=PrepaidMovement.Kind.REVERSAL, amount=-payment.amount,
                                   balance_after=bal.balance, payment=payment, note=reason[:200])
    ledger.reverse_payment(payment, memo=f"Pembatalan isi saldo {payment.channel.code} {payment.reference}",
                           actor=actor)
    payment.reversed_at = now
    payment.reversal_reason = reason
    payment.save(update_fields=["reversed_at", "reversal_reason"])
    audit.record(actor, "prepaid.topup.reverse", payment, note=reason, changes={"amount": [payment.amount, 0]})

def paid_by_topup(payment: Payment) -> list[Payment]:
    """The payments a top-up completed at once (for its receipt: which months it paid)."""
    return [mv.payment for mv in PrepaidMovement.objects.filter(topup=payment).select_related("payment").order_by("id")]

def movements(member, limit: int = 50):
    return PrepaidMovement.objects.filter(member=member).select_related("payment")[:limit]

@ledger_selectors.register_prepaid_balances
def total_balances(until: datetime) -> int:
    """Sum of members' prepaid balances at ``until`` (the ledger's prepaid control check)."""
    return int(PrepaidMovement.objects.filter(created_at__lt=until).aggregate(s=Sum("amount"))["s"] or 0)
