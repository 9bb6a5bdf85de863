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
    branch = BRANCH.get(".".join(parts[:2]))
    if branch is None:
        from jaring.regions.models import Region

        branch = Region.objects.get(code=".".join(parts[:2])).branch_id
    return Member.objects.create(
        kpj=make_kpj(900000 + n), nik=f"{parts[0]}{parts[1]}{parts[2]}0101{n:06d}"[:16],
        name=name or f"Peserta {n}", birth_date=date(1990, 1, 1), gender="L", phone=phone,
        whatsapp=phone.lstrip("+"), village_id=village, district_code=".".join(parts[:3]),
        regency_code=".".join(parts[:2]), province_code=parts[0], branch_id=branch, occupation=occupation,
        income=1_000_000, status=status, registered_on=registered_on,
        first_month=first_month or registered_on.replace(day=1), **extra)



def pay(member, months, paid_at=None, amount=16_800):
    """Mark ``months`` (dates, first of month) paid by one Payment on channel BRANCH; other bills stay due."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from jaring.contributions.models import Bill, Channel, Payment

    months = sorted(months)
    when = paid_at or timezone.make_aware(datetime.combine(months[0] + timedelta(days=9), datetime.min.time()))
    p = Payment.objects.create(channel=Channel.objects.get(code="BRANCH"), reference=f"T-{member.pk}-{months[0]:%Y%m}",
                               member=member, amount=amount * len(months), fee=0, months=len(months),
                               first_month=months[0], paid_at=when, source="branch")
    for m in months:
        Bill.objects.update_or_create(member=member, month=m, defaults=dict(
            jkk=10_000, jkm=6_800, amount=amount, due_date=m.replace(day=15), status="paid", payment=p))
    return p


def bill(member, month, status="due", amount=16_800, due_date=None):
    from jaring.contributions.models import Bill

    return Bill.objects.update_or_create(member=member, month=month, defaults=dict(
        jkk=10_000, jkm=6_800, amount=amount, due_date=due_date or month.replace(day=15), status=status))[0]
