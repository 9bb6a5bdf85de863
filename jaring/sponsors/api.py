"""Sertakan sponsors, government programmes and group invoices over HTTP.

A sponsor's token sees only its own sponsor record, workers and invoices: another sponsor's id, worker
or invoice answers 404. Officers and managers see the sponsors of the branches in their scope.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.paginator import Paginator
from ninja import Field, File, Form, Router, Schema, Status
from jaring.api.errors import errors
from ninja.files import UploadedFile

from jaring.api.schemas import InputSchema

from jaring.accounts.services import role_of
from jaring.core.errors import Forbidden, NotFound
from jaring.core.limits import MAX_RUPIAH

from . import selectors, services
from .models import RegionalProgram, Sponsor

router = Router(tags=["sponsors"])
PAGE = 25
RECORDERS = ("officer", "manager", "admin")


class SponsorIn(InputSchema):
    kind: str
    name: str
    branch: str
    region: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    npwp: str | None = None
    username: str | None = None
    password: str | None = None


class SponsorOut(Schema):
    id: int
    kind: str
    name: str
    branch: str
    region: str | None
    funding: str
    phone: str
    email: str


def _sponsor_out(s: Sponsor) -> dict:
    return {"id": s.pk, "kind": s.kind, "name": s.name, "branch": s.branch_id, "region": s.region_id,
            "funding": s.funding, "phone": s.phone, "email": s.email}


class WorkerOut(Schema):
    kpj: str
    name: str
    status: str
    funding: str
    programs: list[str]
    sponsored_until: str | None


class WorkerPage(Schema):
    count: int
    page: int
    pages: int
    results: list[WorkerOut]


class WorkerIn(InputSchema):
    nik: str
    name: str
    birth_date: date
    gender: str | None = None
    phone: str
    village_code: str
    occupation: str
    second_occupation: str | None = None
    income: int
    programs: str | list[str] = "JKK,JKM"
    address: str | None = None


class LineOut(Schema):
    position: int
    kpj: str
    name: str
    months: int
    first_month: str
    monthly: list[tuple[str, int]]
    amount: int
    paid: bool


class InvoiceOut(Schema):
    number: str
    payment_code: str
    sponsor_id: int
    program_id: int | None
    status: str
    start_month: str
    end_month: str
    amount: int
    paid_amount: int
    unapplied: int
    outstanding: int
    due_date: date
    workers: int
    lines: list[LineOut] | None = None


class InvoiceIn(InputSchema):
    kpjs: list[str]
    months: int = 12
    program_id: int | None = None


class PaymentIn(InputSchema):
    amount: int = Field(..., ge=1, le=MAX_RUPIAH, description="Rupiah received, 1 to 999.999.999.999")
    reference: str = Field(..., min_length=1, max_length=40, pattern=r"^[^:\u0000]*[^:\s\u0000][^:\u0000]*$",
                           description="the bank or transfer reference (no colon)")
    paid_at: datetime | None = None


class NotCredited(Schema):
    kpj: str
    name: str
    amount: int
    reason: str


class PaymentReport(Schema):
    invoice: str
    reference: str
    received: int
    applied: int
    unapplied: int
    status: str
    credited: list[str]
    crediting: list[str]
    not_credited: list[NotCredited]
    duplicate: bool


class ImportError_(Schema):
    row: int
    errors: dict[str, str]


class ImportOut(Schema):
    total: int
    imported: int
    rejected: int
    errors: list[ImportError_]
    invoice: InvoiceOut | None


class ProgramIn(InputSchema):
    name: str
    budget: int
    quota: int
    target_group: str
    start_month: str
    end_month: str
    jht: bool = False


class ProgramOut(Schema):
    id: int
    sponsor_id: int
    name: str
    target_group: str
    start_month: str
    end_month: str
    jht: bool
    budget: int
    committed: int
    paid: int
    remaining_budget: int
    quota: int
    workers: int
    remaining_quota: int
    consumed_percent: float
    estimate_full_quota: int


def _ym(d) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def invoice_out(inv, with_lines: bool = True) -> dict:
    out = {"number": inv.number, "payment_code": inv.payment_code, "sponsor_id": inv.sponsor_id,
           "program_id": inv.program_id, "status": inv.status, "start_month": _ym(inv.start_month),
           "end_month": _ym(inv.end_month), "amount": inv.amount, "paid_amount": inv.paid_amount,
           "unapplied": inv.unapplied, "outstanding": inv.outstanding, "due_date": inv.due_date,
           "workers": getattr(inv, "workers", None) or inv.lines.count(), "lines": None}
    if with_lines:
        out["lines"] = [{"position": ln.position, "kpj": ln.member.kpj, "name": ln.member.name, "months": ln.months,
                         "first_month": _ym(ln.first_month), "monthly": [tuple(x) for x in ln.monthly],
                         "amount": ln.amount, "paid": ln.paid} for ln in selectors.lines_of(inv)]
    return out


def program_out(p: RegionalProgram) -> dict:
    usage = services.program_usage(p)
    return {"id": p.pk, "sponsor_id": p.sponsor_id, "name": p.name, "target_group": p.target_group,
            "start_month": _ym(p.start_month), "end_month": _ym(p.end_month), "jht": p.jht, **usage,
            "estimate_full_quota": selectors.program_estimate(p)["total"]}


def _sponsor(request, sponsor_id: int) -> Sponsor:
    return selectors.get_sponsor_for(request.auth, sponsor_id)


@router.get("/sponsors", response={200: list[SponsorOut], **errors(403, 404)}, summary="Sponsors in the caller's scope (a sponsor: itself)")
def list_sponsors(request, q: str = "", kind: str = ""):
    own = selectors.sponsor_of(request.auth)
    if own is not None:
        return [_sponsor_out(own)]
    return [_sponsor_out(s) for s in selectors.sponsors_for(request.auth, q, kind)[:200]]


@router.post("/sponsors", response={201: SponsorOut, **errors(403, 404, 409)}, summary="Register a sponsor (officer/manager/admin)")
def create_sponsor(request, payload: SponsorIn):
    if role_of(request.auth) not in RECORDERS:
        raise Forbidden("Hanya petugas kantor cabang yang dapat mendaftarkan sponsor.")
    s = services.create_sponsor(payload.dict(), actor=request.auth)
    return Status(201, _sponsor_out(s))


@router.get("/sponsors/me", response={200: SponsorOut, **errors(403, 404)}, summary="The signed-in sponsor")
def me(request):
    return _sponsor_out(selectors.require_sponsor(request.auth))


@router.get("/sponsors/{sponsor_id}/workers", response={200: WorkerPage, **errors(403, 404)},
            summary="The sponsor's workers (only its own; 404 for another sponsor)")
def workers(request, sponsor_id: int, q: str = "", status: str = "", page: int = 1):
    s = _sponsor(request, sponsor_id)
    p = Paginator(selectors.workers_of(s, q, status), PAGE).get_page(page)
    return {"count": p.paginator.count, "page": p.number, "pages": p.paginator.num_pages,
            "results": [{"kpj": m.kpj, "name": m.name, "status": m.status, "funding": m.funding,
                         "programs": m.programs, "sponsored_until": m.sponsored_until and _ym(m.sponsored_until)}
                        for m in p.object_list]}


@router.get("/sponsors/{sponsor_id}/workers/{kpj}", response={200: WorkerOut, **errors(403, 404)}, summary="One of the sponsor's workers")
def worker(request, sponsor_id: int, kpj: str):
    s = _sponsor(request, sponsor_id)
    m = selectors.worker_of(s, kpj)
    return {"kpj": m.kpj, "name": m.name, "status": m.status, "funding": m.funding, "programs": m.programs,
            "sponsored_until": m.sponsored_until and _ym(m.sponsored_until)}


@router.post("/sponsors/{sponsor_id}/workers", response={201: InvoiceOut, **errors(403, 404, 409)},
             summary="Add one worker (registered active, funding from the sponsor) and bill the chosen months")
def add_worker(request, sponsor_id: int, payload: WorkerIn, months: int = 12, program_id: int | None = None):
    s = _sponsor(request, sponsor_id)
    program = _program_of(s, program_id)
    m = services.add_worker(s, payload.dict(), actor=request.auth)
    inv = services.create_invoice(s, [m], months=months, program=program, actor=request.auth)
    return Status(201, invoice_out(inv))


def _program_of(s: Sponsor, program_id):
    if not program_id:
        return None
    p = RegionalProgram.objects.filter(pk=program_id, sponsor=s).first()
    if p is None:
        raise NotFound("Program tidak ditemukan.")
    return p


@router.post("/sponsors/{sponsor_id}/imports", response={201: ImportOut, **errors(403, 404, 409, 413)},
             summary="Upload an Excel/CSV list of workers; valid rows are registered and billed on one invoice",
             description="Columns as the members import template (nik, name, birth_date, gender, phone, "
                         "village_code, address, occupation, second_occupation, income, programs). Rejected rows "
                         "come back with their row number and reasons; the invoice covers the imported workers.")
def import_list(request, sponsor_id: int, file: File[UploadedFile], months: Form[int] = 12,
                programs: Form[str] = "JKK,JKM", program_id: Form[int | None] = None):
    s = _sponsor(request, sponsor_id)
    program = _program_of(s, program_id)
    result = services.import_workers(s, file, file.name, programs=programs, actor=request.auth)
    inv = None
    if result.imported:
        inv = services.create_invoice(s, result.imported, months=months, program=program, actor=request.auth)
    return Status(201, {"total": result.total, "imported": len(result.imported), "rejected": len(result.errors),
                        "errors": [{"row": n, "errors": e} for n, _r, e in result.errors],
                        "invoice": invoice_out(inv) if inv else None})


@router.get("/sponsors/{sponsor_id}/invoices", response={200: list[InvoiceOut], **errors(403, 404)}, summary="The sponsor's group invoices")
def invoices(request, sponsor_id: int):
    s = _sponsor(request, sponsor_id)
    return [invoice_out(i, with_lines=False) for i in selectors.invoices_of(s)[:200]]


@router.post("/sponsors/{sponsor_id}/invoices", response={201: InvoiceOut, **errors(403, 404, 409)},
             summary="Bill the chosen workers (already the sponsor's, e.g. a renewal) for 1-12 months")
def create_invoice(request, sponsor_id: int, payload: InvoiceIn):
    s = _sponsor(request, sponsor_id)
    members = [selectors.worker_of(s, k) for k in payload.kpjs]
    inv = services.create_invoice(s, members, months=payload.months, program=_program_of(s, payload.program_id),
                                  actor=request.auth)
    return Status(201, invoice_out(inv))


@router.get("/invoices/{number}", response={200: InvoiceOut, **errors(403, 404)},
            summary="A group invoice with its per-worker breakdown (by number or payment code)")
def invoice(request, number: str):
    return invoice_out(selectors.invoice_for(request.auth, number))


@router.post("/invoices/{number}/payments", response={200: PaymentReport, **errors(403, 404, 409)},
             summary="Record money received for a group invoice (officer/manager/admin)",
             description="Whole workers are credited in invoice order while the money (plus anything left "
                         "from an earlier payment) covers their full amount; each is posted on channel SPONSOR. "
                         "`credited`: posted now; `crediting`: allocated to this payment and being posted by a "
                         "background task (large invoices); `not_credited`: waiting, each with the reason. "
                         "Idempotent on (invoice, reference): resend to see progress; the same reference with "
                         "another amount is 409.")
def pay(request, number: str, payload: PaymentIn):
    if role_of(request.auth) not in RECORDERS:
        raise Forbidden("Pembayaran tagihan dicatat oleh petugas kantor cabang.")
    inv = selectors.invoice_for(request.auth, number)
    report, created = services.pay_invoice(inv, amount=payload.amount, reference=payload.reference,
                                           paid_at=payload.paid_at, actor=request.auth)
    return {**report, "duplicate": not created}


@router.post("/invoices/{number}/cancel", response={200: InvoiceOut, **errors(403, 404, 409)},
             summary="Cancel an unpaid group invoice (officer/manager/admin); its sponsorships are cancelled")
def cancel(request, number: str):
    if role_of(request.auth) not in RECORDERS:
        raise Forbidden("Tagihan dibatalkan oleh petugas kantor cabang.")
    return invoice_out(services.cancel_invoice(selectors.invoice_for(request.auth, number), actor=request.auth))


@router.get("/sponsors/{sponsor_id}/programs", response={200: list[ProgramOut], **errors(403, 404)},
            summary="Government programmes of a sponsor: budget consumption and remaining quota")
def programs(request, sponsor_id: int):
    s = _sponsor(request, sponsor_id)
    return [program_out(p) for p in s.programs.all()]


@router.post("/sponsors/{sponsor_id}/programs", response={201: ProgramOut, **errors(403, 404, 409)},
             summary="Create a government programme (budget, quota, target group, period)")
def create_program(request, sponsor_id: int, payload: ProgramIn):
    if role_of(request.auth) not in RECORDERS:
        raise Forbidden("Program anggaran dicatat oleh petugas kantor cabang.")
    s = _sponsor(request, sponsor_id)
    return Status(201, program_out(services.create_program(s, payload.dict(), actor=request.auth)))


@router.get("/programs/{program_id}", response={200: ProgramOut, **errors(403, 404)}, summary="One programme with its consumption")
def program(request, program_id: int):
    p = selectors.programs_for(request.auth).filter(pk=program_id).first()
    if p is None:
        raise NotFound("Program tidak ditemukan.")
    return program_out(p)
