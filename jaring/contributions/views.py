"""Member pages (what is owed, pay now with NIK/QRIS, history, receipts) and the officers' reconciliation."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jaring.accounts import policy
from jaring.accounts.permissions import role_required
from jaring.accounts.policy import STAFF
from jaring.accounts.scoping import scope_for
from jaring.contributions.money import breakdown_of
from jaring.core.errors import DomainError
from jaring.core.pagination import page_of
from jaring.members.models import Member
from jaring.members.selectors import get_member_for
from jaring.rules import prepaid as prepaid_rules
from jaring.rules.errors import RuleError
from jaring.rules.identifiers import mask_nik
from jaring.rules.periods import add_months, month_str

from . import prepaid, selectors
from .models import Payment, SettlementFile
from .services import quote_contribution

PER_PAGE = 25


def rupiah(n: int) -> str:
    return "Rp" + f"{int(n):,}".replace(",", ".")

def _own_member(request):
    return Member.objects.filter(user=request.user).select_related("branch").first()

@role_required("worker")
def mine(request):
    member = _own_member(request)
    if member is None:
        return render(request, "contributions/mine.html", {"member": None})
    owed = selectors.owed(member)
    cov = selectors.coverage_on(member)
    try:  # this month's price, shown with the one breakdown component (full price, discount, total)
        monthly = quote_contribution(member.income, member.programs, None, member.sector or "other",
                                     member.funding or "self")
    except RuleError:
        monthly = None
    return render(request, "contributions/mine.html", {
        "member": member, "owed": owed, "coverage": cov, "month_choices": range(1, 13), "monthly": monthly,
        "recent": selectors.payments_of(member)[:3], "prepaid": prepaid.balance_of(member),
        "movements": prepaid.movements(member, 5)})

@role_required("worker")
def pay(request):
    from .payment_code import qr_png_data_uri, qr_svg, qris_for
    from .services import cost_of_months

    member = _own_member(request)
    if member is None:
        raise Http404
    error = None
    try:
        months = int(request.GET.get("bulan", "1"))
        items = cost_of_months(member, months)
    except (ValueError, DomainError):
        months, items = 1, cost_of_months(member, 1)
        error = _("Pilih jumlah bulan 1 sampai 12.")
    total = sum(a for _, a in items)
    payload = qris_for(member.nik, total)
    return render(request, "contributions/pay.html", {
        "member": member, "months": months, "items": items, "total": total, "payload": payload,
        "qr": qr_svg(payload), "qr_png": qr_png_data_uri(payload), "error": error, "month_choices": range(1, 13),
        "inactive": member.status not in ("active", "pending")})

@role_required("worker")
def history(request):
    member = _own_member(request)
    if member is None:
        raise Http404
    page = page_of(request, selectors.payments_of(member), PER_PAGE)
    return render(request, "contributions/history.html", {"member": member, "page": page})

def _payment_for(request, pk):
    payment = get_object_or_404(Payment.objects.select_related("member", "channel", "member__branch"), pk=pk)
    if policy.can(request.user, "payment.view", payment):  # the worker's own, or staff in scope
        return payment
    raise Http404

@role_required("worker", *STAFF)
def receipt(request, pk):
    payment = _payment_for(request, pk)
    return render(request, "contributions/receipt.html", {"p": payment, "lines": _receipt_lines(payment)})

def _receipt_lines(p):
    from .models import Bill

    # through the (member, month) unique index: bills carry no payment index (it slowed every posting)
    bills = list(Bill.objects.filter(member_id=p.member_id, month__gte=p.first_month, month__lte=p.last_month,
                                     payment=p).order_by("month"))
    topup_paid = None
    if p.months == 0:  # a top-up of the prepaid balance: the months it completed at once (SPEC 2.9)
        topup_paid = [(q, list(Bill.objects.filter(member_id=q.member_id, month__gte=q.first_month,
                                                    month__lte=q.last_month, payment=q).order_by("month")))
                      for q in prepaid.paid_by_topup(p)]
    return {"bills": bills, "nik": mask_nik(p.member.nik), "topup_paid": topup_paid,
            "paid_at": timezone.localtime(p.paid_at), "total": p.amount + p.fee,
            "extra": [(_("Biaya admin kanal (bukan iuran)"), p.fee), (_("Total dibayar"), p.amount + p.fee)]}

@role_required("worker", *STAFF)
def receipt_pdf(request, pk):
    from fpdf import FPDF

    p = _payment_for(request, pk)
    info = _receipt_lines(p)
    pdf = FPDF(format=(148, 210))  # A5 in mm
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "Kuitansi Iuran BPJS Ketenagakerjaan (BPU)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for label, value in [("No. kuitansi", f"JRG-{p.pk:08d}"), ("Peserta", p.member.name), ("KPJ", p.member.kpj),
                         ("NIK", info["nik"]), ("Kanal", f"{p.channel.name} ({p.channel.code})"),
                         ("Referensi", p.reference), ("Dibayar", info["paid_at"].strftime("%d-%m-%Y %H:%M WIB"))]:
        pdf.cell(35, 6, label)
        pdf.cell(0, 6, str(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.cell(35, 6, "Bulan")
    pdf.multi_cell(0, 6, ", ".join(b.month.strftime("%Y-%m") for b in info["bills"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    # the same breakdown as the page (jaring/web/money.py): full price per program, discount, total
    br = breakdown_of(info["bills"])
    rows = [(label, rupiah(amount)) for label, amount in br.lines]
    if br.discount:
        rows.append((br.discount_label, "-" + rupiah(br.discount)))
    rows += [("Iuran", rupiah(p.amount)), ("Biaya admin kanal", rupiah(p.fee)), ("Total dibayar", rupiah(info["total"]))]
    for label, value in rows:
        pdf.set_font("Helvetica", "B" if label in ("Iuran", "Total dibayar") else "", 10)
        pdf.cell(80, 6, label)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 4, "Biaya admin kanal bukan iuran. Tidak ada denda keterlambatan untuk peserta BPU. "
                         "Dokumen ini dibuat oleh Jaring.")
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kuitansi-{p.pk}.pdf"'
    return response

@role_required(*STAFF)
def settlements(request):
    from django.contrib import messages
    from django.shortcuts import redirect

    from .models import Channel
    from .settlement import import_settlement

    if request.method == "POST":
        upload = request.FILES.get("file")
        code = request.POST.get("channel", "")
        if upload is None:
            messages.error(request, _("Pilih berkas CSV settlement dulu."))
        else:
            try:
                out = import_settlement(upload.read(), code, actor=request.user, filename=upload.name)
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, _("Berkas diimpor: %(rows)s baris, %(posted)s diposting, %(dup)s duplikat, "
                                            "%(rej)s ditolak.") % {"rows": out["rows"], "posted": out["posted"],
                                                                   "dup": out["duplicates"], "rej": out["rejected"]})
                return redirect("contributions:settlement_detail", pk=out["file_id"])
        return redirect("contributions:settlements")
    qs = selectors.settlement_files(request.user)
    channel = request.GET.get("kanal", "").strip().upper()
    if channel:
        qs = qs.filter(channel__code=channel)
    page = page_of(request, qs, PER_PAGE)
    channels = Channel.objects.filter(active=True, system=False)
    return render(request, "contributions/settlements.html", {"page": page, "kanal": channel, "channels": channels})

@role_required(*STAFF)
def settlement_detail(request, pk):
    f = get_object_or_404(selectors.settlement_files(request.user), pk=pk)
    q = request.GET.get("q", "").strip()
    page = page_of(request, selectors.rejected_rows(f, q, request.user), PER_PAGE)
    rows = [(r, selectors.shown_customer(r, request.user)) for r in page.object_list]
    return render(request, "contributions/settlement_detail.html", {"f": f, "page": page, "rows": rows, "q": q})

@role_required(*STAFF)
def daily_reconciliation(request):
    """One channel's day, three ways: flagged vs settlement file vs bank credit (an uploaded statement CSV)."""

    from .models import Channel
    from .reconcile import reconcile_day, visible_to

    channels = Channel.objects.filter(active=True, system=False)
    code = (request.POST.get("kanal") or request.GET.get("kanal") or "").strip().upper()
    day = (request.POST.get("tanggal") or request.GET.get("tanggal") or "").strip()
    result, error = None, None
    if code and day:
        upload = request.FILES.get("statement") if request.method == "POST" else None
        try:
            result = visible_to(reconcile_day(code, day, upload.read() if upload else None), request.user)
        except DomainError as e:
            error = e.message
    return render(request, "contributions/reconcile_day.html", {
        "channels": channels, "kanal": code, "tanggal": day or timezone.localdate().isoformat(), "r": result,
        "error": error}, status=422 if error else 200)

def _member_for(user, kpj):
    return get_member_for(user, kpj)

@role_required(*STAFF)
def counter(request):
    """Branch counter: find a member by KPJ or NIK."""
    from django.shortcuts import redirect

    q = request.GET.get("q", "").strip()
    error = None
    if q:
        found = None
        if q.isdigit() and len(q) in (11, 16):
            qs = Member.objects.filter(kpj=q) if len(q) == 11 else Member.objects.filter(nik=q)
            found = scope_for(request.user).filter(qs, "branch").first()
        if found is not None:
            return redirect("contributions:counter_member", kpj=found.kpj)
        error = _("Tidak ada peserta dengan KPJ/NIK itu di wilayah kerja Anda. Periksa 11 digit KPJ atau 16 digit NIK.")
    return render(request, "contributions/counter.html", {"q": q, "error": error})

@role_required(*STAFF)
def counter_member(request, kpj):
    """A member's bills and payments, and a cash payment at the branch counter (channel BRANCH)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .services import cost_of_months, post_payment

    try:
        member = _member_for(request.user, kpj)
    except DomainError as e:
        if e.status == 403:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(e.message)
        raise Http404(e.message)
    if request.method == "POST" and request.POST.get("action") == "topup":
        try:  # cash of any amount from Rp1,000 into the member's prepaid balance (SPEC 2.9)
            payment, created, paid = prepaid.top_up(
                member=member, amount=request.POST.get("amount"), channel="BRANCH",
                reference=request.POST.get("reference", ""), paid_at=timezone.now(), source="branch",
                actor=request.user)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Setoran ke saldo prabayar dicatat.") if created
                             else _("Setoran ini sudah tercatat."))
            return redirect("contributions:receipt", pk=payment.pk)
        return redirect(request.path)
    if request.method == "POST":
        try:
            payment, created = post_payment(
                member=member, months=request.POST.get("months"), amount=request.POST.get("amount"), channel="BRANCH",
                reference=request.POST.get("reference", ""), paid_at=timezone.now(), source="branch",
                actor=request.user)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Pembayaran dicatat.") if created else _("Pembayaran ini sudah tercatat."))
            return redirect("contributions:receipt", pk=payment.pk)
        return redirect(request.path + f"?bulan={request.POST.get('months', 1)}")
    try:
        months = int(request.GET.get("bulan", "1"))
        items = cost_of_months(member, months)
    except (ValueError, DomainError):
        months, items = 1, cost_of_months(member, 1)
    page = page_of(request, selectors.payments_of(member), PER_PAGE)
    today = timezone.localdate()

    bills = selectors.bills_between(member, month_str(add_months(today.replace(day=1), -11)),
                                    month_str(add_months(today.replace(day=1), 2)))
    return render(request, "contributions/counter_member.html", {
        "member": member, "coverage": selectors.coverage_on(member), "bills": bills, "page": page,
        "months": months, "items": items, "total": sum(a for _, a in items), "month_choices": range(1, 13),
        "reference": f"KC-{timezone.localtime():%Y%m%d%H%M%S}-{member.kpj[-4:]}",
        "prepaid": prepaid.balance_of(member), "minimum_topup": prepaid_rules.limits()["minimum_topup"]})
