from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.contributions.rates import current_schedule
from jaring.contributions.services import quote_contribution
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
    return render(request, "web/home.html", ctx)
