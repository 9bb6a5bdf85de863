"""The agent's phone workspace (recruits, follow-up, collections, commission) and officers' agent pages."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.accounts.permissions import role_required
from jaring.accounts.policy import STAFF
from jaring.accounts.scoping import scope_for
from jaring.contributions.services import cost_of_months
from jaring.core.errors import NotFound
from jaring.core.http import domain_errors_as_http
from jaring.core.pagination import page_of
from jaring.core.spreadsheets import writer as safe_writer
from jaring.members.models import Member
from jaring.regions.models import BranchOffice
from jaring.rules.errors import RuleError
from jaring.rules.periods import add_months, month_str, parse_month

from . import selectors, services
from .models import AgentStatus


_guard = domain_errors_as_http


# --- the agent's workspace ------------------------------------------------------------------------------

@_guard
@role_required("agent")
def recruits(request):
    agent = selectors.agent_of(request.user)
    q = request.GET.get("q", "").strip()
    page = page_of(request, selectors.recruits(agent, q))
    today = timezone.localdate()
    month = today.replace(day=1)
    new_this_month = agent.recruitments.filter(recruited_on__gte=month).count()
    today_rows = selectors.collections_on(agent, today)
    summary = {"follow_up": selectors.follow_up(agent, today).count(),
               "collected_today": sum(today_rows.values_list("amount", flat=True)),
               "last_commission": selectors.statements(agent).filter(month__lt=month).first()}
    return render(request, "agents/recruits.html", {"agent": agent, "page": page, "q": q,
                                                    "new_this_month": new_this_month, "summary": summary})

@_guard
@role_required("agent")
def follow_up(request):
    agent = selectors.agent_of(request.user)
    page = page_of(request, selectors.follow_up(agent))
    rows = selectors.with_coverage(page.object_list)
    return render(request, "agents/follow_up.html", {"agent": agent, "page": page, "rows": rows})

@_guard
@role_required("agent")
def collections(request):
    """Today's collections, and the form to take a worker's cash: KPJ + months → amount → confirm."""

    agent = selectors.agent_of(request.user)
    today = timezone.localdate()
    ctx = {"agent": agent, "today": today, "months_choices": range(1, 13)}
    kpj = (request.POST.get("kpj") or request.GET.get("kpj") or "").strip()
    months = request.POST.get("months") or request.GET.get("months") or "1"
    if request.method == "POST":
        member = Member.objects.filter(kpj=kpj).first()
        try:
            if member is None:
                raise NotFound(_("Tidak ada peserta dengan KPJ %(kpj)s; periksa nomornya.") % {"kpj": kpj})
            col, created = services.collect(agent, member, months, amount=request.POST.get("amount"),
                                            reference=request.POST.get("reference"), actor=request.user)
        except RuleError as e:
            messages.error(request, e.message)
        else:
            if created:
                if col.months:
                    messages.success(request, _("Setoran %(ref)s: Rp%(amount)s dari %(name)s untuk %(n)s bulan tercatat.")
                                     % {"ref": col.reference, "amount": f"{col.amount:,}".replace(",", "."),
                                        "name": member.name, "n": col.months})
                else:
                    messages.success(request, _("Setoran %(ref)s: Rp%(amount)s dari %(name)s masuk saldo prabayar.")
                                     % {"ref": col.reference, "amount": f"{col.amount:,}".replace(",", "."),
                                        "name": member.name})
            else:
                messages.info(request, _("Setoran ini sudah tercatat sebelumnya."))
            return redirect("agents:collections")
    elif kpj:
        member = Member.objects.filter(kpj=kpj).first()
        if member is None:
            ctx["error"] = _("Tidak ada peserta dengan KPJ %(kpj)s; periksa nomornya.") % {"kpj": kpj}
        else:
            try:
                cost = cost_of_months(member, months)
                ctx.update({"member": member, "cost": cost, "amount": sum(a for _m, a in cost),
                            "months": len(cost), "reference": uuid.uuid4().hex[:12]})
            except RuleError as e:
                ctx["error"] = e.message
    rows = list(selectors.collections_on(agent, today))
    ctx.update({"rows": rows, "total": sum(c.amount for c in rows), "kpj": kpj,
                "topup_reference": uuid.uuid4().hex[:12]})
    return render(request, "agents/collections.html", ctx)

@_guard
@role_required("agent")
def commissions(request):
    agent = selectors.agent_of(request.user)
    page = page_of(request, selectors.statements(agent))
    month = request.GET.get("bulan")
    detail = None
    if month:
        try:
            detail = selectors.statement(agent, parse_month(month, "bulan"))
        except RuleError as e:
            messages.error(request, e.message)
    return render(request, "agents/commissions.html", {"agent": agent, "page": page, "detail": detail})

# --- officers and managers ------------------------------------------------------------------------------

@_guard
@role_required(*STAFF)
def ranking(request):
    this = timezone.localdate().replace(day=1)
    try:
        m_to = parse_month(request.GET["sampai"], "sampai") if request.GET.get("sampai") else this
        m_from = parse_month(request.GET["dari"], "dari") if request.GET.get("dari") else add_months(m_to, -2)
    except RuleError as e:
        messages.error(request, e.message)
        m_to, m_from = this, add_months(this, -2)
    if m_from > m_to:
        m_from, m_to = m_to, m_from
    sort = request.GET.get("urut", "recruits")
    q = request.GET.get("q", "").strip()
    rows = selectors.ranked(request.user, m_from, m_to, sort, q)
    page = page_of(request, rows)
    return render(request, "agents/ranking.html", {
        "page": page, "sort": sort, "q": q, "dari": month_str(m_from), "sampai": month_str(m_to),
        "last_month": month_str(add_months(this, -1)),
        "sorts": [("recruits", _("Rekrutan")), ("collected", _("Setoran")), ("retention", _("Retensi"))]})

@_guard
@role_required(*STAFF)
def payout_csv(request, month):
    """The month's commission payout list (bank transfer file for finance), agents in the user's scope."""
    import io

    from django.http import HttpResponse

    try:
        m = parse_month(month)
    except RuleError:
        raise Http404
    out = io.StringIO()

    w = safe_writer(out)
    w.writerow(["kode_agen", "nama", "kantor", "bank", "rekening", "atas_nama", "bulan", "rekrutan", "terkumpul",
                "komisi", "bonus", "total"])
    for c in selectors.payout(request.user, m):
        a = c.agent
        w.writerow([a.code, a.name, a.branch_id, a.bank_name, a.bank_account, a.bank_holder, month_str(c.month),
                    c.recruits, c.collected, c.commission, c.bonus, c.total])
    resp = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="komisi-agen-{month_str(m)}.csv"'
    return resp

@_guard
@role_required(*STAFF)
def onboard(request):
    profile = getattr(request.user, "profile", None)
    data, errors = {"branch": getattr(profile, "branch_id", "") or ""}, {}
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in ("username", "password", "name", "phone", "branch",
                                                               "bank_name", "bank_account", "bank_holder")}
        try:
            agent = services.onboard_agent(data, actor=request.user)
        except RuleError as e:
            errors = e.errors
            messages.error(request, e.message)
        else:
            messages.success(request, _("Agen %(code)s %(name)s terdaftar.") % {"code": agent.code, "name": agent.name})
            return redirect("agents:detail", code=agent.code)
    branches = scope_for(request.user).filter(BranchOffice.objects.order_by("code"), field="code")
    return render(request, "agents/onboard.html", {"data": data, "errors": errors, "branches": branches})

@_guard
@role_required(*STAFF)
def detail(request, code):
    agent = selectors.get_agent_for(request.user, code)
    return render(request, "agents/detail.html", {
        "agent": agent, "statements": selectors.statements(agent)[:12],
        "recruits": selectors.recruits(agent)[:10], "recruit_count": agent.recruitments.count(),
        "can_rejoin": agent.status == AgentStatus.SUSPENDED and (agent.rejoin_on is None
                                                                 or agent.rejoin_on <= timezone.localdate())})

@require_POST
@_guard
@role_required(*STAFF)
def rejoin(request, code):
    agent = selectors.get_agent_for(request.user, code)
    try:
        services.rejoin_agent(agent, actor=request.user)
    except RuleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Agen %(code)s aktif kembali.") % {"code": agent.code})
    return redirect("agents:detail", code=agent.code)
