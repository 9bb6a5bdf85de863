"""Every money movement books the journal; the trial balance holds and each control check ties an
account to its records (CONTRACT ``jaring ledger trial-balance``)."""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from jaring.ledger.selectors import is_ok, trial_balance

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _claim_data(**kw):
    data = {"program": "JKM", "case": "death", "cause": "Sakit jantung di rumah", "claimant_name": "Ahmad",
            "claimant_relation": "suami", "claimant_phone": "+628111", "bank_name": "BRI",
            "bank_account": "0123-4567-8901", "account_holder": "Ahmad", "event_date": timezone.localdate().isoformat()}
    data.update(kw)
    return data


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("akta.pdf", PDF, content_type="application/pdf")


def balances():
    return {a["code"]: a["balance"] for a in trial_balance()["accounts"]}


def test_every_movement_books_the_journal_and_all_checks_hold(member, bank, make_user, cli):
    from jaring.agents import services as agents
    from jaring.agents.tests.helpers import make_agent, register
    from jaring.claims import services as claims
    from jaring.claims.tests.factories import make_bills, make_member
    from jaring.contributions.services import post_payment
    from jaring.contributions.settlement import import_settlement
    from jaring.rules.periods import add_months
    from jaring.savings.services import credit_contributions, credit_returns
    from jaring.sponsors import services as sponsors

    today = timezone.localdate()
    # a channel notification: 2 months x Rp16,800 (JKK Rp10,000 + JKM Rp6,800) + the channel's Rp1,500 fee
    a = member()
    post_payment(member=a, months=2, amount=33_600, channel=bank, reference="N-1", paid_at="2026-01-03T09:00",
                 source="notification")
    # the branch counter: 1 month with JHT (Rp20,000): Rp36,800
    b = member(jht=True)
    post_payment(member=b, months=1, amount=36_800, channel="BRANCH", reference="L-1", paid_at="2026-01-03T10:00",
                 source="branch")
    # an agent collects Rp16,800 from a recruit and remits Rp10,000 to the bank
    officer = make_user("petugas", "officer", "KC-6371")
    agent = make_agent(actor=officer)
    c = member()
    agents.attribute_member(c, agent)
    agents.collect(agent, c, 1, amount=16_800, now=timezone.now())
    out = agents.remit(agent, 10_000, reference="SETOR-1", actor=officer)
    assert out["cash_in_hand"] == 6_800
    # a sponsor pays Rp250,000 for an invoice: Rp243,600 credited to two workers, Rp6,400 waits
    from jaring.sponsors.services import create_sponsor

    sponsor = create_sponsor({"kind": "individual", "name": "Ibu Ratna Sari", "branch": "KC-6371",
                              "phone": "081233344455", "username": "sponsor1", "password": "rahasia-sekali-9"})
    siti = register(1, channel="sponsor_import", funding="sponsor")
    budi = register(2, channel="sponsor_import", funding="sponsor", income=2_000_000, programs="JKK,JKM,JHT")
    dewi = register(3, channel="sponsor_import", funding="sponsor", occupation="ojek_online")
    inv = sponsors.create_invoice(sponsor, [budi, dewi, siti], months=12)
    report, _ = sponsors.pay_invoice(inv, amount=250_000, reference="TRF-A")
    assert (report["applied"], report["unapplied"]) == (243_600, 6_400)
    # a settlement file posts one payment of Rp16,800 (fee Rp1,500)
    d = member()
    csv = f"reference,customer,amount,months,paid_at\nS-1,{d.nik},16800,1,2026-01-04T08:00:00+07:00\n".encode()
    assert import_settlement(csv, bank)["posted"] == 1
    # commission: 7.5% of the Rp16,800 the recruit paid this month = Rp1,260, then transferred
    month = today.replace(day=1)
    assert agents.run_commissions(month, today=today)["total"] == 1_260
    assert agents.run_commissions(month, today=today)["total"] == 1_260  # a re-run books nothing more
    assert agents.pay_commissions(month, reference="KOM-1")["paid"] == 1_260
    # JHT: a member who paid all of last year (Rp20,000 a month) is credited, then last year's return
    e = make_member(first_month=date(today.year - 1, 1, 1), birth_date=date(today.year - 60, 1, 1))
    make_bills(e, date(today.year - 1, 1, 1), add_months(today.replace(day=1), 0))
    credited = credit_contributions()
    ret = credit_returns(today.year - 1, today=today)
    # a JKM claim (funeral Rp10,000,000) approved and transferred; a JHT claim at 60 withdraws the balance
    maker = make_user("maker", "officer", "KC-6371")
    f = make_member(first_month=add_months(today.replace(day=1), -1))
    make_bills(f, add_months(today.replace(day=1), -1), today.replace(day=1))
    jkm = claims.file_claim(f, _claim_data(), [("death_certificate", _pdf())], actor=maker)
    assert jkm.amount == 10_000_000
    claims.review(jkm, actor=maker)
    assert balances()["2500"] == -10_000_000  # approved: owed until transferred
    claims.mark_paid(jkm, actor=maker, reference="TRF-JKM-1")
    jht = claims.file_claim(e, _claim_data(program="JHT", case="age", cause="Usia 60 tahun", claimant_relation=""),
                            [("ktp", _pdf())], actor=maker)
    claims.review(jht, actor=maker)
    claims.mark_paid(jht, actor=maker, reference="TRF-JHT-1")
    jht.refresh_from_db()

    bal = balances()
    assert bal["1100-BANKUJI"] == 35_100 + 18_300  # notification + settlement, fees included
    assert bal["1100-BRANCH"] == 36_800
    assert bal["1200"] == 6_800  # agent cash: collected Rp16,800 − remitted Rp10,000
    assert bal["1100-SPONSOR"] == 250_000 and bal["2200"] == -6_400  # sponsor prepayment: paid − applied
    assert bal["2100"] == -3_000  # two Rp1,500 fees, held for the channel
    assert bal["5500"] == 1_260 and bal["2300"] == 0  # commission earned and paid
    assert bal["2500"] == 0 and bal["5200"] == 10_000_000  # the claim was transferred
    # JHT Rp20,000 a month: the branch payer's one month, and E's months from January last year to now
    assert credited["amount"] == 20_000 + (12 + today.month) * 20_000 == bal["5300"]
    assert bal["5400"] == ret["amount"] > 0
    assert jht.amount == (12 + today.month) * 20_000 + ret["amount"]  # E withdrew the whole balance
    assert bal["2400"] == -20_000  # what is left in the fund: the branch payer's Rp20,000
    income = -(bal["4100"] + bal["4200"] + bal["4300"])
    assert income == 33_600 + 36_800 + 16_800 + 243_600 + 16_800
    assert bal["1000"] == 10_000 - 1_260 - 10_000_000 - jht.amount
    tb = trial_balance()
    assert tb["balanced"] and tb["debits"] == tb["credits"]
    assert [c["name"] for c in tb["checks"] if not c["ok"]] == []
    assert {c["name"] for c in tb["checks"]} >= {
        "paid_bills_equal_contribution_income", "sponsor_prepayment_equal_paid_minus_applied",
        "agent_cash_equal_collected_minus_remitted", "commission_payable_equal_earned_minus_paid",
        "jht_fund_equal_member_balances", "prepaid_equal_member_prepaid_balances"}

    code, out, _err = cli("ledger", "trial-balance")
    assert code == 0 and out["balanced"] is True and all(c["ok"] for c in out["checks"])
    assert set(out) == {"date", "debits", "credits", "balanced", "accounts", "checks"}
    assert set(out["accounts"][0]) == {"code", "name", "debit", "credit", "balance"}
    assert set(out["checks"][0]) == {"name", "ok", "difference"}

    # corrupt one line by hand: the JKK income of the first payment moved to the opening account
    with connection.cursor() as cur:
        cur.execute("""UPDATE ledger_line SET account_id = (SELECT id FROM ledger_account WHERE code = '3000')
            WHERE id = (SELECT l.id FROM ledger_line l JOIN ledger_entry e ON e.id = l.entry_id
                        JOIN ledger_account a ON a.id = l.account_id
                        WHERE e.kind = 'payment' AND a.code = '4100' ORDER BY l.id LIMIT 1)""")
    code, out, err = cli("ledger", "trial-balance")
    assert code == 1 and out["balanced"] is True  # still debits = credits, but income no longer ties
    bad = [c for c in out["checks"] if not c["ok"]]
    assert [(c["name"], c["difference"]) for c in bad] == [("paid_bills_equal_contribution_income", -20_000)]
    assert "paid_bills_equal_contribution_income" in err


def test_trial_balance_for_an_earlier_date_leaves_later_postings_out(member, bank, cli):
    from datetime import timedelta

    from jaring.contributions.services import post_payment

    a = member()
    post_payment(member=a, months=1, amount=16_800, channel=bank, reference="N-9", paid_at="2026-01-03T09:00",
                 source="notification")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    code, out, _ = cli("ledger", "trial-balance", "--date", yesterday)
    assert code == 0 and out["date"] == yesterday and out["debits"] == 0 and is_ok(out)
    code, out, _ = cli("ledger", "trial-balance")
    assert code == 0 and out["debits"] == 18_300
    code, out, err = cli("ledger", "trial-balance", "--date", "31-12-2026")
    assert code == 2 and "TTTT-BB-HH" in err


def test_a_changed_amount_is_named_too(member, bank, cli):
    """Changing one line's amount breaks debits = credits (on PostgreSQL the trigger would refuse it at
    commit; inside this test's transaction it is visible) and the income check."""
    from jaring.contributions.services import post_payment

    post_payment(member=member(), months=1, amount=16_800, channel=bank, reference="N-10",
                 paid_at="2026-01-03T09:00", source="notification")
    with connection.cursor() as cur:
        cur.execute("""UPDATE ledger_line SET credit = credit + 1 WHERE account_id =
                       (SELECT id FROM ledger_account WHERE code = '4200')""")
    code, out, err = cli("ledger", "trial-balance")
    assert code == 1 and out["balanced"] is False and (out["debits"], out["credits"]) == (18_300, 18_301)
    assert [(c["name"], c["difference"]) for c in out["checks"] if not c["ok"]] == [
        ("debits_equal_credits", -1), ("paid_bills_equal_contribution_income", 1)]
    assert "debits_equal_credits" in err
    with connection.cursor() as cur:  # put it back: at teardown PostgreSQL's deferred trigger checks it
        cur.execute("""UPDATE ledger_line SET credit = credit - 1 WHERE account_id =
                       (SELECT id FROM ledger_account WHERE code = '4200')""")
    assert cli("ledger", "trial-balance")[0] == 0
