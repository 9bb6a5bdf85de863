"""Three-way daily reconciliation (CLI and officer page) and settlement rows by the officer's scope."""

from datetime import date

import pytest
from django.test import Client

from jaring.contributions.services import post_payment
from jaring.contributions.settlement import import_settlement

pytestmark = pytest.mark.django_db
DAY = "2026-09-02"
UNKNOWN = "6371041505909999"


@pytest.fixture
def day(make_member, channel):
    """BANKUJI on 2 September 2026 (Rp8,400 a month, fee Rp1,500): three notifications (one of a Samarinda
    member), then the settlement file: two of them confirmed, one payment never flagged, one unknown NIK."""
    a = make_member(first_month=date(2026, 9, 1))
    b = make_member(first_month=date(2026, 9, 1))
    c = make_member(first_month=date(2026, 9, 1), branch_id="KC-6471")
    for ref, m in (("N-1", a), ("N-2", b), ("N-3", c)):
        post_payment(member=m, months=1, amount=8400, channel=channel, reference=ref,
                     paid_at=f"{DAY}T09:00:00+07:00", source="notification")
    data = ("reference,customer,amount,months,paid_at\n"
            f"N-1,{a.nik},8400,1,{DAY}T09:00:00+07:00\n"
            f"N-2,{b.nik},8400,1,{DAY}T09:00:00+07:00\n"
            f"S-1,{b.nik},8400,1,{DAY}T11:00:00+07:00\n"
            f"R-X,{UNKNOWN},8400,1,{DAY}T12:00:00+07:00\n").encode()
    out = import_settlement(data, channel, filename="bankuji-20260902.csv")
    assert (out["posted"], out["duplicates"], out["rejected"]) == (1, 2, 1)
    return a, b, c, out


def test_cli_three_way(cli, day, tmp_path):
    a, b, c, _ = day
    statement = tmp_path / "rekening.csv"
    statement.write_text("date,amount,description\n"
                         f"{DAY},30000,TRF BANKUJI SETTLEMENT 0902\n"
                         f"{DAY},500000,TRF BANKLAIN\n"
                         "2026-09-03,33600,TRF BANKUJI SETTLEMENT 0903\n")
    code, out, err = cli("payments", "reconcile", "--date", DAY, "--channel", "BANKUJI", "--statement", str(statement))
    assert code == 0, err
    assert out["flagged"] == {"count": 3, "amount": 25200, "fee": 4500}
    s = out["settled"]
    assert (s["count"], s["amount"], s["rejected"], s["amount_rejected"], s["rows"], s["amount_rows"]) == (
        3, 25200, 1, 8400, 4, 33600)
    assert s["files"] == ["bankuji-20260902.csv"]
    assert (out["bank"]["count"], out["bank"]["amount"], out["bank"]["difference"]) == (1, 30000, -3600)
    assert [(d["kind"], d["reference"], d["amount"]) for d in out["differences"]] == [
        ("flagged_not_in_file", "N-3", 8400), ("in_file_not_flagged", "S-1", 8400),
        ("rejected_in_file", "R-X", 8400), ("bank_credit_vs_file", "", -3600)]
    assert out["differences"][0]["kpj"] == c.kpj and out["balanced"] is False
    assert out["difference_totals"]["rejected_in_file"] == {"count": 1, "amount": 8400}


def test_cli_balanced_day_and_bad_input(cli, make_member, channel):
    m = make_member(first_month=date(2026, 9, 1))
    post_payment(member=m, months=1, amount=8400, channel=channel, reference="N-9", paid_at=f"{DAY}T09:00+07:00",
                 source="notification")
    import_settlement(f"reference,customer,amount,months,paid_at\nN-9,{m.nik},8400,1,{DAY}T09:00+07:00\n".encode(),
                      channel)
    code, out, err = cli("payments", "reconcile", "--date", DAY, "--channel", "BANKUJI")
    assert code == 0 and out["balanced"] is True and out["differences"] == [] and out["bank"] is None
    code, out, err = cli("payments", "reconcile", "--date", "2-9-2026", "--channel", "BANKUJI")
    assert code == 2 and "TTTT-BB-HH" in err


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_officer_page_per_channel_and_day_respects_scope(day, make_user):
    a, b, c, _ = day
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = make_user("petugas-bjm", "officer", "KC-6371")
    r = login(officer).post("/contributions/rekonsiliasi/harian/", {
        "kanal": "BANKUJI", "tanggal": DAY,
        "statement": SimpleUploadedFile("rk.csv", f"date,amount,description\n{DAY},33600,BANKUJI\n".encode())})
    page = r.content.decode()
    assert r.status_code == 200 and 'data-testid="differences"' in page
    assert "S-1" in page and "R-X" in page and "N-3" not in page  # N-3 is a Samarinda member
    assert UNKNOWN not in page and "6371********9999" in page
    assert "di luar wilayah kerja" in page
    manager = make_user("manajer", "manager", None)
    page = login(manager).get("/contributions/rekonsiliasi/harian/", {"kanal": "BANKUJI", "tanggal": DAY}).content.decode()
    assert "N-3" in page and UNKNOWN in page
    worker = make_user("warga", "worker", None)
    assert login(worker).get("/contributions/rekonsiliasi/harian/").status_code == 403


def test_settlement_files_and_rows_by_scope(day, make_user):
    *_, out = day
    url = f"/contributions/rekonsiliasi/{out['file_id']}/"
    bjm = login(make_user("petugas-bjm", "officer", "KC-6371"))
    page = bjm.get(url).content.decode()
    assert "R-X" in page and UNKNOWN not in page and "6371********9999" in page
    # Samarinda holds no member of this file (N-3 was not in it): neither the file nor its rows
    smd = login(make_user("petugas-smd", "officer", "KC-6301"))
    assert smd.get(url).status_code == 404
    assert "bankuji-20260902.csv" not in smd.get("/contributions/rekonsiliasi/").content.decode()
    national = login(make_user("manajer", "manager", None))
    assert UNKNOWN in national.get(url).content.decode()
