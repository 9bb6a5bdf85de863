"""Minimal members and bills made directly with the ORM (independent of the registration flow)."""

from __future__ import annotations

import itertools
from datetime import date

from jaring.rules.identifiers import make_kpj
from jaring.rules.periods import add_months, iter_months

_serial = itertools.count(9_000_001)


def make_member(*, name="Siti Aminah", income=1_000_000, jht=True, first_month=date(2024, 1, 1),
                status="active", branch="KC-6371", village="63.71.04.1001", birth_date=date(1985, 3, 12),
                user=None, registered_on=None):
    from jaring.members.models import Member

    serial = next(_serial)
    return Member.objects.create(
        kpj=make_kpj(serial), nik=f"6371045203{serial % 1000000:06d}", name=name, birth_date=birth_date,
        gender="P", phone="+6281234567890", village_id=village, district_code=village[:8],
        regency_code=village[:5], province_code=village[:2], branch_id=branch, occupation="pedagang",
        income=income, jht=jht, status=status, registered_on=registered_on or first_month,
        first_month=first_month, user=user)


def make_bills(member, first: date, last: date, *, paid=True, jht=None):
    """One bill per month from ``first`` to ``last``: JKK 1%, JKM Rp6,800, JHT 2% of the income."""
    from jaring.contributions.models import Bill

    jht_amount = (member.income * 2 // 100 if member.jht else 0) if jht is None else jht
    rows = []
    for m in iter_months(first, last):
        jkk, jkm = member.income // 100, 6_800
        rows.append(Bill(member=member, month=m, jkk=jkk, jkm=jkm, jht=jht_amount, discount=0,
                         amount=jkk + jkm + jht_amount, due_date=m.replace(day=15),
                         status="paid" if paid else "due"))
    Bill.objects.bulk_create(rows)
    return rows


def next_month(d: date) -> date:
    return add_months(d, 1)
