"""JHT returns at the published rates (2017 7.82%, 2018 6.26%, 2019 6.08%, 2020 5.59%, 2025 5.51%), years
without a published figure marked as assumptions (perkiraan), and the declared rate entered later: the
difference is posted once through the savings entries, compounding into the later years."""

from datetime import date

import pytest
from django.test import Client

from jaring.claims.tests.factories import make_bills, make_member
from jaring.core.models import AuditEvent
from jaring.rules.errors import RuleError
from jaring.savings import rates, selectors, services
from jaring.savings.models import Account, Entry, ReturnRate

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


def assert_invariant(account):
    account.refresh_from_db()
    totals = selectors.ledger_totals(account)
    assert (account.contributions, account.returns, account.withdrawals, account.balance) == (
        totals["contributions"], totals["returns"], totals["withdrawals"], totals["balance"])


def test_shipped_rates_are_the_published_figures_with_sources():
    got = {r.year: (r.rate_bp, r.confidence) for r in ReturnRate.objects.all()}
    assert got[2016] == (719, "H") and got[2017] == (782, "M") and got[2018] == (626, "M")
    assert got[2019] == (608, "M") and got[2020] == (559, "M") and got[2025] == (551, "M")
    for year in (2021, 2022, 2023, 2024):
        assert got[year][1] == "A"  # no declared figure found: an assumption, shown as "perkiraan"
    assert "Pasardana" in ReturnRate.objects.get(year=2016).source
    assert all(r.source for r in ReturnRate.objects.all())


def test_statement_2017_to_2020_at_the_published_rates():
    m = make_member(first_month=date(2017, 1, 1))
    make_bills(m, date(2017, 1, 1), date(2020, 12, 1))  # Rp20,000 JHT a month
    amounts = [services.credit_returns(y, today=TODAY)["amount"] for y in (2017, 2018, 2019, 2020)]
    # 2017: 20,000 × 66 / 12 × 7.82% = 8,602
    # 2018: (248,602 × 12 + 1,320,000) × 6.26% / 12 = 22,448.1 → 22,448
    # 2019: (511,050 × 12 + 1,320,000) × 6.08% / 12 = 37,759.8 → 37,760
    # 2020: (788,810 × 12 + 1,320,000) × 5.59% / 12 = 50,243
    assert amounts == [8_602, 22_448, 37_760, 50_243]
    acc = Account.objects.get(member=m)
    assert acc.balance == 1_079_053 and acc.returns == 119_053
    st = selectors.statement(acc, 2019)
    assert (st["opening"], st["returns"], st["closing"]) == (511_050, 37_760, 788_810)
    assert st["rate_bp"] == 608 and st["rate_is_assumption"] is False and "6.08%" in st["rate_source"]
    assert selectors.statement(acc, 2021)["rate_is_assumption"] is True


def test_statement_page_and_pdf_mark_an_assumed_rate_as_perkiraan(make_user):
    user = make_user("siti", "worker", None)
    m = make_member(first_month=date(2020, 1, 1), user=user)
    make_bills(m, date(2020, 1, 1), date(2021, 12, 1))
    services.credit_returns(2020, today=TODAY)
    services.credit_returns(2021, today=TODAY)
    c = Client()
    c.force_login(user)
    html = c.get(f"/savings/peserta/{m.kpj}/laporan/2021").content.decode()
    assert "5,59%" in html and 'data-testid="rate-estimate"' in html and "perkiraan" in html
    html = c.get(f"/savings/peserta/{m.kpj}/laporan/2020").content.decode()
    assert "5,59%" in html and 'data-testid="rate-estimate"' not in html and "Sumber tarif" in html
    pdf = c.get(f"/savings/peserta/{m.kpj}/laporan/2021.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    balance = c.get(f"/savings/peserta/{m.kpj}").content.decode()
    assert balance.count('data-testid="rate-estimate"') == 1  # 2021 only


def test_declared_rate_posts_the_difference_once_and_compounds_into_later_years():
    m = make_member(first_month=date(2021, 1, 1))
    make_bills(m, date(2021, 1, 1), date(2023, 12, 1))
    for y in (2021, 2022, 2023):
        services.credit_returns(y, today=TODAY)
    acc = Account.objects.get(member=m)
    assert acc.balance == 780_496  # 5.59% assumed for each year
    rates.set_declared_rate(2022, 600, "Pengumuman BPJS Ketenagakerjaan (uji)", confidence="M")
    out = services.recompute_changed_rates()
    # 2022 at 6.00%: (246,149 × 12 + 1,320,000) × 6% / 12 = 21,368.9 → 21,369 (was 19,909): +1,460
    # 2023 compounds on the grown balance: (507,518 × 12 + 1,320,000) × 5.59% / 12 = 34,519 (was 34,438): +81
    assert [(y["year"], y["accounts_adjusted"], y["amount"]) for y in out["years"]] == [
        (2022, 1, 1_460), (2023, 1, 81)]
    acc.refresh_from_db()
    assert acc.balance == 782_037 and acc.returns == 62_037
    assert_invariant(acc)
    assert selectors.statement(acc, 2022)["returns"] == 21_369
    assert selectors.statement(acc, 2022)["rate_is_assumption"] is False
    # never twice: the job, the command and credit_returns all find nothing more to post
    assert services.recompute_changed_rates()["accounts_adjusted"] == 0
    assert services.recompute_returns(2021)["accounts_adjusted"] == 0
    again = services.credit_returns(2022, today=TODAY)
    assert again["accounts_credited"] == 0 and again["amount"] == 0
    assert Entry.objects.filter(kind="return_adjustment").count() == 2
    assert AuditEvent.objects.filter(action="savings.rate_set", object_id="2022").exists()
    # the journal moved the same +1,541 from the returns expense into the JHT fund, once
    from jaring.ledger.selectors import net_by_account

    net = net_by_account(kind="jht_return_adjustment")
    assert (net["2400"], net["5400"]) == (-1_541, 1_541)


def test_a_lower_declared_rate_posts_a_negative_difference():
    m = make_member(first_month=date(2021, 1, 1))
    make_bills(m, date(2021, 1, 1), date(2023, 12, 1))
    for y in (2021, 2022, 2023):
        services.credit_returns(y, today=TODAY)
    rates.set_declared_rate(2022, 500, "Pengumuman BPJS Ketenagakerjaan (uji)")
    services.recompute_changed_rates()
    acc = Account.objects.get(member=m)
    # 2022 at 5.00%: 17,807 (−2,102); 2023: 34,320 (−118)
    assert acc.balance == 778_276
    assert sorted(Entry.objects.filter(kind="return_adjustment").values_list("amount", flat=True)) == [-2_102, -118]
    assert_invariant(acc)
    from jaring.ledger.selectors import net_by_account

    net = net_by_account(kind="jht_return_adjustment")
    assert (net["2400"], net["5400"]) == (2_220, -2_220)


def test_the_worker_job_recomputes_after_an_admin_changes_the_rate():
    from jaring.savings.jobs import changed_rate, recompute_returns_job

    m = make_member(first_month=date(2021, 1, 1))
    make_bills(m, date(2021, 1, 1), date(2021, 12, 1))
    services.credit_returns(2021, today=TODAY)
    assert changed_rate(None) is None
    ReturnRate.objects.filter(year=2021).update(rate_bp=600, confidence="M")  # e.g. through the Django admin
    assert changed_rate(None) == "2021:559->600"
    assert recompute_returns_job("2021:559->600")["amount"] == 6_600 - 6_149  # 20,000 × 66/12 × 6% = 6,600
    assert changed_rate(None) is None
    assert Account.objects.get(member=m).balance == 246_600


def test_admin_page_enters_the_declared_rate(make_user):
    m = make_member(first_month=date(2021, 1, 1))
    make_bills(m, date(2021, 1, 1), date(2021, 12, 1))
    services.credit_returns(2021, today=TODAY)
    admin = make_user("admin1", "admin", None)
    c = Client()
    c.force_login(admin)
    page = c.get("/savings/tarif").content.decode()
    assert "7,82%" in page and "perkiraan" in page
    r = c.post("/savings/tarif", {"year": "2021", "rate": "abc", "source": "Laporan tahunan 2021"})
    assert r.status_code == 422 and "5,51" in r.content.decode()
    r = c.post("/savings/tarif", {"year": "2021", "rate": "6,00", "source": "x"})
    assert r.status_code == 422 and "sumber" in r.content.decode().lower()
    r = c.post("/savings/tarif", {"year": "2021", "rate": "6,00", "confidence": "M",
                                  "source": "Laporan tahunan BPJS Ketenagakerjaan 2021 (uji)"}, follow=True)
    assert r.status_code == 200 and "Rp451" in r.content.decode()
    assert Account.objects.get(member=m).balance == 246_600
    worker = make_user("budi", "worker", None)
    c.force_login(worker)
    assert c.get("/savings/tarif").status_code == 403


def test_percent_parsing():
    assert rates.parse_percent("5,51") == 551 and rates.parse_percent("5.51%") == 551
    with pytest.raises(RuleError):
        rates.parse_percent("5,515")
    with pytest.raises(RuleError):
        rates.parse_percent("0")


def test_simulation_marks_the_default_rate_as_perkiraan(client):
    r = client.post("/api/v1/benefits/estimate", {"program": "JHT", "balance": 0, "monthly_contribution": 20_000,
                                                  "years": 3}, content_type="application/json")
    body = r.json()
    # 2026 is not over: 5.51% (2025 declared, carried forward) as an assumption
    assert body["annual_rate_bp"] == 551 and body["rate_year"] == 2026 and body["rate_is_assumption"] is True
    assert body["total"] == 779_604 and any("Perkiraan" in n for n in body["notes"])
    assert any("perkiraan" in n for n in body["notes"])
    r = client.post("/api/v1/benefits/estimate", {"program": "JHT", "balance": 0, "monthly_contribution": 20_000,
                                                  "years": 3, "annual_rate": 5.59}, content_type="application/json")
    assert r.json()["total"] == 780_496


def test_statement_api_and_simulation_page_say_perkiraan(make_user, api_client):
    user = make_user("siti", "worker", None)
    m = make_member(first_month=date(2020, 1, 1), user=user)
    make_bills(m, date(2020, 1, 1), date(2021, 12, 1))
    services.credit_returns(2020, today=TODAY)
    services.credit_returns(2021, today=TODAY)
    c = api_client(user)
    st = c.get(f"/api/v1/members/{m.kpj}/jht/statement", {"year": 2021}).json()
    assert st["rate_bp"] == 559 and st["rate_is_assumption"] is True
    st = c.get(f"/api/v1/members/{m.kpj}/jht/statement", {"year": 2020}).json()
    assert st["rate_is_assumption"] is False and "5.59%" in st["rate_source"]
    html = Client().get("/claims/simulasi", {"scenario": "jht"}).content.decode()
    assert "Perkiraan" in html and "5,51%" in html


def test_cli_set_rate_prints_the_difference(capsys):
    import json

    from jaring.cli import main

    m = make_member(first_month=date(2021, 1, 1))
    make_bills(m, date(2021, 1, 1), date(2021, 12, 1))
    services.credit_returns(2021, today=TODAY)
    try:
        main(["savings", "set-rate", "--year", "2021", "--rate", "6.00", "--source", "Laporan tahunan 2021 (uji)"])
    except SystemExit as e:
        assert e.code in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["rate_bp"] == 600 and out["accounts_adjusted"] == 1 and out["amount"] == 451


def test_upgrade_corrects_the_old_placeholders_and_the_job_posts_the_difference():
    """An existing database credited 2017 at the old placeholder 6.50%: the data migration puts the published
    7.82% in and the recompute posts the difference; an admin's own figure would be kept."""
    import importlib

    from django.apps import apps

    m = make_member(first_month=date(2017, 1, 1))
    make_bills(m, date(2017, 1, 1), date(2017, 12, 1))
    ReturnRate.objects.filter(year=2017).update(rate_bp=650, confidence="A", source="placeholder")
    ReturnRate.objects.filter(year=2018).update(rate_bp=640, confidence="M", source="an admin's figure")
    services.credit_returns(2017, today=TODAY)
    assert Account.objects.get(member=m).returns == 7_150  # 110,000 × 6.50%
    ReturnRate.objects.filter(year=2017).update(applied_rate_bp=None)  # as before the upgrade
    migration = importlib.import_module("jaring.savings.migrations.0005_correct_published_rates")
    migration.forward(apps, None)
    assert ReturnRate.objects.get(year=2017).rate_bp == 782 and ReturnRate.objects.get(year=2018).rate_bp == 640
    assert services.recompute_changed_rates()["amount"] == 8_602 - 7_150
    assert Account.objects.get(member=m).balance == 248_602


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(__import__("django.db").db.connection.vendor != "postgresql",
                    reason="needs concurrent transactions (PostgreSQL)")
def test_two_concurrent_recomputes_post_the_difference_once():
    import threading

    m = make_member(first_month=date(2021, 1, 1))
    make_bills(m, date(2021, 1, 1), date(2022, 12, 1))
    services.credit_returns(2021, today=TODAY)
    services.credit_returns(2022, today=TODAY)
    rates.set_declared_rate(2021, 600, "Laporan tahunan 2021 (uji)")
    barrier = threading.Barrier(2)
    results = []

    def run():
        from django.db import connection as conn

        try:
            barrier.wait()
            results.append(services.recompute_changed_rates()["amount"])
        finally:
            conn.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 2021: 6,600 − 6,149 = +451; 2022 compounds on it: (246,600 × 12 + 1,320,000) × 5.59% / 12 − 19,909 = +25
    assert sorted(results) == [0, 476]
    acc = Account.objects.get(member=m)
    assert acc.returns == 6_600 + 19_934
    assert_invariant(acc)
