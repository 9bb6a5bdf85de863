"""`jaring seed --members N [--months M]` and `jaring members import FILE ...`."""

from __future__ import annotations

from jaring.accounts.services import role_of
from jaring.core import events
from jaring.core.console import progress
from jaring.core.errors import DomainError


def cmd_seed(args):
    from . import services, synthetic

    if args.members < 0 or args.members > 5_000_000:
        raise DomainError("--members harus antara 0 dan 5.000.000.", {"members": "0 … 5.000.000"})
    if args.months < 0 or args.months > 120:
        raise DomainError("--months harus antara 0 dan 120.", {"months": "0 … 120"})
    seeded = synthetic.create_members(args.members, months=args.months, seed=args.seed, progress=progress)
    result = seeded.summary()
    if args.months and seeded.ids and events.subscribers(services.MEMBERS_SEEDED):
        progress(f"riwayat iuran {args.months} bulan…")
        # the contributions app seeds the bills and payments of those months
        history = events.first(services.MEMBERS_SEEDED, ids=seeded.ids, months=args.months, progress=progress)
        result["history"] = history if isinstance(history, dict) else {"result": history}
    return result

def cmd_import(args):
    from django.contrib.auth import get_user_model

    from . import importer

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None or role_of(user) not in ("officer", "manager", "admin", "agent"):
        raise DomainError(f"Pengguna '{args.username}' tidak ada atau tidak boleh mengimpor peserta "
                          "(petugas atau agen; sponsor mengimpor lewat portal sponsor).",
                          {"username": "Petugas atau agen."})
    channel, fundings = importer.channel_for(user)
    funding = args.funding or fundings[0]
    if funding not in fundings:
        raise DomainError(f"Sumber dana '{funding}' tidak boleh untuk peran ini; pilih: {', '.join(fundings)}.",
                          {"funding": "Tidak diizinkan."})
    with open(args.file, "rb") as f:
        job = importer.start_job(f, args.file, actor=user, channel=channel, funding=funding)
    progress(f"{job.total} baris dibaca, {job.preview_errors} bergalat")
    if args.dry_run:
        return {"rows": job.total, "valid": job.total - job.preview_errors, "errors": job.preview_errors,
                "job": job.pk, "imported": 0}
    job = importer.run_job(job, actor=user, progress=progress)
    if args.errors and job.errors:
        with open(args.errors, "wb") as out:
            out.write(importer.errors_csv(job.errors))
    return {"rows": job.total, "imported": job.imported, "errors": len(job.errors), "job": job.pk}

def register(subparsers):
    p = subparsers.add_parser("seed", help="realistic synthetic members (and payment history)")
    p.add_argument("--members", type=int, required=True, help="how many members")
    p.add_argument("--months", type=int, default=0, help="months of registrations and payment history")
    p.add_argument("--seed", type=int, default=None, help="random seed for a repeatable data set")
    p.set_defaults(func=cmd_seed)

    members = subparsers.add_parser("members", help="members").add_subparsers(dest="sub", required=True)
    p = members.add_parser("import", help="import a CSV/XLSX list of workers as USER (counts as JSON)")
    p.add_argument("file")
    p.add_argument("--username", required=True, help="officer or agent importing the list")
    p.add_argument("--funding", help="self | sponsor | apbd | apbn (officers); default by role")
    p.add_argument("--errors", help="write the rejected rows with reasons to this CSV file")
    p.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
    p.set_defaults(func=cmd_import)
