from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, NotFound
from jaring.ledger import services as ledger
from jaring.members.models import Member
from jaring.members.services import continue_membership, undo_continuation
from jaring.rules.billing import due_date
from jaring.rules.contributions import Quote, quote
from jaring.rules.coverage import first_unpaid_month
from jaring.rules.periods import add_months, month_str
from jaring.snap.signing import load_public_key

from .rates import current_schedule

MAX_MONTHS = 12  # SPEC 2.3: one payment covers 1 to 12 months
PAYABLE_STATUSES = ("active", "pending")


def quote_contribution(income, programs, month: str | None = None, sector: str = "other",
                       funding: str = "self") -> Quote:
    """What a member pays per month (``month`` defaults to this month in Asia/Jakarta)."""
    month = month or month_str(timezone.localdate())
    return quote(current_schedule(), income, programs, month, sector or "other", funding or "self")

# --- channels ---------------------------------------------------------------------------------

@transaction.atomic
def create_channel(*, code: str, name: str, secret: str, fee: int = 0, actor=None, public_key: str = "",
                   service_id: str = ""):
    """A payment channel. ``public_key`` (PEM) verifies its SNAP token requests; ``service_id`` is its SNAP
    partnerServiceId (up to 8 digits; default 88000000 + the channel's number, e.g. 88000001)."""
    from .models import Channel

    code = (code or "").strip().upper()
    errors = {}
    if not code or not code.replace("_", "").replace("-", "").isalnum() or len(code) > 20:
        errors["code"] = "Isi kode kanal: huruf/angka, paling panjang 20, misalnya BANKSULTENG."
    if not (name or "").strip():
        errors["name"] = "Isi nama kanal."
    if len(secret or "") < 16:
        errors["secret"] = "Rahasia webhook minimal 16 karakter."
    try:
        fee = int(fee or 0)
        if fee < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["fee"] = "Biaya admin harus angka Rupiah bulat, 0 atau lebih."
    public_key = (public_key or "").strip()
    if public_key:
        try:
            load_public_key(public_key)
        except (ValueError, TypeError):
            errors["public_key"] = "Kunci publik harus RSA dalam format PEM (-----BEGIN PUBLIC KEY-----)."
    service_id = str(service_id or "").strip()
    if service_id and not (service_id.isdigit() and len(service_id) <= 8):
        errors["service_id"] = "partnerServiceId SNAP berupa angka, paling panjang 8 digit."
    if errors:
        raise DomainError("Data kanal belum lengkap: " + " ".join(errors.values()), errors)
    if Channel.objects.filter(code=code).exists():
        raise Conflict(f"Kode kanal {code} sudah dipakai.", {"code": "Sudah dipakai."})
    if service_id and Channel.objects.filter(service_id=service_id).exists():
        raise Conflict(f"partnerServiceId {service_id} sudah dipakai kanal lain.", {"service_id": "Sudah dipakai."})
    channel = Channel.objects.create(code=code, name=name.strip(), secret=secret, fee=fee, public_key=public_key,
                                     service_id=service_id)
    if not service_id:
        channel.service_id = f"{88_000_000 + channel.pk}"
        channel.save(update_fields=["service_id"])
    audit.record(actor, "channel.create", channel, changes={"code": [None, code], "fee": [None, fee],
                                                            "service_id": [None, channel.service_id],
                                                            "public_key": [None, bool(public_key)]})
    return channel

def get_channel(channel):
    from .models import Channel

    if isinstance(channel, Channel):
        return channel
    found = Channel.objects.filter(code=str(channel or "").strip().upper()).first()
    if found is None:
        raise DomainError(f"Kanal '{channel}' tidak dikenal; buat dulu dengan jaring channels create.",
                          {"channel": "Kanal tidak dikenal."}, status=404)
    return found

def sign(secret: str, body: bytes) -> str:
    """The X-Jaring-Signature value for a body: ``sha256=<hex HMAC-SHA256>``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()

def verify_signature(channel, body: bytes, signature: str | None) -> bool:
    if not channel.secret or not signature:
        return False
    return hmac.compare_digest(sign(channel.secret, body), signature.strip())

# --- what is owed -----------------------------------------------------------------------------

def paid_through(member) -> date | None:
    """The last paid month (months are credited in order from the first contribution month)."""
    from .models import Bill

    return (Bill.objects.filter(member=member, status=Bill.Status.PAID, month__gte=member.first_month)
            .aggregate(m=Max("month"))["m"])

def first_unpaid(member) -> date:
    return first_unpaid_month(member.first_month, paid_through(member))

def cost_of_months(member, months: int, start=None, schedule=None) -> list[tuple[date, int]]:
    """The next ``months`` unpaid months from the first unpaid one (or ``start``), each with its amount
    after discount: a bill's amount when already billed, else the schedule's price for that month."""
    from .models import Bill

    months = check_months(months)
    start = (start or payable_start(member)).replace(day=1)
    wanted = [add_months(start, i) for i in range(months)]
    billed = dict(Bill.objects.filter(member=member, month__in=wanted).values_list("month", "amount"))
    schedule = schedule or current_schedule()
    out = []
    for m in wanted:
        amount = billed.get(m)
        if amount is None:
            amount = quote(schedule, member.income, member.programs, m, member.sector or "other",
                           member.funding or "self").total
        out.append((m, amount))
    return out

def check_months(months) -> int:
    try:
        months = int(months)
    except (TypeError, ValueError):
        months = 0
    if not 1 <= months <= MAX_MONTHS:
        raise DomainError(f"Jumlah bulan harus 1 sampai {MAX_MONTHS}.",
                          {"months": f"Isi jumlah bulan 1 sampai {MAX_MONTHS}."})
    return months

def parse_paid_at(value) -> datetime:
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise DomainError("paid_at harus tanggal-waktu ISO 8601, misalnya 2026-05-10T09:30:00+07:00.",
                              {"paid_at": "Format ISO 8601, misalnya 2026-05-10T09:30:00+07:00."})
    if timezone.is_naive(dt):
        dt = timezone.make_aware(dt)  # Asia/Jakarta
    return dt

# --- posting a payment ------------------------------------------------------------------------

FUTURE_DAYS = 7  # paid_at more than this far in the future is refused (a channel clock or typing error)


def check_paid_at(member, paid_at: datetime) -> None:
    """paid_at within a sane window: not more than 7 days ahead, not before the member's first month."""
    now = timezone.now()
    if paid_at > now + timedelta(days=FUTURE_DAYS):
        raise DomainError(f"paid_at {timezone.localtime(paid_at):%Y-%m-%d %H:%M} lebih dari {FUTURE_DAYS} hari "
                          "di masa depan; periksa tanggal pembayaran.",
                          {"paid_at": f"Paling jauh {FUTURE_DAYS} hari dari sekarang."})
    if timezone.localtime(paid_at).date() < member.first_month.replace(day=1):
        raise DomainError(f"paid_at {timezone.localtime(paid_at):%Y-%m-%d} sebelum bulan pertama kepesertaan "
                          f"({month_str(member.first_month)}); periksa tanggal pembayaran.",
                          {"paid_at": f"Tidak boleh sebelum {month_str(member.first_month)}."})

def payable_start(member, on: date | None = None) -> date:
    """Where a payment's months start: the first unpaid month; for a non-active member the month paid in
    (``on``, default this month): continuing the membership from there (SPEC 2.3)."""
    if member.status == "inactive":
        return (on or timezone.localdate()).replace(day=1)
    return first_unpaid(member)

def _same_content(p, member, amount, months) -> bool:
    return p.member_id == member.pk and p.amount == amount and p.months == months

def clean_payment(*, months, amount, channel, reference, paid_at, source):
    """Checks that need no database row lock; returns the cleaned values."""
    from .models import Payment

    channel = get_channel(channel)
    reference = str(reference or "").strip()
    if not reference or len(reference) > 64:
        raise DomainError("Referensi pembayaran wajib diisi (paling panjang 64 karakter).",
                          {"reference": "Isi referensi unik dari kanal."})
    months = check_months(months)
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        raise DomainError("Nominal harus angka Rupiah bulat.", {"amount": "Isi angka Rupiah bulat."})
    paid_at = parse_paid_at(paid_at)
    if source not in Payment.Source.values:
        raise DomainError(f"Sumber pembayaran '{source}' tidak dikenal.", {"source": "Tidak dikenal."})
    return months, amount, channel, reference, paid_at

def claim_reference(channel, reference: str):
    """Claim (channel, reference) before anything is priced; call inside ``transaction.atomic``.

    Returns None when this request holds the claim (go on and post), or the payment already posted under
    this reference. A concurrent request with the same reference waits on the unique key until the first
    transaction ends: the first's payment when it committed, the claim itself when it rolled back (then
    this request is priced as the first was, so it gets the first's answer too)."""
    from .models import Payment, PaymentClaim

    try:
        with transaction.atomic():
            PaymentClaim.objects.create(channel=channel, reference=reference)
    except IntegrityError:
        existing = Payment.objects.filter(channel=channel, reference=reference).first()
        if existing is None:  # cannot happen: a claim commits only with its payment
            raise Conflict(f"Referensi {reference} sedang diproses; kirim ulang sebentar lagi.",
                           {"reference": "Sedang diproses."})
        return existing
    # a settlement import posts without claims: its payment may already be there
    return Payment.objects.filter(channel=channel, reference=reference).first()

def post_payment(*, member, months, amount, channel, reference, paid_at, source, actor=None):
    """Credit ``months`` months in order from the first unpaid month; returns ``(payment, created)``.

    Idempotent on (channel, reference), also under concurrency: the reference is claimed first
    (:func:`claim_reference`), so the same content again returns ``(existing, False)`` and changes nothing;
    different content is a Conflict (409). ``amount`` (contribution only, without the channel's fee) must
    equal :func:`cost_of_months`, else DomainError (422). A non-active member's payment continues the
    membership from the month paid in (SPEC 2.3, :func:`post_claimed`).
    """
    months, amount, channel, reference, paid_at = clean_payment(
        months=months, amount=amount, channel=channel, reference=reference, paid_at=paid_at, source=source)
    with transaction.atomic():
        existing = claim_reference(channel, reference)
        if existing is not None:
            return _replay(existing, member, amount, months), False
        payment = post_claimed(member=member, months=months, amount=amount, channel=channel, reference=reference,
                               paid_at=paid_at, source=source, actor=actor)
    return payment, True

def lock_member(member):
    """The member row locked for this transaction: one payment at a time per member (months in order)."""

    return Member.objects.select_for_update().get(pk=member.pk)

def post_claimed(*, member, months, amount, channel, reference, paid_at, source, actor=None, first_month=None,
                 costs=None):
    """Post a payment whose reference this transaction has claimed (values cleaned by :func:`clean_payment`).

    ``first_month``: the month the payer was shown as the first one (a SNAP inquiry); when another payment
    paid it meanwhile, this one is refused (409) instead of silently paying later months. ``costs``: the
    months and Rupiah the caller priced with :func:`cost_of_months` after taking :func:`lock_member` in this
    same transaction (``member`` is then that locked row); otherwise they are priced here under the lock."""
    from .models import Payment

    if costs is None:
        member = lock_member(member)
    if member.status not in PAYABLE_STATUSES + ("inactive",):
        raise DomainError("Pendaftaran peserta ini ditolak; iuran belum bisa diterima. Hubungi kantor cabang.",
                          {"customer": "Pendaftaran ditolak."})
    check_paid_at(member, paid_at)
    continuing = member.status == "inactive"
    start = payable_start(member, timezone.localtime(paid_at).date()) if continuing else None
    if costs is None or (start is not None and costs[0][0] != start.replace(day=1)) or len(costs) != months:
        costs = cost_of_months(member, months, start)
    if first_month is not None and costs[0][0] != first_month:
        raise Conflict(f"Bulan {month_str(first_month)} sudah dilunasi pembayaran lain; tanyakan tagihan lagi.",
                       {"months": f"Bulan pertama yang belum dibayar sekarang {month_str(costs[0][0])}."})
    expected = sum(a for _, a in costs)
    if amount != expected:
        raise DomainError(
            f"Nominal Rp{amount:,} tidak sama dengan iuran {months} bulan mulai {month_str(costs[0][0])}: "
            f"Rp{expected:,}.".replace(",", "."),
            {"amount": f"Seharusnya Rp{expected:,}.".replace(",", ".")})
    continued_from = None
    if continuing:
        continued_from = continue_membership(member, start, actor=actor, note=f"{channel.code} {reference}")
    payment = Payment.objects.create(
        channel=channel, reference=reference, member=member, amount=amount, fee=channel.fee, months=months,
        first_month=costs[0][0], paid_at=paid_at, source=source, continued_from=continued_from,
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    _credit_months(member, payment, costs)
    _post_money(payment, actor)
    payment.costs = costs
    if continuing:
        refresh_member_coverage(member)
    if actor is not None:
        audit.record(actor, "payment.post", payment, changes={"amount": [None, amount], "months": [None, months]})
    return payment

def _post_money(payment, actor=None) -> None:
    """The journal (jaring.ledger): one balanced entry for a posted payment — the contribution per program and
    the channel's fee apart — in this same transaction."""
    ledger.post_payment(payment, **ledger.payment_parts(payment), actor=actor)

def _replay(existing, member, amount, months):
    if _same_content(existing, member, amount, months):
        return existing
    raise Conflict(f"Referensi {existing.reference} sudah dipakai untuk pembayaran lain (isi berbeda).",
                   {"reference": "Referensi sudah dipakai dengan isi berbeda."})

def refresh_member_coverage(member, on: date | None = None) -> None:
    """One member's coverage row as the nightly refresh would write it (after a continuation or reversal)."""
    from .models import MemberCoverage
    from .selectors import coverage_on

    on = on or timezone.localdate()
    cov = coverage_on(member, on)
    paid = date.fromisoformat(cov["paid_through"] + "-01") if cov["paid_through"] else None
    MemberCoverage.objects.update_or_create(member=member, defaults={
        "state": cov["state"], "paid_through": paid, "unpaid_months": cov["unpaid_months"],
        "protected": cov["protected"], "as_of": on})

# --- reversal (SPEC 2.8: the payer's transaction cancelled at the till) ---------------------------

def reverse_payment(*, channel, reference, reason: str = "", actor=None, now=None):
    """Undo a payment on its own day, before it is in a settlement file; returns ``(payment, reversed_now)``.

    The months it paid are freed (owed again), a continuation it made is undone, the member's coverage row
    is recomputed and the money is reversed (:func:`_reverse_money`). Idempotent: a reversed payment again
    gives ``(payment, False)``. 404 unknown reference; 409 another day, already settled, or later months
    paid after it (reverse those first)."""

    from .models import Bill, Payment

    channel = get_channel(channel)
    reference = str(reference or "").strip()
    reason = str(reason or "").strip()[:200]
    now = now or timezone.now()
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(channel=channel, reference=reference).first()
        if payment is None:
            raise NotFound(f"Tidak ada pembayaran kanal {channel.code} dengan referensi {reference}.")
        if payment.reversed_at is not None:
            return payment, False
        today = timezone.localtime(now).date()
        if timezone.localtime(payment.paid_at).date() != today or timezone.localtime(payment.created_at).date() != today:
            raise Conflict(f"Pembayaran {reference} bukan hari ini; pembatalan hanya pada hari pembayaran.",
                           {"reference": "Hanya bisa dibatalkan pada hari yang sama."})
        if payment.settlement_file_id is not None:
            raise Conflict(f"Pembayaran {reference} sudah masuk berkas settlement; tidak bisa dibatalkan lagi.",
                           {"reference": "Sudah masuk settlement."})
        if payment.months == 0:  # a prepaid top-up: the balance gives the money back (SPEC 2.9)
            from .prepaid import reverse_topup  # why: prepaid builds on this module (post_payment)

            reverse_topup(payment, reason=reason, actor=actor, now=now)
            return payment, True
        member = Member.objects.select_for_update().get(pk=payment.member_id)
        if Bill.objects.filter(member=member, status=Bill.Status.PAID, month__gt=payment.last_month).exists():
            raise Conflict(f"Bulan sesudah {month_str(payment.last_month)} sudah dibayar dengan pembayaran lain; "
                           "batalkan pembayaran itu dulu.", {"reference": "Ada pembayaran sesudahnya."})
        months = Bill.objects.filter(member=member, month__gte=payment.first_month, month__lte=payment.last_month,
                                     payment=payment).update(status=Bill.Status.DUE, payment=None)
        if payment.continued_from is not None:
            undo_continuation(member, payment.continued_from, actor=actor, note=f"{channel.code} {reference}")
        payment.reversed_at = now
        payment.reversal_reason = reason
        payment.save(update_fields=["reversed_at", "reversal_reason"])
        _reverse_money(payment, actor)
        refresh_member_coverage(member, today)
        audit.record(actor, "payment.reverse", payment, note=reason,
                     changes={"months_freed": [None, months], "amount": [payment.amount, 0]})
    return payment, True

def _reverse_money(payment, actor=None) -> None:
    """Reverse every Rupiah a payment booked in the journal: the contribution and the channel's fee."""
    ledger.reverse_payment(payment, memo=f"Pembatalan {payment.channel.code} {payment.reference}", actor=actor)

def _credit_months(member, payment, costs):
    from .models import Bill

    months = [m for m, _ in costs]
    existing = {b.month: b for b in Bill.objects.filter(member=member, month__in=months)}
    schedule = None
    to_create = []
    for m, amount in costs:
        bill = existing.get(m)
        if bill is not None:
            if bill.status == Bill.Status.PAID:  # cannot happen: months come from the first unpaid on
                raise Conflict(f"Bulan {month_str(m)} sudah lunas.")
            continue
        schedule = schedule or current_schedule()
        q = quote(schedule, member.income, member.programs, m, member.sector or "other", member.funding or "self")
        to_create.append(Bill(member=member, month=m, jkk=q.jkk, jkm=q.jkm, jht=q.jht, discount=q.discount,
                              amount=q.total, due_date=due_date(m), status=Bill.Status.PAID, payment=payment))
    Bill.objects.filter(member=member, month__in=list(existing)).update(status=Bill.Status.PAID, payment=payment)
    Bill.objects.bulk_create(to_create)

def find_member_by_customer(customer: str):
    """A member by the payment code used at channels: the 16-digit NIK (SPEC 2.3), or the 11-digit KPJ."""

    customer = str(customer or "").strip()
    if len(customer) == 16 and customer.isdigit():
        member = Member.objects.filter(nik=customer).first()
    elif len(customer) == 11 and customer.isdigit():
        member = Member.objects.filter(kpj=customer).first()
    else:
        raise DomainError("Kode pelanggan harus NIK 16 digit atau nomor KPJ 11 digit.",
                          {"customer": "Isi NIK 16 digit atau KPJ 11 digit."})
    if member is None:
        raise NotFound(f"Tidak ada peserta dengan kode pelanggan {customer}.")
    return member

# --- reactions to the members app's events (subscribed in apps.py) ---------------------------------------

def on_member_reactivated(member, on) -> list[str]:
    """A reactivated member's unpaid bills from the new first month on (e.g. the month the old membership was
    deactivated in, billed before that) take the new data's price; paid bills and earlier months stay as they
    were. The coverage row (rebuilt nightly) then says what a new registration's row would say, not
    "inactive" until the next refresh: nothing paid or owed yet, so not yet protected. Returns the months
    re-priced."""
    from .models import Bill, MemberCoverage

    open_bills = list(Bill.objects.select_for_update().filter(member=member, status=Bill.Status.DUE,
                                                              payment__isnull=True, month__gte=member.first_month))
    schedule = current_schedule() if open_bills else None
    done = []
    for b in open_bills:
        q = quote(schedule, member.income, member.programs, b.month, member.sector or "other",
                  member.funding or "self")
        if (b.jkk, b.jkm, b.jht, b.discount, b.amount) != (q.jkk, q.jkm, q.jht, q.discount, q.total):
            b.jkk, b.jkm, b.jht, b.discount, b.amount = q.jkk, q.jkm, q.jht, q.discount, q.total
            b.save(update_fields=["jkk", "jkm", "jht", "discount", "amount"])
            done.append(f"{b.month:%Y-%m}")
    MemberCoverage.objects.filter(member=member).update(
        state="pending" if member.status == "pending" else "active", paid_through=None, unpaid_months=0,
        protected=False, as_of=on)
    return done

def system_channel(code: str, name: str, *, fee: int = 0):
    """A system payment channel (e.g. COMMUNITY), made when missing (a test may have flushed the data
    migration's row)."""
    from .models import Channel

    channel, _ = Channel.objects.get_or_create(code=code, defaults={"name": name, "system": True, "fee": fee})
    return channel

def on_member_continued(member, month) -> list[str]:
    """A non-active member continues by paying (SPEC 2.3): the lapsed membership's unpaid bills before
    ``month`` are written off (``void``: never owed, never covered). Returns their months."""
    from .models import Bill

    lapsed = Bill.objects.filter(member=member, status=Bill.Status.DUE, payment__isnull=True, month__lt=month)
    months = [f"{m:%Y-%m}" for m in lapsed.values_list("month", flat=True)]
    lapsed.update(status=Bill.Status.VOID)
    return months

def on_member_continuation_undone(member, first_month, before) -> None:
    """The continuing payment was reversed the same day: the written-off bills are owed again."""
    from .models import Bill

    Bill.objects.filter(member=member, status=Bill.Status.VOID, month__gte=first_month,
                        month__lt=before).update(status=Bill.Status.DUE)
