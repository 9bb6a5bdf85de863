"""``jaring invoices pay`` (a bank transfer for a sponsor's group invoice) and ``jaring invoices show``."""

from jaring.core.console import progress


def cmd_invoices_pay(args):
    from .services import get_invoice, pay_invoice

    invoice = get_invoice(args.invoice)
    progress(f"Mencatat {args.reference} untuk tagihan {invoice.number}…")
    report, created = pay_invoice(invoice, amount=args.amount, reference=args.reference, paid_at=args.paid_at)
    return {**report, "duplicate": not created}


def cmd_invoices_show(args):
    from .services import get_invoice

    inv = get_invoice(args.invoice)
    return {"number": inv.number, "payment_code": inv.payment_code, "sponsor": inv.sponsor.name,
            "status": inv.status, "amount": inv.amount, "paid_amount": inv.paid_amount, "unapplied": inv.unapplied,
            "workers": inv.lines.count()}


def register(sub):
    invoices = sub.add_parser("invoices", help="sponsors' group invoices").add_subparsers(dest="sub", required=True)
    p = invoices.add_parser("pay", help="record money received for a group invoice and credit whole workers")
    p.add_argument("--invoice", required=True, help="invoice number (SP-YYYY-NNNNNN) or payment code")
    p.add_argument("--amount", required=True, type=int, help="Rupiah received")
    p.add_argument("--reference", required=True, help="bank transfer reference (unique per invoice)")
    p.add_argument("--paid-at", dest="paid_at", help="ISO 8601 (default: now)")
    p.set_defaults(func=cmd_invoices_pay)
    p = invoices.add_parser("show", help="an invoice's totals")
    p.add_argument("--invoice", required=True)
    p.set_defaults(func=cmd_invoices_show)
