"""``jaring snapshots refresh`` and ``jaring insights import-segments``."""

from datetime import date

from jaring.core.errors import DomainError
from jaring.core.console import progress


def _date(value):
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(f"Tanggal '{value}' tidak valid: tulis YYYY-MM-DD, mis. 2026-05-31.",
                          {"date": "format YYYY-MM-DD"}) from None


def cmd_refresh(args):
    from .services import refresh_snapshots

    progress("Membangun ulang tabel ringkasan dasbor…")
    return refresh_snapshots(_date(args.date))


def cmd_import_segments(args):
    from .services import import_segments

    try:
        fh = open(args.file, "rb")
    except OSError as e:
        raise DomainError(f"Berkas '{args.file}' tidak bisa dibuka: {e.strerror}.", {"file": "periksa path"})
    with fh:
        return import_segments(fh)


def register(sub):
    p = sub.add_parser("snapshots", help="dashboard snapshot tables")
    s = p.add_subparsers(dest="action", required=True)
    r = s.add_parser("refresh", help="rebuild the dashboard snapshot tables; prints counts")
    r.add_argument("--date", help="snapshot day YYYY-MM-DD (default today, WIB)")
    r.set_defaults(func=cmd_refresh)

    p = sub.add_parser("insights", help="dashboard figures")
    s = p.add_subparsers(dest="action", required=True)
    r = s.add_parser("import-segments", help="import aggregate segment figures (CSV office,year,metric,value,source)")
    r.add_argument("file")
    r.set_defaults(func=cmd_import_segments)
