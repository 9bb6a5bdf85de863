"""Pages of the communities app: the treasurer's monthly round, the branch's collectives, benefit explainers.

Views parse input and call services/selectors; a treasurer only ever reaches their own collective's members.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.accounts.permissions import role_required
from jaring.accounts.policy import STAFF
from jaring.accounts.services import role_of
from jaring.core.errors import DomainError, NotFound
from jaring.core.http import domain_errors_as_http
from jaring.core.pagination import page_of
from jaring.members.models import Gender, Member, Occupation
from jaring.members.selectors import get_member_for
from jaring.outreach.models import Campaign, Event
from jaring.outreach.services import check_campaign_access, user_branches
from jaring.outreach.services import record_talk as record_event_talk
from jaring.rules.errors import RuleError
from jaring.rules.periods import add_months, month_str

from . import literacy, selectors, services
from .models import CollectiveKind, PaymentMethod

REG_FIELDS = ["nik", "name", "birth_date", "gender", "phone", "village_code", "occupation", "income"]
_nf = domain_errors_as_http


def _month(request):
    try:
        return services._month(request.GET.get("month") or request.POST.get("month"))
    except RuleError:
        return services.this_month()


def _rows(members, month):
    out = []
    for m in members:
        due = services.months_due(m, month)
        amount = 0
        if 1 <= due <= services.MAX_MONTHS:
            amount = services.line_for(m, month, due)[2]
        out.append({"m": m, "months_due": due, "amount_due": amount,
                    "unpaid_months": selectors.unpaid_months(m, month)})
    return out


def _month_nav(month):
    return {"month": month, "month_str": month_str(month), "prev_month": month_str(add_months(month, -1)),
            "next_month": month_str(add_months(month, 1))}


# --- the treasurer -------------------------------------------------------------------------------------------

@_nf
@role_required("treasurer")
def mine(request):
    """The monthly round: who has paid this month, tick who paid you, record one transfer."""
    c = selectors.treasurer_collective(request.user)
    month = _month(request)
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()
    page = page_of(request, selectors.members_of(c, month, q, state), per_page=50)
    return render(request, "communities/mine.html", {
        "c": c, "summary": selectors.summary(c, month), "page": page, "rows": _rows(page.object_list, month),
        "state": state, "q": q, "payments": selectors.payments_of(c)[:5], **_month_nav(month)})


@_nf
@role_required("treasurer", *STAFF)
def pay(request, code=None):
    """Step 2 of the round: the ticked members, their months and Rupiah, the total to transfer; then record."""
    c = selectors.get_collective(request.user, code) if code else selectors.treasurer_collective(request.user)
    month = _month(request)
    kpjs = request.POST.getlist("kpj")
    back = reverse("communities:mine") if not code else reverse("communities:detail", args=[c.code])
    if not kpjs:
        messages.error(request, _("Centang dulu anggota yang sudah menyetor iurannya."))
        return redirect(f"{back}?month={month_str(month)}")
    try:
        members = [m for m, _months in services._parse_lines(c, kpjs)]
        lines, errors = [], {}
        for m in members:
            try:
                n, first, amount = services.line_for(m, month)
                lines.append({"m": m, "months": n, "first": first, "amount": amount})
            except DomainError as e:
                errors[m.kpj] = e.message
    except NotFound as e:
        raise Http404(e.message)
    total = sum(ln["amount"] for ln in lines)
    form_errors = {}
    if request.POST.get("confirm") and not errors:
        try:
            gp, created = services.record_group_payment(
                c, reference=request.POST.get("reference", ""), members=kpjs, total=request.POST.get("total", ""),
                method=request.POST.get("method", "transfer"), month=month, actor=request.user)
        except DomainError as e:
            form_errors = e.errors or {"form": e.message}
            form_errors.setdefault("form", e.message)
        else:
            if created:
                messages.success(request, _("Pembayaran kelompok %(ref)s dicatat: %(n)s anggota, %(total)s. Bulan "
                                            "mereka sudah lunas.") % {"ref": gp.reference, "n": gp.members,
                                                                       "total": services.rupiah(gp.total)})
            else:
                messages.info(request, _("Pembayaran %(ref)s sudah tercatat sebelumnya.") % {"ref": gp.reference})
            return redirect(f"{back}?month={month_str(month)}")
    return render(request, "communities/pay.html", {
        "c": c, "lines": lines, "errors": errors, "total": total, "kpjs": kpjs, "form_errors": form_errors,
        "methods": PaymentMethod.choices, "post": request.POST, "back": back, **_month_nav(month),
        "suggested_reference": f"TRF-{timezone.localdate():%Y%m%d}"})


@_nf
@role_required("treasurer", *STAFF)
def register(request, code=None):
    c = selectors.get_collective(request.user, code) if code else selectors.treasurer_collective(request.user)
    data, errors = {"village_code": c.village_id or ""}, {}
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in REG_FIELDS}
        data["programs"] = "JKK,JKM,JHT" if request.POST.get("jht") else "JKK,JKM"
        try:
            ms = services.register_member(c, data, actor=request.user)
        except DomainError as e:
            errors = e.errors or {"form": e.message}
            errors.setdefault("form", e.message)
        else:
            messages.success(request, _("%(name)s terdaftar (KPJ %(kpj)s) dan masuk %(c)s. Petugas cabang akan "
                                        "memverifikasi datanya.") % {"name": ms.member.name, "kpj": ms.member.kpj,
                                                                     "c": c.name})
            return redirect("communities:mine" if not code else "communities:detail", *([c.code] if code else []))
    return render(request, "communities/register.html", {
        "c": c, "data": data, "errors": errors, "occupations": Occupation.choices, "genders": Gender.choices})


@_nf
@role_required("treasurer", *STAFF)
def join(request, code=None):
    c = selectors.get_collective(request.user, code) if code else selectors.treasurer_collective(request.user)
    data, errors = {}, {}
    if request.method == "POST":
        data = {"kpj": request.POST.get("kpj", "").strip(), "nik": request.POST.get("nik", "").strip()}
        try:
            ms = services.add_existing_member(c, data["kpj"], data["nik"], actor=request.user)
        except DomainError as e:
            errors = {"form": e.message, **(e.errors or {})}
        else:
            messages.success(request, _("%(name)s bergabung dengan %(c)s.") % {"name": ms.member.name, "c": c.name})
            return redirect("communities:mine" if not code else "communities:detail", *([c.code] if code else []))
    return render(request, "communities/join.html", {"c": c, "data": data, "errors": errors})


@_nf
@require_POST
@role_required("treasurer", "worker", *STAFF)
def leave(request, code, kpj):
    if role_of(request.user) == "worker":
        ms = selectors.membership_of(request.user)
        if ms is None or ms.collective.code != code or ms.member.kpj != kpj:
            raise Http404
        c, member = ms.collective, ms.member
    else:
        c = selectors.get_collective(request.user, code)
        member = selectors.get_member(request.user, c, kpj)
    try:
        services.leave(c, member, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("%(name)s keluar dari %(c)s. Kartu dan perlindungannya tetap berlaku; iuran "
                                    "selanjutnya dibayar sendiri.") % {"name": member.name, "c": c.name})
    role = role_of(request.user)
    if role == "worker":
        return redirect("communities:my_explainer")
    return redirect("communities:mine" if role == "treasurer" else "communities:detail",
                    *([] if role == "treasurer" else [c.code]))


# --- the branch ---------------------------------------------------------------------------------------------

@_nf
@role_required(*STAFF)
def overview(request):
    month = _month(request)
    page = page_of(request, selectors.visible_collectives(request.user).order_by("name"))
    rows = [{"collective": c, **selectors.summary(c, month)} for c in page.object_list]
    return render(request, "communities/overview.html", {"rows": rows, "page": page, **_month_nav(month)})


@_nf
@role_required("officer", "admin", "manager")
def create(request):
    data, errors = {}, {}
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in (
            "name", "kind", "branch", "village_code", "treasurer_username", "treasurer_password", "treasurer_name",
            "treasurer_phone")}
        try:
            c = services.create_collective(data, actor=request.user)
        except DomainError as e:
            errors = {"form": e.message, **(e.errors or {})}
        else:
            messages.success(request, _("Wadah %(name)s terdaftar dengan kode %(code)s; bendahara masuk dengan nama "
                                        "pengguna %(user)s.") % {"name": c.name, "code": c.code,
                                                                 "user": c.treasurer.username})
            return redirect("communities:detail", c.code)
    profile = getattr(request.user, "profile", None)
    data.setdefault("branch", getattr(profile, "branch_id", "") or "")
    return render(request, "communities/create.html", {"data": data, "errors": errors, "kinds": CollectiveKind.choices})


@_nf
@role_required(*STAFF)
def detail(request, code):
    c = selectors.get_collective(request.user, code)
    month = _month(request)
    page = page_of(request, selectors.members_of(c, month, request.GET.get("q", ""), request.GET.get("state", "")),
                   per_page=50)
    return render(request, "communities/detail.html", {
        "c": c, "summary": selectors.summary(c, month), "lapses": selectors.lapse_list(c, month)[:100],
        "payments": selectors.payments_of(c)[:20], "page": page, "rows": _rows(page.object_list, month),
        "notices": c.notices.all()[:6], "state": request.GET.get("state", ""), **_month_nav(month)})


@_nf
@require_POST
@role_required(*STAFF)
def reconcile(request, code, reference):
    c = selectors.get_collective(request.user, code)
    gp = selectors.get_payment(c, reference)
    try:
        gp = services.reconcile(gp, amount=request.POST.get("amount", ""), bank_date=request.POST.get("bank_date") or None,
                                bank_reference=request.POST.get("bank_reference", ""), actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        if gp.reconciled:
            messages.success(request, _("Mutasi bank %(amount)s cocok dengan pembayaran %(ref)s.") % {
                "amount": services.rupiah(gp.bank_amount), "ref": gp.reference})
        else:
            messages.warning(request, _("Mutasi bank %(amount)s TIDAK cocok dengan %(total)s (selisih %(diff)s).") % {
                "amount": services.rupiah(gp.bank_amount), "total": services.rupiah(gp.total),
                "diff": services.rupiah(gp.difference)})
    return redirect("communities:detail", c.code)


@_nf
@require_POST
@role_required(*STAFF)
def remind(request, code):
    c = selectors.get_collective(request.user, code)
    month = _month(request)
    out = services.queue_treasurer_reminders(month, collectives=[c])
    if out["queued"]:
        messages.success(request, _("Daftar anggota yang belum membayar %(m)s dikirim ke bendahara.") % {
            "m": month_str(month)})
    else:
        messages.info(request, _("Tidak ada pengingat baru: semua sudah membayar, atau daftar bulan ini sudah dikirim."))
    return redirect(f"{reverse('communities:detail', args=[c.code])}?month={month_str(month)}")


# --- benefit explainers ----------------------------------------------------------------------------------------

def _explainer_ctx(f, phone="", png_url=""):
    text = literacy.whatsapp_text(f)
    return {"f": f, "sentences": literacy.sentences(f), "wa_text": text, "wa_link": literacy.whatsapp_link(text, phone),
            "png_url": png_url}


@_nf
@role_required("worker")
def my_explainer(request):
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        raise Http404
    ctx = _explainer_ctx(literacy.for_member(member), png_url=reverse("communities:my_explainer_png"))
    ctx.update({"member": member, "membership": selectors.membership_of(request.user)})
    return render(request, "communities/explainer.html", ctx)


@_nf
@role_required("worker")
def my_explainer_png(request):
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        raise Http404
    return _png(literacy.for_member(member), f"manfaat-{member.kpj}.png")


def _member_for(user, kpj):
    if role_of(user) == "treasurer":
        return selectors.get_member(user, selectors.treasurer_collective(user), kpj)
    return get_member_for(user, kpj)


@_nf
@role_required("treasurer", "agent", *STAFF)
def member_explainer(request, kpj):
    member = _member_for(request.user, kpj)
    ctx = _explainer_ctx(literacy.for_member(member), member.whatsapp,
                         reverse("communities:member_explainer_png", args=[member.kpj]))
    ctx.update({"member": member})
    return render(request, "communities/explainer.html", ctx)


@_nf
@role_required("treasurer", "agent", *STAFF)
def member_explainer_png(request, kpj):
    member = _member_for(request.user, kpj)
    return _png(literacy.for_member(member), f"manfaat-{member.kpj}.png")


def _png(f, filename):
    resp = HttpResponse(literacy.png(f), content_type="image/png")
    resp["Content-Disposition"] = f'inline; filename="{filename}"'
    return resp


def _general_figures(request):
    income = request.GET.get("income") or "1000000"
    programs = "JKK,JKM,JHT" if request.GET.get("jht") else "JKK,JKM"
    try:
        return literacy.figures(int(str(income).replace(".", "")), programs, month=request.GET.get("month") or None,
                                sector=request.GET.get("sector") or "other"), None
    except (RuleError, ValueError) as e:
        return literacy.figures(1_000_000, "JKK,JKM"), getattr(e, "message", _("Penghasilan harus angka Rupiah."))


def general_explainer(request):
    """The public explainer for any income (no sign-in): what a worker would get."""
    f, error = _general_figures(request)
    ctx = _explainer_ctx(f, png_url=reverse("communities:general_png") + "?" + request.GET.urlencode())
    ctx.update({"general": True, "error": error, "income": request.GET.get("income", "1000000"),
                "jht": bool(request.GET.get("jht"))})
    return render(request, "communities/explainer.html", ctx)


def general_png(request):
    f, _error = _general_figures(request)
    return _png(f, "manfaat-bpjs-ketenagakerjaan.png")


@_nf
@role_required(*STAFF)
def campaigns(request):
    """The campaigns of the user's branches, each with its explainer sheet and radio script."""
    allowed = user_branches(request.user)
    qs = Campaign.objects.all().order_by("-starts_on", "code")
    if allowed is not None:
        qs = qs.filter(branches__code__in=allowed).distinct()
    return render(request, "communities/campaigns.html", {"page": page_of(request, qs)})


def _campaign(user, code):
    c = Campaign.objects.filter(code=code).first()
    if c is None:
        raise Http404
    check_campaign_access(user, c)
    return c


@_nf
@role_required(*STAFF)
def campaign_material(request, code):
    """A branch campaign's material: the printable sheet, the radio script, and the talks given at its events."""
    c = _campaign(request.user, code)
    income = request.GET.get("income")
    try:
        income = int(income) if income else None
        f = literacy.campaign_figures(c, income)
        script = literacy.radio_script(c, income)
    except (RuleError, ValueError):
        messages.error(request, _("Penghasilan harus angka Rupiah dalam batas yang berlaku."))
        f, script = literacy.campaign_figures(c), literacy.radio_script(c)
    events = c.events.select_related("village").order_by("date")
    return render(request, "communities/campaign.html", {
        "campaign": c, "f": f, "sentences": literacy.sentences(f), "script": script,
        "area": literacy.campaign_area(c), "events": events, "print": request.GET.get("print")})


@_nf
@require_POST
@role_required("agent", *STAFF)
def record_talk(request, event_id):
    event = Event.objects.filter(pk=event_id).select_related("campaign").first()
    if event is None:
        raise Http404
    try:
        record_event_talk(event, attendance=request.POST.get("attendance"),
                          given_on=request.POST.get("given_on") or None, actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Penyuluhan di %(name)s dicatat: %(n)s orang hadir.") % {
            "name": event.name, "n": event.attendance})
    return redirect("communities:campaign", event.campaign.code)
