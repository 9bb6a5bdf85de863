"""``jaring ledger trial-balance [--date YYYY-MM-DD]`` (CONTRACT.md): exit 1 when not balanced or a check fails."""

import sys
from datetime import date

from jaring.core.errors import DomainError
from jaring.core.console import emit, progress


def _date(text):
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise DomainError(f"Tanggal '{text}' tidak valid: tulis TTTT-BB-HH, misalnya 2026-05-31.", {"date": "TTTT-BB-HH"})


def cmd_trial_balance(args):
    from .selectors import is_ok, trial_balance

    on = _date(args.date) if args.date else None
    progress("Menyusun neraca saldo dan memeriksa akun kontrol…")
    tb = trial_balance(on)
    tb.pop("details", None)
    emit(tb)
    if not is_ok(tb):
        failed = [c["name"] for c in tb["checks"] if not c["ok"]]
        progress("TIDAK SEIMBANG: " + ", ".join(failed))
        sys.exit(1)


def register(sub):
    ledger = sub.add_parser("ledger", help="the double-entry journal").add_subparsers(dest="sub", required=True)
    p = ledger.add_parser("trial-balance",
                          help='prints {"date", "debits", "credits", "balanced", "accounts": [{"code", "name", "debit", '
                               '"credit", "balance"}], "checks": [{"name", "ok", "difference"}]}; exit 1 when not '
                               "balanced or a check fails")
    p.add_argument("--date", help="YYYY-MM-DD (default: today, Asia/Jakarta)")
    p.set_defaults(func=cmd_trial_balance)
