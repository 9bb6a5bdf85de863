"""Reads of the partners app: a partner sees only its own entitlements; a worker their own; managers all."""

from __future__ import annotations

from django.db.models import QuerySet

from jaring.accounts.services import role_of
from jaring.core.errors import NotFound

from .models import Bundle, Entitlement, Partner

SELLERS = ("officer", "manager", "admin")


def bundles_on_sale() -> QuerySet:
    return Bundle.objects.filter(active=True, partner__active=True).select_related("partner").order_by(
        "partner__name", "months")


def partners() -> QuerySet:
    return Partner.objects.all().order_by("name")


def get_partner(code: str) -> Partner:
    p = Partner.objects.filter(code=str(code or "").strip().upper()).first()
    if p is None:
        raise NotFound(f"Mitra {code} tidak ditemukan.")
    return p


def entitlements_of_partner(partner: Partner, status: str = "", kpj: str = "") -> QuerySet:
    qs = Entitlement.objects.filter(partner=partner).select_related("partner", "bundle", "member")
    if status:
        qs = qs.filter(status=status)
    if kpj:
        qs = qs.filter(member__kpj=kpj.strip())
    return qs


def entitlements_of_user(user) -> QuerySet:
    """A worker's own entitlements (linked member account)."""
    return (Entitlement.objects.filter(member__user=user).select_related("partner", "bundle", "member")
            if role_of(user) == "worker" else Entitlement.objects.none())


def get_own_entitlement(user, code: str) -> Entitlement:
    e = entitlements_of_user(user).filter(code=str(code or "").strip().upper()).first()
    if e is None:
        raise NotFound(f"Hak manfaat {code} tidak ditemukan.")
    return e
