"""Writes of the partners app: partners and their keys, bundles, buying a bundle, entitlements.

Buying a bundle at any channel is an ordinary payment for the member (:func:`post_payment`, the channel's own
reference, idempotent) and issues one entitlement per payment. The entitlement is signed with HMAC-SHA256 under
the partner's signing secret over its canonical fields (:func:`payload`); the partner checks it through the
API with its own key (another partner's key answers 404) or offline with the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timezone as dt_timezone

import segno
from django.db import IntegrityError, transaction
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.accounts.services import role_of
from jaring.contributions.services import cost_of_months, post_payment
from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, Forbidden, NotFound
from jaring.rules.periods import add_months, month_str

from .models import Bundle, Entitlement, EntitlementStatus, Partner, PartnerKind

ADMINS = (Role.MANAGER, Role.ADMIN)
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,19}$")
PRODUCT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,29}$")
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter
QR_PREFIX = "JRG1"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()

def rupiah(n: int) -> str:
    return "Rp" + f"{int(n):,}".replace(",", ".")

# --- partners and bundles ---------------------------------------------------------------------------------

@transaction.atomic
def create_partner(data: dict, *, actor, system: bool = False) -> tuple[Partner, str]:
    """A partner with a fresh API key (returned once, stored as its SHA-256) and signing secret. ``system``: the
    operator's CLI, acting without a signed-in manager (audited with no actor)."""
    if not system and role_of(actor) not in ADMINS:
        raise Forbidden("Hanya manajer atau administrator yang dapat mendaftarkan mitra.")
    errors = {}
    code = (data.get("code") or "").strip().upper()
    if not CODE.match(code):
        errors["code"] = "Isi kode mitra: 2–20 huruf besar/angka, mis. SEHATKU."
    name = (data.get("name") or "").strip()
    if len(name) < 3:
        errors["name"] = "Isi nama mitra."
    kind = data.get("kind") or ""
    if kind not in PartnerKind.values:
        errors["kind"] = "Pilih jenis mitra: " + ", ".join(PartnerKind.values) + "."
    if errors:
        raise DomainError("Mitra belum bisa didaftarkan: " + " ".join(errors.values()), errors)
    if Partner.objects.filter(code=code).exists():
        raise Conflict(f"Kode mitra {code} sudah dipakai.", {"code": "Sudah dipakai."})
    key = "jpk_" + secrets.token_urlsafe(32)
    partner = Partner.objects.create(code=code, name=name, kind=kind, api_key_hash=hash_key(key),
                                     api_key_prefix=key[:10], signing_secret=secrets.token_hex(32),
                                     created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor, "partner.create", partner, changes={"code": [None, code]})
    return partner, key

@transaction.atomic
def rotate_key(partner: Partner, *, actor) -> str:
    if role_of(actor) not in ADMINS:
        raise Forbidden("Hanya manajer atau administrator yang dapat mengganti kunci mitra.")
    key = "jpk_" + secrets.token_urlsafe(32)
    Partner.objects.filter(pk=partner.pk).update(api_key_hash=hash_key(key), api_key_prefix=key[:10])
    audit.record(actor, "partner.rotate_key", partner)
    return key

def partner_for_key(key: str | None) -> Partner | None:
    if not key:
        return None
    return Partner.objects.filter(api_key_hash=hash_key(key.strip()), active=True).first()

@transaction.atomic
def create_bundle(partner: Partner, data: dict, *, actor) -> Bundle:
    if role_of(actor) not in ADMINS:
        raise Forbidden("Hanya manajer atau administrator yang dapat membuat paket mitra.")
    errors = {}
    product = (data.get("product_code") or "").strip()
    if not PRODUCT.match(product):
        errors["product_code"] = "Isi kode produk mitra: 2–30 huruf/angka, mis. COMBOFIT-3."
    name = (data.get("name") or "").strip()
    if len(name) < 3:
        errors["name"] = "Isi nama paket, mis. ComboFit 3 bulan."
    try:
        months = int(data.get("months") or 0)
    except (TypeError, ValueError):
        months = 0
    if not 1 <= months <= 12:
        errors["months"] = "Isi jumlah bulan iuran dalam paket: 1 sampai 12."
    benefit = (data.get("benefit") or "").strip()
    if len(benefit) < 3:
        errors["benefit"] = "Tulis manfaat dari mitra, mis. premium 3 bulan + kuota 10 GB."
    try:
        price = int(str(data.get("partner_price") or 0).replace(".", ""))
        if price < 0:
            raise ValueError
    except (TypeError, ValueError):
        price = 0
        errors["partner_price"] = "Harga bagian mitra: Rupiah bulat, 0 atau lebih."
    if errors:
        raise DomainError("Paket belum bisa disimpan: " + " ".join(errors.values()), errors)
    if Bundle.objects.filter(partner=partner, product_code=product).exists():
        raise Conflict(f"Kode produk {product} sudah ada untuk {partner.name}.", {"product_code": "Sudah dipakai."})
    bundle = Bundle.objects.create(partner=partner, product_code=product, name=name, months=months, benefit=benefit,
                                   partner_price=price)
    audit.record(actor, "partner.bundle.create", bundle, changes={"months": [None, months]})
    return bundle

def get_bundle(partner_code: str, product_code: str) -> Bundle:
    bundle = (Bundle.objects.select_related("partner")
              .filter(partner__code=str(partner_code or "").strip().upper(),
                      product_code=str(product_code or "").strip(), active=True, partner__active=True).first())
    if bundle is None:
        raise NotFound(f"Paket {partner_code}/{product_code} tidak ditemukan.")
    return bundle

def contribution_for(bundle: Bundle, member) -> int:
    """The contribution part of the bundle for this member: the next ``months`` unpaid months (discounts apply)."""
    return sum(a for _, a in cost_of_months(member, bundle.months))

# --- entitlements -------------------------------------------------------------------------------------------

def payload(e: Entitlement) -> str:
    """The signed fields, in order: version, code, partner, product, KPJ, first and last month, issue time."""
    return "|".join([QR_PREFIX, e.code, e.partner.code, e.bundle.product_code, e.member.kpj, month_str(e.valid_from),
                     month_str(e.valid_until), e.issued_at.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")])

def sign(partner: Partner, text: str) -> str:
    return hmac.new(partner.signing_secret.encode(), text.encode(), hashlib.sha256).hexdigest()

def qr_text(e: Entitlement) -> str:
    """What the QR holds: the payload and its signature (a partner can check it offline with its secret)."""
    return f"{payload(e)}|{e.signature}"

def signature_valid(e: Entitlement, signature: str | None = None) -> bool:
    expected = sign(e.partner, payload(e))
    return hmac.compare_digest(expected, (signature or e.signature or "").strip().lower())

def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"ENT-{raw[:4]}-{raw[4:8]}-{raw[8:]}"

def purchase(bundle: Bundle, member, *, channel, reference: str, paid_at, amount=None, source: str = "notification",
             actor=None) -> tuple[Entitlement, bool]:
    """Pay the bundle's months for ``member`` (an ordinary payment) and issue its signed entitlement.

    ``amount`` is the contribution part only (the partner's own price is the partner's business); when given it
    must equal the months' contribution (422). Idempotent on the channel's reference: the same purchase again
    returns the same entitlement; the reference of an ordinary payment cannot be turned into a bundle (409).
    """
    if not bundle.active or not bundle.partner.active:
        raise Conflict(f"Paket {bundle.name} sudah tidak dijual.")
    with transaction.atomic():
        expected = contribution_for(bundle, member) if amount is None else int(amount)
        payment, created = post_payment(member=member, months=bundle.months, amount=expected, channel=channel,
                                        reference=reference, paid_at=paid_at, source=source, actor=actor)
        existing = Entitlement.objects.filter(payment=payment).select_related("partner", "bundle", "member").first()
        if existing is not None:
            if existing.bundle_id != bundle.pk:
                raise Conflict(f"Referensi {reference} sudah dipakai untuk paket lain.",
                               {"reference": "Sudah dipakai untuk paket lain."})
            return existing, False
        if not created:
            raise Conflict(f"Referensi {reference} sudah dipakai untuk pembayaran iuran biasa.",
                           {"reference": "Sudah dipakai untuk pembayaran biasa."})
        e = Entitlement(partner=bundle.partner, bundle=bundle, member=member, payment=payment,
                        contribution=payment.amount, months=payment.months, valid_from=payment.first_month,
                        valid_until=payment.last_month, issued_at=timezone.now().replace(microsecond=0))
        for _ in range(5):
            e.code = _new_code()
            e.signature = sign(bundle.partner, payload(e))
            try:
                with transaction.atomic():
                    e.save()
                break
            except IntegrityError:
                if Entitlement.objects.filter(payment=payment).exists():
                    raise Conflict("Pembayaran ini baru saja menerbitkan hak manfaat; kirim ulang permintaan.")
                continue
        audit.record(actor, "partner.entitlement.issue", e, note=f"{bundle.partner.code}/{bundle.product_code} "
                                                                  f"{member.kpj} {rupiah(payment.amount)}")
    return e, True

def get_for_partner(partner: Partner, code: str) -> Entitlement:
    """An entitlement of this partner; another partner's (or an unknown) code answers 404."""
    e = (Entitlement.objects.select_related("partner", "bundle", "member")
         .filter(partner=partner, code=str(code or "").strip().upper()).first())
    if e is None:
        raise NotFound(f"Hak manfaat {code} tidak ditemukan untuk mitra {partner.code}.")
    return e

def verify(e: Entitlement, signature: str | None = None, on=None) -> dict:
    """The partner's check: a valid signature and not revoked."""

    today = on or timezone.localdate()
    in_period = e.valid_from <= today < add_months(e.valid_until, 1)
    sig_ok = signature_valid(e, signature)
    # the partner's own benefit runs on its own terms; ``in_period`` only says whether today lies in the
    # contribution months the bundle paid
    return {"code": e.code, "valid": sig_ok and e.status == EntitlementStatus.ACTIVE,
            "signature_valid": sig_ok, "status": e.status, "in_period": in_period}

@transaction.atomic
def revoke(e: Entitlement, *, reason: str, actor=None, partner: Partner | None = None) -> Entitlement:
    """Revoke (by the partner itself or by a manager); revoking twice is a no-op. The contribution stays paid."""
    e = Entitlement.objects.select_for_update().select_related("partner", "bundle", "member").get(pk=e.pk)
    if partner is None and role_of(actor) not in ADMINS:
        raise Forbidden("Hanya mitra pemilik atau manajer yang dapat mencabut hak manfaat.")
    if partner is not None and partner.pk != e.partner_id:
        raise NotFound(f"Hak manfaat {e.code} tidak ditemukan untuk mitra {partner.code}.")
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise DomainError("Tulis alasan pencabutan.", {"reason": "Isi alasan."})
    if e.status == EntitlementStatus.REVOKED:
        return e
    e.status = EntitlementStatus.REVOKED
    e.revoked_at = timezone.now()
    e.revoked_reason = reason[:200]
    e.save(update_fields=["status", "revoked_at", "revoked_reason"])
    audit.record(actor, "partner.entitlement.revoke", e, note=f"{partner.code if partner else ''} {reason}".strip())
    return e

def qr_svg(e: Entitlement, scale: int = 4) -> str:
    """Inline SVG markup of the entitlement's QR (its fields and signature)."""
    return segno.make(qr_text(e), error="m").svg_inline(scale=scale, dark="#111", light="#fff")
