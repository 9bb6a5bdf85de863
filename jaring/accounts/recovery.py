"""One-time codes to set a password (account recovery, first sign-in of an assisted registration).

The code is 6 digits, valid for ``CODE_MINUTES``; only an HMAC of it (keyed with the secret key) is stored.
Rate limits, per account: at most ``MAX_CODES_PER_HOUR`` codes an hour and one every ``MIN_SECONDS_BETWEEN``
seconds; per client address ``MAX_REQUESTS_PER_IP_HOUR`` codes and ``MAX_LOOKUPS_PER_IP_HOUR`` requests an hour; a code dies after ``MAX_ATTEMPTS``
wrong tries. Delivery is the caller's (the outbox, ``jaring.outreach.access``): this module knows no phones.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaring.core import audit
from jaring.core.errors import DomainError

from .models import RecoveryCode

CODE_DIGITS = 6
CODE_MINUTES = 15
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 3
MIN_SECONDS_BETWEEN = 60
MAX_REQUESTS_PER_IP_HOUR = 10
MAX_LOOKUPS_PER_IP_HOUR = 30


class RateLimited(DomainError):
    pass


def _hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"recovery:{code}".encode(), hashlib.sha256).hexdigest()


def count_request(ip: str) -> None:
    """Every request from an address counts, matched or not (so guessing NIKs is limited too): at most
    ``MAX_LOOKUPS_PER_IP_HOUR`` an hour, counted in the cache (per server process)."""
    from django.core.cache import cache

    if not ip:
        return
    key = f"jaring:recovery:{ip}"
    cache.add(key, 0, timeout=3600)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        n = 1
    if n > MAX_LOOKUPS_PER_IP_HOUR:
        raise RateLimited(_("Terlalu banyak permintaan kode dari perangkat ini. Coba lagi dalam 1 jam."))


def check_ip(ip: str, now=None) -> None:
    """Refuse a client address that asked too often this hour (counted on issued codes)."""
    now = now or timezone.now()
    if ip and RecoveryCode.objects.filter(ip=ip, created_at__gte=now - timedelta(hours=1)).count() >= \
            MAX_REQUESTS_PER_IP_HOUR:
        raise RateLimited(_("Terlalu banyak permintaan kode dari perangkat ini. Coba lagi dalam 1 jam."))


@transaction.atomic
def issue_code(user, *, sent_to: str = "", ip: str = "", now=None) -> tuple[RecoveryCode, str]:
    """A new code for ``user`` (earlier unused codes stop working). Returns the row and the plain code."""
    now = now or timezone.now()
    type(user).objects.select_for_update().filter(pk=user.pk).first()  # one request at a time per account
    check_ip(ip, now)
    recent = RecoveryCode.objects.filter(user=user, created_at__gte=now - timedelta(hours=1))
    if recent.count() >= MAX_CODES_PER_HOUR:
        raise RateLimited(_("Kode sudah dikirim %(n)s kali dalam 1 jam terakhir. Tunggu 1 jam, atau gunakan kode "
                            "terakhir yang Anda terima.") % {"n": MAX_CODES_PER_HOUR})
    if recent.filter(created_at__gte=now - timedelta(seconds=MIN_SECONDS_BETWEEN)).exists():
        raise RateLimited(_("Kode baru saja dikirim. Tunggu 1 menit sebelum meminta lagi."))
    RecoveryCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = "".join(secrets.choice("0123456789") for _i in range(CODE_DIGITS))
    row = RecoveryCode.objects.create(user=user, code_hash=_hash(code), sent_to=sent_to, ip=ip[:45],
                                      expires_at=now + timedelta(minutes=CODE_MINUTES))
    RecoveryCode.objects.filter(pk=row.pk).update(created_at=now)
    audit.record(None, "user.recovery_code", user, note=sent_to[-4:])
    return row, code


def set_password_with_code(user, code: str, password: str, password2: str | None = None, *, now=None):
    """Check the code, then set the password. Wrong tries are counted (and kept: no rollback on refusal);
    the code is spent on success, once (a conditional UPDATE, so two tabs cannot both use it)."""
    from django.db.models import F

    now = now or timezone.now()
    errors = {}
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    row = (RecoveryCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
           .order_by("-created_at").first())
    if row is None or row.attempts >= MAX_ATTEMPTS:
        raise DomainError(_("Kode sudah tidak berlaku. Minta kode baru."), {"code": _("Minta kode baru.")})
    if not hmac.compare_digest(row.code_hash, _hash(code)):
        RecoveryCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        left = MAX_ATTEMPTS - row.attempts - 1
        msg = (_("Kode salah. Sisa %(n)s kali mencoba.") % {"n": left}) if left > 0 else \
            _("Kode salah terlalu sering. Minta kode baru.")
        raise DomainError(msg, {"code": msg})
    if password2 is not None and password != password2:
        errors["password2"] = _("Kedua kata sandi tidak sama.")
    try:
        validate_password(password or "", user)
    except ValidationError as e:
        errors["password"] = " ".join(e.messages)
    if errors:
        raise DomainError(_("Kata sandi belum bisa dipakai."), errors)
    with transaction.atomic():
        if not RecoveryCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
            raise DomainError(_("Kode sudah dipakai. Minta kode baru."), {"code": _("Minta kode baru.")})
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        audit.record(user, "user.password_reset", user)
    return user
