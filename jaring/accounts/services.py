from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jaring.core import audit
from jaring.core.errors import Conflict, DomainError
from jaring.regions.models import BranchOffice, RegionalOffice

from .models import ApiToken, Profile, Role, hash_token

STAFF_ROLES = {Role.OFFICER, Role.MANAGER, Role.ADMIN}


@transaction.atomic
def create_user(username: str, password: str, role: str, office: str | None = None, *, actor=None,
                email: str = "", full_name: str = ""):
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise DomainError("Nama pengguna wajib diisi.", {"username": "Isi nama pengguna."})
    if role not in Role.values:
        raise DomainError(f"Peran '{role}' tidak dikenal; pilih: {', '.join(Role.values)}.",
                          {"role": "Peran tidak dikenal."})
    if User.objects.filter(username=username).exists():
        raise Conflict(f"Nama pengguna '{username}' sudah dipakai.", {"username": "Sudah dipakai."})
    branch = regional = None
    if office:
        branch = BranchOffice.objects.filter(code=office).first()
        regional = None if branch else RegionalOffice.objects.filter(code=office).first()
        if not branch and not regional:
            raise DomainError(f"Kode kantor '{office}' tidak dikenal (contoh: KC-6371 atau KW-KALIMANTAN).",
                              {"office": "Kode kantor tidak dikenal."})
    if role == Role.OFFICER and not office:
        raise DomainError("Petugas cabang harus terikat ke kantor: isi --office dengan kode kantor cabang.",
                          {"office": "Wajib untuk petugas."})
    try:
        validate_password(password)
    except ValidationError as e:
        raise DomainError("Kata sandi terlalu lemah: " + " ".join(e.messages), {"password": " ".join(e.messages)})
    user = User.objects.create_user(username=username, password=password, email=email)
    if full_name:
        user.first_name = full_name[:150]
    user.is_staff = role in (Role.ADMIN,)
    user.is_superuser = role == Role.ADMIN
    user.save()
    Profile.objects.create(user=user, role=role, branch=branch, regional_office=regional)
    audit.record(actor, "user.create", user, changes={"role": [None, role], "office": [None, office or ""]})
    return user


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    if profile is None:
        return Role.ADMIN if user.is_superuser else None
    return profile.role


TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 3650


@transaction.atomic
def create_token(username: str, *, days: int = TOKEN_DAYS_DEFAULT, actor=None) -> str:
    """A new bearer token for ``username`` that stops working after ``days`` days (default 90)."""
    from datetime import timedelta

    from django.utils import timezone

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DomainError(f"Pengguna '{username}' tidak ditemukan.", {"username": "Tidak ditemukan."}, status=404)
    if not user.is_active:
        raise DomainError(f"Pengguna '{username}' nonaktif; aktifkan dulu sebelum membuat token.",
                          {"username": "Pengguna nonaktif."})
    if not isinstance(days, int) or not 1 <= days <= TOKEN_DAYS_MAX:
        raise DomainError(f"--days harus bilangan bulat 1 sampai {TOKEN_DAYS_MAX} (hari masa berlaku token).",
                          {"days": f"1–{TOKEN_DAYS_MAX} hari."})
    token = "jrg_" + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(days=days)
    ApiToken.objects.create(user=user, key_hash=hash_token(token), prefix=token[:8], expires_at=expires)
    audit.record(actor, "token.create", user, changes={"expires_at": [None, expires.isoformat()]})
    return token


TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def revoke_tokens(username: str, *, actor=None) -> int:
    """Revoke every API token of ``username``; returns how many were still usable."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DomainError(f"Pengguna '{username}' tidak ditemukan.", {"username": "Tidak ditemukan."}, status=404)
    count = ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
    audit.record(actor, "token.revoke", user, changes={"revoked": [None, count]})
    return count


def is_locked_out(username: str, request=None) -> bool:
    """django-axes lockout (too many failed logins) for this username, as the login page sees it."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.test import RequestFactory

    request = request if request is not None else RequestFactory().get("/")
    try:
        return AxesProxyHandler.is_locked(request, {"username": username})
    except Exception:  # pragma: no cover - axes misconfigured: fail closed is the login page's job
        return False


def user_for_token(token: str, request=None):
    """The active, not locked-out user of a valid token (not revoked, not expired), else None."""
    from django.db.models import Q
    from django.utils import timezone

    now = timezone.now()
    row = (ApiToken.objects.select_related("user", "user__profile")
           .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
           .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).first())
    if row is None or is_locked_out(row.user.get_username(), request):
        return None
    # "last used" to the minute: one write a minute per token, not one per request
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
