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


@transaction.atomic
def create_token(username: str, *, actor=None) -> str:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DomainError(f"Pengguna '{username}' tidak ditemukan.", {"username": "Tidak ditemukan."}, status=404)
    token = "jrg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(token), prefix=token[:8])
    audit.record(actor, "token.create", user)
    return token


TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def user_for_token(token: str):
    from django.utils import timezone

    row = (ApiToken.objects.select_related("user", "user__profile")
           .filter(key_hash=hash_token(token), revoked=False, user__is_active=True).first())
    if row is None:
        return None
    now = timezone.now()
    # "last used" to the minute: one write a minute per token, not one per request
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
