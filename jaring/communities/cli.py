"""``jaring collectives remind [--month YYYY-MM]``: queue and send the treasurers' lists of unpaid members."""


def cmd_remind(args):
    from . import services

    out = services.queue_treasurer_reminders(args.month or None)
    out.update(services.send_treasurer_reminders())
    return out


def register(sub):
    p = sub.add_parser("collectives", help="community collectives (wadah)")
    s = p.add_subparsers(dest="action", required=True)
    r = s.add_parser("remind", help="one list of unpaid members per collective to its treasurer; prints counts")
    r.add_argument("--month", help="the contribution month, YYYY-MM (default this month, WIB)")
    r.set_defaults(func=cmd_remind)
