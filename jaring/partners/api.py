"""Partner bundles over HTTP.

* Managers/admins register partners (the API key is shown once) and their bundles.
* A payment channel buys a bundle for a member, signed like a payment notification
  (`X-Jaring-Channel`, `X-Jaring-Signature: sha256=<hex HMAC-SHA256 of the raw body>`): the contribution part is
  an ordinary payment and a signed entitlement is issued.
* A partner authenticates with `X-Partner-Key: <its API key>` and sees only its own entitlements: verify, list,
  revoke. Another partner's entitlement answers 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.core.paginator import Paginator
from ninja import Router, Schema, Status
from pydantic import Field
from ninja.security import APIKeyHeader

from jaring.accounts.services import role_of
from jaring.api.schemas import InputSchema
from jaring.contributions.services import find_member_by_customer, get_channel, verify_signature
from jaring.core.errors import DomainError, Forbidden
from jaring.rules.identifiers import mask_name

from . import selectors, services
from .models import Entitlement

router = Router(tags=["partners"])
PAGE = 50


class PartnerKey(APIKeyHeader):
    """``X-Partner-Key``: the partner's API key from ``POST /partners``."""

    param_name = "X-Partner-Key"

    def authenticate(self, request, key):
        partner = services.partner_for_key(key)
        if partner is None:
            raise DomainError("Kunci mitra tidak dikenal: kirim header X-Partner-Key dengan kunci API mitra Anda.",
                              {"X-Partner-Key": "Kunci tidak dikenal atau tidak dikirim."}, status=401)
        request.partner = partner
        return partner


PARTNER_KEY = PartnerKey()


class PartnerIn(InputSchema):
    code: str = Field(pattern=r"^[A-Z0-9]{2,20}$", description="2–20 capital letters or digits, e.g. SEHATKU")
    name: str = Field(min_length=1, max_length=120, pattern=r"^[^\x00]*\S[^\x00]*$")
    kind: Literal["health_app", "mobile_operator", "other"]


class PartnerCreated(Schema):
    code: str
    name: str
    kind: str
    api_key: str
    signing_secret: str


class BundleIn(InputSchema):
    product_code: str
    name: str
    months: int
    benefit: str
    partner_price: int = 0


class BundleOut(Schema):
    partner: str
    partner_name: str
    product_code: str
    name: str
    months: int
    benefit: str
    partner_price: int


def _bundle_out(b) -> dict:
    return {"partner": b.partner.code, "partner_name": b.partner.name, "product_code": b.product_code,
            "name": b.name, "months": b.months, "benefit": b.benefit, "partner_price": b.partner_price}


class EntitlementOut(Schema):
    code: str
    partner: str
    product_code: str
    kpj: str
    member_name: str
    months: int
    contribution: int
    valid_from: str
    valid_until: str
    issued_at: datetime
    status: str
    signature: str
    qr: str
    payment_reference: str


def _masked(name: str) -> str:
    return mask_name(name)


def _ent_out(e: Entitlement) -> dict:
    return {"code": e.code, "partner": e.partner.code, "product_code": e.bundle.product_code, "kpj": e.member.kpj,
            "member_name": _masked(e.member.name), "months": e.months, "contribution": e.contribution,
            "valid_from": f"{e.valid_from:%Y-%m}", "valid_until": f"{e.valid_until:%Y-%m}", "issued_at": e.issued_at,
            "status": e.status, "signature": e.signature, "qr": services.qr_text(e),
            "payment_reference": e.payment.reference}


class EntitlementPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EntitlementOut]


class PurchaseIn(InputSchema):
    partner: str
    product_code: str
    customer: str
    reference: str
    paid_at: datetime
    amount: int


class PurchaseOut(Schema):
    status: str
    entitlement: EntitlementOut


class VerifyOut(Schema):
    code: str
    valid: bool
    signature_valid: bool
    status: str
    in_period: bool
    product_code: str
    kpj: str
    member_name: str
    valid_from: str
    valid_until: str


class RevokeIn(InputSchema):
    reason: str


def _admin(request):
    if role_of(request.user) not in services.ADMINS:
        raise Forbidden("Hanya manajer atau administrator yang mengelola mitra.")


@router.post("/partners", response={201: PartnerCreated}, summary="Register a partner (manager/admin); key shown once")
def create_partner(request, data: PartnerIn):
    partner, key = services.create_partner(data.dict(), actor=request.user)
    return Status(201, {"code": partner.code, "name": partner.name, "kind": partner.kind, "api_key": key,
                        "signing_secret": partner.signing_secret})


@router.post("/partners/{code}/bundles", response={201: BundleOut}, summary="Add a bundle (manager/admin)")
def create_bundle(request, code: str, data: BundleIn):
    _admin(request)
    bundle = services.create_bundle(selectors.get_partner(code), data.dict(), actor=request.user)
    return Status(201, _bundle_out(bundle))


@router.get("/partner-bundles", response=list[BundleOut], auth=None, summary="Bundles on sale (no auth)")
def list_bundles(request):
    return [_bundle_out(b) for b in selectors.bundles_on_sale()]


@router.post("/partner-bundles/purchases", response={200: PurchaseOut, 201: PurchaseOut}, auth=None,
             summary="A channel sells a bundle (signed like a payment notification)")
def purchase(request, data: PurchaseIn):
    """Headers `X-Jaring-Channel: C` and `X-Jaring-Signature: sha256=<hex HMAC-SHA256 of the raw body with the
    channel secret>`. `amount` is the contribution part only (the bundle's months, after any discount). The
    same `reference` again answers 200 with the same entitlement."""
    channel = get_channel(request.headers.get("X-Jaring-Channel", ""))
    if channel.system or not verify_signature(channel, request.body, request.headers.get("X-Jaring-Signature")):
        raise DomainError("Tanda tangan kanal tidak valid.", {"signature": "Tidak valid."}, status=401)
    bundle = services.get_bundle(data.partner, data.product_code)
    member = find_member_by_customer(data.customer)
    e, created = services.purchase(bundle, member, channel=channel, reference=data.reference, paid_at=data.paid_at,
                                   amount=data.amount, source="notification")
    return Status(201 if created else 200, {"status": "issued" if created else "duplicate", "entitlement": _ent_out(e)})


# --- the partner's own endpoints (X-Partner-Key) -------------------------------------------------------------

@router.get("/partner/entitlements", response=EntitlementPage, auth=PARTNER_KEY,
            summary="The calling partner's entitlements (paged; filter by status or KPJ)")
def my_entitlements(request, status: str = "", kpj: str = "", page: int = 1):
    p = Paginator(selectors.entitlements_of_partner(request.auth, status, kpj), PAGE).get_page(page)
    return {"count": p.paginator.count, "page": p.number, "pages": p.paginator.num_pages,
            "results": [_ent_out(e) for e in p.object_list]}


@router.get("/partner/entitlements/{code}", response=VerifyOut, auth=PARTNER_KEY,
            summary="Verify an entitlement code (and optionally the signature read from its QR)")
def verify_entitlement(request, code: str, signature: str = ""):
    e = services.get_for_partner(request.auth, code)
    return {**services.verify(e, signature or None), "product_code": e.bundle.product_code, "kpj": e.member.kpj,
            "member_name": _masked(e.member.name), "valid_from": f"{e.valid_from:%Y-%m}",
            "valid_until": f"{e.valid_until:%Y-%m}"}


@router.post("/partner/entitlements/{code}/revoke", response=EntitlementOut, auth=PARTNER_KEY,
             summary="Revoke one of the partner's entitlements (the contribution stays paid)")
def partner_revoke(request, code: str, data: RevokeIn):
    e = services.get_for_partner(request.auth, code)
    return _ent_out(services.revoke(e, reason=data.reason, partner=request.auth))


# --- managers and workers -----------------------------------------------------------------------------------

@router.get("/partners/{code}/entitlements", response=EntitlementPage, summary="A partner's entitlements (manager/admin)")
def partner_entitlements(request, code: str, status: str = "", kpj: str = "", page: int = 1):
    _admin(request)
    p = Paginator(selectors.entitlements_of_partner(selectors.get_partner(code), status, kpj), PAGE).get_page(page)
    return {"count": p.paginator.count, "page": p.number, "pages": p.paginator.num_pages,
            "results": [_ent_out(e) for e in p.object_list]}


@router.post("/partners/{code}/entitlements/{ent}/revoke", response=EntitlementOut,
             summary="Revoke an entitlement (manager/admin)")
def staff_revoke(request, code: str, ent: str, data: RevokeIn):
    _admin(request)
    e = services.get_for_partner(selectors.get_partner(code), ent)
    return _ent_out(services.revoke(e, reason=data.reason, actor=request.user))


@router.get("/me/entitlements", response=list[EntitlementOut], summary="The signed-in worker's own entitlements")
def own_entitlements(request):
    return [_ent_out(e) for e in selectors.entitlements_of_user(request.user)[:100]]
