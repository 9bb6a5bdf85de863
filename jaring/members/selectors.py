"""Reads for members shared by pages, API and reports: who may see which member, search, the card."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaring.accounts import policy
from jaring.accounts.policy import STAFF
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.core.errors import Forbidden, NotFound
from jaring.core.models import AuditEvent
from jaring.rules.identifiers import is_valid_kpj, mask_name, mask_nik

from . import pricing
from .models import Member, Status


_ATTRIBUTED: dict[str, object] = {}


def register_attributed_members(role: str, func) -> None:
    """``func(user)`` -> a ``member_id`` values queryset: the members an agent or a sponsor account is
    credited with (registered by the agents and sponsors apps, which sit above members)."""
    _ATTRIBUTED[role] = func

def _attributed(role: str, user):
    func = _ATTRIBUTED.get(role)
    return func(user) if func is not None else None

def _agent_member_ids(user):
    return _attributed("agent", user)

def _sponsor_member_ids(user):
    return _attributed("sponsor", user)

def visible_members(user) -> QuerySet:
    """Members the user may see: staff by office scope, a worker their own record, an agent or a sponsor the
    members they registered (plus those the agents/sponsors apps attribute to them)."""
    role = role_of(user)
    qs = Member.objects.all()
    if role in STAFF:
        return scope_for(user).filter(qs, "branch")
    if role == "worker":
        return qs.filter(user=user)
    if role in ("agent", "sponsor"):
        cond = Q(created_by=user)
        extra = _agent_member_ids(user) if role == "agent" else _sponsor_member_ids(user)
        if extra is not None:
            cond |= Q(pk__in=extra)
        return qs.filter(cond)
    return qs.none()

def get_member_for(user, kpj: str) -> Member:
    """The member with this KPJ if ``user`` may see it: 404 unknown; outside scope 403 for staff (they know
    members exist in other branches) and 404 for everyone else (existence is not revealed)."""
    kpj = str(kpj or "").strip()
    if not is_valid_kpj(kpj):
        raise NotFound(f"Nomor KPJ '{kpj}' tidak valid: 11 digit dengan angka pemeriksa; periksa kembali.")
    member = visible_members(user).select_related("branch", "village").filter(kpj=kpj).first()
    if member is not None:
        return member
    if policy.is_staff(user) and Member.objects.filter(kpj=kpj).exists():
        raise Forbidden("Peserta ini terdaftar di kantor cabang di luar wilayah kerja Anda.")
    raise NotFound(f"Peserta dengan KPJ {kpj} tidak ditemukan.")

def may_see_nik(user, member: Member) -> bool:
    """The full NIK only for the member themself, whoever registered them, and staff whose scope covers them."""
    if member.user_id and member.user_id == getattr(user, "pk", None):
        return True
    if member.created_by_id and member.created_by_id == getattr(user, "pk", None):
        return True
    return policy.is_staff(user) and scope_for(user).allows_branch(member.branch_id)

def nik_for(user, member: Member) -> str:
    return member.nik if may_see_nik(user, member) else mask_nik(member.nik)

def search_members(user, q: str = "", status: str = "") -> QuerySet:
    """Search visible members by NIK (16 digits or its start), KPJ (11 digits) or name."""
    qs = visible_members(user).select_related("branch", "village")
    q = " ".join(str(q or "").split())
    if q:
        digits = re.sub(r"[\s.\-]", "", q)
        if digits.isdigit():
            if len(digits) == 16:
                qs = qs.filter(nik=digits)
            elif len(digits) == 11:
                qs = qs.filter(Q(kpj=digits) | Q(nik__startswith=digits))
            else:
                qs = qs.filter(Q(kpj__startswith=digits) | Q(nik__startswith=digits))
        else:
            qs = qs.filter(name__icontains=q)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-registered_on", "-id")

def verification_queue(user) -> QuerySet:
    """Pending registrations in the officer's scope, oldest first (those sent back for correction last)."""
    if not policy.is_staff(user):
        return Member.objects.none()
    return (scope_for(user).filter(Member.objects.filter(status=Status.PENDING), "branch")
            .select_related("branch", "village", "created_by")
            .order_by("correction_requested", "registered_at", "id"))

def monthly_quote(member: Member, month: str | None = None):
    """What the member pays for one month (default: this month), from the contribution schedule."""
    return pricing.quote(member.income, member.programs, month, member.sector, member.funding)

def coverage(member: Member, on: date | None = None) -> dict:
    """Protection state for the card and the public check (the contributions app's ``coverage_on``)."""
    on = on or timezone.localdate()
    cov = dict(pricing.coverage_on(member, on))
    cov["label"] = STATE_LABELS.get(cov.get("state"), cov.get("state"))
    if cov.get("state") == "active" and not cov.get("protected"):
        # active membership, but this month's contribution is past its due date and unpaid
        cov["label"] = UNPROTECTED_LABEL
    return cov

def public_card(kpj: str) -> dict | None:
    """What anyone may see about a card (QR check): masked name, programs and whether protection is active."""
    if not is_valid_kpj(kpj):
        return None
    member = Member.objects.filter(kpj=kpj).first()
    if member is None:
        return None
    cov = coverage(member)
    return {"kpj": member.kpj, "name": mask_name(member.name), "programs": member.programs,
            "protected": bool(cov.get("protected")), "state": cov.get("state"),
            "status": member.status}

ACTION_LABELS = {
    "member.register": _("Pendaftaran"), "member.approve": _("Disetujui"), "member.reject": _("Ditolak"),
    "member.request_correction": _("Diminta perbaikan"), "member.update": _("Perubahan data"),
    "member.link_user": _("Akun dihubungkan"), "member.register_again": _("Daftar ulang setelah ditolak"),
    "member.reactivate": _("Diaktifkan kembali (pendaftaran baru)"),
    "member.deactivate": _("Dinonaktifkan: 3 bulan tidak membayar"),
}
UNPROTECTED_LABEL = _("Aktif — belum terlindungi: iuran bulan ini belum dibayar")
STATE_LABELS = {"active": _("Aktif — terlindungi"), "arrears": _("Menunggak"), "inactive": _("Nonaktif"),
                "pending": _("Menunggu verifikasi")}

def audit_trail(member: Member, limit: int = 50) -> list:
    """The member's audit events, newest first, with an Indonesian label for each action."""

    events = list(AuditEvent.objects.filter(object_type=member._meta.label_lower, object_id=str(member.pk))
                  .select_related("actor")[:limit])
    for e in events:
        e.label = ACTION_LABELS.get(e.action, e.action)
    return events
