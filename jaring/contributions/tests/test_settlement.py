"""Settlement import: mixed rows, duplicates of notifications, rejected rows kept, reconciliation, re-import."""

from datetime import date

import pytest

from jaring.contributions.models import Bill, Payment, SettlementFile, SettlementRow
from jaring.ledger.models import Entry, Line
from jaring.ledger.selectors import income, net_by_account
from jaring.core.errors import DomainError
from jaring.contributions.services import post_payment
from jaring.contributions.settlement import import_settlement

pytestmark = pytest.mark.django_db


def csv_bytes(rows):
    lines = ["reference,customer,amount,months,paid_at"] + [",".join(str(x) for x in r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def setup(make_member, channel):
    a = make_member(first_month=date(2026, 4, 1))                     # other sector: Rp8,400 a month
    b = make_member(first_month=date(2026, 3, 1), sector="transport")  # transport: Rp8,400 from Jan 2026
    c = make_member(first_month=date(2026, 1, 1), status="inactive")
    d = make_member(first_month=date(2026, 10, 1), jht=True)           # 28,400 x3 discounted + 36,800 x3
    # a notification posted A's first month earlier in the day
    post_payment(member=a, months=1, amount=8400, channel=channel, reference="N-1", paid_at="2026-04-05T08:00",
                 source="notification")
    e = make_member(first_month=date(2026, 4, 1))
    post_payment(member=e, months=1, amount=8400, channel=channel, reference="N-2", paid_at="2026-04-05T08:00",
                 source="notification")
    return a, b, c, d, e


def rows_for(a, b, c, d, e):
    return [
        ("N-1", a.nik, 8400, 1, "2026-04-05T08:00:00+07:00"),      # duplicate of the notification
        ("S-1", a.nik, 16800, 2, "2026-04-06T10:00:00+07:00"),     # May + June: posted
        ("S-2", b.kpj, 8400, 1, "2026-04-06T10:01:00+07:00"),      # KPJ as customer: posted (March)
        ("S-3", b.nik, 8400, 1, "2026-04-06T10:02:00+07:00"),      # same member, next month (April): posted
        ("S-4", "6371041505909999", 8400, 1, "2026-04-06T10:03:00"),  # unknown NIK: rejected
        ("S-5", c.nik, 16800, 1, "2026-04-06T10:04:00"),            # inactive: continuation costs 8,400: rejected
        ("S-6", a.nik, 9000, 1, "2026-04-06T10:05:00"),             # wrong amount: rejected
        ("S-7", a.nik, 8400, 1, "kemarin"),                         # bad date: rejected
        ("S-2", b.nik, 8400, 1, "2026-04-06T10:06:00"),             # reference repeated in file: rejected
        ("N-2", e.nik, 16800, 2, "2026-04-05T08:00:00"),            # notification reference, other content
        ("S-8", d.nik, 3 * 28400 + 3 * 36800, 6, "2026-10-02T09:00:00+07:00"),  # across end of discount window
    ]


def test_mixed_rows_reconcile_and_reimport_posts_nothing(setup, channel):
    a, b, c, d, e = setup
    data = csv_bytes(rows_for(a, b, c, d, e))
    out = import_settlement(data, "BANKUJI", filename="bankuji-20260406.csv")
    assert (out["rows"], out["posted"], out["duplicates"], out["rejected"]) == (11, 4, 1, 6)
    assert out["amount_posted"] == 16800 + 8400 + 8400 + 195600
    assert out["amount_posted"] + out["amount_duplicates"] + out["amount_rejected"] == out["amount_rows"]
    f = SettlementFile.objects.get(pk=out["file_id"])
    assert f.reconciled and f.rejected == 6
    reasons = dict(SettlementRow.objects.filter(file=f).values_list("line", "reason"))
    assert "Tidak ada peserta" in reasons[6]
    assert "Rp8.400" in reasons[7]  # a non-active member continues from April (SPEC 2.3), at April's price
    assert "seharusnya 8400" in reasons[8]
    assert "ISO 8601" in reasons[9]
    assert "Referensi ganda" in reasons[10] and "baris 4" in reasons[10]
    assert "isi berbeda" in reasons[11]
    # months credited in order, amounts from the schedule
    assert list(Bill.objects.filter(member=a, status="paid").values_list("month", flat=True).order_by("month")) == [
        date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]
    assert list(Bill.objects.filter(member=b, status="paid").values_list("month", flat=True).order_by("month")) == [
        date(2026, 3, 1), date(2026, 4, 1)]
    d_bills = list(Bill.objects.filter(member=d).order_by("month").values_list("month", "amount", "jht", "discount"))
    assert d_bills[2] == (date(2026, 12, 1), 28400, 20000, 8400) and d_bills[3] == (date(2027, 1, 1), 36800, 20000, 0)
    # every posted payment carries the channel's fee (Rp1,500), booked apart from contribution income
    posted = Payment.objects.filter(settlement_file=f, source="settlement")
    # the notification the file confirms is settled too (no longer reversible); N-2's other content is not
    assert list(Payment.objects.filter(settlement_file=f, source="notification").values_list("reference", flat=True)) == [
        "N-1"]
    assert posted.count() == 4 and all(p.fee == 1500 for p in posted)
    net = net_by_account(f)  # the file is one journal entry: income = posted amounts, fees 4 x Rp1,500 apart
    assert income(net) == out["amount_posted"] == sum(p.amount for p in posted) and net["2100"] == -6000
    assert net["1100-BANKUJI"] == out["amount_posted"] + 6000

    payments, bills, ledger = Payment.objects.count(), Bill.objects.count(), Line.objects.count()
    again = import_settlement(data, "BANKUJI", filename="bankuji-20260406.csv")
    assert (again["rows"], again["posted"], again["duplicates"], again["rejected"]) == (11, 0, 5, 6)
    assert again["amount_posted"] == 0
    assert (Payment.objects.count(), Bill.objects.count(), Line.objects.count()) == (payments, bills, ledger)


def test_crash_half_way_leaves_no_partial_posting(setup, channel, monkeypatch):
    a, b, c, d, e = setup
    import jaring.contributions.settlement as st

    def boom(*args, **kw):
        raise RuntimeError("listrik padam")
    monkeypatch.setattr(st, "_counts", boom)  # after payments and bills were inserted
    before = (Payment.objects.count(), Bill.objects.count(), Line.objects.count())
    with pytest.raises(RuntimeError):
        import_settlement(csv_bytes(rows_for(a, b, c, d, e)), "BANKUJI")
    assert (Payment.objects.count(), Bill.objects.count(), Line.objects.count()) == before
    assert SettlementFile.objects.count() == 0


def test_cli_import_prints_contract_fields(setup, channel, cli, tmp_path):
    a, b, c, d, e = setup
    path = tmp_path / "s.csv"
    path.write_bytes(csv_bytes([("S-9", a.nik, 8400, 1, "2026-04-07T10:00:00+07:00")]))
    code, out, err = cli("payments", "import", str(path), "--channel", "BANKUJI")
    assert code == 0
    assert {k: out[k] for k in ("rows", "posted", "duplicates", "rejected", "amount_posted")} == {
        "rows": 1, "posted": 1, "duplicates": 0, "rejected": 0, "amount_posted": 8400}
    code, out, err = cli("payments", "import", str(path), "--channel", "NOPE")
    assert code == 2 and "tidak dikenal" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("ref,nik\n1,2\n")
    code, out, err = cli("payments", "import", str(bad), "--channel", "BANKUJI")
    assert code == 2 and "reference" in err


def test_sql_prices_equal_python_quotes(make_member, channel):
    """The set-based price expressions agree with rules.contributions.quote for odd incomes (half-up rounding)."""
    from jaring.contributions.services import cost_of_months

    rows = []
    members = []
    for i, income in enumerate([1_000_000, 1_234_567, 2_500_050, 20_700_000, 3_333_333]):
        for sector in ("transport", "other"):
            for funding, jht in (("self", True), ("apbd", False)):
                m = make_member(income=income, sector=sector, funding=funding, jht=jht, first_month=date(2026, 11, 1))
                cost = sum(a for _, a in cost_of_months(m, 6))
                rows.append((f"Q-{m.pk}", m.nik, cost, 6, "2026-11-02T10:00:00+07:00"))
                members.append(m)
    out = import_settlement(csv_bytes(rows), "BANKUJI")
    assert out["posted"] == len(rows) and out["rejected"] == 0


def test_settlement_pays_bills_already_billed(make_member, channel):
    from jaring.contributions.billing import run_billing

    m = make_member(first_month=date(2026, 2, 1))
    run_billing("2026-02")
    run_billing("2026-03")
    assert Bill.objects.filter(member=m, status="due").count() == 2
    # Feb + Mar (full price, before the other-sector window) + Apr (discounted): 16,800 + 16,800 + 8,400
    out = import_settlement(csv_bytes([("B-1", m.nik, 42000, 3, "2026-04-02T10:00:00+07:00")]), channel)
    assert out["posted"] == 1
    p = Payment.objects.get(reference="B-1")
    assert list(Bill.objects.filter(member=m).order_by("month").values_list("month", "status", "payment_id")) == [
        (date(2026, 2, 1), "paid", p.pk), (date(2026, 3, 1), "paid", p.pk), (date(2026, 4, 1), "paid", p.pk)]


def test_each_file_continues_after_the_last_paid_month(make_member, channel):
    """The first month of a row is the month after the member's last paid bill, whoever paid it - a
    notification or an earlier file - and the coverage refresh agrees with what was posted."""
    from jaring.contributions.billing import refresh_coverage
    from jaring.contributions.models import MemberCoverage

    a = make_member(first_month=date(2026, 4, 1))
    b = make_member(first_month=date(2026, 4, 1))  # two months behind at the refresh: arrears, still payable
    post_payment(member=a, months=2, amount=16800, channel=channel, reference="N-10", paid_at="2026-04-05T08:00",
                 source="notification")
    refresh_coverage("2026-05-20")
    post_payment(member=a, months=1, amount=8400, channel=channel, reference="N-11", paid_at="2026-05-21T08:00",
                 source="notification")
    # the file: A pays July + August, B pays April-June (all discounted: Rp8,400 a month)
    out = import_settlement(csv_bytes([("F-1", a.nik, 16800, 2, "2026-05-22T10:00:00+07:00"),
                                       ("F-2", b.nik, 3 * 8400, 3, "2026-05-22T10:00:00+07:00")]), channel)
    assert (out["posted"], out["rejected"], out["amount_posted"]) == (2, 0, 16800 + 25200)
    assert Payment.objects.get(reference="F-1").first_month == date(2026, 7, 1)
    assert Payment.objects.get(reference="F-2").first_month == date(2026, 4, 1)
    # the next file continues from there: A's September, B's July
    out = import_settlement(csv_bytes([("F-3", a.nik, 8400, 1, "2026-05-23T10:00:00+07:00"),
                                       ("F-4", b.nik, 8400, 1, "2026-05-23T10:00:00+07:00")]), channel)
    assert out["posted"] == 2
    assert Payment.objects.get(reference="F-3").first_month == date(2026, 9, 1)
    assert Payment.objects.get(reference="F-4").first_month == date(2026, 7, 1)
    refresh_coverage("2026-05-24")
    assert MemberCoverage.objects.get(member=a).paid_through == date(2026, 9, 1)
    assert MemberCoverage.objects.get(member=b).paid_through == date(2026, 7, 1)


def test_a_month_paid_meanwhile_cancels_the_whole_file(make_member, channel, monkeypatch):
    """A notification that pays a member's month after the file was classified (a concurrent request):
    the bill upsert credits fewer months than the rows carry, nothing is posted, the file can be re-run."""
    import jaring.contributions.settlement as st

    a = make_member(first_month=date(2026, 4, 1))
    b = make_member(first_month=date(2026, 4, 1))
    rows = [("G-1", b.nik, 8400, 1, "2026-04-12T10:00:00+07:00"), ("G-2", a.nik, 8400, 1, "2026-04-12T10:00:00+07:00")]
    classify = st._classify

    def classify_then_a_notification_lands(cur, ch):
        bounds = classify(cur, ch)
        post_payment(member=a, months=1, amount=8400, channel=channel, reference="N-20",
                     paid_at="2026-04-12T09:59", source="notification")
        return bounds
    monkeypatch.setattr(st, "_classify", classify_then_a_notification_lands)
    before = (Payment.objects.count(), Bill.objects.count(), Line.objects.count())
    with pytest.raises(DomainError, match="Jalankan impor sekali lagi"):
        import_settlement(csv_bytes(rows), channel)
    assert (Payment.objects.count(), Bill.objects.count(), Line.objects.count()) == before
    assert SettlementFile.objects.count() == 0
    monkeypatch.setattr(st, "_classify", classify)
    post_payment(member=a, months=1, amount=8400, channel=channel, reference="N-20", paid_at="2026-04-12T09:59",
                 source="notification")
    out = import_settlement(csv_bytes(rows), channel)  # run again: A's row now pays May
    assert (out["posted"], out["amount_posted"]) == (2, 16800)
    assert Payment.objects.get(reference="G-2").first_month == date(2026, 5, 1)


def test_several_rows_of_one_member_are_credited_in_line_order(make_member, channel):
    a = make_member(first_month=date(2026, 2, 1), funding="apbd")  # APBD: no discount, Rp16,800 a month
    rows = [("H-1", a.nik, 16800, 1, "2026-02-01T10:00:00+07:00"),
            ("H-2", a.nik, 33600, 2, "2026-02-01T11:00:00+07:00"),
            ("H-3", a.nik, 16801, 1, "2026-02-01T12:00:00+07:00"),   # wrong amount: rejected
            ("H-4", a.nik, 16800, 1, "2026-02-01T13:00:00+07:00")]   # after a rejected row: rejected
    out = import_settlement(csv_bytes(rows), channel)
    assert (out["posted"], out["rejected"], out["amount_posted"], out["amount_rejected"]) == (2, 2, 50400, 33601)
    assert [(p.reference, p.first_month, p.months) for p in Payment.objects.order_by("first_month")] == [
        ("H-1", date(2026, 2, 1), 1), ("H-2", date(2026, 3, 1), 2)]
    reasons = dict(SettlementRow.objects.values_list("reference", "reason"))
    assert reasons["H-3"] == "Nominal 16801 tidak sama dengan iuran 1 bulan: seharusnya 16800."
    assert "Baris sebelumnya" in reasons["H-4"]
    # payment ids are the payments' own: bills point at them; the journal books the file once
    for p in Payment.objects.all():
        assert Bill.objects.filter(payment=p).count() == p.months
    net = net_by_account(kind="settlement")
    assert income(net) == 50400 and net["2100"] == -3000 and Entry.objects.filter(kind="settlement").count() == 1


def test_payments_after_an_import_get_fresh_ids(make_member, channel):
    """The import gives its payments ids up front (sequence on PostgreSQL, above the highest on SQLite);
    payments posted afterwards through the ORM must not collide with them."""
    a = make_member(first_month=date(2026, 4, 1))
    b = make_member(first_month=date(2026, 4, 1))
    out = import_settlement(csv_bytes([("I-1", a.nik, 8400, 1, "2026-04-06T10:00:00+07:00"),
                                       ("I-2", b.nik, 8400, 1, "2026-04-06T10:00:00+07:00")]), channel)
    assert out["posted"] == 2
    imported = set(Payment.objects.filter(settlement_file_id=out["file_id"]).values_list("id", flat=True))
    p, created = post_payment(member=a, months=1, amount=8400, channel=channel, reference="N-30",
                              paid_at="2026-04-07T08:00", source="notification")
    assert created and p.pk > max(imported)
    assert p.first_month == date(2026, 5, 1)
