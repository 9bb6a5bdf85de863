"""``jaring commissions run --month YYYY-MM`` (CONTRACT) and ``jaring agents create``."""

from jaring.core.console import progress


def cmd_commissions_run(args):
    from .services import run_commissions

    progress(f"Menghitung komisi agen bulan {args.month}…")
    return run_commissions(args.month)


def cmd_agents_create(args):
    from .services import onboard_agent

    agent = onboard_agent({"username": args.username, "password": args.password, "name": args.name,
                           "phone": args.phone or "", "branch": args.branch, "bank_name": args.bank_name,
                           "bank_account": args.bank_account, "bank_holder": args.bank_holder or ""})
    return {"code": agent.code, "username": agent.user.username, "branch": agent.branch_id, "status": agent.status}


def register(sub):
    commissions = sub.add_parser("commissions", help="Perisai agents' commission ledger").add_subparsers(
        dest="sub", required=True)
    p = commissions.add_parser("run", help='compute a month; idempotent; prints {"agents","commission","bonus","total"}')
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.set_defaults(func=cmd_commissions_run)

    agents = sub.add_parser("agents", help="Perisai agents").add_subparsers(dest="sub", required=True)
    p = agents.add_parser("create", help="onboard an agent with a sign-in account")
    for name in ("username", "password", "name", "branch", "bank-name", "bank-account"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--phone")
    p.add_argument("--bank-holder")
    p.set_defaults(func=cmd_agents_create)
