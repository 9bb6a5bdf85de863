"""One money breakdown on every page that shows one: full price per program, the PP 50/2025 discount as its own
line, and a total that adds up (JKK Rp10.000 + JKM Rp6.800 − Rp8.400 = Rp8.400 at Rp1.000.000 a month)."""

import re
from datetime import date

import pytest
from django.utils import timezone

from jaring.insights.tests.helpers import make_member

pytestmark = pytest.mark.django_db

MONTH = "2026-11"  # PP 50/2025 discount (50% of JKK and JKM) applies


def breakdowns(html: str) -> list[dict]:
    """Every rendered breakdown of a page: its program lines, discount and total, as integers."""
    out = []
    for table in re.findall(r"<table[^>]*data-breakdown.*?</table>", html, flags=re.S):
        out.append({"lines": [int(x) for x in re.findall(r'data-amount="(\d+)"', table)],
                    "discount": sum(int(x) for x in re.findall(r'data-discount="(\d+)"', table)),
                    "total": int(re.search(r'data-total="(\d+)"', table).group(1))})
    return out


def assert_adds_up(html: str, expected_lines, discount, total):
    found = breakdowns(html)
    assert found, "the page shows no breakdown"
    for b in found:
        assert sum(b["lines"]) - b["discount"] == b["total"]
    assert found[0] == {"lines": expected_lines, "discount": discount, "total": total}


def test_calculator_shows_full_prices_then_the_discount(client):
    html = client.get(f"/kalkulator/hitung?income=1000000&month={MONTH}").content.decode()
    assert_adds_up(html, [10_000, 6_800], 8_400, 8_400)
    assert "Rp10.000" in html and "−Rp8.400" in html
    html = client.get(f"/?income=1000000&month={MONTH}&jht=1").content.decode()
    assert_adds_up(html, [10_000, 6_800, 20_000], 8_400, 28_400)  # JHT 2% is not discounted


def test_registration_quote_adds_up(client):
    html = client.get("/members/daftar/iuran?income=1000000&occupation=pedagang").content.decode()
    b = breakdowns(html)[0]
    assert sum(b["lines"]) - b["discount"] == b["total"]


def _worker_with_member(make_user, **kw):
    user = make_user("wati_bd", "worker", None)
    m = make_member(name="Wati Susanti", user=user, **kw)
    return user, m


def test_member_pages_and_receipt_add_up(client, make_user):
    from jaring.contributions.models import Channel
    from jaring.contributions.services import cost_of_months, post_payment

    user, m = _worker_with_member(make_user, registered_on=date(2026, 10, 5))
    client.force_login(user)
    html = client.get("/contributions/").content.decode()
    b = breakdowns(html)[0]
    assert sum(b["lines"]) - b["discount"] == b["total"]
    costs = cost_of_months(m, 2)
    p, _status = post_payment(member=m, months=2, amount=sum(a for _, a in costs), channel=Channel.objects.get(code="BRANCH"),
                     reference="BD-1", paid_at=timezone.now(), source="branch")
    html = client.get(f"/contributions/kuitansi/{p.pk}/").content.decode()
    b = breakdowns(html)[0]
    assert sum(b["lines"]) - b["discount"] == b["total"] == p.amount
    # Oct and Nov 2026 under PP 50/2025: full prices shown (2 × 10.000, 2 × 6.800), then the discount
    assert b["lines"] == [20_000, 13_600] and b["discount"] == 16_800 and p.amount == 16_800
    assert client.get(f"/contributions/kuitansi/{p.pk}.pdf").status_code == 200


def test_breakdown_of_bills_recovers_full_prices():
    from types import SimpleNamespace

    from jaring.contributions.money import of_bills

    nov = SimpleNamespace(month=date(2026, 11, 1), jkk=5_000, jkm=3_400, jht=0, discount=8_400, amount=8_400)
    b = of_bills([nov, nov])
    assert b.lines == [("JKK", 20_000), ("JKM", 13_600)] and b.discount == 16_800 and b.total == 16_800
    assert b.adds_up() and b.months == 2
    odd = SimpleNamespace(month=date(2026, 11, 1), jkk=5_000, jkm=3_400, jht=0, discount=1_000, amount=8_400)
    b = of_bills([odd])  # a stored discount the rule cannot explain: one line at full price, still adds up
    assert b.lines == [("JKK + JKM", 9_400)] and b.adds_up()


def test_new_registrant_is_not_overdue_on_day_one(client, make_user):
    """Registered on the 26th: this month's bill (due the 16th) is owed, not "Lewat jatuh tempo"."""
    from jaring.contributions.selectors import bills_between, owed

    today = date(2026, 11, 26)
    user, m = _worker_with_member(make_user, registered_on=today)
    items = owed(m, today)["items"]
    assert [(i["month"], i["status"]) for i in items] == [(date(2026, 11, 1), "due")]
    assert bills_between(m, "2026-11", "2026-11", today=today)[0]["status"] == "due"
    old = make_member(name="Lama", registered_on=date(2026, 10, 1))
    assert owed(old, today)["items"][-1]["status"] == "overdue"  # a member since before the 16th is late


def test_village_search_puts_the_nik_district_first():
    from jaring.regions.selectors import search_villages

    plain = [r.code for r in search_villages("Sungai")]
    near = [r.code for r in search_villages("Sungai", near="63.71.04")]
    assert not plain[0].startswith("63.71.04.")
    assert near[0].startswith("63.71.04.") and set(near[:3]) <= {c for c in near if c.startswith("63.71.04.")}


def test_greeting_uses_the_members_name(client, make_user):
    user, m = _worker_with_member(make_user)
    client.force_login(user)
    assert "Selamat datang, Wati Susanti" in client.get("/beranda").content.decode()
