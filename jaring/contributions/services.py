from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, NotFound
from jaring.rules.billing import due_date
from jaring.rules.contributions import Quote, quote
from jaring.rules.coverage import first_unpaid_month
from jaring.rules.periods import add_months, month_str

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
def create_channel(*, code: str, name: str, secret: str, fee: int = 0, actor=None):
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
    if errors:
        raise DomainError("Data kanal belum lengkap: " + " ".join(errors.values()), errors)
    if Channel.objects.filter(code=code).exists():
        raise Conflict(f"Kode kanal {code} sudah dipakai.", {"code": "Sudah dipakai."})
    channel = Channel.objects.create(code=code, name=name.strip(), secret=secret, fee=fee)
    audit.record(actor, "channel.create", channel, changes={"code": [None, code], "fee": [None, fee]})
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
    start = (start or first_unpaid(member)).replace(day=1)
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

def _same_content(p, member, amount, months) -> bool:
    return p.member_id == member.pk and p.amount == amount and p.months == months


def post_payment(*, member, months, amount, channel, reference, paid_at, source, actor=None):
    """Credit ``months`` months in order from the first unpaid month; returns ``(payment, created)``.

    Idempotent on (channel, reference): the same content again returns ``(existing, False)`` and
    changes nothing; different content is a Conflict (409). ``amount`` (contribution only, without
    the channel's fee) must equal :func:`cost_of_months`, else DomainError (422).
    """
    from jaring.members.models import Member

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

    existing = Payment.objects.filter(channel=channel, reference=reference).first()
    if existing is not None:
        return _replay(existing, member, amount, months)
    try:
        with transaction.atomic():
            # one payment at a time per member: months are credited in order
            member = Member.objects.select_for_update().get(pk=member.pk)
            if member.status not in PAYABLE_STATUSES:
                raise DomainError(
                    "Peserta ini nonaktif; kepesertaan harus didaftarkan ulang sebelum membayar iuran.",
                    {"customer": "Peserta nonaktif: daftar ulang dulu."})
            costs = cost_of_months(member, months)
            expected = sum(a for _, a in costs)
            if amount != expected:
                raise DomainError(
                    f"Nominal Rp{amount:,} tidak sama dengan iuran {months} bulan mulai {month_str(costs[0][0])}: "
                    f"Rp{expected:,}.".replace(",", "."),
                    {"amount": f"Seharusnya Rp{expected:,}.".replace(",", ".")})
            payment = Payment.objects.create(
                channel=channel, reference=reference, member=member, amount=amount, fee=channel.fee, months=months,
                first_month=costs[0][0], paid_at=paid_at, source=source,
                created_by=actor if getattr(actor, "is_authenticated", False) else None)
            _credit_months(member, payment, costs)
            # the journal (jaring.ledger): one balanced entry for the money, in this same transaction
            from jaring.ledger import services as ledger

            ledger.post_payment(payment, **ledger.payment_parts(payment), actor=actor)
            if actor is not None:
                audit.record(actor, "payment.post", payment,
                             changes={"amount": [None, amount], "months": [None, months]})
    except IntegrityError:
        # the same reference arrived at the same moment through another request
        existing = Payment.objects.filter(channel=channel, reference=reference).first()
        if existing is None:  # a month was credited by another payment at the same moment
            raise Conflict("Bulan yang dibayar baru saja dilunasi oleh pembayaran lain; kirim ulang notifikasi ini.",
                           {"months": "Sudah dilunasi pembayaran lain; kirim ulang."})
        return _replay(existing, member, amount, months)
    return payment, True


def _replay(existing, member, amount, months):
    if _same_content(existing, member, amount, months):
        return existing, False
    raise Conflict(f"Referensi {existing.reference} sudah dipakai untuk pembayaran lain (isi berbeda).",
                   {"reference": "Referensi sudah dipakai dengan isi berbeda."})


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
    from jaring.members.models import Member

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
