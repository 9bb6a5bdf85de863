"""``jaring partners create --code C --name N --kind K``: a partner and its API key (printed once)."""

from . import services


def cmd_create(args):
    partner, key = services.create_partner({"code": args.code, "name": args.name, "kind": args.kind}, actor=None,
                                           system=True)
    return {"code": partner.code, "name": partner.name, "api_key": key, "signing_secret": partner.signing_secret}


def register(sub):
    p = sub.add_parser("partners", help="partner bundles (ComboFit and others)")
    s = p.add_subparsers(dest="action", required=True)
    r = s.add_parser("create", help="register a partner; prints its API key and signing secret once")
    r.add_argument("--code", required=True)
    r.add_argument("--name", required=True)
    r.add_argument("--kind", required=True, help="health_app | mobile_operator | other")
    r.set_defaults(func=cmd_create)
