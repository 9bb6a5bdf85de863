"""What claims tell the ledger: approved JKK/JKM claims not transferred yet, and the page of a claim."""

from __future__ import annotations

from django.urls import reverse

from jaring.core.sql import moment, scalar
from jaring.ledger import selectors as ledger

from .models import Claim


def owed(until) -> int:
    at = moment(until)
    return scalar("""SELECT SUM(amount) FROM claims_claim WHERE program IN ('JKK', 'JKM') AND approved_at < %s
                     AND (paid_at IS NULL OR paid_at >= %s) AND status IN ('approved', 'paid')""", [at, at])


def claim_link(ref_id):
    number = Claim.objects.filter(pk=ref_id).values_list("number", flat=True).first()
    return reverse("claims:detail", args=[number]) if number else None


def register() -> None:
    ledger.register_records(ledger.CLAIMS_OWED, owed)
    ledger.register_record_link("claims.claim", claim_link)
