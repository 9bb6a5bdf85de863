import json
from datetime import date
from typing import Literal

from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, Field, ValidationError as PydanticError

from jaring.api.errors import ErrorOut, errors
from jaring.api.schemas import MONTH_PATTERN
from jaring.core.errors import DomainError
from jaring.core.limits import MAX_RUPIAH

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
    months: int = Field(ge=1, le=12, description="months paid, 1 to 12, credited in order from the first unpaid")
    paid_at: str = Field(description="ISO 8601 date-time, e.g. 2026-05-10T09:30:00+07:00")


class NotificationOut(Schema):
    status: str
    reference: str
    kpj: str
    amount: int
    fee: int
    months: list[str]
    paid_through: str | None


NOTIFICATION_DOC = """A channel reports one payment. Sign the **raw body** with the channel's secret:
`X-Jaring-Signature: sha256=<hex HMAC-SHA256(secret, body)>`, and name the channel in `X-Jaring-Channel`.

* `200 {"status": "posted"}`: months credited in order from the member's first unpaid month.
* `200 {"status": "duplicate"}`: this (channel, reference) was already posted with the same content;
  nothing changes (safe to retry).
* `401`: unknown channel or bad signature. `409`: the reference was used with different content.
* `422`: invalid body, or `amount` is not what those `months` cost (the expected Rupiah is in `errors.amount`).
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
    payment, created = post_payment(member=member, months=data.months, amount=data.amount, channel=channel,
                                    reference=data.reference, paid_at=data.paid_at, source="notification")
    from jaring.rules.periods import add_months, month_str

    months = [month_str(add_months(payment.first_month, i)) for i in range(payment.months)]
    return Status(200, {"status": "posted" if created else "duplicate", "reference": payment.reference,
                 "kpj": payment.member.kpj, "amount": payment.amount, "fee": payment.fee, "months": months,
                 "paid_through": months[-1]})


# --- member coverage and bills -----------------------------------------------------------------

def _member(request, kpj):
    try:
        from jaring.members.selectors import get_member_for
    except ImportError:  # the members app not there yet: same rules by hand
        get_member_for = None
    if get_member_for is not None:
        return get_member_for(request.user, kpj)
    from jaring.accounts.scoping import scope_for
    from jaring.core.errors import Forbidden, NotFound
    from jaring.members.models import Member

    member = Member.objects.filter(kpj=kpj).first()
    if member is None:
        raise NotFound(f"Peserta dengan KPJ {kpj} tidak ditemukan.")
    if member.user_id != request.user.pk and not scope_for(request.user).allows_branch(member.branch_id):
        raise Forbidden()
    return member


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
    working day; `status` `paid`, `due` (not yet past the due date), `overdue` or `upcoming` (a later month)."""
    from .selectors import bills_between

    return bills_between(_member(request, kpj), from_, to)
