"""Pages of the partners app: managers register partners and bundles and revoke entitlements; a branch officer
sells a bundle at the counter; a worker sees their own entitlements with the QR."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.accounts.permissions import role_required
from jaring.accounts.services import role_of
from jaring.contributions.services import find_member_by_customer
from jaring.core.errors import DomainError
from jaring.core.pagination import page_of
from jaring.members.selectors import get_member_for
from jaring.core.http import domain_errors_as_http

from . import selectors, services
from .models import PartnerKind

ADMINS = ("manager", "admin")
SELLERS = ("officer", "manager", "admin")
_nf = domain_errors_as_http


@_nf
@role_required(*SELLERS)
def overview(request):
    new_key = request.session.pop("partner_new_key", None)
    return render(request, "partners/overview.html", {
        "partners": selectors.partners(), "bundles": selectors.bundles_on_sale(), "kinds": PartnerKind.choices,
        "may_admin": role_of(request.user) in ADMINS, "new_key": new_key})


@_nf
@require_POST
@role_required(*ADMINS)
def create(request):
    data = {k: request.POST.get(k, "").strip() for k in ("code", "name", "kind")}
    try:
        partner, key = services.create_partner(data, actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("partners:overview")
    request.session["partner_new_key"] = {"code": partner.code, "key": key, "secret": partner.signing_secret}
    messages.success(request, _("Mitra %(name)s terdaftar. Salin kunci API sekarang: kunci hanya ditampilkan sekali.")
                     % {"name": partner.name})
    return redirect("partners:overview")


@_nf
@role_required(*ADMINS)
def detail(request, code):
    partner = selectors.get_partner(code)
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in ("product_code", "name", "months", "benefit",
                                                             "partner_price")}
        try:
            services.create_bundle(partner, data, actor=request.user)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Paket %(name)s ditambahkan.") % {"name": data["name"]})
        return redirect("partners:detail", partner.code)
    status = request.GET.get("status", "")
    page = page_of(request, selectors.entitlements_of_partner(partner, status, request.GET.get("kpj", "")))
    return render(request, "partners/detail.html", {"partner": partner, "bundles": partner.bundles.all(),
                                                    "page": page, "status": status})


@_nf
@require_POST
@role_required(*ADMINS)
def revoke(request, code, ent):
    partner = selectors.get_partner(code)
    try:
        services.revoke(services.get_for_partner(partner, ent), reason=request.POST.get("reason", ""),
                        actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Hak manfaat %(code)s dicabut.") % {"code": ent})
    return redirect("partners:detail", partner.code)


@_nf
@role_required(*SELLERS)
def sell(request):
    """The branch counter sells a bundle: the member's NIK or KPJ, the bundle, the amount shown, then record."""
    bundles = selectors.bundles_on_sale()
    ctx = {"bundles": bundles, "post": request.POST, "member": None, "amount": None}
    if request.method == "POST":
        try:
            member = find_member_by_customer(request.POST.get("customer", ""))
            get_member_for(request.user, member.kpj)  # the officer's scope
            partner_code, _sep, product = request.POST.get("bundle", "").partition("/")
            bundle = services.get_bundle(partner_code, product)
            amount = services.contribution_for(bundle, member)
            ctx.update({"member": member, "bundle": bundle, "amount": amount})
            if request.POST.get("confirm"):
                ref = f"LOKET-{member.kpj}-{timezone.now():%Y%m%d%H%M%S}"
                e, _created = services.purchase(bundle, member, channel="BRANCH", reference=ref,
                                                paid_at=timezone.now(), amount=amount, source="branch",
                                                actor=request.user)
                messages.success(request, _("Paket dibayar: %(amount)s untuk %(n)s bulan. Kode hak manfaat %(code)s.")
                                 % {"amount": services.rupiah(amount), "n": e.months, "code": e.code})
                return render(request, "partners/entitlement.html", {"e": e, "qr": mark_safe(services.qr_svg(e))})
        except DomainError as e:
            ctx["error"] = e.message
    return render(request, "partners/sell.html", ctx)


@_nf
@role_required("worker")
def mine(request):
    rows = [{"e": e, "qr": mark_safe(services.qr_svg(e, scale=3))} for e in selectors.entitlements_of_user(request.user)[:50]]
    return render(request, "partners/mine.html", {"rows": rows})


@_nf
@role_required("worker")
def mine_detail(request, code):
    e = selectors.get_own_entitlement(request.user, code)
    return render(request, "partners/entitlement.html", {"e": e, "qr": mark_safe(services.qr_svg(e))})
