"""Minimal member rows created directly with the ORM (the insights tests do not depend on the
registration service)."""

from __future__ import annotations

import itertools
from datetime import date

from jaring.rules.identifiers import make_kpj

_serial = itertools.count(1)
BRANCH = {"63.71": "KC-6371", "63.03": "KC-6301", "64.71": "KC-6471", "31.71": "KC-3171"}


def make_member(village="63.71.04.1001", status="active", registered_on=date(2026, 5, 10), first_month=None,
                occupation="pedagang", name=None, phone="+6281234567890", **extra):
    from jaring.members.models import Member

    n = next(_serial)
    parts = village.split(".")
    branch = BRANCH[".".join(parts[:2])]
    return Member.objects.create(
        kpj=make_kpj(900000 + n), nik=f"{parts[0]}{parts[1]}{parts[2]}0101{n:06d}"[:16],
        name=name or f"Peserta {n}", birth_date=date(1990, 1, 1), gender="L", phone=phone,
        whatsapp=phone.lstrip("+"), village_id=village, district_code=".".join(parts[:3]),
        regency_code=".".join(parts[:2]), province_code=parts[0], branch_id=branch, occupation=occupation,
        income=1_000_000, status=status, registered_on=registered_on,
        first_month=first_month or registered_on.replace(day=1), **extra)

