"""Claims pages: benefit simulation (public), members' claims, officers' queue, managers' report."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.accounts.models import Role
from jaring.accounts.permissions import role_required
from jaring.accounts.policy import STAFF
from jaring.accounts.services import role_of
from jaring.core.errors import DomainError
from jaring.core.pagination import page_of
from jaring.core.replica import reads_from_replica
from jaring.core.spreadsheets import writer as safe_writer
from jaring.members.selectors import get_member_for
from jaring.rules import benefits as rules
from jaring.rules.errors import RuleError
from jaring.savings.rates import rate_table
from jaring.savings.selectors import balance_of

from . import selectors, services
from .labels import ACTION_LABELS, COMPONENT_LABELS, SCENARIOS, component_rows
from .models import PROGRAM_CASES, Case, ClaimDocument, Program, Scholarship, Status

SIM_FIELDS = ("wage", "children", "percent", "months", "consecutive_paid_months", "contribution_months",
              "balance", "monthly_contribution", "years", "annual_rate")

def _sim_params(request) -> dict:
    data = request.GET
    params = {"scenario": data.get("scenario") or "jkk_death"}
    defaults = {"wage": "1000000", "children": "2", "percent": "10", "months": "14",
                "consecutive_paid_months": "3", "contribution_months": "36", "balance": "0",
                "monthly_contribution": "20000", "years": "10", "annual_rate": ""}
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    if member is not None:
        defaults["wage"] = str(member.income)
        defaults["monthly_contribution"] = str(member.income * 2 // 100) if member.jht else "0"

        defaults["balance"] = str(balance_of(member))
        history = services.paid_history(member, timezone.localdate())
        defaults["consecutive_paid_months"] = str(history["consecutive_paid_months"])
        defaults["contribution_months"] = str(history["contribution_months"])
    for f in SIM_FIELDS:
        params[f] = data.get(f, defaults[f])
    return params

def _body(params: dict) -> dict:
    scenario = params["scenario"]
    def num(name, cast=int):
        v = (params.get(name) or "").strip()
        if v == "":
            return None
        try:
            return cast(v)
        except ValueError:
            return v  # the rule says what is wrong with it
    if scenario == "jht":
        return {"program": "JHT", "balance": num("balance") or 0, "monthly_contribution": num("monthly_contribution") or 0,
                "years": num("years"), "annual_rate": num("annual_rate", float)}
    if scenario == "jkm_death":
        return {"program": "JKM", "consecutive_paid_months": num("consecutive_paid_months"),
                "contribution_months": num("contribution_months"), "children": num("children")}
    case = scenario.removeprefix("jkk_")
    return {"program": "JKK", "case": case, "wage": num("wage"), "percent": num("percent", float),
            "months": num("months"), "children": num("children")}

def _estimate_context(params: dict) -> dict:
    ctx = {"params": params, "scenarios": SCENARIOS}
    try:
        body = _body(params)

        result = rules.estimate(body, jht_rates=rate_table() if body.get("program") == "JHT" else None)
        ctx["result"] = result
        ctx["rows"] = component_rows(result["components"])
    except RuleError as e:
        ctx["error"] = e.message
    return ctx

def simulate(request):
    return render(request, "claims/simulate.html", _estimate_context(_sim_params(request)))

def simulate_result(request):
    return render(request, "claims/_estimate.html", _estimate_context(_sim_params(request)))

# --- claims workflow pages ------------------------------------------------------------------------------


DOC_FIELDS = (("doc_ktp", "ktp"), ("doc_event", "death_certificate"), ("doc_medical", "medical"),
              ("doc_bank", "bank_book"))

def _domain_to_http(e: DomainError):
    if e.status == 403:
        raise PermissionDenied(e.message)
    raise Http404(e.message)

@role_required(Role.WORKER)
def my_claims(request):
    member = getattr(request.user, "member", None)
    page = page_of(request, selectors.claims_of_user(request.user))
    return render(request, "claims/my_claims.html", {"page": page, "member": member})

@role_required(Role.WORKER, *STAFF)
def file_claim(request):
    role = role_of(request.user)
    is_staff = role in STAFF
    member = None if is_staff else getattr(request.user, "member", None)
    if not is_staff and member is None:
        messages.error(request, _("Akun ini belum terhubung ke data peserta; hubungi kantor cabang."))
        return redirect("claims:my_claims")
    data = request.POST if request.method == "POST" else request.GET
    ctx = {"data": data, "errors": {}, "is_staff": is_staff, "member": member, "programs": Program.choices,
           "cases": [(c, Case(c).label) for c in Case.values], "program_cases_json": json.dumps(PROGRAM_CASES),
           "doc_fields": DOC_FIELDS, "doc_kinds": dict(ClaimDocument.Kind.choices),
           "levels": ["TK", "SD", "SMP", "SMA", "PT"], "today": timezone.localdate().isoformat()}
    if is_staff and data.get("kpj"):
        try:
            member = get_member_for(request.user, data.get("kpj"))
            ctx["member"] = member
        except DomainError as e:
            ctx["errors"]["kpj"] = e.message
    if request.method == "POST" and member is not None:
        docs = [(kind, f) for field, kind in DOC_FIELDS for f in request.FILES.getlist(field)]
        try:
            claim = services.file_claim(member, request.POST, docs, actor=request.user)
        except DomainError as e:
            ctx["error"] = e.message
            ctx["errors"].update(e.errors)
        else:
            messages.success(request, _("Klaim %(n)s diajukan. Pantau statusnya di halaman ini.") % {"n": claim.number})
            return redirect("claims:detail", number=claim.number)
    elif request.method == "POST" and is_staff and not ctx["errors"]:
        ctx["errors"]["kpj"] = _("Isi nomor KPJ peserta.")
    return render(request, "claims/file.html", ctx, status=422 if ctx.get("error") or (
        request.method == "POST" and ctx["errors"]) else 200)

@role_required(Role.WORKER, *STAFF)
def detail(request, number):
    try:
        claim = selectors.get_claim_for(request.user, number)
    except DomainError as e:
        _domain_to_http(e)
    role = role_of(request.user)
    is_staff = role in STAFF
    ctx = {"claim": claim, "is_staff": is_staff,
           "rows": [(k, COMPONENT_LABELS.get(k, k), v) for k, v in claim.components.items()],
           "documents": claim.documents.all(),
           "timeline": [(ev, ACTION_LABELS.get(ev.action, ev.action)) for ev in selectors.timeline(claim)],
           "scholarships": claim.scholarships.all(), "threshold": services.checker_threshold(),
           "needs_checker": claim.amount > services.checker_threshold(),
           "ageing": selectors.ageing_days(claim), "this_year": timezone.localdate().year,
           "masked_account": "•••" + claim.bank_account[-4:]}
    return render(request, "claims/detail.html", ctx)

@require_POST
@role_required(*STAFF)
def act(request, number, action):
    try:
        claim = selectors.get_claim_for(request.user, number)
    except DomainError as e:
        _domain_to_http(e)
    note = request.POST.get("note", "")
    try:
        if action == "review":
            services.review(claim, actor=request.user, percent=request.POST.get("percent"),
                            months=request.POST.get("months"), note=note)
        elif action == "approve":
            services.approve(claim, actor=request.user, note=note)
        elif action == "reject":
            services.reject(claim, actor=request.user, reason=request.POST.get("reason", ""))
        elif action == "pay":
            services.mark_paid(claim, actor=request.user, reference=request.POST.get("reference", ""), note=note)
        elif action == "scholarship":
            item = get_object_or_404(Scholarship, pk=request.POST.get("item"), claim=claim)
            services.pay_scholarship(item, actor=request.user, note=note)
        elif action == "scholarship_stop":
            services.stop_scholarships(claim, int(request.POST.get("child") or 0), actor=request.user,
                                       reason=request.POST.get("reason", ""))
        else:
            raise Http404
    except DomainError as e:
        messages.error(request, e.message)
    else:
        claim.refresh_from_db()
        messages.success(request, _("Tersimpan. Status klaim: %(s)s.") % {"s": claim.get_status_display()})
    return redirect("claims:detail", number=number)

@role_required(Role.WORKER, *STAFF)
def document(request, number, pk):
    try:
        claim = selectors.get_claim_for(request.user, number)
    except DomainError as e:
        _domain_to_http(e)
    doc = get_object_or_404(ClaimDocument, pk=pk, claim=claim)
    return FileResponse(doc.file.open("rb"), content_type=doc.content_type, filename=doc.original_name)

@role_required(*STAFF)
def queue(request):
    status = request.GET.get("status") or "open"
    program = request.GET.get("program") or ""
    q = request.GET.get("q") or ""
    page = page_of(request, selectors.queue(request.user, status=status, program=program, q=q))
    today = timezone.localdate()
    rows = [(c, selectors.ageing_days(c, today)) for c in page.object_list]
    ctx = {"page": page, "rows": rows, "status": status, "program": program, "q": q,
           "statuses": [("open", _("Belum selesai")), ("all", _("Semua"))] + list(Status.choices),
           "programs": Program.choices, "counts": selectors.queue_counts(request.user),
           "threshold": services.checker_threshold()}
    return render(request, "claims/queue.html", ctx)

@role_required(Role.MANAGER, Role.ADMIN, Role.OFFICER)
@reads_from_replica
def paid_report(request):
    province = (request.GET.get("province") or "").strip()
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    report = selectors.paid_report(request.user, province=province, year=year)
    if request.GET.get("format") == "csv":
        from django.http import HttpResponse

        resp = HttpResponse(content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="klaim-dibayar{"-" + province if province else ""}.csv"'

        out = safe_writer(resp)
        out.writerow(["kode", "wilayah", "jkk_klaim", "jkk_rupiah", "jkm_klaim", "jkm_rupiah", "jht_klaim",
                      "jht_rupiah", "klaim", "rupiah"])
        for r in report["rows"]:
            out.writerow([r["code"], r["name"], *r["JKK"], *r["JKM"], *r["JHT"], r["count"], r["amount"]])
        return resp
    return render(request, "claims/paid_report.html", {"report": report, "province": province, "year": year})

def family_file(request):
    """Public: a family member files with the member's KPJ and NIK (no sign-in)."""
    data = request.POST if request.method == "POST" else request.GET
    ctx = {"data": data, "errors": {}, "is_staff": False, "family": True, "member": None,
           "programs": Program.choices, "cases": [(c, Case(c).label) for c in Case.values],
           "program_cases_json": json.dumps(PROGRAM_CASES), "doc_fields": DOC_FIELDS, "doc_kinds": dict(ClaimDocument.Kind.choices),
           "levels": ["TK", "SD", "SMP", "SMA", "PT"], "today": timezone.localdate().isoformat()}
    if request.method == "POST":
        docs = [(kind, f) for field, kind in DOC_FIELDS for f in request.FILES.getlist(field)]
        try:
            claim = services.file_family_claim(request.POST.get("kpj"), request.POST.get("nik"), request.POST, docs)
        except DomainError as e:
            ctx["error"] = e.message
            ctx["errors"].update(e.errors)
            return render(request, "claims/file.html", ctx, status=422)
        return redirect(f"{reverse('claims:track')}?number={claim.number}&kpj={claim.member.kpj}&baru=1")
    return render(request, "claims/file.html", ctx)

def track(request):
    """Public status of one claim, by claim number and KPJ (what a family can follow without a sign-in)."""
    number = (request.GET.get("number") or "").strip()
    kpj = (request.GET.get("kpj") or "").strip()
    claim = None
    if number and kpj:
        from .models import Claim

        claim = Claim.objects.filter(number=number, member__kpj=kpj).select_related("member").first()
    ctx = {"claim": claim, "number": number, "kpj": kpj, "asked": bool(number and kpj),
           "new": request.GET.get("baru") == "1",
           "rows": [(k, COMPONENT_LABELS.get(k, k), v) for k, v in claim.components.items()] if claim else []}
    return render(request, "claims/track.html", ctx)
