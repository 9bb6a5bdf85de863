"""``jaring``: the operations CLI (CONTRACT.md).

Commands that report print one JSON object on stdout; progress goes to stderr. Input a person can
fix exits with status 2 and a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from jaring.core.console import emit, progress  # noqa: F401  (re-exported for app commands)
from jaring.core.plugins import modules
from jaring.rules.errors import RuleError


class CliError(Exception):
    pass


# --- core commands ---------------------------------------------------------------------------

def cmd_migrate(args):
    from django.core.management import call_command
    progress("Menerapkan skema database…")
    call_command("migrate", interactive=False, verbosity=0)
    result = {"migrated": True}
    from jaring.contributions.rates import load_schedule_rows  # why: needs django.setup() (main)
    from jaring.regions.loader import load_regions  # why: needs django.setup() (main)

    progress("Memuat wilayah Kemendagri dan kantor…")
    result.update(load_regions())
    result["rate_rows_added"] = load_schedule_rows()
    for app, module in modules("reference"):
        progress(f"Memuat data acuan {app}…")
        result.update(module.load() or {})
    from jaring.regions.models import BranchOffice, Region, RegionalOffice  # why: needs django.setup() (main)

    result.update({
        "provinces": Region.objects.filter(level=1).count(),
        "regencies": Region.objects.filter(level=2).count(),
        "districts": Region.objects.filter(level=3).count(),
        "villages": Region.objects.filter(level=4).count(),
        "regional_offices": RegionalOffice.objects.count(),
        "branch_offices": BranchOffice.objects.count(),
    })
    return result


def cmd_serve(args):
    from django.conf import settings
    from django.core.management import call_command

    progress("Menyiapkan berkas statis…")
    call_command("collectstatic", interactive=False, verbosity=0)
    # why here: building the WSGI app loads WhiteNoise, which indexes the static folder once — after collectstatic
    from jaring.wsgi import application
    https = bool(getattr(settings, "SESSION_COOKIE_SECURE", False))
    server = args.server
    if server == "gunicorn":
        try:
            import gunicorn  # noqa: F401  (Unix only)
        except ImportError:
            server = "waitress"
    workers = args.workers or default_workers()
    threads = args.threads or (8 if server == "waitress" else 4)
    if server == "waitress":
        from waitress import serve

        progress(f"Jaring berjalan di http://{args.host}:{args.port} (waitress, 1 proses, {threads} utas; "
                 "Ctrl+C untuk berhenti)")
        # waitress buffers at most twice the app's limit; the app answers anything over its limit with 413
        serve(application, host=args.host, port=args.port, threads=threads, ident="jaring",
              url_scheme="https" if https else "http", max_request_body_size=2 * settings.JARING_MAX_REQUEST_BYTES)
        return
    from jaring.server import run_gunicorn  # why: only `jaring serve` loads the app

    progress(f"Jaring berjalan di http://{args.host}:{args.port} (gunicorn, {workers} proses × "
             f"{threads} utas; Ctrl+C untuk berhenti)")
    run_gunicorn(application, host=args.host, port=args.port, workers=workers, threads=threads, https=https)


def default_workers() -> int:
    """Worker processes for ``jaring serve``: JARING_WORKERS, else one per CPU core plus one."""
    env = os.environ.get("JARING_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return (os.cpu_count() or 1) + 1


def cmd_worker(args):
    import time

    from django.core.management import call_command
    from django.db import close_old_connections

    from jaring.core import jobs  # why: needs django.setup() (main)
    list(modules("jobs"))  # import registers the periodic jobs
    progress(f"Pekerja latar berjalan: {len(jobs.REGISTRY)} tugas terjadwal (Ctrl+C untuk berhenti)")
    while True:
        close_old_connections()
        for name, period, result in jobs.run_due():
            progress(f"selesai: {name} {period} {json.dumps(result, default=str)}")
        # run queued background tasks (django-tasks-db), then sleep until the next tick
        call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
        if args.once:
            return {"jobs": len(jobs.REGISTRY)}
        time.sleep(args.interval)


def cmd_demo(args):
    from .demo import load_demo_users

    result = load_demo_users()
    for app, module in modules("demo"):
        progress(f"Data contoh: {app}…")
        result.update(module.load(progress) or {})
    return result


def cmd_users_create(args):
    from jaring.accounts.services import create_user  # why: needs django.setup() (main)

    user = create_user(args.username, args.password, args.role, args.office)
    return {"username": user.username, "role": args.role, "office": args.office or None}


def cmd_tokens_create(args):
    from jaring.accounts.services import create_token  # why: needs django.setup() (main)

    return {"token": create_token(args.username, days=args.days)}


def cmd_tokens_revoke(args):
    from jaring.accounts.services import revoke_tokens  # why: needs django.setup() (main)

    return {"username": args.username, "revoked": revoke_tokens(args.username)}


def cmd_quote(args):
    from jaring.contributions.services import quote_contribution  # why: needs django.setup() (main)

    return quote_contribution(args.income, args.programs, args.month, args.sector, args.funding).as_dict()


def cmd_manage(args):
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jaring manage", *args.rest])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jaring", description="Jaring operations CLI")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("migrate", help="create or upgrade the schema and load reference data")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("serve", help="serve pages and API (gunicorn worker processes, static files included)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=0,
                   help="worker processes (default: JARING_WORKERS, else CPU cores + 1)")
    p.add_argument("--threads", type=int, default=None,
                   help="threads per worker process (default 4; waitress: 8 in its one process)")
    p.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn",
                   help="gunicorn (default; Unix) or waitress (one process, e.g. on Windows)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run background tasks and the schedule")
    p.add_argument("--interval", type=int, default=30, help="seconds between ticks")
    p.add_argument("--once", action="store_true", help="one tick, then exit")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("demo", help="demo users (password printed) and a small demo data set; idempotent")
    p.set_defaults(func=cmd_demo)

    users = sub.add_parser("users", help="user accounts").add_subparsers(dest="sub", required=True)
    p = users.add_parser("create", help="create a user with a role and optional office scope")
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--role", required=True, choices=["worker", "agent", "sponsor", "officer", "manager", "admin"])
    p.add_argument("--office", help="branch (KC-…) or regional office (KW-…) code")
    p.set_defaults(func=cmd_users_create)

    tokens = sub.add_parser("tokens", help="API tokens").add_subparsers(dest="sub", required=True)
    p = tokens.add_parser("create", help='print {"token": "..."} for Authorization: Bearer')
    p.add_argument("--username", required=True)
    p.add_argument("--days", type=int, default=90, help="days until the token expires (default 90)")
    p.set_defaults(func=cmd_tokens_create)
    p = tokens.add_parser("revoke", help="revoke every API token of a user")
    p.add_argument("--username", required=True)
    p.set_defaults(func=cmd_tokens_revoke)

    p = sub.add_parser("quote", help="monthly contribution for an income and programs")
    p.add_argument("--income", required=True, type=int)
    p.add_argument("--programs", required=True, help="JKK,JKM[,JHT]")
    p.add_argument("--month", help="YYYY-MM (default: this month)")
    p.add_argument("--sector", default="other", help="transport | other")
    p.add_argument("--funding", default="self", help="self | sponsor | apbd | apbn")
    p.set_defaults(func=cmd_quote)

    p = sub.add_parser("manage", help="Django management commands (advanced)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    for app, module in modules("cli"):
        module.register(sub)
    return parser


def _fail(message: str, code: int = 2):
    print(f"jaring: {message}", file=sys.stderr)
    sys.exit(code)


def _not_migrated(exc) -> bool:
    """True when ``exc`` says a table is missing: the database was never migrated (or is too old)."""
    from django.db import DatabaseError

    text = str(exc).lower()
    return isinstance(exc, DatabaseError) and ("no such table" in text or
                                               ("relation" in text and "does not exist" in text))


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as e:
        _fail(str(e))
    from django.db import DatabaseError
    raw = sys.argv[1:] if argv is None else argv
    if any("\x00" in a for a in raw):  # the same rule as the request guard (jaring.core.guard)
        _fail("argumen berisi karakter NUL (\\0); hapus karakter kendali itu.")
    try:
        parser = build_parser()
    except DatabaseError as e:
        if _not_migrated(e):
            _fail("database belum disiapkan: jalankan `jaring migrate` dulu.")
        raise
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except (RuleError, CliError) as e:
        message = getattr(e, "message", None) or str(e)
        _fail(message)
    except DatabaseError as e:
        if _not_migrated(e) and args.func is not cmd_migrate:
            _fail("database belum disiapkan: jalankan `jaring migrate` dulu.")
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    if result is not None:
        emit(result)
