"""``jaring savings credit-contributions`` and ``jaring savings credit-returns --year YYYY``."""

from jaring.core.console import progress
from jaring.core.errors import DomainError
from jaring.rules.errors import RuleError


def _year(text) -> int:
    try:
        y = int(str(text).strip())
    except ValueError:
        y = 0
    if not 1990 <= y <= 2200:
        raise DomainError(f"Tahun '{text}' tidak valid: tulis empat angka, misalnya 2025.", {"year": "TTTT"})
    return y

def cmd_credit_contributions(args):
    from .services import credit_contributions

    progress("Mengkreditkan iuran JHT dari tagihan yang lunas…")
    return credit_contributions()

def cmd_credit_returns(args):
    from .services import credit_returns

    year = _year(args.year)
    progress(f"Mengkreditkan hasil pengembangan JHT tahun {year}…")
    return credit_returns(year)

def cmd_set_rate(args):
    from .rates import parse_percent, set_declared_rate
    from .services import recompute_changed_rates

    year = _year(args.year)
    try:
        rate_bp = parse_percent(args.rate)
    except RuleError as e:
        raise DomainError(e.message, e.errors) from None
    row = set_declared_rate(year, rate_bp, args.source, confidence=args.confidence)
    progress(f"Tarif JHT {year} = {rate_bp / 100:.2f}%; menghitung ulang hasil pengembangan yang sudah dikreditkan…")
    out = recompute_changed_rates()
    return {"year": year, "rate_bp": row.rate_bp, "confidence": row.confidence,
            "accounts_adjusted": out["accounts_adjusted"], "amount": out["amount"], "years": out["years"]}

def cmd_recompute_returns(args):
    from .services import recompute_changed_rates, recompute_returns

    if args.from_year:
        return recompute_returns(_year(args.from_year))
    return recompute_changed_rates()

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
    p = savings.add_parser("set-rate",
                           help="enter a year's declared JHT return (e.g. --rate 5.51) with its source, then post the "
                                'difference for the returns already credited; prints {"year", "rate_bp", "confidence", '
                                '"accounts_adjusted", "amount", "years"}')
    p.add_argument("--year", required=True, help="YYYY")
    p.add_argument("--rate", required=True, help="percent a year, e.g. 5.51")
    p.add_argument("--source", required=True, help="where the figure was published (announcement, report, press)")
    p.add_argument("--confidence", default="M", choices=["H", "M", "A"])
    p.set_defaults(func=cmd_set_rate)
    p = savings.add_parser("recompute-returns",
                           help="post the difference for credited years whose rate changed (or every credited year "
                                'from --from-year); idempotent; prints {"from_year", "years", "accounts_adjusted", '
                                '"amount"}')
    p.add_argument("--from-year", default=None, help="YYYY (default: the earliest year whose rate changed)")
    p.set_defaults(func=cmd_recompute_returns)
