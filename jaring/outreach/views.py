from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jaring.accounts.models import Role
from jaring.accounts.permissions import role_required
from jaring.accounts.policy import STAFF
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.core import exports
from jaring.core.errors import DomainError
from jaring.core.http import raise_access_errors
from jaring.core.pagination import page_of
from jaring.core.replica import reads_from_replica
from jaring.members.models import Member, Occupation
from jaring.regions.models import BranchOffice

from . import selectors, services
from .models import Campaign, CampaignKind, Event, EventKind, Lead, LeadStatus

FIELD = (Role.OFFICER, Role.MANAGER, Role.ADMIN, Role.AGENT)


@role_required(*STAFF)
def campaign_list(request):
    q = (request.GET.get("q") or "").strip()
    qs = selectors.campaigns_for(request.user).order_by("-starts_on", "code").annotate(
        n_events=Count("events", distinct=True), n_leads=Count("leads", distinct=True),
        n_reg=Count("leads", filter=Q(leads__member__isnull=False), distinct=True))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return render(request, "outreach/campaign_list.html", {"page": page_of(request, qs), "q": q})

@role_required(*STAFF)
def campaign_create(request):
    allowed = services.user_branches(request.user)
    branches = BranchOffice.objects.all() if allowed is None else BranchOffice.objects.filter(code__in=allowed)
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST.dict()
        data["branches"] = request.POST.getlist("branches")
        try:
            c = services.create_campaign(data, actor=request.user)
        except DomainError as e:
            raise_access_errors(e)
            errors = e.errors
            messages.error(request, e.message)
        else:
            messages.success(request, _("Kampanye disimpan."))
            return redirect("outreach:campaign", code=c.code)
    return render(request, "outreach/campaign_form.html", {"data": data, "errors": errors, "branches": branches,
                                                           "kinds": CampaignKind.choices})

def _campaign(request, code) -> Campaign:
    c = get_object_or_404(Campaign, code=code)
    try:
        services.check_campaign_access(request.user, c)
    except DomainError as e:
        raise_access_errors(e)
    return c

FUNNEL_HEADERS = [label for _, label in selectors.STAGES] + ["Konversi (%)"]


def _funnel_rows(rows):
    return [[r["label"]] + [r[s] for s, _ in selectors.STAGES] + [r["conversion_pct"]] for r in rows]

@role_required(*STAFF)
def campaign_detail(request, code):
    c = _campaign(request, code)
    leads = Lead.objects.filter(campaign=c)
    overall = (selectors.funnel(leads) or [{s: 0 for s, _ in selectors.STAGES}])[0]
    return render(request, "outreach/campaign_detail.html", {
        "c": c, "overall": overall, "stages": selectors.STAGES,
        "lead_pct": round(100 * overall["leads"] / c.target_leads, 1) if c.target_leads else None,
        "reg_pct": round(100 * overall["registered"] / c.target_registrations, 1) if c.target_registrations else 0,
        "by_event": _funnel_rows(selectors.funnel(leads, "event")),
        "by_agent": _funnel_rows(selectors.funnel(leads, "agent")),
        "headers": FUNNEL_HEADERS, "events": page_of(request, c.events.select_related("village").annotate(
            n_leads=Count("leads")).order_by("-date")),
        "branches": c.branches.all()})

@role_required(*STAFF)
@reads_from_replica
def campaign_funnel_export(request, code, fmt):
    c = _campaign(request, code)
    by = request.GET.get("by") or "event"
    if by not in ("event", "agent", "campaign") or fmt not in ("csv", "xlsx"):
        raise Http404
    rows = _funnel_rows(selectors.funnel(Lead.objects.filter(campaign=c), by))
    first = {"event": "Kegiatan", "agent": "Agen", "campaign": "Kampanye"}[by]
    return exports.respond(fmt, f"jaring-funnel-{c.code}-{by}", [first] + FUNNEL_HEADERS, rows, "Funnel")

@role_required(*STAFF)
def event_create(request, code):
    c = _campaign(request, code)
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST.dict()
        try:
            ev = services.create_event(c, data, actor=request.user)
        except DomainError as e:
            raise_access_errors(e)
            errors = e.errors
            messages.error(request, e.message)
        else:
            messages.success(request, _("Kegiatan disimpan."))
            return redirect("outreach:event", pk=ev.pk)
    return render(request, "outreach/event_form.html", {"c": c, "data": data, "errors": errors,
                                                        "kinds": EventKind.choices})

def _event(request, pk) -> Event:
    ev = get_object_or_404(Event.objects.select_related("campaign", "village", "branch"), pk=pk)
    try:
        services.check_event_access(request.user, ev)
    except DomainError as e:
        raise_access_errors(e)
    return ev

@role_required(*FIELD)
def event_detail(request, pk):
    ev = _event(request, pk)
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST.dict()
        try:
            lead = services.capture_lead(ev, data, actor=request.user)
        except DomainError as e:
            raise_access_errors(e)
            errors = e.errors
            messages.error(request, e.message)
        else:
            messages.success(request, _("Prospek %(name)s dicatat.") % {"name": lead.name})
            return redirect("outreach:event", pk=ev.pk)
    q = (request.GET.get("q") or "").strip()
    leads = ev.leads.select_related("member", "agent").order_by("-created_at")
    if q:
        leads = leads.filter(Q(name__icontains=q) | Q(phone__icontains=q))
    f = selectors.funnel(ev.leads.all())
    return render(request, "outreach/event_detail.html", {
        "ev": ev, "page": page_of(request, leads), "q": q, "data": data, "errors": errors,
        "occupations": Occupation.choices, "funnel": f[0] if f else None, "stages": selectors.STAGES,
        "agents": ev.agents.all(), "is_agent": request.user.profile.role == Role.AGENT})

@role_required(*FIELD)
def leads_home(request):
    """'Prospek' for agents (and officers): the events they work and the leads they captured."""
    from django.utils import timezone

    today = timezone.localdate()
    events = selectors.events_for(request.user).filter(date__gte=today.replace(day=1)).order_by("date")[:20]
    leads = Lead.objects.filter(Q(agent=request.user) | Q(captured_by=request.user)).select_related(
        "event", "member").order_by("-created_at")
    status = request.GET.get("status") or ""
    if status in LeadStatus.values:
        leads = leads.filter(status=status)
    return render(request, "outreach/leads_home.html", {"events": events, "page": page_of(request, leads),
                                                        "status": status, "statuses": LeadStatus.choices})

@role_required(*FIELD)
def lead_convert(request, pk):
    try:
        lead = services.get_lead(pk)
        services.check_event_access(request.user, lead.event)
    except DomainError as e:
        raise_access_errors(e)
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST.dict()
        if "decline" in request.POST:
            try:
                services.decline_lead(lead, actor=request.user, note=data.get("note", ""))
            except DomainError as e:
                raise_access_errors(e)
                messages.error(request, e.message)
            return redirect("outreach:event", pk=lead.event_id)
        data["programs"] = "JKK,JKM,JHT" if request.POST.get("jht") else "JKK,JKM"
        try:
            member = services.convert_lead(lead, data, actor=request.user)
        except DomainError as e:
            raise_access_errors(e)
            errors = e.errors
            messages.error(request, e.message)
        else:
            messages.success(request, _("Terdaftar: KPJ %(kpj)s (%(status)s).") % {
                "kpj": member.kpj, "status": member.get_status_display()})
            return redirect("outreach:event", pk=lead.event_id)
    return render(request, "outreach/lead_convert.html", {"lead": lead, "data": data, "errors": errors})

@role_required(*FIELD)
def lapse_list(request):
    from django.utils import timezone

    from . import lapse

    members, branch, choices = lapse.members_in_view(request.user, request.GET.get("branch"))
    band = request.GET.get("band") if request.GET.get("band") in ("tinggi", "sedang", "rendah") else ""
    q = (request.GET.get("q") or "").strip()
    # an agent's round is ordered by where a collection makes the difference; officers see the highest risk first
    order = "impact" if role_of(request.user) == Role.AGENT else "risk"
    rows = lapse.follow_up_list(members, timezone.localdate(), band or None, q, order=order)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return exports.respond(fmt, f"jaring-risiko-{branch or 'agen'}", ["KPJ", "Nama", "HP", "Desa", "Skor",
                                                                        "Tingkat", "Alasan", "Saldo prabayar",
                                                                        "Kurang"],
                               [[r["kpj"], r["name"], r["phone"], r["village__name"], r["score"], r["band"],
                                 r["reasons"], r["balance"], r["short_by"]] for r in rows], "Risiko")
    return render(request, "outreach/lapse_list.html", {"page": page_of(request, rows), "branch": branch,
                                                        "choices": choices, "band": band, "q": q,
                                                        "total": len(rows)})

@role_required(*STAFF)
def outbox(request):
    from .models import Message, MessageKind, MessageStatus
    from .reminders import in_quiet_hours

    qs = scope_for(request.user).filter(Message.objects.select_related("member"), "member__branch")
    status = request.GET.get("status") or ""
    kind = request.GET.get("kind") or ""
    q = (request.GET.get("q") or "").strip()
    if status in MessageStatus.values:
        qs = qs.filter(status=status)
    if kind in MessageKind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(member__kpj__startswith=q) | Q(member__name__icontains=q) | Q(to__contains=q))
    if request.method == "POST" and request.POST.get("kpj"):
        from .reminders import opt_in, opt_out

        member = scope_for(request.user).filter(Member.objects.all()).filter(kpj=request.POST["kpj"].strip()).first()
        if member is None:
            messages.error(request, _("Peserta dengan KPJ itu tidak ada di kantor Anda; periksa nomor KPJ."))
        else:
            try:
                if request.POST.get("action") == "opt_in":
                    opt_in(member, actor=request.user)
                    messages.success(request, _("Pengingat untuk %(kpj)s diaktifkan lagi.") % {"kpj": member.kpj})
                else:
                    opt_out(member, actor=request.user, reason=request.POST.get("reason", ""))
                    messages.success(request, _("%(kpj)s tidak akan menerima pengingat lagi.") % {"kpj": member.kpj})
            except DomainError as e:
                messages.error(request, e.message)
        return redirect("outreach:outbox")
    return render(request, "outreach/outbox.html", {
        "page": page_of(request, qs.order_by("-created_at")), "status": status, "kind": kind, "q": q,
                "statuses": MessageStatus.choices, "kinds": MessageKind.choices, "quiet": in_quiet_hours(),
        # one-time codes are readable here only in development (DEBUG); officers never see a live code
        "show_codes": settings.DEBUG})

# --- reminder experiments (managers; officers see them read-only) ---------------------------------------

@role_required(*STAFF)
def experiment_list(request):
    from . import experiments as exps
    from .models import Experiment, ReminderWording

    can_create = request.user.is_superuser or role_of(request.user) in (Role.MANAGER, Role.ADMIN)
    data, errors = {}, {}
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        data = request.POST.dict()
        arms = []
        for i in range(4):
            code = (request.POST.get(f"arm{i}_code") or "").strip()
            if not code:
                continue
            arms.append({"code": code, "days_before_due": request.POST.get(f"arm{i}_days") or 0,
                         "channel": request.POST.get(f"arm{i}_channel"), "wording": request.POST.get(f"arm{i}_wording"),
                         "weight": request.POST.get(f"arm{i}_weight") or 1,
                         "control": request.POST.get("control") == str(i)})
        try:
            exp = exps.create_experiment(code=data.get("code", ""), name=data.get("name", ""),
                                         month=data.get("month", ""), arms=arms, actor=request.user)
        except DomainError as e:
            raise_access_errors(e)
            errors = e.errors
            messages.error(request, e.message)
        else:
            messages.success(request, _("Eksperimen dibuat: %(n)s peserta dibagi ke kelompoknya.") % {"n": exp.members})
            return redirect("outreach:experiment", code=exp.code)
    page = page_of(request, Experiment.objects.all())
    return render(request, "outreach/experiment_list.html", {
        "page": page, "can_create": can_create, "data": data, "errors": errors,
        "wordings": ReminderWording.choices, "arm_rows": range(4)})

@role_required(*STAFF)
def experiment_detail(request, code):
    from . import experiments as exps

    try:
        exp = exps.get_experiment(code)
    except DomainError as e:
        raise Http404(e.message) from None
    report = exps.report(exp)
    tables = [(label, [(arm, arm["outcomes"][key]) for arm in report["arms"]]) for key, label in exps.OUTCOMES]
    return render(request, "outreach/experiment_detail.html", {"exp": exp, "report": report, "tables": tables})

MONTH_NAMES = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
               "November", "Desember"]

@role_required(Role.WORKER)
def pay_ahead(request):
    """A worker chooses the months of the year to pay ahead (harvest); reminders follow the choice."""

    from .reminders import pay_ahead_months, set_pay_ahead_months

    member = Member.objects.filter(user=request.user).first()
    if member is None:
        raise Http404(_("Akun ini belum terhubung dengan kepesertaan."))
    if request.method == "POST":
        try:
            chosen = set_pay_ahead_months(member, request.POST.getlist("months"), actor=request.user)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Bulan bayar di muka disimpan.") if chosen
                             else _("Pengingat bayar di muka dimatikan."))
            return redirect("outreach:pay_ahead")
    chosen = set(pay_ahead_months(member))
    return render(request, "outreach/pay_ahead.html", {
        "member": member, "months": [(i + 1, _(name), i + 1 in chosen) for i, name in enumerate(MONTH_NAMES)]})
