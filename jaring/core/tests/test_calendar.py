"""The holiday calendar as data: shipped SKB years, an admin's new year, and refusing to guess."""

from datetime import date

import pytest
from django.test import Client

from jaring.core.calendar import CALENDAR, load_year_file, missing_years, require_calendar
from jaring.core.models import Holiday, HolidayYear
from jaring.rules.billing import due_date, has_holiday_calendar, last_calendar_year
from jaring.rules.errors import RuleError

pytestmark = pytest.mark.django_db

CSV_2028 = "date,name,kind\n2028-01-01,Tahun Baru 2028 Masehi,libur_nasional\n" \
           "2028-02-15,Uji libur pertengahan Februari,libur_nasional\n2028-02-16,Uji cuti bersama,cuti_bersama\n"


@pytest.fixture(autouse=True)
def fresh_calendar():
    CALENDAR.clear()
    yield
    CALENDAR.clear()  # the test's rows are rolled back: never let them linger in memory


def test_shipped_years_with_decree_and_source():
    years = {y.year: y for y in HolidayYear.objects.all()}
    assert set(years) >= {2026, 2027}
    assert "SKB" in years[2026].decree and years[2026].source.startswith("https://")
    assert Holiday.objects.filter(calendar_id=2026).count() == 25
    assert Holiday.objects.filter(calendar_id=2027, kind="cuti_bersama").exists()
    assert has_holiday_calendar(2026) and has_holiday_calendar(2027) and not has_holiday_calendar(2028)
    assert last_calendar_year() == 2027


def test_due_dates_follow_the_table():
    # 15 March 2026 is a Sunday; 16-17 March are working days
    assert due_date(date(2026, 3, 1)) == date(2026, 3, 16)
    # an admin adds a holiday on Monday 16 March 2026: the due date moves to Tuesday
    Holiday.objects.create(calendar_id=2026, date=date(2026, 3, 16), name="Uji", kind="cuti_bersama")
    assert due_date(date(2026, 3, 1)) == date(2026, 3, 17)


def test_admin_loads_the_next_year_from_a_file():
    # 15 February 2028 is a Tuesday: without the calendar only weekends count
    assert due_date(date(2028, 2, 1)) == date(2028, 2, 15)
    out = load_year_file(CSV_2028, year=2028, decree="SKB uji 2028", source="https://www.setneg.go.id/uji")
    assert out == {"year": 2028, "holidays": 3, "libur_nasional": 2, "cuti_bersama": 1}
    assert has_holiday_calendar(2028) and due_date(date(2028, 2, 1)) == date(2028, 2, 17)
    with pytest.raises(RuleError, match="Baris 2"):
        load_year_file("date,name,kind\n2029-01-01,Salah tahun,libur_nasional\n", year=2028, decree="x", source="y")
    assert Holiday.objects.filter(calendar_id=2028).count() == 3  # the bad file changed nothing


def test_billing_run_refuses_a_month_without_a_calendar(capsys):
    from jaring.cli import main

    with pytest.raises(RuleError, match="Kalender libur 2028 belum dimuat"):
        require_calendar(date(2028, 1, 1))
    with pytest.raises(SystemExit) as e:
        main(["billing", "run", "--month", "2028-01"])
    err = capsys.readouterr()
    assert e.value.code == 2 and err.out == ""
    line = err.err.strip().splitlines()[-1]
    assert "Kalender libur 2028 belum dimuat" in line and "2028-01" in line
    load_year_file(CSV_2028, year=2028, decree="SKB uji 2028", source="https://www.setneg.go.id/uji")
    from jaring.contributions.billing import run_billing

    assert run_billing("2028-01")["due_date"] == "2028-01-17"  # the 15th is a Saturday


def test_admin_home_warns_when_next_years_calendar_is_missing(make_user, monkeypatch):
    from django.utils import timezone

    assert missing_years(date(2026, 11, 26)) == []
    assert missing_years(date(2027, 3, 1)) == [2028]
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2027, 3, 1))
    c = Client()
    c.force_login(make_user("admin1", "admin", None))
    html = c.get("/beranda").content.decode()
    assert 'data-testid="calendar-missing"' in html and "2028" in html
    c.force_login(make_user("siti", "worker", None))
    assert 'data-testid="calendar-missing"' not in c.get("/beranda").content.decode()


def test_cli_holidays_load_and_list(tmp_path, capsys):
    import json

    from jaring.cli import main

    f = tmp_path / "libur-2028.csv"
    f.write_text(CSV_2028, "utf-8")
    main(["holidays", "load", str(f), "--year", "2028", "--decree", "SKB uji 2028", "--source", "https://x.go.id"])
    assert json.loads(capsys.readouterr().out)["holidays"] == 3
    main(["holidays", "list"])
    out = json.loads(capsys.readouterr().out)
    assert out["last_year"] == 2028 and [y["year"] for y in out["years"]][-1] == 2028
