"""The posting function: balanced or refused, idempotent on its key, reversed once (STYLE "One journal")."""

import pytest
from django.db import connection, transaction

from jaring.ledger import services
from jaring.ledger.models import Entry, Line
from jaring.ledger.selectors import net_by_account, trial_balance
from jaring.ledger.services import LedgerError, cr, dr

pytestmark = pytest.mark.django_db


def test_unbalanced_negative_or_fractional_entries_are_refused():
    with pytest.raises(LedgerError, match="tidak seimbang: debit Rp16.800 dan kredit Rp16.799"):
        services.post("test", [dr("1100-BANKUJI", 16_800), cr("4100", 10_000), cr("4200", 6_799)])
    with pytest.raises(LedgerError, match="negatif"):
        services.post("test", [dr("1000", -5), cr("4100", -5)])
    with pytest.raises(LedgerError, match="bulat"):
        services.post("test", [dr("1000", 1.5), cr("4100", 1.5)])
    with pytest.raises(LedgerError, match="bagan akun"):
        services.post("test", [dr("9999", 5), cr("4100", 5)])
    assert Entry.objects.filter(kind="test").count() == 0


def test_key_makes_posting_idempotent_and_a_reversal_happens_once():
    lines = [dr("1100-BANKUJI", 18_300), cr("4100", 10_000), cr("4200", 6_800), cr("2100", 1_500)]
    e1 = services.post("payment", lines, key="payment:x")
    e2 = services.post("payment", lines, key="payment:x")
    assert e1.pk == e2.pk and Line.objects.filter(entry=e1).count() == 4
    assert net_by_account(kind="payment") == {"1100-BANKUJI": 18_300, "4100": -10_000, "4200": -6_800, "2100": -1_500}
    r1 = services.reverse(e1)
    r2 = services.reverse(e1)
    assert r1.pk == r2.pk and r1.reverses_id == e1.pk
    assert net_by_account(kind="reversal") == {"1100-BANKUJI": -18_300, "4100": 10_000, "4200": 6_800, "2100": 1_500}
    tb = trial_balance()
    assert tb["balanced"] and tb["debits"] == tb["credits"] == 36_600


def test_set_based_posting_checks_the_entry_in_sql():
    e = services.post_sql("bulk", "SELECT '1000' AS code, 500 AS debit, 0 AS credit UNION ALL "
                                  "SELECT '2400', 0, 500", codes=["1000", "2400"])
    assert net_by_account(kind="bulk") == {"1000": 500, "2400": -500} and e.lines.count() == 2
    with pytest.raises(LedgerError, match="tidak seimbang"):
        with transaction.atomic():
            services.post_sql("bulk2", "SELECT '1000' AS code, 500 AS debit, 0 AS credit", codes=["1000"])
    assert not Entry.objects.filter(kind="bulk2").exists()


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_an_unbalanced_entry_even_by_raw_sql():
    """The deferred constraint trigger checks every entry a transaction touched, at commit."""
    if connection.vendor != "postgresql":
        pytest.skip("the balance trigger is PostgreSQL's (SQLite relies on the posting function)")
    from django.db import IntegrityError

    services.ensure_chart()
    e = services.post("payment", [dr("1000", 700), cr("4100", 700)])
    ids = dict(Line.objects.filter(entry=e).values_list("account__code", "account_id"))
    # a raw one-sided line in a new entry: refused when the transaction commits
    with pytest.raises(IntegrityError, match="not balanced"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("INSERT INTO ledger_entry (kind, booked_on, memo, ref_type, created_at) "
                        "VALUES ('raw', CURRENT_DATE, '', '', now()) RETURNING id")
            raw = cur.fetchone()[0]
            cur.execute("INSERT INTO ledger_line (entry_id, account_id, debit, credit) VALUES (%s, %s, 999, 0)",
                        [raw, ids["1000"]])
    assert not Entry.objects.filter(kind="raw").exists()
    # changing one side of a stored entry is refused too
    with pytest.raises(IntegrityError, match="not balanced"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE ledger_line SET debit = 701 WHERE entry_id = %s AND debit > 0", [e.pk])
    # a balanced raw entry written in two statements is accepted (the check waits for the commit)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("INSERT INTO ledger_entry (kind, booked_on, memo, ref_type, created_at) "
                    "VALUES ('raw', CURRENT_DATE, '', '', now()) RETURNING id")
        raw = cur.fetchone()[0]
        cur.execute("INSERT INTO ledger_line (entry_id, account_id, debit, credit) VALUES (%s, %s, 5, 0)",
                    [raw, ids["1000"]])
        cur.execute("INSERT INTO ledger_line (entry_id, account_id, debit, credit) VALUES (%s, %s, 0, 5)",
                    [raw, ids["4100"]])
    assert trial_balance()["balanced"]


def test_reverse_payment_mirrors_a_payment_booked_alone_or_inside_a_settlement_file(member, bank):
    """For the payment reversal service: one call per payment, whichever way it was booked."""
    from jaring.contributions.models import Payment
    from jaring.contributions.services import post_payment
    from jaring.contributions.settlement import import_settlement

    a, b = member(jht=True), member()
    p1, _ = post_payment(member=a, months=1, amount=36_800, channel=bank, reference="N-R1",
                         paid_at="2026-01-03T09:00", source="notification")
    csv = f"reference,customer,amount,months,paid_at\nS-R2,{b.nik},33600,2,2026-01-04T08:00:00+07:00\n".encode()
    import_settlement(csv, bank)
    p2 = Payment.objects.get(reference="S-R2")
    r1 = services.reverse_payment(p1)
    assert r1.reverses.key == f"payment:{p1.pk}" and services.reverse_payment(p1).pk == r1.pk
    assert net_by_account((p1._meta.label_lower, p1.pk)) == {}  # booked and reversed: nets to nothing
    r2 = services.reverse_payment(p2)
    assert services.reverse_payment(p2).pk == r2.pk
    assert net_by_account(p2) == {"1100-BANKUJI": -35_100, "4100": 20_000, "4200": 13_600, "2100": 1_500}
    assert trial_balance()["balanced"]


def test_prepaid_top_up_and_application_tie_to_the_registered_member_balances(member):
    from jaring.ledger import selectors

    m = member()
    services.post_prepaid_topup(m, 50_000, channel_code="BANKUJI", key="topup:1")
    services.post_prepaid_application(m, jkk=10_000, jkm=6_800, jht=0, key="apply:1")
    check = {c["name"]: c for c in trial_balance()["checks"]}["prepaid_equal_member_prepaid_balances"]
    assert (check["ok"], check["difference"]) == (False, 33_200)  # no member balances registered yet
    selectors._PREPAID_SOURCES.append(lambda until: 33_200)
    try:
        check = {c["name"]: c for c in trial_balance()["checks"]}["prepaid_equal_member_prepaid_balances"]
        assert (check["ok"], check["difference"]) == (True, 0)
    finally:
        selectors._PREPAID_SOURCES.pop()
