"""SNAP biller interface (SPEC 2.8, CONTRACT.md): B2B access token, virtual-account inquiry, payment, status.

Every answer is ``(http_status, body)`` with a SNAP ``responseCode`` = HTTP status + service code + case:
service ``73`` access token, ``24`` inquiry, ``25`` payment, ``26`` status. Checks happen at inquiry,
before the payer's money moves; the payment is then held to exactly what the inquiry showed, and a
payment's ``paymentRequestId`` is claimed before anything is priced, so a retry (sequential or concurrent)
gets the first answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from jaring.contributions.models import Bill, Channel, Payment
from jaring.contributions.selectors import owed
from jaring.contributions.services import claim_reference, lock_member, post_claimed
from jaring.core.errors import DomainError
from jaring.members.models import Member
from jaring.rules.identifiers import mask_name

from . import signing

TOKEN_SECONDS = 900
SERVICE_TOKEN, SERVICE_INQUIRY, SERVICE_PAYMENT, SERVICE_STATUS = "73", "24", "25", "26"
CURRENCY = "IDR"
# The bill's own cases keep the bill service code on every service, as CONTRACT.md writes them: 4042412 unknown
# customer, 4042413 amount not what the inquiry showed (also on payment), 4042414 nothing to pay.
BILL_SERVICE, BILL_CASES = SERVICE_INQUIRY, ("12", "13", "14")
_EXTERNAL_ID = re.compile(r"^[A-Za-z0-9_-]{1,36}$")


class SnapError(Exception):
    """A refusal with its SNAP case: ``http`` status, two-digit ``case`` and the English message."""

    def __init__(self, http: int, case: str, message: str, indonesia: str = "", service: str | None = None):
        super().__init__(message)
        self.http, self.case, self.message, self.indonesia = http, case, message, indonesia
        self.service = service or (BILL_SERVICE if http == 404 and case in BILL_CASES else None)

def code(http: int, service: str, case: str) -> str:
    return f"{http}{service}{case}"

def error_body(service: str, e: SnapError) -> tuple[int, dict]:
    body = {"responseCode": code(e.http, e.service or service, e.case), "responseMessage": e.message}
    if e.indonesia:
        body["additionalInfo"] = {"pesan": e.indonesia}
    return e.http, body

def bad_format(field: str, why: str = "") -> SnapError:
    return SnapError(400, "01", f"Invalid Field Format {field}", why or f"Format {field} tidak valid.")

def missing(field: str) -> SnapError:
    return SnapError(400, "02", f"Invalid Mandatory Field {field}", f"{field} wajib diisi.")

def unauthorized(why: str, indonesia: str) -> SnapError:
    return SnapError(401, "00", f"Unauthorized. {why}", indonesia)

def invalid_token() -> SnapError:
    return SnapError(401, "01", "Invalid Token (B2B)",
                     "Token akses tidak dikenal atau sudah kedaluwarsa (900 detik); minta token baru.")

def amount_obj(rupiah: int) -> dict:
    return {"value": f"{int(rupiah)}.00", "currency": CURRENCY}

def parse_timestamp(value: str | None, field: str = "X-TIMESTAMP") -> datetime:
    if not value:
        raise missing(field)
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise bad_format(field, f"{field} harus ISO 8601 dengan zona waktu, misalnya 2026-05-10T09:30:00+07:00.")
    if dt.tzinfo is None:
        raise bad_format(field, f"{field} harus memuat zona waktu, misalnya +07:00.")
    return dt

def service_id_of(channel) -> str:
    """The channel's SNAP partnerServiceId: its own, or 88000000 + its number in Jaring (e.g. 88000001)."""
    return channel.service_id or f"{88_000_000 + channel.pk}"

def padded(service_id: str) -> str:
    """partnerServiceId as it appears in virtualAccountNo: 8 characters, left-padded with spaces."""
    return service_id.rjust(8)

# --- access token ---------------------------------------------------------------------------------

def issue_token(client_key: str | None, timestamp: str | None, signature: str | None, body: dict | None,
                now: datetime | None = None) -> tuple[int, dict]:
    from .models import AccessToken

    try:
        if not client_key:
            raise missing("X-CLIENT-KEY")
        parse_timestamp(timestamp)
        if not signature:
            raise missing("X-SIGNATURE")
        if not isinstance(body, dict) or "grantType" not in body:
            raise missing("grantType")
        if body.get("grantType") != "client_credentials":
            raise bad_format("grantType", "grantType harus client_credentials.")
        channel = Channel.objects.filter(code=client_key.strip().upper(), active=True, system=False).first()
        if channel is None or not channel.public_key:
            raise unauthorized("[Unknown client]", "X-CLIENT-KEY bukan kanal terdaftar dengan kunci publik SNAP.")
        if not signing.verify_token_request(channel.public_key, client_key.strip(), timestamp.strip(), signature):
            raise unauthorized("[Signature]", "Tanda tangan SHA256withRSA tidak cocok dengan kunci publik kanal.")
    except SnapError as e:
        return error_body(SERVICE_TOKEN, e)
    token = secrets.token_urlsafe(32)
    now = now or timezone.now()
    AccessToken.objects.create(token_hash=_hash(token), channel=channel,
                               expires_at=now + timedelta(seconds=TOKEN_SECONDS))
    return 200, {"responseCode": code(200, SERVICE_TOKEN, "00"), "responseMessage": "Successful",
                 "accessToken": token, "tokenType": "Bearer", "expiresIn": str(TOKEN_SECONDS)}

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

_TOKENS: dict[str, tuple[float, object, datetime]] = {}  # token hash -> (read at, channel, expires at)
TOKEN_CACHE_SECONDS = 30.0  # a process re-reads a token (and its channel) at least this often


def channel_for_token(authorization: str | None, now: datetime | None = None):
    """The channel of a valid B2B access token. A process keeps a token it has read for 30 seconds (not past
    its expiry), so that each transaction does not read the token and channel rows again."""
    import time

    from .models import AccessToken

    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise invalid_token()
    token = token.strip()
    key = _hash(token)
    now = now or timezone.now()
    hit = _TOKENS.get(key)
    if hit is None or time.monotonic() - hit[0] > TOKEN_CACHE_SECONDS:
        row = AccessToken.objects.select_related("channel").filter(token_hash=key).first()
        if row is None:
            _TOKENS.pop(key, None)
            raise invalid_token()
        if len(_TOKENS) > 10_000:
            _TOKENS.clear()
        hit = _TOKENS[key] = (time.monotonic(), row.channel, row.expires_at)
    _, channel, expires_at = hit
    if expires_at <= now or not channel.active:
        raise invalid_token()
    return channel, token

# --- transactions -----------------------------------------------------------------------------------

def handle(service: str, method: str, path: str, headers, body: bytes, now: datetime | None = None) -> tuple[int, dict]:
    """Authenticate, check X-EXTERNAL-ID, run the service; every outcome a SNAP (status, body)."""
    import json

    from .models import SnapRequest

    try:
        channel, token = channel_for_token(headers.get("Authorization"), now)
        timestamp = headers.get("X-TIMESTAMP")
        parse_timestamp(timestamp)
        partner = (headers.get("X-PARTNER-ID") or "").strip()
        if partner.upper() != channel.code:
            raise unauthorized("[X-PARTNER-ID]", "X-PARTNER-ID harus kode kanal pemilik token.")
        if not signing.verify_transaction(channel.secret, method, path, token, body, timestamp.strip(),
                                          headers.get("X-SIGNATURE")):
            raise unauthorized("[Signature]", "Tanda tangan HMAC-SHA512 tidak cocok.")
        external_id = (headers.get("X-EXTERNAL-ID") or "").strip()
        if not external_id:
            raise missing("X-EXTERNAL-ID")
        if not _EXTERNAL_ID.match(external_id):
            raise bad_format("X-EXTERNAL-ID", "X-EXTERNAL-ID paling panjang 36 karakter huruf/angka.")
        try:
            data = json.loads(body or b"")
        except ValueError:
            raise bad_format("body", "Badan permintaan bukan JSON yang sah.")
        if not isinstance(data, dict):
            raise bad_format("body", "Badan permintaan harus objek JSON.")
    except SnapError as e:
        return error_body(service, e)

    day = timezone.localdate(now or timezone.now())
    digest = signing.body_digest(body)
    run = {SERVICE_INQUIRY: inquiry, SERVICE_PAYMENT: payment, SERVICE_STATUS: status}[service]
    # The X-EXTERNAL-ID record is written in the same transaction as the payment it answers: an id seen
    # before (replayed, or sent twice at the same moment) fails on the unique key, everything this request
    # did is rolled back and the stored answer (or 409 for another body) is given instead. Inquiry and
    # status only read, so their record is the one write (autocommit).
    one_write = service != SERVICE_PAYMENT and not transaction.get_connection().in_atomic_block
    try:
        with contextlib.nullcontext() if one_write else transaction.atomic():
            status_code, answer, meta = run(channel, data)
            SnapRequest.objects.create(channel=channel, day=day, external_id=external_id, service=service,
                                       body_hash=digest, http_status=status_code, response=answer, **meta)
    except IntegrityError:  # the X-EXTERNAL-ID seen before: nothing of this request stays
        prior = SnapRequest.objects.filter(channel=channel, day=day, external_id=external_id).first()
        if prior is None:
            raise
        return _replayed(service, prior, digest)
    return status_code, answer

def _replayed(service, prior, digest) -> tuple[int, dict]:
    if prior.service == service and prior.body_hash == digest:
        return prior.http_status, prior.response
    return error_body(service, SnapError(409, "00", "Conflict",
                                         "X-EXTERNAL-ID ini sudah dipakai hari ini untuk permintaan lain."))

def _text(data: dict, field: str, max_length: int) -> str:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise missing(field)
    if not isinstance(value, str) or len(value) > max_length:
        raise bad_format(field, f"{field} harus teks paling panjang {max_length} karakter.")
    return value

def _customer(channel, data: dict):
    """The member named by partnerServiceId + customerNo (NIK or KPJ) + virtualAccountNo."""

    service_id = _text(data, "partnerServiceId", 8).strip()
    customer = _text(data, "customerNo", 20).strip()
    va = _text(data, "virtualAccountNo", 28)
    if not customer.isdigit():
        raise bad_format("customerNo", "customerNo harus angka: NIK 16 digit atau KPJ 11 digit.")
    if service_id != service_id_of(channel):
        raise SnapError(404, "12", "Invalid Bill/Virtual Account [Not Found]",
                        f"partnerServiceId kanal ini adalah {service_id_of(channel)}.")
    if va.replace(" ", "") != service_id + customer:
        raise bad_format("virtualAccountNo", "virtualAccountNo = partnerServiceId (8 karakter) + customerNo.")
    member = None
    if len(customer) == 16:
        member = Member.objects.filter(nik=customer).first()
    elif len(customer) == 11:
        member = Member.objects.filter(kpj=customer).first()
    if member is None or member.status == "rejected":
        raise SnapError(404, "12", "Invalid Bill/Virtual Account [Not Found]",
                        "Tidak ada peserta dengan NIK/KPJ ini.")
    return member, {"partnerServiceId": padded(service_id), "customerNo": customer,
                    "virtualAccountNo": padded(service_id) + customer}

def bill_details(items) -> list[dict]:
    out = []
    for month, amount in items:
        m = f"{month:%Y-%m}"
        out.append({"billCode": "01", "billNo": m, "billName": f"Iuran BPJS TK {m}", "billShortName": "IURAN",
                    "billDescription": {"english": f"Contribution {m}", "indonesia": f"Iuran {m}"},
                    "billSubCompany": "00000", "billAmount": amount_obj(amount), "additionalInfo": {}})
    return out

def inquiry(channel, data: dict) -> tuple[int, dict, dict]:
    service = SERVICE_INQUIRY
    try:
        request_id = _text(data, "inquiryRequestId", 128)
        member, va = _customer(channel, data)
        due = owed(member)
        if not due["items"]:
            raise SnapError(404, "14", "Paid Bill", "Iuran sampai bulan ini sudah lunas.")
    except SnapError as e:
        status_code, body = error_body(service, e)
        return status_code, body, {"request_id": str(data.get("inquiryRequestId") or "")[:128]}
    items = [(it["month"], it["amount"]) for it in due["items"]]
    body = {"responseCode": code(200, service, "00"), "responseMessage": "Successful", "virtualAccountData": {
        "inquiryStatus": "00", "inquiryReason": {"english": "Success", "indonesia": "Sukses"}, **va,
        "virtualAccountName": mask_name(member.name), "inquiryRequestId": request_id,
        "totalAmount": amount_obj(due["total"]), "billDetails": bill_details(items),
        "feeAmount": amount_obj(channel.fee), "virtualAccountTrxType": "C",
        "additionalInfo": {"kpj": member.kpj, "continuation": due["continuation"]}}}
    return 200, body, {"request_id": request_id, "member_id": member.pk, "first_month": items[0][0],
                       "months": len(items), "amount": due["total"]}

def _amount(data: dict, field: str) -> int:
    value = data.get(field)
    if not isinstance(value, dict) or value.get("value") in (None, ""):
        raise missing(f"{field}.value")
    if str(value.get("currency") or "").upper() != CURRENCY:
        raise bad_format(f"{field}.currency", "Mata uang harus IDR.")
    try:
        d = Decimal(str(value["value"]))
    except InvalidOperation:
        raise bad_format(f"{field}.value", "Nominal ditulis seperti 8400.00.")
    if d != d.to_integral_value() or d < 0:
        raise SnapError(404, "13", "Invalid Amount", "Nominal harus Rupiah bulat.")
    return int(d)

def payment(channel, data: dict) -> tuple[int, dict, dict]:
    service = SERVICE_PAYMENT
    meta = {"request_id": str(data.get("paymentRequestId") or "")[:128]}
    try:
        request_id = _text(data, "paymentRequestId", 64).strip()
        member, va = _customer(channel, data)
        paid = _amount(data, "paidAmount")
        trx = data.get("trxDateTime")
        paid_at = parse_timestamp(trx, "trxDateTime") if trx else timezone.now()
        inquiry_id = data.get("inquiryRequestId")
        with transaction.atomic():
            existing = claim_reference(channel, request_id)
            if existing is not None:
                if existing.member_id != member.pk:
                    raise SnapError(409, "01", "Duplicate paymentRequestId",
                                    "paymentRequestId ini sudah dipakai untuk pelanggan lain.")
                return 200, payment_body(existing, va, data, None), {**meta, "member_id": member.pk}
            member = lock_member(member)  # what is owed is read under the lock the posting holds
            first_month, months, expected, costs = _expected(channel, member, inquiry_id)
            if paid != expected:
                raise SnapError(404, "13", "Invalid Amount",
                                f"Nominal harus Rp{expected:,} (tanpa biaya admin kanal).".replace(",", "."))
            try:  # a refusal leaves this block by an exception, so the whole payment rolls back with it
                p = post_claimed(member=member, months=months, amount=paid, channel=channel, reference=request_id,
                                 paid_at=paid_at, source="snap", first_month=first_month, costs=costs)
            except DomainError as e:
                if "amount" in e.errors:
                    raise SnapError(404, "13", "Invalid Amount", e.message)
                if "months" in e.errors:
                    raise SnapError(404, "14", "Paid Bill", e.message)
                field = "trxDateTime" if "paid_at" in e.errors else next(iter(e.errors), "body")
                raise SnapError(400, "01", f"Invalid Field Format {field}", e.message)
            body = payment_body(p, va, data, p.costs)
    except SnapError as e:
        status_code, body = error_body(service, e)
        return status_code, body, meta
    return 200, body, {**meta, "member_id": member.pk, "first_month": p.first_month, "months": p.months,
                       "amount": p.amount}

def _expected(channel, member, inquiry_id):
    """What this payment must be: what the channel's inquiry showed (by inquiryRequestId), else what is owed now.
    Returns (first month, months, Rupiah, priced months or None)."""

    from .models import SnapRequest

    if inquiry_id:
        shown = (SnapRequest.objects.filter(channel=channel, request_id=str(inquiry_id)[:128],
                                            service=SERVICE_INQUIRY, member=member, http_status=200)
                 .order_by("-id").first())
        if shown is not None and shown.months:
            return shown.first_month, shown.months, shown.amount, None
    due = owed(member)
    if not due["items"]:
        raise SnapError(404, "14", "Paid Bill", "Iuran sampai bulan ini sudah lunas.")
    costs = [(it["month"], it["amount"]) for it in due["items"]]
    return costs[0][0], len(costs), due["total"], costs

def payment_body(p, va: dict, data: dict, costs) -> dict:
    """The payment answer, the same for the first request and every retry of its paymentRequestId."""

    if costs is None:
        costs = list(Bill.objects.filter(member_id=p.member_id, month__gte=p.first_month, month__lte=p.last_month)
                     .order_by("month").values_list("month", "amount"))
    return {"responseCode": code(200, SERVICE_PAYMENT, "00"), "responseMessage": "Successful", "virtualAccountData": {
        "paymentFlagReason": {"english": "Success", "indonesia": "Sukses"}, **va,
        "virtualAccountName": mask_name(p.member.name), "paymentRequestId": p.reference,
        "inquiryRequestId": str(data.get("inquiryRequestId") or ""),
        "paidAmount": amount_obj(p.amount), "totalAmount": amount_obj(p.amount), "feeAmount": amount_obj(p.fee),
        "trxDateTime": timezone.localtime(p.paid_at).isoformat(timespec="seconds"),
        "referenceNo": f"JRG{p.pk:012d}", "paymentFlagStatus": "00", "billDetails": bill_details(costs),
        "additionalInfo": {"kpj": p.member.kpj, "paidThrough": f"{p.last_month:%Y-%m}"}}}

def status(channel, data: dict) -> tuple[int, dict, dict]:
    service = SERVICE_STATUS
    try:
        request_id = _text(data, "paymentRequestId", 128).strip()
        try:
            member, va = _customer(channel, data)
        except SnapError as e:
            if e.http != 404:
                raise
            member, va = None, {k: data.get(k) for k in ("partnerServiceId", "customerNo", "virtualAccountNo")}
    except SnapError as e:
        status_code, body = error_body(service, e)
        return status_code, body, {"request_id": str(data.get("paymentRequestId") or "")[:128]}
    p = (Payment.objects.select_related("member").filter(channel=channel, reference=request_id).first()
         if len(request_id) <= 64 else None)
    posted = p is not None and member is not None and p.member_id == member.pk and p.reversed_at is None
    vad = {**va, "inquiryRequestId": str(data.get("inquiryRequestId") or ""), "paymentRequestId": request_id}
    if posted:
        first = payment_body(p, va, data, None)["virtualAccountData"]
        vad.update({k: first[k] for k in ("virtualAccountName", "paidAmount", "totalAmount", "feeAmount",
                                          "trxDateTime", "referenceNo", "billDetails")})
        vad.update({"paymentFlagStatus": "00", "paymentFlagReason": {"english": "Success", "indonesia": "Sukses"},
                    "transactionDate": vad["trxDateTime"]})
    else:
        why = ("Reversed", "Dibatalkan") if p is not None and p.reversed_at else ("Not found", "Tidak ditemukan")
        vad.update({"paymentFlagStatus": "01", "paymentFlagReason": {"english": why[0], "indonesia": why[1]},
                    "billDetails": []})
    body = {"responseCode": code(200, service, "00"), "responseMessage": "Successful", "virtualAccountData": vad}
    return 200, body, {"request_id": request_id, "member_id": member.pk if member else None}
