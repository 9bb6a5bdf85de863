"""``jaring reminders send [--date YYYY-MM-DD]`` and ``jaring reminders opt-out --kpj K``."""

from datetime import date

from jaring.core.errors import DomainError, NotFound


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
    from jaring.members.models import Member

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


def register(sub):
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
