"""``jaring savings credit-contributions`` and ``jaring savings credit-returns --year YYYY``."""

from jaring.core.errors import DomainError


def _year(text) -> int:
    try:
        y = int(str(text).strip())
    except ValueError:
        y = 0
    if not 1990 <= y <= 2200:
        raise DomainError(f"Tahun '{text}' tidak valid: tulis empat angka, misalnya 2025.", {"year": "TTTT"})
    return y


def cmd_credit_contributions(args):
    from jaring.cli import progress

    from .services import credit_contributions

    progress("Mengkreditkan iuran JHT dari tagihan yang lunas…")
    return credit_contributions()


def cmd_credit_returns(args):
    from jaring.cli import progress

    from .services import credit_returns

    year = _year(args.year)
    progress(f"Mengkreditkan hasil pengembangan JHT tahun {year}…")
    return credit_returns(year)


def register(sub):
    savings = sub.add_parser("savings", help="JHT savings accounts").add_subparsers(dest="sub", required=True)
    p = savings.add_parser("credit-contributions",
                           help='credit the JHT part of paid bills; idempotent; prints {"accounts_opened", '
                                '"contributions_credited", "amount"}')
    p.set_defaults(func=cmd_credit_contributions)
    p = savings.add_parser("credit-returns",
                           help="credit a finished year's declared JHT return to every account; idempotent per "
                                'year; prints {"year", "rate_bp", "accounts_credited", "already_credited", "amount", '
                                '"contributions_credited"}')
    p.add_argument("--year", required=True, help="YYYY (a year that has ended)")
    p.set_defaults(func=cmd_credit_returns)
