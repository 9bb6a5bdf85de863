"""Finance pages: the trial balance by date with its control checks, an account's lines with drill-down
to the business record, one entry; CSV/XLSX exports. Officers, managers and admins."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jaring.accounts.permissions import role_required
from jaring.accounts.policy import FINANCE
from jaring.core.exports import respond
from jaring.core.pagination import page_of

from . import selectors
from .models import Account, Entry, Line, TrialBalanceRun

PER_PAGE = 50
CHECK_LABELS = {
    "paid_bills_equal_contribution_income": gettext_lazy("Tagihan lunas = pendapatan iuran"),
    "channel_fees_equal_payment_fees": gettext_lazy("Biaya admin kanal = biaya pada pembayaran"),
    "sponsor_prepayment_equal_paid_minus_applied": gettext_lazy("Uang muka sponsor = dibayar − dikreditkan"),
    "agent_cash_equal_collected_minus_remitted": gettext_lazy("Kas agen = ditagih − disetor"),
    "commission_payable_equal_earned_minus_paid": gettext_lazy("Utang komisi = komisi − dibayar"),
    "jht_fund_equal_member_balances": gettext_lazy("Dana JHT = saldo JHT peserta"),
    "claims_payable_equal_approved_unpaid": gettext_lazy("Utang klaim = klaim disetujui belum dibayar"),
    "prepaid_equal_member_prepaid_balances": gettext_lazy("Saldo prabayar = jumlah saldo prabayar peserta"),
    "debits_equal_credits": gettext_lazy("Debit = kredit"),
}


def _date_param(request, name, default):
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        messages.error(request, _("Tanggal %(v)s tidak valid: tulis TTTT-BB-HH.") % {"v": raw})
        return default


def _label(name):
    return str(CHECK_LABELS.get(name, name))


@role_required(*FINANCE)
def trial_balance(request):
    on = _date_param(request, "tanggal", timezone.localdate())
    tb = selectors.trial_balance(on)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = [[a["code"], a["name"], a["debit"], a["credit"], a["balance"]] for a in tb["accounts"]]
        rows.append(["", _("Jumlah"), tb["debits"], tb["credits"], tb["debits"] - tb["credits"]])
        rows += [[c["name"], _label(c["name"]), c["ledger"], c["records"], c["difference"]] for c in tb["details"]]
        return respond(fmt, f"jaring-neraca-saldo-{on.isoformat()}",
                       [_("Kode"), _("Nama"), _("Debit"), _("Kredit"), _("Saldo / selisih")], rows, _("Neraca saldo"))
    checks = [{**c, "label": _label(c["name"])} for c in tb["details"]]
    runs = TrialBalanceRun.objects.filter(ok=False)[:10]
    return render(request, "ledger/trial_balance.html", {
        "tb": tb, "on": on, "checks": checks, "ok": selectors.is_ok(tb), "runs": runs,
        "accounts": [a for a in tb["accounts"] if a["debit"] or a["credit"]]})


def _bounds(request):
    today = timezone.localdate()
    start = _date_param(request, "dari", today.replace(day=1))
    end = _date_param(request, "sampai", today)
    return start, end


@role_required(*FINANCE)
def account(request, code):
    acc = get_object_or_404(Account, code=code)
    start, end = _bounds(request)
    qs = (Line.objects.filter(account=acc, entry__booked_on__gte=start, entry__booked_on__lte=end)
          .select_related("entry").order_by("-entry__booked_on", "-entry_id", "-id"))
    from django.db.models import Sum

    opening = Line.objects.filter(account=acc, entry__booked_on__lt=start).aggregate(d=Sum("debit"), c=Sum("credit"))
    opening = int(opening["d"] or 0) - int(opening["c"] or 0)
    period = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = [[line.entry.booked_on.isoformat(), line.entry_id, line.entry.kind, line.entry.memo,
                 f"{line.entry.ref_type}#{line.entry.ref_id}" if line.entry.ref_type else "", line.debit, line.credit]
                for line in qs.iterator(chunk_size=2000)]
        return respond(fmt, f"jaring-akun-{acc.code}-{start.isoformat()}-{end.isoformat()}",
                       [_("Tanggal"), _("Jurnal"), _("Jenis"), _("Keterangan"), _("Catatan asal"), _("Debit"),
                        _("Kredit")], rows, acc.code)
    page = page_of(request, qs, PER_PAGE)
    for line in page:
        line.link = selectors.record_link(line.entry.ref_type, line.entry.ref_id)
    return render(request, "ledger/account.html", {
        "acc": acc, "page": page, "start": start, "end": end, "opening": opening,
        "debit": int(period["d"] or 0), "credit": int(period["c"] or 0),
        "closing": opening + int(period["d"] or 0) - int(period["c"] or 0)})


@role_required(*FINANCE)
def entry(request, pk):
    e = get_object_or_404(Entry.objects.select_related("reverses", "created_by"), pk=pk)
    lines = list(e.lines.select_related("account").order_by("id"))
    return render(request, "ledger/entry.html", {
        "e": e, "lines": lines, "link": selectors.record_link(e.ref_type, e.ref_id),
        "reversed_by": Entry.objects.filter(reverses=e).first(),
        "debit": sum(x.debit for x in lines), "credit": sum(x.credit for x in lines)})
