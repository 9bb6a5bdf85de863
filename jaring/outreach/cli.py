"""``jaring reminders send [--date YYYY-MM-DD]`` and ``jaring reminders opt-out --kpj K``."""

from datetime import date

from jaring.core.errors import DomainError, NotFound
from jaring.members.models import Member
from jaring.regions.models import BranchOffice


def cmd_send(args):
    from .reminders import send_reminders

    day = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise DomainError(f"Tanggal '{args.date}' tidak valid: tulis YYYY-MM-DD.", {"date": "YYYY-MM-DD"}) from None
    return send_reminders(day)

def _member(kpj):
    m = Member.objects.filter(kpj=kpj).first()
    if m is None:
        raise NotFound(f"Peserta dengan KPJ {kpj} tidak ditemukan.")
    return m

def cmd_opt_out(args):
    from .reminders import opt_out

    m = _member(args.kpj)
    opt_out(m, reason=args.reason or "")
    return {"kpj": m.kpj, "opted_out": True}

def cmd_opt_in(args):
    from .reminders import opt_in

    m = _member(args.kpj)
    opt_in(m)
    return {"kpj": m.kpj, "opted_out": False}

def _parse_arm(text: str, i: int) -> dict:
    """``CODE:days=3,channel=sms,wording=standard,weight=1,control`` → an arm dict."""
    code, _, rest = text.partition(":")
    arm: dict = {"code": code.strip()}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        key = key.strip().replace("-", "_")
        if key == "control" and not eq:
            arm["control"] = True
        elif key in {"days", "days_before_due"}:
            arm["days_before_due"] = value
        elif key in {"channel", "wording", "weight"}:
            arm[key] = value
        else:
            raise DomainError(f"--arm ke-{i + 1}: '{part}' tidak dikenal; pakai days=, channel=, wording=, weight= "
                              "atau control.", {"arm": text})
    return arm

def cmd_experiment_create(args):
    from .experiments import create_experiment

    branch = None
    if args.branch:
        branch = BranchOffice.objects.filter(code=args.branch).first()
        if branch is None:
            raise NotFound(f"Kantor cabang {args.branch} tidak ditemukan.")
    exp = create_experiment(code=args.code, name=args.name, month=args.month, branch=branch,
                            arms=[_parse_arm(a, i) for i, a in enumerate(args.arm or [])])
    return {"code": exp.code, "month": f"{exp.month:%Y-%m}", "members": exp.members,
            "arms": {a.code: a.assignments.count() for a in exp.arms.all()}}

def cmd_experiment_report(args):
    from .experiments import get_experiment, report

    return report(get_experiment(args.code))

def cmd_experiment_record(args):
    from .experiments import get_experiment, record_all, record_outcomes

    day = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise DomainError(f"Tanggal '{args.date}' tidak valid: tulis YYYY-MM-DD.", {"date": "YYYY-MM-DD"}) from None
    if args.code:
        return record_outcomes(get_experiment(args.code), day)
    return record_all(day)

def register(sub):
    p = sub.add_parser("experiments", help="measured reminder policies: create, record outcomes, report")
    s = p.add_subparsers(dest="action", required=True)
    r = s.add_parser("create", help="create an experiment and assign active members to its arms; prints counts")
    r.add_argument("--code", required=True)
    r.add_argument("--name", required=True)
    r.add_argument("--month", required=True, help="the contribution month whose reminder is tested, YYYY-MM")
    r.add_argument("--branch", help="only members of this branch office (e.g. KC-6371)")
    r.add_argument("--arm", action="append", required=True,
                   help="CODE:days=3,channel=sms|whatsapp,wording=standard|friendly|loss[,weight=N][,control]; "
                        "repeat for each arm, exactly one with control")
    r.set_defaults(func=cmd_experiment_create)
    r = s.add_parser("record", help="record outcomes known on a date (set-based, idempotent)")
    r.add_argument("--code", help="one experiment (default: every running one)")
    r.add_argument("--date", help="YYYY-MM-DD (default today, WIB)")
    r.set_defaults(func=cmd_experiment_record)
    r = s.add_parser("report", help="rates per arm with 95%% intervals and the difference to control (JSON)")
    r.add_argument("--code", required=True)
    r.set_defaults(func=cmd_experiment_report)

    p = sub.add_parser("reminders", help="payment reminders (outbox)")
    s = p.add_subparsers(dest="action", required=True)
    r = s.add_parser("send", help="queue due reminders and send them outside quiet hours; prints counts")
    r.add_argument("--date", help="the day reminders are computed for, YYYY-MM-DD (default today, WIB)")
    r.set_defaults(func=cmd_send)
    r = s.add_parser("opt-out", help="stop reminders to a member")
    r.add_argument("--kpj", required=True)
    r.add_argument("--reason")
    r.set_defaults(func=cmd_opt_out)
    r = s.add_parser("opt-in", help="resume reminders to a member")
    r.add_argument("--kpj", required=True)
    r.set_defaults(func=cmd_opt_in)
