"""``jaring channels|payments|billing|coverage`` commands (CONTRACT.md)."""

from __future__ import annotations

from jaring.cli import CliError
from jaring.core.console import progress


def cmd_channels_create(args):
    from .services import create_channel

    public_key = ""
    if args.public_key:
        try:
            with open(args.public_key, encoding="utf-8") as fh:
                public_key = fh.read()
        except (OSError, UnicodeDecodeError) as e:
            raise CliError(f"Berkas kunci publik {args.public_key} tidak bisa dibaca: {e}")
    ch = create_channel(code=args.code, name=args.name, secret=args.secret, fee=args.fee, public_key=public_key,
                        service_id=args.service_id or "")
    return {"code": ch.code, "name": ch.name, "fee": ch.fee, "service_id": ch.service_id,
            "public_key": bool(ch.public_key)}

def cmd_payments_import(args):
    from .settlement import import_settlement

    return import_settlement(args.file, args.channel, progress=progress)

def cmd_payments_reconcile(args):
    from .reconcile import reconcile_day

    statement = None
    if args.statement:
        try:
            with open(args.statement, "rb") as fh:
                statement = fh.read()
        except OSError as e:
            raise CliError(f"Rekening koran {args.statement} tidak bisa dibaca: {e.strerror}.")
    out = reconcile_day(args.channel, args.date, statement)
    for d in out["differences"]:
        d.pop("member_branch", None)
    return out

def cmd_billing_run(args):
    from .billing import run_billing

    return run_billing(args.month, progress=progress)

def cmd_coverage_refresh(args):
    from .billing import refresh_coverage

    return refresh_coverage(args.date, progress=progress)

def register(sub):
    channels = sub.add_parser("channels", help="payment channels").add_subparsers(dest="sub", required=True)
    p = channels.add_parser("create", help="a payment channel and its webhook secret")
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--secret", required=True, help="HMAC-SHA256 secret for X-Jaring-Signature (16+ characters)")
    p.add_argument("--fee", default=0, help="the channel's admin fee per payment, Rupiah (not contribution income)")
    p.add_argument("--public-key", help="PEM file: the RSA public key verifying the channel's SNAP token requests")
    p.add_argument("--service-id", help="SNAP partnerServiceId, up to 8 digits (default 88000000 + channel number)")
    p.set_defaults(func=cmd_channels_create)

    payments = sub.add_parser("payments", help="payments and settlement").add_subparsers(dest="sub", required=True)
    p = payments.add_parser("import", help="post a settlement CSV: reference,customer,amount,months,paid_at")
    p.add_argument("file")
    p.add_argument("--channel", required=True)
    p.set_defaults(func=cmd_payments_import)
    p = payments.add_parser("reconcile", help="one channel's day: flagged vs settlement file vs bank credit")
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    p.add_argument("--channel", required=True)
    p.add_argument("--statement", help="bank statement CSV: date,amount,description")
    p.set_defaults(func=cmd_payments_reconcile)

    billing = sub.add_parser("billing", help="monthly bills").add_subparsers(dest="sub", required=True)
    p = billing.add_parser("run", help="create that month's bills for every active member (idempotent)")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.set_defaults(func=cmd_billing_run)

    coverage = sub.add_parser("coverage", help="coverage state").add_subparsers(dest="sub", required=True)
    p = coverage.add_parser("refresh", help="recompute every member's coverage state as of a date")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_coverage_refresh)
