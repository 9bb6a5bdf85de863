"""What contributions tell the ledger: the records side of its control checks and the page of a record."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse

from jaring.core.sql import moment, scalar
from jaring.ledger import selectors as ledger
from jaring.ledger import services as ledger_services
from jaring.rules.periods import add_months

from .models import Bill, Payment


def paid_bills(until) -> int:
    return scalar("""SELECT SUM(b.amount) FROM contributions_bill b JOIN contributions_payment p
                     ON p.id = b.payment_id WHERE b.status = 'paid' AND p.created_at < %s""", [moment(until)])


def payment_fees(until) -> int:
    # a payment reversed at the till (SPEC 2.8) by then gave its fee back with it
    at = moment(until)
    return scalar("""SELECT SUM(fee) FROM contributions_payment WHERE created_at < %s
                     AND (reversed_at IS NULL OR reversed_at >= %s)""", [at, at])


def _channel_total(code: str, until) -> int:
    return scalar("""SELECT SUM(p.amount + p.fee) FROM contributions_payment p JOIN contributions_channel c
                     ON c.id = p.channel_id WHERE c.code = %s AND p.created_at < %s""", [code, moment(until)])


def sponsor_applied(until) -> int:
    return _channel_total("SPONSOR", until)


def agent_collected(until) -> int:
    return _channel_total("AGENT", until)


def payment_parts(payment) -> dict:
    """jkk/jkm/jht of the bills a payment paid (by the (member, month) index, not by payment_id)."""
    months = [add_months(payment.first_month, i) for i in range(payment.months)]
    s = Bill.objects.filter(member_id=payment.member_id, month__in=months, payment_id=payment.pk).aggregate(
        jkk=Sum("jkk"), jkm=Sum("jkm"), jht=Sum("jht"))
    return {k: int(v or 0) for k, v in s.items()}


def payment_link(ref_id):
    kpj = Payment.objects.filter(pk=ref_id).values_list("member__kpj", flat=True).first()
    return reverse("members:detail", args=[kpj]) if kpj else None


def settlement_link(ref_id):
    return reverse("contributions:settlement_detail", args=[ref_id])


def register() -> None:
    ledger.register_records(ledger.PAID_BILLS, paid_bills)
    ledger.register_records(ledger.PAYMENT_FEES, payment_fees)
    ledger.register_records(ledger.SPONSOR_APPLIED, sponsor_applied)
    ledger.register_records(ledger.AGENT_COLLECTED, agent_collected)
    ledger.register_record_link("contributions.payment", payment_link)
    ledger.register_record_link("contributions.settlementfile", settlement_link)
    ledger_services.register_payment_parts(payment_parts)
