"""``jaring holidays list`` and ``jaring holidays load FILE --year Y --decree D --source URL``: the official
holiday calendar (SKB 3 Menteri) that due dates follow; see :mod:`jaring.core.calendar`."""

from pathlib import Path

from jaring.core.calendar import CALENDAR, load_year_file
from jaring.core.console import progress
from jaring.core.errors import DomainError
from jaring.core.models import HolidayYear
from jaring.rules.billing import last_calendar_year


def cmd_holidays_list(args):
    years = [{"year": y.year, "decree": y.decree, "source": y.source, "holidays": y.holidays.count()}
             for y in HolidayYear.objects.order_by("year")]
    return {"years": years, "last_year": last_calendar_year()}

def cmd_holidays_load(args):
    path = Path(args.file)
    if not path.is_file():
        raise DomainError(f"Berkas '{args.file}' tidak ada.", {"file": "tidak ada"})
    try:
        year = int(args.year)
    except ValueError:
        raise DomainError(f"Tahun '{args.year}' tidak valid: tulis empat angka, misalnya 2028.", {"year": "TTTT"})
    progress(f"Memuat kalender libur {year}…")
    out = load_year_file(path.read_text("utf-8"), year=year, decree=args.decree, source=args.source)
    CALENDAR.clear()
    return out

def register(sub):
    hol = sub.add_parser("holidays", help="official holiday calendar (libur nasional, cuti bersama)")
    hsub = hol.add_subparsers(dest="sub", required=True)
    p = hsub.add_parser("list", help='loaded years; prints {"years": [{"year", "decree", "source", "holidays"}], '
                                     '"last_year"}')
    p.set_defaults(func=cmd_holidays_list)
    p = hsub.add_parser("load", help="load or replace one year's calendar from a CSV (date,name,kind with kind "
                                     'libur_nasional or cuti_bersama); prints {"year", "holidays", "libur_nasional", '
                                     '"cuti_bersama"}')
    p.add_argument("file")
    p.add_argument("--year", required=True)
    p.add_argument("--decree", required=True, help="the SKB 3 Menteri numbers")
    p.add_argument("--source", required=True, help="where it was published (URL)")
    p.set_defaults(func=cmd_holidays_load)
