from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jaring.accounts.models import Role
from jaring.accounts.recovery import RateLimited, set_password_with_code
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.contributions.money import income_error
from jaring.contributions.rates import current_schedule
from jaring.contributions.services import quote_contribution
from jaring.core.calendar import missing_years
from jaring.core.errors import DomainError
from jaring.outreach.access import find_member, send_recovery_code
from jaring.rules.errors import RuleError
from jaring.rules.periods import month_str

from .context import nav_items


def health(request):
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        status = "ok"
    except Exception:  # pragma: no cover - the database is down
        status = "error"
    db = "postgresql" if connection.vendor == "postgresql" else connection.vendor
    return JsonResponse({"status": status, "database": db}, status=200 if status == "ok" else 503)

def _calc_params(data):
    programs = ["JKK", "JKM"] + (["JHT"] if data.get("jht") in ("1", "on", "true") else [])
    return {
        "income": data.get("income") or "1000000",
        "programs": programs,
        "month": data.get("month") or month_str(timezone.localdate()),
        "sector": data.get("sector") or "other",
        "funding": "self",
    }

def _quote_context(data):
    params = _calc_params(data)
    ctx = {"params": params}
    try:
        ctx["quote"] = quote_contribution(**params)
    except RuleError as e:
        try:
            ctx["error"] = income_error(params["month"]) if "income" in (e.errors or {}) else e.message
        except RuleError:  # the month itself is not valid
            ctx["error"] = e.message
    return ctx

def calculator(request):
    band = current_schedule().band(timezone.localdate().replace(day=1))
    ctx = _quote_context(request.GET)
    ctx.update({"band": band, "step": 100_000})
    return render(request, "web/calculator.html", ctx)

def calculator_quote(request):
    return render(request, "web/_quote.html", _quote_context(request.GET))

@login_required
def home(request):
    member = getattr(request.user, "member", None)
    if member is not None and member.confirm_data:  # continued by paying (SPEC 2.3): confirm data first
        return redirect("members:confirm_data")
    role = role_of(request.user)
    scope = scope_for(request.user)
    profile = getattr(request.user, "profile", None)
    office = (profile.branch or profile.regional_office) if profile else None
    ctx = {"role": role, "role_label": Role(role).label if role else "", "scope": scope, "office": office,
           "cards": nav_items(request.user)}
    if role in (Role.ADMIN, Role.MANAGER):
        ctx["calendar_missing"] = missing_years(timezone.localdate())
    return render(request, "web/home.html", ctx)

# --- account recovery and first sign-in (one-time code through the outbox) ---------------------------

def _client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:45]

@require_http_methods(["GET", "POST"])
def forgot_password(request):
    """Step 1: KPJ, NIK or phone → a code by SMS/WhatsApp. The answer is the same whether or not it matched."""
    error = None
    identifier = (request.POST.get("identifier") or request.GET.get("id") or "").strip()
    if request.method == "POST":
        if not identifier:
            error = _("Isi nomor KPJ (11 angka), NIK (16 angka) atau nomor HP Anda.")
        else:
            try:
                send_recovery_code(identifier, ip=_client_ip(request))
            except RateLimited as e:
                error = e.message
            else:
                request.session["recovery_identifier"] = identifier
                messages.info(request, _("Bila data cocok dengan peserta, kode 6 angka dikirim lewat SMS/WhatsApp ke "
                                         "nomor HP yang terdaftar. Kode berlaku 15 menit."))
                return redirect("forgot_password_code")
    return render(request, "registration/forgot.html", {"identifier": identifier, "error": error})

@require_http_methods(["GET", "POST"])
def forgot_password_code(request):
    """Step 2: the code and a new password; on success the person is signed in."""
    identifier = request.session.get("recovery_identifier")
    if not identifier:
        return redirect("forgot_password")
    errors, error = {}, None
    if request.method == "POST":
        member = find_member(identifier)
        user = member.user if member is not None else None
        if user is None:
            error = _("Kode salah atau sudah tidak berlaku. Minta kode baru.")
        else:
            try:
                set_password_with_code(user, request.POST.get("code", ""), request.POST.get("password", ""),
                                       request.POST.get("password2", ""))
            except DomainError as e:
                error, errors = e.message, e.errors or {}
            else:
                request.session.pop("recovery_identifier", None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Kata sandi tersimpan. Lain kali masuk dengan nama pengguna %(u)s "
                                            "(nomor KPJ) dan kata sandi ini.") % {"u": user.get_username()})
                return redirect("home")
    return render(request, "registration/forgot_code.html", {"error": error, "errors": errors})
