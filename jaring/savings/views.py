"""JHT balance page and yearly statement (HTML and PDF) for the member and for staff in scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import models
from django.utils.translation import gettext as _
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jaring.accounts.permissions import role_required
from jaring.accounts.services import role_of
from jaring.core.errors import DomainError
from jaring.members.selectors import get_member_for
from jaring.rules.errors import RuleError

from . import selectors
from .pdf import statement_pdf


def _member(request, kpj):
    try:
        return get_member_for(request.user, kpj)
    except DomainError as e:
        if e.status == 403:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(e.message)
        raise Http404(e.message)

@login_required
def mine(request):
    member = getattr(request.user, "member", None)
    if member is None:
        if role_of(request.user) in ("officer", "manager", "admin"):
            q = (request.GET.get("kpj") or "").strip()
            if q:
                return redirect("savings:balance", kpj=q)
            return render(request, "savings/find.html", {})
        raise Http404("Akun ini belum terhubung ke data peserta.")
    return redirect("savings:balance", kpj=member.kpj)

@login_required
def balance(request, kpj):
    member = _member(request, kpj)
    if member.jht:
        from .services import credit_contributions

        credit_contributions([member.pk])  # paid since the daily run: show it now (idempotent)
    account = selectors.account_of(member)
    ctx = {"member": member, "account": account,
           "years": list(reversed(selectors.yearly_summary(account))) if account else [],
           "this_year": timezone.localdate().year}
    return render(request, "savings/balance.html", ctx)

def _statement(request, kpj, year):
    member = _member(request, kpj)
    account = selectors.account_of(member)
    if account is None:
        raise Http404("Peserta ini belum punya saldo JHT.")
    return member, account, selectors.statement(account, int(year))

@login_required
def statement(request, kpj, year):
    member, account, st = _statement(request, kpj, year)
    return render(request, "savings/statement.html", {"member": member, "account": account, "st": st,
                                                      "rate": selectors.rate_percent(st["rate_bp"])})

@login_required
def statement_pdf_view(request, kpj, year):
    member, account, st = _statement(request, kpj, year)
    resp = HttpResponse(statement_pdf(member, st), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="jht-{member.kpj}-{year}.pdf"'
    return resp

@role_required("admin")
def rates(request):
    """Admin: the yearly JHT return rates with their sources; enter the declared rate when it is published.
    Saving a rate for a year already credited posts the difference at once (and the job would, too)."""
    from django.contrib import messages
    from django.db.models import Q

    from .models import ReturnRate
    from .rates import parse_percent, set_declared_rate
    from .services import recompute_changed_rates

    errors, form = {}, {}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in ("year", "rate", "source", "confidence")}
        try:
            try:
                year = int(form["year"])
            except ValueError:
                raise RuleError("Tahun tidak valid: tulis empat angka, misalnya 2024.", {"year": "TTTT"})
            rate_bp = parse_percent(form["rate"])
            set_declared_rate(year, rate_bp, form["source"], confidence=form["confidence"] or "M",
                              actor=request.user)
            result = recompute_changed_rates(actor=request.user)
            messages.success(request, _("Tarif %(year)s disimpan: %(rate)s. Koreksi hasil pengembangan: "
                                        "%(n)s rekening, Rp%(amount)s.") % {
                "year": year, "rate": selectors.rate_percent(rate_bp), "n": result["accounts_adjusted"],
                "amount": f"{result['amount']:,}".replace(",", ".")})
            return redirect("savings:rates")
        except RuleError as e:
            errors = dict(e.errors) or {"form": e.message}
    rows = list(ReturnRate.objects.order_by("-year"))
    pending = ReturnRate.objects.filter(applied_rate_bp__isnull=False).exclude(
        Q(applied_rate_bp=models.F("rate_bp"))).count()
    return render(request, "savings/rates.html", {"rows": rows, "errors": errors, "form": form,
                                                  "pending": pending}, status=422 if errors else 200)
