"""The lapse-risk follow-up list ranks members by the transparent score, with reasons, within scope."""

from datetime import date

import pytest

from jaring.insights.tests.helpers import bill, make_member, pay

pytestmark = pytest.mark.django_db
DAY = date(2026, 5, 20)


def test_follow_up_list_ranked_with_reasons(client, make_user):

    from jaring.members.models import Member
    from jaring.outreach.lapse import follow_up_list

    jan = date(2025, 11, 1)
    steady = make_member(name="Rajin", registered_on=jan, first_month=jan)
    pay(steady, [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1),
                 date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)])
    lapsing = make_member(name="Menunggak", registered_on=jan, first_month=jan)
    for m in (date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)):
        pay(lapsing, [m])
    for m in (date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)):
        bill(lapsing, m)
    one = make_member(name="Sebulan", registered_on=jan, first_month=jan)
    pay(one, [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)])
    bill(one, date(2026, 4, 1))
    make_member("31.71.01.1001", name="Jakarta", registered_on=jan, first_month=jan)  # other branch

    rows = follow_up_list(Member.objects.filter(branch_id="KC-6371"), DAY)
    assert [(r["name"], r["score"]) for r in rows] == [("Menunggak", 70), ("Sebulan", 25)]
    assert rows[0]["reasons"] == "3 bulan menunggak (+60); selalu bayar hanya 1 bulan (+10)"

    client.force_login(make_user("kc", "officer", "KC-6371"))
    r = client.get("/outreach/risiko/")
    assert r.status_code == 200 and "Menunggak" in r.content.decode() and "Jakarta" not in r.content.decode()
    assert "3 bulan menunggak" in r.content.decode()
    r = client.get("/outreach/risiko/", {"format": "csv", "band": "tinggi"})
    assert r.content.decode("utf-8-sig").splitlines()[1].split(",")[1] == "Menunggak"
    r = client.get("/outreach/pengingat/")
    assert r.status_code == 200
