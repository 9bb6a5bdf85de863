"""Sertakan sponsors and government programmes: enrolling workers, group invoices, crediting payments.

A group invoice has one payment code and one line per worker (its months and their amounts after any
discount, from ``contributions.services.cost_of_months``). Paying it posts each worker's months on the
same ledger as individual payments (``post_payment`` on channel SPONSOR). A partial payment credits
whole workers only, in invoice order; what is left waits on the invoice (``unapplied``) for the next
payment.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import create_user, role_of
from jaring.contributions.models import Bill, Channel
from jaring.contributions.rates import current_schedule
from jaring.contributions.services import cost_of_months, parse_paid_at, post_payment
from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, Forbidden, NotFound
from jaring.core.limits import MAX_RUPIAH
from jaring.ledger import services as ledger
from jaring.members import services as members_services
from jaring.members.importer import import_rows, read_table
from jaring.members.models import Member
from jaring.members.services import register_member
from jaring.regions.models import BranchOffice, Region
from jaring.regions.selectors import normalize_code
from jaring.rules.coverage import first_unpaid_month
from jaring.rules.identifiers import damm_digit
from jaring.rules.periods import add_months, month_str, parse_month
from jaring.rules.sponsorship import allocate_whole

from .models import (GroupInvoice, InvoiceLine, InvoicePayment, InvoiceStatus, Notice, RegionalProgram, Sponsor,
                     SponsorKind, Sponsorship, SponsorshipStatus)

MAX_MONTHS = 12  # a payment may cover 1 to 12 months (SPEC 2.3)
INVOICE_DAYS = 14  # days to pay a group invoice (A)
REMIND_DAYS = 30  # renewal reminder this many days before a sponsorship's last month ends (A)


def rupiah(n: int) -> str:
    return "Rp" + f"{int(n):,}".replace(",", ".")

def _month(value, field: str) -> date:
    if isinstance(value, date):
        return value.replace(day=1)
    return parse_month(value, field)

# --- sponsors and programmes ----------------------------------------------------------------------------

@transaction.atomic
def create_sponsor(data: dict, *, actor=None) -> Sponsor:
    """A sponsor and, when ``username``/``password`` are given, its portal account (role sponsor)."""

    errors = {}
    kind = (data.get("kind") or "").strip()
    if kind not in SponsorKind.values:
        errors["kind"] = "Pilih jenis sponsor: perorangan, perusahaan, pemerintah daerah atau desa."
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "Isi nama sponsor."
    branch = BranchOffice.objects.filter(code=(data.get("branch") or "").strip().upper()).first()
    if branch is None:
        errors["branch"] = "Kode kantor cabang tidak dikenal (contoh: KC-6371)."
    region = None
    if data.get("region"):
        region = Region.objects.filter(code=normalize_code(str(data["region"]))).first()
        if region is None:
            errors["region"] = "Kode wilayah tidak dikenal (contoh: 64.09 untuk Kab. Penajam Paser Utara)."
    if kind in (SponsorKind.REGIONAL, SponsorKind.VILLAGE) and region is None and "region" not in errors:
        errors["region"] = "Pemerintah daerah atau desa wajib menyebut wilayahnya."
    if errors:
        raise DomainError("Data sponsor belum lengkap; periksa kolom yang ditandai.", errors)
    if actor is not None and not scope_for(actor).allows_branch(branch.code):
        raise Forbidden("Anda hanya dapat mendaftarkan sponsor di kantor cabang Anda.")
    user = None
    username = (data.get("username") or "").strip()
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = create_user(username, data.get("password") or "", Role.SPONSOR, None, actor=actor,
                               email=data.get("email") or "", full_name=name)
        elif role_of(user) != Role.SPONSOR or Sponsor.objects.filter(user=user).exists():
            raise Conflict(f"Nama pengguna '{username}' sudah dipakai; pilih nama lain.",
                           {"username": "Sudah dipakai."})
    sponsor = Sponsor.objects.create(kind=kind, name=name, user=user, branch=branch, region=region,
                                     contact_name=(data.get("contact_name") or "").strip(),
                                     phone=(data.get("phone") or "").strip(), email=(data.get("email") or "").strip(),
                                     npwp=(data.get("npwp") or "").strip(), created_by=_user(actor))
    audit.record(actor, "sponsor.create", sponsor, changes={"kind": [None, kind], "name": [None, name]})
    return sponsor

def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None

@transaction.atomic
def create_program(sponsor: Sponsor, data: dict, *, actor=None) -> RegionalProgram:
    """A government programme: budget (Rupiah), quota (workers), target group, period (months)."""
    if sponsor.kind not in (SponsorKind.REGIONAL, SponsorKind.VILLAGE):
        raise DomainError("Program anggaran hanya untuk sponsor pemerintah daerah (APBD) atau desa (APBDes).",
                          {"sponsor": "Bukan sponsor pemerintah."})
    errors = {}
    try:
        budget = int(str(data.get("budget", "")).replace(".", "").replace(",", ""))
        if budget <= 0:
            raise ValueError
    except ValueError:
        budget = 0
        errors["budget"] = "Isi anggaran dalam Rupiah bulat, misalnya 3024000000."
    try:
        quota = int(data.get("quota") or 0)
        if quota <= 0:
            raise ValueError
    except ValueError:
        quota = 0
        errors["quota"] = "Isi kuota jumlah pekerja, misalnya 15000."
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "Isi nama program."
    target = (data.get("target_group") or "").strip()
    if not target:
        errors["target_group"] = "Isi kelompok sasaran, misalnya pekerja rentan: nelayan dan petani."
    try:
        start = _month(data.get("start_month"), "start_month")
        end = _month(data.get("end_month"), "end_month")
        if end < start:
            errors["end_month"] = "Bulan akhir tidak boleh sebelum bulan awal."
    except DomainError as e:
        errors.update(e.errors)
    except Exception as e:  # RuleError from parse_month
        errors.update(getattr(e, "errors", {}) or {"start_month": "Format bulan TTTT-BB."})
    if errors:
        raise DomainError("Data program belum benar; periksa kolom yang ditandai.", errors)
    program = RegionalProgram.objects.create(sponsor=sponsor, name=name, budget=budget, quota=quota,
                                             target_group=target, start_month=start, end_month=end,
                                             jht=bool(data.get("jht")))
    audit.record(actor, "program.create", program, changes={"budget": [None, budget], "quota": [None, quota]})
    return program

def sponsor_for_user(user) -> Sponsor:
    sponsor = Sponsor.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
    if sponsor is None:
        raise Forbidden("Akun ini belum terhubung ke sponsor; hubungi kantor cabang.")
    return sponsor

# --- workers ----------------------------------------------------------------------------------------------

def add_worker(sponsor: Sponsor, data: dict, *, actor=None):
    """Register one worker for the sponsor (or take an existing member whose NIK, name and birth date match)."""

    try:
        return register_member(data, actor=actor, channel="sponsor_import", funding=sponsor.funding)
    except Conflict:
        nik = "".join(ch for ch in str(data.get("nik") or "") if ch.isdigit())
        member = Member.objects.filter(nik=nik).first()
        same = (member is not None and member.name.strip().lower() == str(data.get("name") or "").strip().lower()
                and str(member.birth_date) == str(data.get("birth_date") or "").strip())
        if not same:
            raise
        return member

def import_workers(sponsor: Sponsor, fileobj, filename: str, *, programs: str = "JKK,JKM", actor=None):
    """Read an Excel/CSV list and register every valid row (members importer, channel sponsor_import)."""

    rows = read_table(fileobj, filename)
    if not rows:
        raise DomainError("Berkas kosong: isi satu pekerja per baris di bawah baris judul kolom.",
                          {"file": "Tidak ada baris data."})
    return import_rows(rows, actor=actor, channel="sponsor_import", funding=sponsor.funding,
                       defaults={"programs": programs})

# --- invoices ---------------------------------------------------------------------------------------------

def _payment_code(invoice_id: int) -> str:
    body = "88" + f"{invoice_id:013d}"
    return body + damm_digit(body)

def _costs(members, months: int) -> dict:
    """``{member_id: [(month, amount), ...]}`` from each member's first unpaid month, using
    ``contributions.services.cost_of_months`` with the schedule loaded once and the last paid month of the
    whole group fetched in one grouped query (one small bill lookup per member remains)."""
    from django.db.models import F, Max

    schedule = current_schedule()
    ids = [m.pk for m in members]
    paid = {}
    for i in range(0, len(ids), 500):
        paid.update(Bill.objects.filter(member_id__in=ids[i:i + 500], status="paid",
                                        month__gte=F("member__first_month"))
                    .values("member").annotate(m=Max("month")).values_list("member", "m"))
    return {m.pk: cost_of_months(m, months, start=first_unpaid_month(m.first_month, paid.get(m.pk)),
                                 schedule=schedule)
            for m in members}

def program_usage(program: RegionalProgram) -> dict:
    """Budget committed and paid, and workers counted against the quota."""
    lines = InvoiceLine.objects.filter(invoice__program=program).exclude(invoice__status=InvoiceStatus.CANCELLED)
    sums = lines.aggregate(committed=Sum("amount"), paid=Sum("amount", filter=Q(paid=True)))
    workers = (Sponsorship.objects.filter(program=program).exclude(status=SponsorshipStatus.CANCELLED)
               .values("member").distinct().count())
    committed = sums["committed"] or 0
    return {"budget": program.budget, "committed": committed, "paid": sums["paid"] or 0,
            "remaining_budget": program.budget - committed, "quota": program.quota, "workers": workers,
            "remaining_quota": program.quota - workers,
            "consumed_percent": round(100 * committed / program.budget, 1) if program.budget else 0}

@transaction.atomic
def create_invoice(sponsor: Sponsor, members, *, months: int, program: RegionalProgram | None = None,
                   actor=None) -> GroupInvoice:
    """Sponsor ``members`` for ``months`` months and bill them on one group invoice.

    Each worker's months start at that worker's first unpaid month (what ``post_payment`` credits), so
    that paying the invoice posts exactly the months and amounts shown on its line.
    """

    try:
        months = int(months)
    except (TypeError, ValueError):
        months = 0
    if not 1 <= months <= MAX_MONTHS:
        raise DomainError(f"Periode sponsor 1 sampai {MAX_MONTHS} bulan per tagihan.", {"months": "Isi 1 sampai 12."})
    ids = list(dict.fromkeys(m.pk for m in members))
    if not ids:
        raise DomainError("Belum ada pekerja untuk ditagihkan; tambahkan pekerja dulu.", {"members": "Kosong."})
    if program is not None and program.sponsor_id != sponsor.pk:
        raise Forbidden("Program ini milik sponsor lain.")
    open_lines = (InvoiceLine.objects.filter(member_id__in=ids, paid=False,
                                             invoice__status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PARTIAL])
                  .values_list("member__kpj", "invoice__number"))
    if open_lines:
        listed = ", ".join(f"{k} ({n})" for k, n in sorted(open_lines)[:10])
        raise Conflict(f"Pekerja berikut masih ada di tagihan yang belum lunas: {listed}. Lunasi atau batalkan "
                       "tagihan itu dulu.", {"members": "Masih ada tagihan terbuka."})
    others = (Sponsorship.objects.filter(member_id__in=ids, status=SponsorshipStatus.ACTIVE)
              .exclude(sponsor=sponsor).values_list("member__kpj", flat=True))
    if others:
        raise Conflict(f"Pekerja berikut sedang dibiayai sponsor lain: {', '.join(sorted(others)[:10])}.",
                       {"members": "Sudah dibiayai sponsor lain."})
    # the sponsor's budget pays from now on: APBD-funded months get no PP 50/2025 discount (SPEC 2.2)
    members_services.set_funding(ids, sponsor.funding)
    members = list(Member.objects.filter(pk__in=ids).order_by("name", "pk"))
    costs = _costs(members, months)
    if program is not None:
        outside = [m.kpj for m in members
                   if costs[m.pk][0][0] < program.start_month or costs[m.pk][-1][0] > program.end_month]
        if outside:
            raise DomainError(f"Bulan iuran pekerja {', '.join(outside[:10])} di luar periode program "
                              f"({month_str(program.start_month)} s.d. {month_str(program.end_month)}); "
                              "kurangi jumlah bulan.", {"months": "Di luar periode program."})
    firsts = [c[0][0] for c in costs.values()]
    lasts = [c[-1][0] for c in costs.values()]
    tmp = uuid.uuid4().hex[:16]
    invoice = GroupInvoice.objects.create(number=tmp, payment_code=tmp, sponsor=sponsor, program=program,
                                          start_month=min(firsts), end_month=max(lasts),
                                          due_date=timezone.localdate() + timedelta(days=INVOICE_DAYS),
                                          created_by=_user(actor))
    invoice.number = f"SP-{timezone.localtime(invoice.issued_at):%Y}-{invoice.pk:06d}"
    invoice.payment_code = _payment_code(invoice.pk)
    existing = set(Sponsorship.objects.filter(sponsor=sponsor, member_id__in=ids)
                   .values_list("member_id", "start_month"))
    Sponsorship.objects.bulk_create([
        Sponsorship(sponsor=sponsor, member=m, program=program, jht=m.jht, start_month=costs[m.pk][0][0],
                    end_month=costs[m.pk][-1][0])
        for m in members if (m.pk, costs[m.pk][0][0]) not in existing])
    spons = {(s.member_id, s.start_month): s for s in Sponsorship.objects.filter(sponsor=sponsor, member_id__in=ids)}
    lines = []
    for pos, m in enumerate(members, start=1):
        cost = costs[m.pk]
        sp = spons[(m.pk, cost[0][0])]
        if sp.status != SponsorshipStatus.ACTIVE or sp.end_month != cost[-1][0] or sp.program_id != getattr(program, "pk", None):
            Sponsorship.objects.filter(pk=sp.pk).update(status=SponsorshipStatus.ACTIVE, end_month=cost[-1][0],
                                                        program=program, ended_on=None)
        lines.append(InvoiceLine(invoice=invoice, sponsorship=sp, member=m, position=pos, months=len(cost),
                                 first_month=cost[0][0], monthly=[[month_str(d), a] for d, a in cost],
                                 amount=sum(a for _, a in cost)))
    InvoiceLine.objects.bulk_create(lines)
    invoice.amount = sum(line.amount for line in lines)
    invoice.save(update_fields=["number", "payment_code", "amount"])
    if program is not None:
        usage = program_usage(program)
        if usage["remaining_quota"] < 0:
            raise DomainError(f"Kuota program {program.quota:,} pekerja terlampaui".replace(",", ".")
                              + f" ({usage['workers']:,} pekerja).".replace(",", "."), {"members": "Kuota terlampaui."})
        if usage["remaining_budget"] < 0:
            raise DomainError(f"Anggaran program {rupiah(program.budget)} tidak cukup: tagihan ini "
                              f"{rupiah(invoice.amount)}, sisa anggaran {rupiah(usage['remaining_budget'] + invoice.amount)}.",
                              {"members": "Anggaran tidak cukup."})
    audit.record(actor, "invoice.issue", invoice, changes={"amount": [None, invoice.amount],
                                                           "workers": [None, len(lines)]})
    return invoice

def cancel_invoice(invoice: GroupInvoice, *, actor=None) -> GroupInvoice:
    """Cancel an invoice no money has been received for; its sponsorships end unstarted and the workers
    go back to paying for themselves unless another sponsor still pays for them."""

    with transaction.atomic():
        invoice = GroupInvoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.status != InvoiceStatus.ISSUED or invoice.payments.exists():
            raise DomainError("Tagihan yang sudah menerima pembayaran tidak dapat dibatalkan.",
                              {"invoice": "Sudah ada pembayaran."})
        invoice.status = InvoiceStatus.CANCELLED
        invoice.save(update_fields=["status"])
        members = set(invoice.lines.values_list("member_id", flat=True))
        Sponsorship.objects.filter(lines__invoice=invoice, status=SponsorshipStatus.ACTIVE).update(
            status=SponsorshipStatus.CANCELLED)
        still = set(Sponsorship.objects.filter(member_id__in=members, status=SponsorshipStatus.ACTIVE)
                    .values_list("member_id", flat=True))
        members_services.set_funding(members - still, "self")
        audit.record(actor, "invoice.cancel", invoice, changes={"status": ["issued", "cancelled"]})
    return invoice

SYNC_LINES = 200  # a payment crediting more workers than this is credited by a background task, in chunks
CHUNK = 500


def _payment_report(invoice: GroupInvoice, payment: InvoicePayment) -> dict:
    """Which workers this payment credited, which are still being credited, and which wait (with why)."""
    lines = (InvoiceLine.objects.filter(invoice=invoice).order_by("position")
             .values_list("member__kpj", "member__name", "amount", "paid", "payment_reference", "allocated_to",
                          "note"))
    credited, crediting, waiting = [], [], []
    for kpj, name, amount, paid, ref, allocated, note in lines:
        if paid:
            if ref == payment.reference:
                credited.append(kpj)
        elif allocated == payment.pk:
            crediting.append(kpj)
        else:
            reason = note or (f"Dana yang tersedia ({rupiah(invoice.unapplied)}) tidak cukup untuk {rupiah(amount)}."
                              if invoice.status != InvoiceStatus.CANCELLED else "Tagihan dibatalkan.")
            waiting.append({"kpj": kpj, "name": name, "amount": amount, "reason": reason})
    return {"invoice": invoice.number, "reference": payment.reference, "received": payment.amount,
            "applied": payment.applied, "unapplied": invoice.unapplied, "status": invoice.status,
            "credited": credited, "crediting": crediting, "not_credited": waiting}

def pay_invoice(invoice: GroupInvoice, *, amount: int, reference: str, paid_at: datetime | None = None,
                actor=None) -> tuple[dict, bool]:
    """Record money received for a group invoice and credit whole workers, in invoice order.

    Allocation (in one transaction): every worker whose full amount still fits in the money available
    (this payment plus what an earlier payment left unapplied) is allocated to this payment; the rest
    waits, and the money that fits nobody stays on the invoice (``unapplied``). Crediting: each allocated
    worker is posted with ``post_payment`` (channel SPONSOR, reference ``<invoice>:<KPJ>``) — at once for
    up to SYNC_LINES workers, else by a background task in chunks (``crediting`` in the report). A worker
    whose posting is refused (e.g. paid meanwhile elsewhere) is released with the reason and its amount
    goes back to ``unapplied``.

    Idempotent on (invoice, reference): the same payment again returns its report; the same reference
    with another amount is a Conflict (409). Returns (report, created).
    """
    reference = (reference or "").strip()
    if not reference or len(reference) > 40 or ":" in reference:
        raise DomainError("Isi referensi pembayaran (maksimal 40 karakter, tanpa titik dua).",
                          {"reference": "Wajib diisi."})
    try:
        amount = int(str(amount).replace(".", "").strip())
    except (TypeError, ValueError):
        amount = 0
    if amount <= 0:
        raise DomainError("Jumlah pembayaran harus Rupiah bulat lebih dari nol.", {"amount": "Isi jumlah Rupiah."})

    if amount > MAX_RUPIAH:
        msg = f"Jumlah pembayaran terlalu besar: paling banyak Rp{MAX_RUPIAH:,} sekali bayar.".replace(",", ".")
        raise DomainError(msg, {"amount": msg})
    if isinstance(paid_at, str):
        paid_at = parse_paid_at(paid_at)
    paid_at = paid_at or timezone.now()
    with transaction.atomic():
        invoice = GroupInvoice.objects.select_for_update().get(pk=invoice.pk)
        prior = InvoicePayment.objects.filter(invoice=invoice, reference=reference).first()
        if prior is not None:
            if prior.amount != amount:
                raise Conflict(f"Referensi {reference} sudah tercatat dengan jumlah {rupiah(prior.amount)}.",
                               {"reference": "Sudah dipakai dengan jumlah lain."})
            return _payment_report(invoice, prior), False
        if invoice.status in (InvoiceStatus.CANCELLED, InvoiceStatus.PAID):
            raise Conflict(f"Tagihan {invoice.number} sudah {invoice.get_status_display().lower()}.",
                           {"invoice": "Tidak menerima pembayaran."})
        payment = InvoicePayment.objects.create(invoice=invoice, reference=reference, amount=amount, paid_at=paid_at,
                                                recorded_by=_user(actor))

        ledger.post_invoice_payment(payment, actor=actor)
        waiting = list(InvoiceLine.objects.filter(invoice=invoice, paid=False, allocated_to__isnull=True)
                       .order_by("position").values_list("pk", "amount"))
        picked, pool = allocate_whole([a for _pk, a in waiting], amount + invoice.unapplied)
        chosen = [waiting[i][0] for i in picked]
        InvoiceLine.objects.filter(pk__in=chosen).update(allocated_to=payment, note="")
        invoice.unapplied = pool
        invoice.save(update_fields=["unapplied"])
        payment.workers_allocated = len(chosen)
        payment.crediting = bool(chosen)
        payment.save(update_fields=["workers_allocated", "crediting"])
        audit.record(actor, "invoice.pay", invoice, changes={"unapplied": [None, pool]},
                     note=f"ref {reference}: {rupiah(amount)} diterima, {len(chosen)} pekerja dialokasikan")
        if len(chosen) <= SYNC_LINES:
            credit_payment(payment.pk, actor=actor)
        else:
            from .tasks import credit_invoice_payment

            transaction.on_commit(lambda: credit_invoice_payment.enqueue(payment.pk))
    invoice.refresh_from_db()
    payment.refresh_from_db()
    return _payment_report(invoice, payment), True

def credit_payment(payment_id: int, *, actor=None, chunk: int = CHUNK) -> dict:
    """Post every worker allocated to a payment, ``chunk`` workers per transaction (safe to re-run: a
    worker already posted is a no-op replay of the same reference)."""

    payment = InvoicePayment.objects.select_related("invoice").get(pk=payment_id)
    channel = Channel.objects.filter(code="SPONSOR").first() or "SPONSOR"
    credited = released = 0
    while True:
        with transaction.atomic():
            invoice = GroupInvoice.objects.select_for_update().get(pk=payment.invoice_id)
            lines = list(InvoiceLine.objects.filter(allocated_to_id=payment_id, paid=False).select_related("member")
                         .order_by("position")[:chunk])
            if not lines:
                break
            ok, applied, back = [], 0, 0
            for line in lines:
                try:
                    with transaction.atomic():
                        post_payment(member=line.member, months=line.months, amount=line.amount, channel=channel,
                                     reference=f"{invoice.number}:{line.member.kpj}", paid_at=payment.paid_at,
                                     source="sponsor", actor=_user(actor))
                except DomainError as e:
                    InvoiceLine.objects.filter(pk=line.pk).update(allocated_to=None, note=e.message[:300])
                    back += line.amount
                    released += 1
                    continue
                ok.append(line.pk)
                applied += line.amount
            InvoiceLine.objects.filter(pk__in=ok).update(paid=True, paid_at=payment.paid_at,
                                                         payment_reference=payment.reference)
            credited += len(ok)
            invoice.paid_amount += applied
            invoice.unapplied += back
            invoice.save(update_fields=["paid_amount", "unapplied"])
            InvoicePayment.objects.filter(pk=payment_id).update(applied=F("applied") + applied,
                                                                workers_credited=F("workers_credited") + len(ok))
    with transaction.atomic():
        invoice = GroupInvoice.objects.select_for_update().get(pk=payment.invoice_id)
        remaining = InvoiceLine.objects.filter(invoice=invoice, paid=False).exists()
        invoice.status = InvoiceStatus.PARTIAL if remaining else InvoiceStatus.PAID
        invoice.save(update_fields=["status"])
        InvoicePayment.objects.filter(pk=payment_id).update(crediting=False)
    return {"credited": credited, "released": released}

def get_invoice(key: str) -> GroupInvoice:
    key = str(key or "").strip()
    invoice = (GroupInvoice.objects.select_related("sponsor", "program")
               .filter(Q(number=key) | Q(payment_code=key)).first())
    if invoice is None:
        raise NotFound(f"Tagihan {key} tidak ditemukan.")
    return invoice

# --- reminders and endings (jobs) ------------------------------------------------------------------------

def send_renewal_reminders(today: date | None = None) -> dict:
    """One outbox reminder per sponsor and end month, REMIND_DAYS before the last sponsored month ends."""
    today = today or timezone.localdate()
    horizon = (today + timedelta(days=REMIND_DAYS)).replace(day=1)
    from django.db.models import Exists, OuterRef

    renewed = Sponsorship.objects.filter(member=OuterRef("member"), sponsor=OuterRef("sponsor"),
                                         status=SponsorshipStatus.ACTIVE, start_month__gt=OuterRef("end_month"))
    due = (Sponsorship.objects.filter(status=SponsorshipStatus.ACTIVE, end_month__lte=horizon,
                                      end_month__gte=add_months(today.replace(day=1), -1), reminded_at__isnull=True)
           .exclude(Exists(renewed))
           .values("sponsor", "sponsor__name", "sponsor__phone", "end_month").annotate(n=Count("id")))
    notices = [Notice(kind="renewal", sponsor_id=row["sponsor"], phone=row["sponsor__phone"],
                      key=f"renewal:{row['sponsor']}:{month_str(row['end_month'])}",
                      message=(f"Yth. {row['sponsor__name']}, perlindungan {row['n']} pekerja yang Anda sertakan "
                               f"berakhir pada akhir {month_str(row['end_month'])}. Perpanjang agar mereka tetap "
                               f"terlindungi: buka menu Tagihan di portal Jaring."))
               for row in due]
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    marked = (Sponsorship.objects.filter(status=SponsorshipStatus.ACTIVE, end_month__lte=horizon,
                                         reminded_at__isnull=True).update(reminded_at=timezone.now()))
    return {"reminders": len(notices), "sponsorships": marked}

def end_sponsorships(today: date | None = None) -> dict:
    """Close sponsorships whose last month has passed (set-based) and invite each worker to continue paying."""

    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    with transaction.atomic():
        ending = list(Sponsorship.objects.filter(status=SponsorshipStatus.ACTIVE, end_month__lt=this_month)
                      .values_list("pk", "member_id", "member__name", "member__whatsapp", "member__phone",
                                   "sponsor__name", "end_month"))
        if not ending:
            return {"ended": 0, "invited": 0}
        ids = [row[0] for row in ending]
        Sponsorship.objects.filter(pk__in=ids).update(status=SponsorshipStatus.ENDED, ended_on=today)
        # a worker whose sponsorship goes on (renewed, or another sponsor) is not invited to pay
        still = set(Sponsorship.objects.filter(member_id__in={row[1] for row in ending},
                                               status=SponsorshipStatus.ACTIVE, end_month__gte=this_month)
                    .values_list("member_id", flat=True))
        notices = [Notice(kind="continue", member_id=mid, sponsorship_id=pk, phone=wa or phone,
                          key=f"continue:{pk}",
                          message=(f"Halo {name}, iuran BPJS Ketenagakerjaan Anda dibayar {sponsor} sampai "
                                   f"{month_str(end)}. Agar tetap terlindungi, lanjutkan dengan membayar sendiri "
                                   f"mulai {month_str(add_months(end, 1))} memakai NIK Anda di kanal pembayaran."))
                   for pk, mid, name, wa, phone, sponsor, end in ending if mid not in still]
        Notice.objects.bulk_create(notices, ignore_conflicts=True)
        members = {row[1] for row in ending}
        members_services.set_funding(members - still, "self")
        audit.record(None, "sponsorship.end", object_type="sponsors.sponsorship", object_id=str(len(ids)),
                     note=f"{len(ids)} sponsorship berakhir per {today.isoformat()}")
    return {"ended": len(ids), "invited": len(notices)}

# --- what the members app asks of sponsors (registered in apps.py) -----------------------------------------

def add_worker_for_user(user, data: dict, *, actor=None):
    """A sponsor account registers a worker through the members API: for its own sponsor."""
    return add_worker(sponsor_for_user(user), data, actor=actor)

def attributed_member_ids(user):
    """The workers a sponsor's account sponsors (``member_id`` values), for the members app's scope."""
    return Sponsorship.objects.filter(sponsor__user=user).values("member_id")
