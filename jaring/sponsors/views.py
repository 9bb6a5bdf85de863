"""Sponsor portal (own workers, upload, invoices) and officers' sponsor & programme pages.

Views parse input and call services/selectors; a sponsor only ever reaches its own records (selectors
answer 404 for anything else).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.accounts.permissions import role_required
from jaring.accounts.policy import STAFF
from jaring.accounts.scoping import scope_for
from jaring.core.errors import DomainError, NotFound
from jaring.core.http import domain_errors_as_http
from jaring.core.pagination import page_of
from jaring.members.importer import template_csv as make
from jaring.members.models import Occupation
from jaring.regions.models import BranchOffice
from jaring.regions.selectors import get_region, region_path
from jaring.rules.errors import RuleError

from . import selectors, services
from .models import InvoiceStatus, RegionalProgram, SponsorKind

WORKER_FIELDS = ["nik", "name", "birth_date", "gender", "phone", "village_code", "address", "occupation", "income"]


_nf = domain_errors_as_http


# --- sponsor portal -------------------------------------------------------------------------------------

@_nf
@role_required("sponsor")
def my_workers(request):
    sponsor = selectors.require_sponsor(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    page = page_of(request, selectors.workers_of(sponsor, q, status))
    return render(request, "sponsors/workers.html", {
        "sponsor": sponsor, "page": page, "q": q, "status": status, "programs": sponsor.programs.all(),
        "ending": selectors.ending_soon(sponsor), "months_choices": range(1, 13)})

def _occupations():
    return Occupation.choices

@_nf
@role_required("sponsor")
def add_worker(request):
    sponsor = selectors.require_sponsor(request.user)
    data, errors = {}, {}
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in WORKER_FIELDS}
        data["programs"] = "JKK,JKM,JHT" if request.POST.get("jht") else "JKK,JKM"
        try:
            program = _program(sponsor, request.POST.get("program"))
            member = services.add_worker(sponsor, data, actor=request.user)
            invoice = services.create_invoice(sponsor, [member], months=request.POST.get("months") or 12,
                                              program=program, actor=request.user)
        except RuleError as e:
            errors = e.errors or {"__all__": e.message}
            messages.error(request, e.message)
        else:
            messages.success(request, _("%(name)s ditambahkan (KPJ %(kpj)s). Tagihan %(number)s sudah terbit.")
                             % {"name": member.name, "kpj": member.kpj, "number": invoice.number})
            return redirect("sponsors:invoice", number=invoice.number)
    village = get_region(data.get("village_code") or "") if data.get("village_code") else None
    return render(request, "sponsors/add_worker.html", {
        "sponsor": sponsor, "data": data, "errors": errors, "occupations": _occupations(),
        "village_label": region_path(village) if village is not None and village.level == 4 else "",
        "programs": sponsor.programs.all(), "months_choices": range(1, 13)})

def _program(sponsor, program_id):
    if not program_id:
        return None
    p = RegionalProgram.objects.filter(pk=program_id, sponsor=sponsor).first()
    if p is None:
        raise DomainError(_("Program tidak ditemukan."), {"program": _("Pilih program Anda.")})
    return p

@_nf
@role_required("sponsor")
def upload(request):
    """Upload an Excel/CSV list: good rows are registered and billed on one invoice; bad rows are listed."""
    sponsor = selectors.require_sponsor(request.user)
    ctx = {"sponsor": sponsor, "programs": sponsor.programs.all(), "months_choices": range(1, 13)}
    if request.method == "POST":
        f = request.FILES.get("file")
        try:
            if f is None:
                raise DomainError(_("Pilih berkas Excel (.xlsx) atau CSV berisi daftar pekerja."),
                                  {"file": _("Wajib diisi.")})
            program = _program(sponsor, request.POST.get("program"))
            programs = "JKK,JKM,JHT" if request.POST.get("jht") else "JKK,JKM"
            result = services.import_workers(sponsor, f, f.name, programs=programs, actor=request.user)
            invoice = None
            if result.imported:
                invoice = services.create_invoice(sponsor, result.imported, months=request.POST.get("months") or 12,
                                                  program=program, actor=request.user)
        except RuleError as e:
            ctx["error"] = e.message
            return render(request, "sponsors/upload.html", ctx, status=422)
        if result.errors:
            request.session["sponsor_import_errors"] = result.error_csv().decode("utf-8")
        ctx.update({"result": result, "invoice": invoice,
                    "lines": selectors.lines_of(invoice) if invoice else [],
                    "error_rows": [(n, row, errs) for n, row, errs in result.errors]})
        return render(request, "sponsors/upload_result.html", ctx)
    return render(request, "sponsors/upload.html", ctx)

@_nf
@role_required("sponsor")
def upload_errors_csv(request):
    body = request.session.get("sponsor_import_errors")
    if not body:
        raise Http404
    resp = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="baris-ditolak.csv"'
    return resp

@role_required("sponsor")
def template_csv(request):
    resp = HttpResponse(make(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="contoh-daftar-pekerja.csv"'
    return resp

@_nf
@require_POST
@role_required("sponsor")
def bill_selected(request):
    """Bill the ticked workers (e.g. a renewal) for the chosen number of months."""
    sponsor = selectors.require_sponsor(request.user)
    kpjs = request.POST.getlist("kpj")
    try:
        members = [selectors.worker_of(sponsor, k) for k in kpjs]
        invoice = services.create_invoice(sponsor, members, months=request.POST.get("months") or 12,
                                          program=_program(sponsor, request.POST.get("program")), actor=request.user)
    except NotFound:
        raise Http404
    except RuleError as e:
        messages.error(request, e.message)
        return redirect("sponsors:workers")
    messages.success(request, _("Tagihan %(number)s terbit untuk %(n)s pekerja.") % {"number": invoice.number,
                                                                                    "n": len(members)})
    return redirect("sponsors:invoice", number=invoice.number)

@_nf
@role_required("sponsor", *STAFF)
def invoices(request):
    own = selectors.sponsor_of(request.user)
    if own is not None:
        qs = selectors.invoices_of(own)
    else:
        from django.db.models import Count

        from .models import GroupInvoice

        qs = scope_for(request.user).filter(GroupInvoice.objects.select_related("sponsor", "program"),
                                            field="sponsor__branch").annotate(workers=Count("lines"))
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(number__icontains=q) | qs.filter(payment_code=q)
    qs = qs.order_by("-issued_at", "-id")
    notices = own.notices.all()[:5] if own is not None else []
    return render(request, "sponsors/invoices.html", {"page": page_of(request, qs), "status": status, "q": q,
                                                      "statuses": InvoiceStatus.choices, "own": own,
                                                      "notices": notices})

@_nf
@role_required("sponsor", *STAFF)
def invoice(request, number):
    inv = selectors.invoice_for(request.user, number)
    lines = selectors.lines_of(inv)
    page = page_of(request, lines)
    for ln in page.object_list:
        ln.runs = selectors.monthly_runs(ln.monthly)
    return render(request, "sponsors/invoice.html", {
        "inv": inv, "page": page, "payments": inv.payments.all(), "can_record": selectors.sponsor_of(request.user) is None,
        "new_reference": f"TRF-{uuid.uuid4().hex[:8].upper()}", "report": request.session.pop("invoice_report", None)})

@require_POST
@_nf
@role_required(*STAFF)
def record_payment(request, number):
    inv = selectors.invoice_for(request.user, number)
    try:
        report, created = services.pay_invoice(inv, amount=(request.POST.get("amount") or "0").replace(".", ""),
                                               reference=request.POST.get("reference", ""), actor=request.user)
    except RuleError as e:
        messages.error(request, e.message)
    else:
        request.session["invoice_report"] = report
        if not created:
            messages.info(request, _("Pembayaran dengan referensi ini sudah tercatat sebelumnya; tidak ada yang berubah."))
        elif report["crediting"]:
            messages.info(request, _("Pembayaran tercatat; %(n)s pekerja sedang dikreditkan di latar belakang.")
                          % {"n": len(report["crediting"])})
        elif report["not_credited"]:
            messages.warning(request, _("Dibayar sebagian: %(a)s pekerja dikreditkan, %(b)s menunggu.")
                             % {"a": len(report["credited"]), "b": len(report["not_credited"])})
        else:
            messages.success(request, _("Lunas: semua pekerja sudah dikreditkan."))
    return redirect("sponsors:invoice", number=inv.number)

@require_POST
@_nf
@role_required(*STAFF)
def cancel(request, number):
    inv = selectors.invoice_for(request.user, number)
    try:
        services.cancel_invoice(inv, actor=request.user)
    except RuleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Tagihan %(number)s dibatalkan.") % {"number": inv.number})
    return redirect("sponsors:invoice", number=inv.number)

# --- officers and managers ------------------------------------------------------------------------------

@_nf
@role_required(*STAFF)
def overview(request):
    """Sponsors & programmes in the user's scope, with amounts."""
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    page = page_of(request, selectors.sponsors_for(request.user, q, kind))
    programs = list(selectors.programs_for(request.user).order_by("-start_month")[:50])
    for p in programs:
        p.usage = services.program_usage(p)
    return render(request, "sponsors/overview.html", {"page": page, "q": q, "kind": kind,
                                                      "kinds": SponsorKind.choices, "programs": programs})

@_nf
@role_required(*STAFF)
def create_sponsor(request):
    data, errors = {}, {}
    profile = getattr(request.user, "profile", None)
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in ("kind", "name", "branch", "region", "contact_name",
                                                               "phone", "email", "npwp", "username", "password")}
        try:
            sponsor = services.create_sponsor(data, actor=request.user)
        except RuleError as e:
            errors = e.errors
            messages.error(request, e.message)
        else:
            messages.success(request, _("Sponsor %(name)s terdaftar.") % {"name": sponsor.name})
            return redirect("sponsors:detail", pk=sponsor.pk)
    else:
        data = {"branch": getattr(profile, "branch_id", "") or ""}

    branches = scope_for(request.user).filter(BranchOffice.objects.order_by("code"), field="code")
    return render(request, "sponsors/sponsor_form.html", {"data": data, "errors": errors,
                                                          "kinds": SponsorKind.choices, "branches": branches})

@_nf
@role_required(*STAFF)
def detail(request, pk):
    sponsor = selectors.get_sponsor_for(request.user, pk)
    errors, data = {}, {}
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in ("name", "budget", "quota", "target_group",
                                                               "start_month", "end_month")}
        data["jht"] = bool(request.POST.get("jht"))
        try:
            services.create_program(sponsor, data, actor=request.user)
        except RuleError as e:
            errors = e.errors
            messages.error(request, e.message)
        else:
            messages.success(request, _("Program %(name)s dibuat.") % {"name": data["name"]})
            return redirect("sponsors:detail", pk=sponsor.pk)
    programs = list(sponsor.programs.all())
    for p in programs:
        p.usage = services.program_usage(p)
    return render(request, "sponsors/detail.html", {
        "sponsor": sponsor, "programs": programs, "invoices": selectors.invoices_of(sponsor)[:25],
        "workers": selectors.workers_of(sponsor).count(), "data": data, "errors": errors,
        "is_gov": sponsor.kind in (SponsorKind.REGIONAL, SponsorKind.VILLAGE),
        "notices": sponsor.notices.all()[:10]})

@_nf
@role_required("sponsor", *STAFF)
def program(request, pk):
    p = selectors.programs_for(request.user).filter(pk=pk).first()
    if p is None:
        raise Http404
    usage = services.program_usage(p)
    return render(request, "sponsors/program.html", {"p": p, "usage": usage,
                                                     "estimate": selectors.program_estimate(p),
                                                     "invoices": p.invoices.all()[:25]})
