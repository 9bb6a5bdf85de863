"""Rules that also exist as SQL give the same answers as their Python home (STYLE: "a rule has one home").

* coverage: ``billing.coverage_select_sql`` (the nightly refresh) against ``rules.coverage.coverage_on``;
* pricing: the bills ``run_billing`` writes with set-based SQL against ``rules.contributions.quote``.

The JHT return's SQL crediting is compared with ``rules.jht.project`` in savings/tests/test_savings.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jaring.contributions.billing import coverage_select_sql, run_billing
from jaring.contributions.models import Bill
from jaring.contributions.rates import current_schedule
from jaring.rules.billing import due_date
from jaring.rules.contributions import quote
from jaring.rules.coverage import coverage_on
from jaring.rules.periods import add_months, month_index

pytestmark = pytest.mark.django_db

MONTHS = [add_months(date(2025, 1, 1), i) for i in range(24)]  # 2025-01 … 2026-12
STATUSES = ["active", "pending", "inactive", "rejected"]
HYPO = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class Rollback(Exception):
    pass


def _paid_bill(member, month):
    Bill.objects.create(member=member, month=month, jkk=10_000, jkm=6_800, jht=0, discount=0, amount=16_800,
                        due_date=due_date(month), status="paid")


member_spec = st.tuples(st.sampled_from(STATUSES), st.integers(0, 23), st.one_of(st.none(), st.integers(-3, 20)))


@HYPO
@given(specs=st.lists(member_spec, min_size=1, max_size=12), on_day=st.integers(0, 364))
def test_coverage_sql_equals_the_rule(make_member, specs, on_day):
    on = date(2026, 1, 1).fromordinal(date(2026, 1, 1).toordinal() + on_day)
    due = due_date(on.replace(day=1))
    try:
        with transaction.atomic():
            want = {}
            for status, first_i, paid_offset in specs:
                first = MONTHS[first_i]
                m = make_member(status=status, first_month=first)
                paid = None if paid_offset is None else add_months(first, paid_offset)
                if paid is not None:
                    _paid_bill(m, paid)
                c = coverage_on(status, first, paid, on, due)
                want[m.pk] = (c.state, c.paid_through, c.unpaid_months, c.protected)
            with connection.cursor() as cur:
                cur.execute(coverage_select_sql(), [on, month_index(on), on, due])
                got = {}
                for member_id, state, paid_through, unpaid, protected, _as_of in cur.fetchall():
                    if member_id in want:
                        if isinstance(paid_through, str):
                            paid_through = date.fromisoformat(paid_through[:10])
                        got[member_id] = (state, paid_through, int(unpaid), bool(protected))
            assert got == want
            raise Rollback
    except Rollback:
        pass


price_spec = st.tuples(st.sampled_from(["other", "transport"]), st.sampled_from(["self", "sponsor", "apbd"]),
                       st.booleans(), st.integers(0, 10_000))


@HYPO
@given(specs=st.lists(price_spec, min_size=1, max_size=8), month_i=st.integers(12, 23))
def test_billing_sql_prices_equal_the_rule(make_member, specs, month_i):
    month = MONTHS[month_i]
    schedule = current_schedule()
    band = schedule.band(month)
    try:
        with transaction.atomic():
            members = []
            for sector, funding, jht, frac in specs:
                income = band.minimum + (band.maximum - band.minimum) * frac // 10_000
                members.append(make_member(sector=sector, funding=funding, jht=jht, income=income,
                                           first_month=date(2025, 1, 1)))
            run_billing(f"{month:%Y-%m}")
            for m in members:
                b = Bill.objects.get(member=m, month=month)
                q = quote(schedule, m.income, m.programs, month, m.sector, m.funding)
                assert (b.jkk, b.jkm, b.jht, b.discount, b.amount) == (q.jkk, q.jkm, q.jht, q.discount, q.total), \
                    (m.sector, m.funding, m.jht, m.income, f"{month:%Y-%m}")
            raise Rollback
    except Rollback:
        pass
