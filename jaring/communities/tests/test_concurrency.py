"""The same transfer recorded twice at the same moment (a double tap, a retry over a weak link) posts once."""

import threading

import pytest
from django.db import connection

from .helpers import collective, fill, officer

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")]


def test_one_transfer_recorded_twice_at_once_posts_once():
    from datetime import date

    from jaring.communities import services
    from jaring.communities.models import GroupPayment
    from jaring.contributions.models import Payment

    c = collective(officer())
    members = fill(c, 5)
    barrier = threading.Barrier(2)
    results = []

    def attempt():
        from django.db import connection as conn

        try:
            barrier.wait()
            gp, created = services.record_group_payment(c, reference="TRF-DOUBLE", members=[m.kpj for m in members],
                                                        total=5 * 8_400, month=date(2026, 6, 1), actor=c.treasurer)
            results.append(created)
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert GroupPayment.objects.count() == 1 and GroupPayment.objects.get().total == 42_000
    assert Payment.objects.filter(channel__code="COMMUNITY").count() == 5
