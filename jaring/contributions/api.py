import json
from datetime import date
from typing import Literal

from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict, Field, ValidationError as PydanticError

from jaring.api.errors import ErrorOut, errors
from jaring.api.schemas import MONTH_PATTERN
from jaring.core.errors import DomainError
from jaring.core.limits import MAX_RUPIAH
from jaring.members.selectors import get_member_for
from jaring.rules.periods import add_months, month_str

from .services import quote_contribution

router = Router(tags=["contributions"])


class QuoteOut(Schema):
    month: str
    jkk: int
    jkm: int
    jht: int
    total: int
    discount: int

@router.get("/quote", response=QuoteOut, auth=None, summary="Monthly contribution for an income and programs")
def get_quote(request, income: int = Query(..., ge=0, le=MAX_RUPIAH),
              programs: str = Query("JKK,JKM", pattern=r"^JKK,JKM(,JHT)?$"),
              month: str | None = Query(None, pattern=MONTH_PATTERN),
              sector: Literal["transport", "other"] = "other",
              funding: Literal["self", "sponsor", "apbd", "apbn"] = "self"):
    """Integer Rupiah per month after any PP 50/2025 discount (``discount`` is the Rupiah taken off).
    ``programs`` is comma-separated and must include JKK and JKM; JHT is optional.
    ``month`` (YYYY-MM) defaults to the current month; ``sector`` is ``transport`` or ``other``;
    ``funding`` is ``self``, ``sponsor``, ``apbd`` or ``apbn`` (APBD/APBN get no discount)."""
    return quote_contribution(income, programs, month, sector, funding).as_dict()

# --- payment notifications from channels --------------------------------------------------------

class NotificationIn(BaseModel):
    reference: str = Field(min_length=1, max_length=64, description="the channel's unique transaction reference")
    customer: str = Field(description="payment code: the member's 16-digit NIK (or 11-digit KPJ)")
    amount: int = Field(description="contribution in Rupiah, without the channel's admin fee")
    months: int = Field(ge=0, le=12, description="months paid, 1 to 12, credited in order from the first unpaid; "
                                                 "0 = a top-up of any amount from Rp1,000 into the prepaid balance")
    paid_at: str = Field(description="ISO 8601 date-time, e.g. 2026-05-10T09:30:00+07:00")

class NotificationOut(Schema):
    status: str
    reference: str
    kpj: str
    amount: int
    fee: int
    months: list[str]
    paid_through: str | None
    balance: int | None = None

NOTIFICATION_DOC = """A channel reports one payment. Sign the **raw body** with the channel's secret:
`X-Jaring-Signature: sha256=<hex HMAC-SHA256(secret, body)>`, and name the channel in `X-Jaring-Channel`.

* `200 {"status": "posted"}`: months credited in order from the member's first unpaid month.
* `200 {"status": "duplicate"}`: this (channel, reference) was already posted with the same content;
  nothing changes (safe to retry). The reference is claimed before anything is priced, so concurrent
  retries of one reference all get the first answer.
* `months: 0` is a top-up of the prepaid balance (SPEC 2.9): any `amount` from Rp1,000 waits in the
  member's balance and pays whole months, oldest unpaid first, as soon as it covers one; `months` in the
  answer lists the months it paid at once (often none), `balance` what is left.
* A non-active member's payment continues the membership from the month of `paid_at` (SPEC 2.3): the
  unpaid months in between are written off and the member confirms their data at the next sign-in.
* `401`: unknown channel or bad signature. `409`: the reference was used with different content.
* `422`: invalid body, `amount` is not what those `months` cost (the expected Rupiah is in `errors.amount`),
  or `paid_at` more than 7 days ahead or before the member's first month.
"""


@router.post("/payments/notifications", auth=None, response={200: NotificationOut, 401: ErrorOut, 409: ErrorOut,
                                                              422: ErrorOut, **errors(404)},
             summary="Payment notification from a channel (HMAC-signed)", description=NOTIFICATION_DOC,
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": NotificationIn.model_json_schema()}}},
                 "parameters": [
                     {"in": "header", "name": "X-Jaring-Channel", "required": True, "schema": {"type": "string"}},
                     {"in": "header", "name": "X-Jaring-Signature", "required": True,
                      "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$",
                                 "example": "sha256=" + "3f1c" * 16}}]})
def post_notification(request):
    from .models import Channel
    from .services import find_member_by_customer, post_payment, verify_signature

    body = request.body
    code = (request.headers.get("X-Jaring-Channel") or "").strip().upper()
    channel = Channel.objects.filter(code=code, active=True).first() if code else None
    if channel is None or not verify_signature(channel, body, request.headers.get("X-Jaring-Signature")):
        return Status(401, {"detail": "Tanda tangan tidak sah: periksa X-Jaring-Channel dan X-Jaring-Signature "
                               "(HMAC-SHA256 badan permintaan dengan rahasia kanal).", "errors": {}})
    try:
        data = NotificationIn.model_validate(json.loads(body or b"null"))
    except (ValueError, PydanticError) as e:
        errors = {}
        if isinstance(e, PydanticError):
            for err in e.errors():
                errors.setdefault(".".join(str(x) for x in err["loc"]) or "body", err["msg"])
        raise DomainError("Isi notifikasi tidak valid; periksa kolom yang disebut.", errors or {"body": str(e)})
    member = find_member_by_customer(data.customer)
    if data.months == 0:  # a top-up of the prepaid balance (SPEC 2.9)
        from .prepaid import balance_of, paid_by_topup, top_up

        payment, created, _paid = top_up(member=member, amount=data.amount, channel=channel,
                                         reference=data.reference, paid_at=data.paid_at, source="notification")
        months = [month_str(add_months(q.first_month, i)) for q in paid_by_topup(payment) for i in range(q.months)]
        return Status(200, {"status": "posted" if created else "duplicate", "reference": payment.reference,
                            "kpj": payment.member.kpj, "amount": payment.amount, "fee": payment.fee, "months": months,
                            "paid_through": months[-1] if months else None,
                            "balance": balance_of(payment.member)["balance"]})
    payment, created = post_payment(member=member, months=data.months, amount=data.amount, channel=channel,
                                    reference=data.reference, paid_at=data.paid_at, source="notification")
    months = [month_str(add_months(payment.first_month, i)) for i in range(payment.months)]
    return Status(200, {"status": "posted" if created else "duplicate", "reference": payment.reference,
                 "kpj": payment.member.kpj, "amount": payment.amount, "fee": payment.fee, "months": months,
                 "paid_through": months[-1]})

class ReversalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00]*$",
                           description="the reference of the payment to cancel")
    reason: str = Field(default="", max_length=200, pattern=r"^[^\x00]*$",
                        description="why the payer's transaction was cancelled")

class ReversalOut(Schema):
    status: str
    reference: str
    kpj: str
    amount: int
    fee: int
    months: list[str]
    reversed_at: str

REVERSAL_DOC = """The payer's transaction was cancelled at the channel's till (SPEC 2.8). Signed like notifications
(`X-Jaring-Channel`, `X-Jaring-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`).

* `200 {"status": "reversed"}`: the months the payment paid are owed again, a continuation it made is undone,
  coverage is recomputed and the contribution and fee are reversed in the money records.
* `200 {"status": "already_reversed"}`: it was reversed before; nothing changes (safe to retry).
* `401` bad signature; `404` unknown reference; `409` no longer reversible: another day than the payment's own,
  already in a settlement file, or later months were paid after it.
"""


@router.post("/payments/reversals", auth=None, response={200: ReversalOut, 401: ErrorOut, 404: ErrorOut,
                                                          409: ErrorOut, 422: ErrorOut},
             summary="Reversal of a payment by its channel, same day only (HMAC-signed)", description=REVERSAL_DOC,
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": ReversalIn.model_json_schema()}}},
                 "parameters": [
                     {"in": "header", "name": "X-Jaring-Channel", "required": True, "schema": {"type": "string"}},
                     {"in": "header", "name": "X-Jaring-Signature", "required": True,
                      "schema": {"type": "string", "example": "sha256=" + "3f1c" * 16}}]})
def post_reversal(request):
    from django.utils import timezone

    from .services import reverse_payment

    channel = _signed_channel(request)
    if channel is None:
        return Status(401, {"detail": "Tanda tangan tidak sah: periksa X-Jaring-Channel dan X-Jaring-Signature "
                               "(HMAC-SHA256 badan permintaan dengan rahasia kanal).", "errors": {}})
    data = _validated(ReversalIn, request.body, "Isi pembatalan tidak valid; periksa kolom yang disebut.")
    payment, done = reverse_payment(channel=channel, reference=data.reference, reason=data.reason)
    months = [month_str(add_months(payment.first_month, i)) for i in range(payment.months)]
    return Status(200, {"status": "reversed" if done else "already_reversed", "reference": payment.reference,
                        "kpj": payment.member.kpj, "amount": payment.amount, "fee": payment.fee, "months": months,
                        "reversed_at": timezone.localtime(payment.reversed_at).isoformat(timespec="seconds")})

def _signed_channel(request):
    from .models import Channel
    from .services import verify_signature

    code = (request.headers.get("X-Jaring-Channel") or "").strip().upper()
    channel = Channel.objects.filter(code=code, active=True).first() if code else None
    if channel is None or not verify_signature(channel, request.body, request.headers.get("X-Jaring-Signature")):
        return None
    return channel

def _validated(model, body, message):
    try:
        return model.model_validate(json.loads(body or b"null"))
    except (ValueError, PydanticError) as e:
        errors = {}
        if isinstance(e, PydanticError):
            for err in e.errors():
                errors.setdefault(".".join(str(x) for x in err["loc"]) or "body", err["msg"])
        raise DomainError(message, errors or {"body": str(e)})

# --- member coverage and bills -----------------------------------------------------------------

def _member(request, kpj):
    return get_member_for(request.user, kpj)

class CoverageOut(Schema):
    state: str
    paid_through: str | None
    protected: bool
    unpaid_months: int

class BillOut(Schema):
    month: str
    amount: int
    due_date: str
    status: str

@router.get("/members/{kpj}/coverage", response={200: CoverageOut, **errors(403, 404)}, summary="Coverage state of a member on a date")
def member_coverage(request, kpj: str, date: date | None = None):
    """SPEC 2.3: `active`; `arrears` with 1-2 months ended unpaid; `inactive` after 3 consecutive unpaid months
    (deactivated in month 4) or once deactivated (reactivation is a new registration); `pending` until the
    registration is verified. `protected` is true only when the month is paid (or still inside its payment
    window after a paid previous month). `date` defaults to today (Asia/Jakarta)."""
    from .selectors import coverage_on

    return coverage_on(_member(request, kpj), date)

@router.get("/members/{kpj}/bills", response={200: list[BillOut], **errors(403, 404)}, summary="A member's months, billed or not yet")
def member_bills(request, kpj: str, from_: str | None = Query(None, alias="from"), to: str | None = None):
    """One row per month in `from`..`to` (YYYY-MM; default the last 12 months) from the member's first month
    on, at most 36 months. `amount` is after any PP 50/2025 discount; `due_date` the 15th or the next
    working day; `status` `paid`, `due` (not yet past the due date, or the member registered after it), `overdue`
    (past the due date and a member on that date) or `upcoming` (a later month)."""
    from .selectors import bills_between

    return bills_between(_member(request, kpj), from_, to)

class PrepaidBalanceOut(Schema):
    balance: int
    next_month: str
    next_amount: int
    short_by: int

@router.get("/members/{kpj}/balance", response=PrepaidBalanceOut, summary="A member's prepaid balance (tabungan iuran)")
def member_balance(request, kpj: str):
    """SPEC 2.9: money paid in any amount from Rp1,000 (a notification with `months: 0`, agent cash, the branch
    counter) waits here and pays whole months, oldest unpaid first, as soon as it covers one. `next_month` is the
    month it will pay next (this month for a non-active member, whose payment continues the membership),
    `next_amount` that month's contribution after any discount, `short_by` the Rupiah still missing (0 when the
    balance covers it). All amounts integer Rupiah."""
    from .prepaid import balance_of

    return balance_of(_member(request, kpj))
