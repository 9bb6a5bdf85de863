"""Bulk import: CSV/XLSX reading, per-row errors with reasons, counts that add up, set-based insert."""

import csv
import io
from datetime import date, datetime

import pytest

from jaring.core.errors import DomainError
from jaring.core.models import AuditEvent
from jaring.members import importer, services
from jaring.members.models import ImportJob, Member
from jaring.rules.identifiers import is_valid_kpj

from .conftest import FEMALE_NIK, MALE_NIK, worker_data

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 21)

HEADER = "nik,nama,tanggal_lahir,jenis_kelamin,no_hp,kode_desa,pekerjaan,penghasilan,program\n"
GOOD_1 = f"{MALE_NIK},Ahmad Fauzi,1990-08-15,L,081234567890,63.71.04.1001,pedagang,1500000,\"JKK,JKM\"\n"
GOOD_2 = f"{FEMALE_NIK},Siti Aminah,,,0813-1111-2222,6371041001,petani,1.000.000,\n"
BAD_AGE = "6371042211080003,Anak Muda,2008-11-22,L,081233334444,63.71.04.1001,pedagang,1500000,\n"
BAD_INCOME = "6371041508900004,Budi,1990-08-15,L,081233335555,63.71.04.1001,pedagang,900000,\n"
DUP_IN_FILE = f"{MALE_NIK},Ahmad Lagi,1990-08-15,L,081233336666,63.71.04.1001,pedagang,1500000,\n"
BAD_VILLAGE = "6371041508900005,Cici,1990-08-15,L,081233337777,63.71.04.9999,pedagang,1500000,\n"
BAD_GENDER = "6371045508900006,Dedi,1990-08-15,L,081233338888,63.71.04.1001,nelayan,1500000,\n"


def table(*lines, header=HEADER):
    return io.BytesIO((header + "".join(lines)).encode("utf-8"))


def test_read_csv_with_indonesian_headers_and_row_numbers():
    rows = importer.read_table(table(GOOD_1, "\n", GOOD_2), "daftar.csv")
    assert [r["_row"] for r in rows] == [2, 4]  # blank line 3 is not a row, numbers follow the file
    assert rows[0]["name"] == "Ahmad Fauzi" and rows[0]["village_code"] == "63.71.04.1001"


def test_read_semicolon_csv_from_excel():
    text = HEADER.replace(",", ";") + GOOD_2.replace(",", ";")
    rows = importer.read_table(io.BytesIO(text.encode("cp1252")), "daftar.csv")
    assert rows[0]["nik"] == FEMALE_NIK and rows[0]["income"] == "1.000.000"


def test_read_xlsx_numbers_and_dates():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["NIK", "Nama", "Tanggal lahir", "No HP", "Kode desa", "Pekerjaan", "Penghasilan"])
    ws.append([int(MALE_NIK), "Ahmad Fauzi", datetime(1990, 8, 15), "081234567890", "63.71.04.1001", "Pedagang",
               1500000])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    rows = importer.read_table(buf, "daftar.xlsx")
    assert rows[0]["nik"] == MALE_NIK and rows[0]["birth_date"] == "1990-08-15" and rows[0]["income"] == "1500000"
    result = importer.import_rows(rows, actor=None, channel="branch", funding="self", on=ON)
    assert len(result.imported) == 1 and result.imported[0].occupation == "pedagang"  # label accepted


def test_missing_columns_and_unknown_type_refused():
    with pytest.raises(DomainError) as e:
        importer.read_table(io.BytesIO(b"nik,nama\n1,2\n"), "x.csv")
    assert "no_hp" not in e.value.message and "phone" in e.value.message
    with pytest.raises(DomainError):
        importer.read_table(io.BytesIO(b"x"), "x.pdf")


def test_mixed_rows_counts_add_up_and_reasons_given(make_user):
    officer = make_user("petugas1", "officer", "KC-6371")
    services.register_member(worker_data(nik="6371041508900007", phone="081200000007"), channel="branch")
    db_dup = "6371041508900007,Sudah Ada,1990-08-15,L,081233339999,63.71.04.1001,pedagang,1500000,\n"
    rows = importer.read_table(table(GOOD_1, BAD_AGE, GOOD_2, BAD_INCOME, DUP_IN_FILE, BAD_VILLAGE, BAD_GENDER,
                                     db_dup), "daftar.csv")
    result = importer.import_rows(rows, actor=officer, channel="branch", funding="apbd", on=ON)
    assert result.total == 8
    assert len(result.imported) == 2 and len(result.errors) == 6
    assert len(result.imported) + len(result.errors) == result.total
    by_row = {n: errs for n, _row, errs in result.errors}
    assert set(by_row) == {3, 5, 6, 7, 8, 9}
    assert "minimal 18" in by_row[3]["birth_date"]
    assert "Rp1.000.000" in by_row[5]["income"]
    assert "baris 2" in by_row[6]["nik"]
    assert "Kemendagri" in by_row[7]["village_code"]
    assert "perempuan" in by_row[8]["gender"]
    assert "sudah terdaftar" in by_row[9]["nik"]
    members = Member.objects.filter(nik__in=[MALE_NIK, FEMALE_NIK])
    assert {m.status for m in members} == {"active"} and {m.funding for m in members} == {"apbd"}
    assert all(is_valid_kpj(m.kpj) for m in members)
    assert AuditEvent.objects.filter(action="member.register", note__startswith="impor baris").count() == 2
    # the error file carries every rejected row, its number and its reasons
    lines = list(csv.reader(io.StringIO(result.error_csv().decode("utf-8-sig"))))
    assert lines[0][:2] == ["baris", "galat"] and len(lines) == 1 + 6
    assert lines[1][0] == "3" and "umur" in lines[1][1].lower() and "Anak Muda" in lines[1]


def test_dry_run_saves_nothing():
    rows = importer.read_table(table(GOOD_1, BAD_AGE), "d.csv")
    result = importer.import_rows(rows, actor=None, channel="branch", funding="self", dry_run=True, on=ON)
    assert (result.valid, len(result.errors), len(result.imported)) == (1, 1, 0)
    assert not Member.objects.exists()


def test_job_runs_in_chunks_and_counts_add_up(make_user):
    agent = make_user("agen1", "agent", "KC-6371")
    lines = [f"63710415089{i:05d},Pekerja {chr(65 + i % 26)}{'a' * (i % 5)},1990-08-15,L,0812{i:08d},"
             "63.71.04.1001,pedagang,1500000,\n" for i in range(1, 26)]
    lines.insert(5, BAD_INCOME.replace("6371041508900004", "6371041508900099"))
    job = importer.start_job(table(*lines), "pasar.csv", actor=agent, channel="agent", funding="self")
    assert (job.state, job.total, job.preview_errors) == ("preview", 26, 1)
    assert not Member.objects.exists()
    job = importer.begin_job(job)
    steps = 0
    while job.state == ImportJob.State.RUNNING:
        job = importer.run_chunk(job.pk, size=10)
        steps += 1
    assert steps == 3 and job.state == "done" and job.rows == []
    assert job.imported == 25 and len(job.errors) == 1 and job.imported + len(job.errors) == job.total
    assert job.errors[0][0] == 7  # the bad line is row 7 of the file
    assert Member.objects.filter(channel="agent", status="pending", created_by=agent).count() == 25


def test_kpj_block_is_allocated_once_for_the_batch():
    before = services.allocate_kpj(1)[0]
    rows = importer.read_table(table(GOOD_1, GOOD_2), "d.csv")
    result = importer.import_rows(rows, actor=None, channel="branch", funding="self", on=ON)
    serials = sorted(int(m.kpj[:10]) for m in result.imported)
    assert serials == [int(before[:10]) + 1, int(before[:10]) + 2]


def test_refused_import_reports_every_remaining_row(make_user, monkeypatch):
    """If the whole import is refused midway (a suspended agent), the remaining rows become errors: none lost."""
    from jaring.core.errors import Forbidden

    agent = make_user("agen1", "agent", "KC-6371")

    def refuse(members, actor):
        raise Forbidden("Agen sedang diberhentikan sementara dan tidak dapat mendaftarkan peserta.")

    monkeypatch.setattr(services, "attribute_to_agent", refuse)
    job = importer.start_job(table(GOOD_1, GOOD_2, BAD_AGE), "d.csv", actor=agent, channel="agent", funding="self")
    job = importer.run_job(job, actor=agent)
    assert (job.state, job.imported, len(job.errors), job.total) == ("done", 0, 3, 3)
    assert "diberhentikan" in job.errors[0][2]["import"] and not Member.objects.exists()


def test_import_accepts_old_region_codes_and_routes_to_todays_branch():
    """A NIK and a village written with Tarakan's code before North Kalimantan (64.73, UU 20/2012)."""
    old = "6473011508900001,Ahmad Tarakan,1990-08-15,L,081234567891,64.73.01.1001,pedagang,1500000,\n"
    rows = importer.read_table(table(old), "daftar.csv")
    result = importer.import_rows(rows, actor=None, channel="branch", funding="self", on=ON)
    assert len(result.imported) == 1 and result.errors == []
    m = Member.objects.get(nik="6473011508900001")
    assert m.village_id == "65.71.01.1001" and m.branch_id == "KC-6571"
