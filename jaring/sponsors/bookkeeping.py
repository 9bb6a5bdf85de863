"""What sponsors tell the ledger: money received from sponsors, and the page of an invoice."""

from __future__ import annotations

from django.urls import reverse

from jaring.core.sql import moment, scalar
from jaring.ledger import selectors as ledger

from .models import GroupInvoice, InvoicePayment


def received(until) -> int:
    return scalar("SELECT SUM(amount) FROM sponsors_invoicepayment WHERE created_at < %s", [moment(until)])


def invoice_payment_link(ref_id):
    inv = InvoicePayment.objects.filter(pk=ref_id).values_list("invoice__number", flat=True).first()
    return reverse("sponsors:invoice", args=[inv]) if inv else None


def group_invoice_link(ref_id):
    inv = GroupInvoice.objects.filter(pk=ref_id).values_list("number", flat=True).first()
    return reverse("sponsors:invoice", args=[inv]) if inv else None


def register() -> None:
    ledger.register_records(ledger.SPONSOR_RECEIVED, received)
    ledger.register_record_link("sponsors.invoicepayment", invoice_payment_link)
    ledger.register_record_link("sponsors.groupinvoice", group_invoice_link)
