"""Writes of the communities app: collectives, their members, group payments, reconciliation, reminders.

A group payment is one transfer (or one cash deposit) by the treasurer: every line is checked before any
money moves (membership, payable status, the exact Rupiah owed), then each member's months are posted as the
member's own payment through :func:`jaring.contributions.services.post_payment` on the system channel
COMMUNITY, and the group payment keeps the one bank credit (its total) that the branch reconciles.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.utils import timezone

from jaring.accounts import policy
from jaring.accounts.models import Role
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import create_user
from jaring.contributions import services as contributions_services
from jaring.contributions.models import Payment
from jaring.contributions.services import cost_of_months, first_unpaid, parse_paid_at, post_payment
from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, Forbidden, NotFound
from jaring.members import services as member_services
from jaring.members.models import Member
from jaring.outreach.gateways import get_gateway
from jaring.outreach.reminders import in_quiet_hours
from jaring.regions.models import BranchOffice, Region
from jaring.rules.periods import month_str, months_between, parse_month

from .models import (Collective, CollectiveKind, GroupPayment, GroupPaymentLine, Membership, PaymentMethod,
                     TreasurerNotice)

CHANNEL = "COMMUNITY"
CHANNEL_NAME = "Pembayaran kelompok wadah (bendahara)"
MAX_MONTHS = 12
REFERENCE = re.compile(r"^[A-Za-z0-9._/-]{3,40}$")


def rupiah(n: int) -> str:
    return "Rp" + f"{int(n):,}".replace(",", ".")

def community_channel():
    """The system channel COMMUNITY (made by this app's data migration; recreated if a test flushed it)."""
    return contributions_services.system_channel(CHANNEL, CHANNEL_NAME, fee=0)

def this_month() -> date:
    return timezone.localdate().replace(day=1)

def _month(value) -> date:
    if value is None or value == "":
        return this_month()
    if isinstance(value, date):
        return value.replace(day=1)
    return parse_month(str(value))

# --- collectives --------------------------------------------------------------------------------------------

def _phone(value: str) -> str:
    digits = re.sub(r"[^\d+]", "", value or "")
    if not digits:
        return ""
    if digits.startswith("+"):
        return digits
    if digits.startswith("0"):
        return "+62" + digits[1:]
    if digits.startswith("62"):
        return "+" + digits
    return digits

@transaction.atomic
def create_collective(data: dict, *, actor) -> Collective:
    """A branch registers a collective with its treasurer (a new sign-in account with the role ``treasurer``).

    data: name, kind, branch (KC-…; default the officer's branch), village_code (optional),
    treasurer_username, treasurer_password, treasurer_name, treasurer_phone.
    """

    if not policy.is_staff(actor):
        raise Forbidden("Hanya petugas kantor cabang yang dapat mendaftarkan wadah.")
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if len(name) < 3:
        errors["name"] = "Isi nama wadah (minimal 3 huruf), mis. Paguyuban Ojek Pangkalan Alalak."
    kind = (data.get("kind") or "").strip()
    if kind not in CollectiveKind.values:
        errors["kind"] = "Pilih jenis wadah: " + ", ".join(CollectiveKind.values) + "."
    branch_code = (data.get("branch") or getattr(getattr(actor, "profile", None), "branch_id", None) or "").strip()
    branch = BranchOffice.objects.filter(code=branch_code.upper()).first()
    if branch is None:
        errors["branch"] = "Kode kantor cabang tidak dikenal (contoh: KC-6371)."
    village = None
    village_code = (data.get("village_code") or "").strip()
    if village_code:
        place = member_services.village_place(village_code)
        village = Region.objects.filter(code=place.village_code).first() if place else None
        if village is None:
            errors["village_code"] = "Kode desa/kelurahan tidak dikenal (10 digit, mis. 63.71.04.1001)."
    t_name = (data.get("treasurer_name") or "").strip()
    if len(t_name) < 3:
        errors["treasurer_name"] = "Isi nama bendahara."
    t_phone = _phone(data.get("treasurer_phone") or "")
    if not re.fullmatch(r"\+62\d{8,13}", t_phone):
        errors["treasurer_phone"] = "Isi nomor HP bendahara, mis. 0812-3456-7890 (pengingat dikirim ke nomor ini)."
    username = (data.get("treasurer_username") or "").strip()
    if not username:
        errors["treasurer_username"] = "Isi nama pengguna untuk akun bendahara."
    if errors:
        raise DomainError("Wadah belum bisa didaftarkan; perbaiki kolom yang ditandai.", errors)
    if not scope_for(actor).allows_branch(branch.code):
        raise Forbidden("Anda hanya dapat mendaftarkan wadah di kantor cabang dalam wewenang Anda.")
    user = create_user(username, data.get("treasurer_password") or "", Role.TREASURER, branch.code, actor=actor,
                       full_name=t_name)
    collective = Collective.objects.create(code=f"TMP-{user.pk}", name=name, kind=kind, branch=branch,
                                           village=village, treasurer=user, treasurer_name=t_name,
                                           treasurer_phone=t_phone, created_by=actor)
    collective.code = f"WDH-{collective.pk:06d}"
    collective.save(update_fields=["code"])
    audit.record(actor, "collective.create", collective,
                 changes={"code": [None, collective.code], "treasurer": [None, username]})
    return collective

def can_manage(user, collective: Collective) -> bool:
    """The collective's treasurer, or staff whose office scope covers its branch."""
    if collective.treasurer_id == getattr(user, "pk", None):
        return True
    return policy.is_staff(user) and scope_for(user).allows_branch(collective.branch_id)

def _require_manager(user, collective: Collective) -> None:
    if not can_manage(user, collective):
        raise Forbidden("Anda bukan bendahara wadah ini atau petugas kantor cabangnya.")

# --- members ------------------------------------------------------------------------------------------------

def current_membership(member) -> Membership | None:
    return Membership.objects.filter(member=member, left_on__isnull=True).select_related("collective").first()

def _join(collective: Collective, member: Member, *, actor, on: date | None = None) -> Membership:
    other = current_membership(member)
    if other is not None:
        if other.collective_id == collective.pk:
            raise Conflict(f"{member.name} sudah menjadi anggota {collective.name}.", {"kpj": "Sudah anggota."})
        raise Conflict(f"Peserta {member.kpj} masih tercatat di wadah lain; ia harus keluar dulu dari wadah itu.",
                       {"kpj": "Masih anggota wadah lain."})
    ms = Membership.objects.create(collective=collective, member=member, joined_on=on or timezone.localdate(),
                                   added_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor, "collective.join", member, note=collective.code)
    return ms

@transaction.atomic
def register_member(collective: Collective, data: dict, *, actor, on: date | None = None) -> Membership:
    """The treasurer registers a worker: the same checks as an agent's registration (members app; the member
    starts pending and a branch officer verifies), then the worker joins the collective."""
    _require_manager(actor, collective)
    if not collective.active:
        raise Conflict(f"Wadah {collective.name} sudah tidak aktif.")
    channel = "branch" if policy.is_staff(actor) else "agent"
    member = member_services.register_member(data, actor=actor, channel=channel, on=on)
    return _join(collective, member, actor=actor, on=on)

@transaction.atomic
def add_existing_member(collective: Collective, kpj: str, nik: str, *, actor) -> Membership:
    """An already registered worker joins: the treasurer types the KPJ and the NIK from the worker's card (both
    must match, so a treasurer cannot enrol someone whose card they have not seen)."""
    _require_manager(actor, collective)
    kpj, nik = str(kpj or "").strip(), member_services.normalize_nik(nik)
    member = Member.objects.filter(kpj=kpj, nik=nik).first()
    if member is None:
        raise NotFound("Tidak ada peserta dengan nomor KPJ dan NIK itu; periksa kartu peserta.")
    if member.status not in ("active", "pending"):
        raise DomainError("Peserta ini nonaktif; daftarkan ulang dengan NIK-nya agar bisa bergabung.",
                          {"kpj": "Peserta nonaktif."})
    return _join(collective, member, actor=actor)

@transaction.atomic
def leave(collective: Collective, member: Member, *, actor, reason: str = "") -> Membership:
    """The member leaves the collective (by the member, the treasurer or the branch). The member keeps their
    card, bills and coverage; they pay on their own from now on."""
    is_self = member.user_id is not None and member.user_id == getattr(actor, "pk", None)
    if not is_self:
        _require_manager(actor, collective)
    ms = Membership.objects.select_for_update().filter(collective=collective, member=member,
                                                       left_on__isnull=True).first()
    if ms is None:
        raise NotFound(f"Peserta {member.kpj} bukan anggota {collective.name}.")
    ms.left_on = timezone.localdate()
    ms.leave_reason = (reason or "").strip()[:200]
    ms.save(update_fields=["left_on", "leave_reason"])
    audit.record(actor, "collective.leave", member, note=f"{collective.code} {ms.leave_reason}".strip())
    return ms

# --- what each member owes this round -------------------------------------------------------------------------

def months_due(member: Member, month: date) -> int:
    """Months to pay so that ``member`` is paid up to and including ``month``: every unpaid month from the
    oldest (SPEC 2.3: paid in order), 0 when already paid through ``month``."""
    start = first_unpaid(member)
    if start > month:
        return 0
    return months_between(start, month) + 1

def line_for(member: Member, month: date, months: int | None = None) -> tuple[int, date, int]:
    """(months, first month, Rupiah) for one member's line of a group payment."""
    n = months_due(member, month) if months is None else int(months)
    if n < 1:
        raise DomainError(f"{member.name} ({member.kpj}) sudah lunas sampai {month_str(month)}.",
                          {member.kpj: "Sudah lunas bulan ini."})
    if n > MAX_MONTHS:
        raise DomainError(f"{member.name} ({member.kpj}) menunggak {n} bulan; satu pembayaran paling banyak "
                          f"{MAX_MONTHS} bulan. Bayar {MAX_MONTHS} bulan dulu.", {member.kpj: "Lebih dari 12 bulan."})
    costs = cost_of_months(member, n)
    return n, costs[0][0], sum(a for _, a in costs)

def _parse_lines(collective: Collective, lines) -> list[tuple[Member, int | None]]:
    """``lines``: KPJ strings or ``{"kpj", "months"}`` dicts → members of this collective (404 for anyone else:
    the treasurer learns nothing about non-members)."""
    wanted: list[tuple[str, int | None]] = []
    for row in lines or []:
        if isinstance(row, dict):
            kpj, months = str(row.get("kpj") or "").strip(), row.get("months")
        else:
            kpj, months = str(getattr(row, "kpj", row) or "").strip(), getattr(row, "months", None)
        if months not in (None, ""):
            try:
                months = int(months)
            except (TypeError, ValueError):
                raise DomainError("Jumlah bulan harus angka 1 sampai 12.", {kpj: "Isi 1 sampai 12."})
            if not 1 <= months <= MAX_MONTHS:
                raise DomainError("Jumlah bulan harus 1 sampai 12.", {kpj: "Isi 1 sampai 12."})
        else:
            months = None
        wanted.append((kpj, months))
    if not wanted:
        raise DomainError("Pilih minimal satu anggota yang dibayar.", {"members": "Pilih anggota."})
    kpjs = [k for k, _ in wanted]
    if len(set(kpjs)) != len(kpjs):
        raise DomainError("Ada anggota yang tercantum dua kali.", {"members": "Anggota ganda."})
    found = {m.kpj: m for m in Member.objects.filter(
        kpj__in=kpjs, collective_memberships__collective=collective,
        collective_memberships__left_on__isnull=True)}
    missing = [k for k in kpjs if k not in found]
    if missing:
        raise NotFound(f"Bukan anggota {collective.name}: {', '.join(missing[:10])}.")
    return [(found[k], m) for k, m in wanted]

def _same(gp: GroupPayment, total: int, lines: list[tuple[Member, int | None]]) -> bool:
    posted = set(gp.lines.values_list("member_id", flat=True))
    return gp.total == total and posted == {m.pk for m, _ in lines}

def record_group_payment(collective: Collective, *, reference: str, members, total, method: str = "transfer",
                         month=None, paid_at=None, actor) -> tuple[GroupPayment, bool]:
    """One transfer or cash deposit for many members → each member's own months posted, one bank credit.

    ``total`` must equal the sum of every line to the Rupiah (otherwise 422 and nothing is posted). Idempotent on
    (collective, reference): the same payment again returns ``(existing, False)``; other content is a 409.
    """
    _require_manager(actor, collective)
    reference = str(reference or "").strip()
    if not REFERENCE.match(reference):
        raise DomainError("Isi referensi transfer (3–40 huruf/angka, mis. nomor bukti transfer).",
                          {"reference": "Isi referensi transfer."})
    if method not in PaymentMethod.values:
        raise DomainError("Cara bayar: transfer atau cash.", {"method": "Pilih transfer atau cash."})
    try:
        total = int(str(total).replace(".", "").strip())
    except (TypeError, ValueError):
        raise DomainError("Jumlah transfer harus angka Rupiah bulat.", {"total": "Isi jumlah Rupiah."})
    month = _month(month)
    paid_at = parse_paid_at(paid_at) if paid_at else timezone.now()
    channel = community_channel()
    with transaction.atomic():
        collective = Collective.objects.select_for_update().get(pk=collective.pk)
        lines = _parse_lines(collective, members)
        prior = GroupPayment.objects.filter(collective=collective, reference=reference).first()
        if prior is not None:
            if _same(prior, total, lines):
                return prior, False
            raise Conflict(f"Referensi {reference} sudah dipakai untuk pembayaran kelompok lain.",
                           {"reference": "Sudah dipakai dengan isi berbeda."})
        # every check before any money moves
        priced, errors = [], {}
        for member, months in lines:
            if member.status not in ("active", "pending"):
                errors[member.kpj] = f"{member.name} nonaktif: daftarkan ulang dulu dengan NIK-nya."
                continue
            try:
                priced.append((member, *line_for(member, month, months)))
            except DomainError as e:
                errors.update(e.errors or {member.kpj: e.message})
        if errors:
            raise DomainError("Pembayaran kelompok belum bisa dicatat: " + " ".join(errors.values()), errors)
        expected = sum(amount for *_, amount in priced)
        if total != expected:
            raise DomainError(
                f"Jumlah transfer {rupiah(total)} tidak sama dengan iuran {len(priced)} anggota: {rupiah(expected)}.",
                {"total": f"Seharusnya {rupiah(expected)}."})
        gp = GroupPayment.objects.create(collective=collective, reference=reference, method=method, total=total,
                                         members=len(priced), month=month, paid_at=paid_at,
                                         recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
        rows = []
        for member, months, first, amount in priced:
            payment, _ = post_payment(member=member, months=months, amount=amount, channel=channel,
                                      reference=f"{collective.code}:{reference}:{member.kpj}", paid_at=paid_at,
                                      source="agent", actor=actor)
            rows.append(GroupPaymentLine(group_payment=gp, member=member, months=months, first_month=first,
                                         amount=amount, payment=payment))
        GroupPaymentLine.objects.bulk_create(rows)
        audit.record(actor, "collective.pay", gp, changes={"total": [None, total], "members": [None, len(rows)]},
                     note=f"{collective.code} ref {reference}")
    return gp, True

@transaction.atomic
def reconcile(group_payment: GroupPayment, *, amount, bank_date=None, bank_reference: str = "", actor) -> GroupPayment:
    """The branch matches the bank credit to the group payment: reconciled when the credit equals the total
    (the difference is kept either way, and the posted payments are checked to add up to the total)."""

    gp = GroupPayment.objects.select_for_update().select_related("collective").get(pk=group_payment.pk)
    if not (policy.is_staff(actor) and scope_for(actor).allows_branch(gp.collective.branch_id)):
        raise Forbidden("Hanya petugas kantor cabang wadah ini yang mencocokkan mutasi bank.")
    try:
        amount = int(str(amount).replace(".", "").strip())
    except (TypeError, ValueError):
        raise DomainError("Isi jumlah mutasi bank dalam Rupiah.", {"amount": "Isi jumlah Rupiah."})
    if isinstance(bank_date, str) and bank_date:
        try:
            bank_date = date.fromisoformat(bank_date)
        except ValueError:
            raise DomainError("Tanggal mutasi: format TTTT-BB-HH.", {"bank_date": "Format TTTT-BB-HH."})
    posted = sum(Payment.objects.filter(pk__in=gp.lines.values("payment_id")).values_list("amount", flat=True))
    if posted != gp.total:  # cannot happen: lines are posted in the same transaction as the group payment
        raise Conflict(f"Iuran yang dibukukan {rupiah(posted)} tidak sama dengan total {rupiah(gp.total)}.")
    gp.bank_amount = amount
    gp.bank_date = bank_date or timezone.localdate()
    gp.bank_reference = (bank_reference or "").strip()[:64]
    gp.reconciled = amount == gp.total
    gp.reconciled_at = timezone.now() if gp.reconciled else None
    gp.reconciled_by = actor if gp.reconciled else None
    gp.save(update_fields=["bank_amount", "bank_date", "bank_reference", "reconciled", "reconciled_at",
                           "reconciled_by"])
    audit.record(actor, "collective.reconcile", gp, changes={"bank_amount": [None, amount],
                                                             "reconciled": [None, gp.reconciled]})
    return gp

# --- reminders to the treasurer ----------------------------------------------------------------------------

def queue_treasurer_reminders(month=None, collectives=None) -> dict:
    """One message per collective and month to its treasurer listing the members not yet paid for ``month``
    (unique per collective and month: running twice queues nothing new)."""
    from . import selectors

    month = _month(month)
    period = month_str(month)
    qs = Collective.objects.filter(active=True).exclude(treasurer_phone="")
    if collectives is not None:
        qs = qs.filter(pk__in=[c.pk for c in collectives])
    rows = []
    for c in qs.exclude(notices__period=period):
        unpaid = list(selectors.unpaid_members(c, month).values_list("name", "kpj")[:50])
        count = selectors.unpaid_members(c, month).count()
        if not count:
            continue
        names = "; ".join(f"{n} ({k})" for n, k in unpaid)
        more = f" dan {count - len(unpaid)} lainnya" if count > len(unpaid) else ""
        body = (f"Yth. {c.treasurer_name}, bendahara {c.name}: {count} anggota belum membayar iuran "
                f"BPJS Ketenagakerjaan bulan {period}: {names}{more}. Catat pembayarannya di Jaring, menu Wadah saya.")
        rows.append(TreasurerNotice(collective=c, period=period, to=c.treasurer_phone, body=body, unpaid=count))
    TreasurerNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return {"period": period, "queued": len(rows)}

def send_treasurer_reminders(gateway=None, limit: int = 1000) -> dict:
    """Send queued treasurer lists through the outreach gateway (SMS/WhatsApp), outside quiet hours."""

    if in_quiet_hours():
        return {"sent": 0, "failed": 0, "deferred_quiet_hours": TreasurerNotice.objects.filter(
            status=TreasurerNotice.Status.QUEUED).count()}
    gw = gateway or get_gateway()
    sent = failed = 0
    for n in TreasurerNotice.objects.filter(status=TreasurerNotice.Status.QUEUED).order_by("id")[:limit]:
        result = gw.send(n.to, n.body, "sms", f"jaring-wadah-{n.pk}-{n.period}")
        if result.ok:
            TreasurerNotice.objects.filter(pk=n.pk).update(status=TreasurerNotice.Status.SENT, sent_at=timezone.now())
            sent += 1
        else:
            TreasurerNotice.objects.filter(pk=n.pk).update(status=TreasurerNotice.Status.FAILED, error=result.error[:200])
            failed += 1
    return {"sent": sent, "failed": failed, "deferred_quiet_hours": 0}
