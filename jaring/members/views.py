"""Member pages: mobile self-registration and agent-assisted registration, card, verification queue,
member list and detail, data updates, bulk import. Views only parse input and call services/selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jaring.accounts import policy
from jaring.accounts.permissions import role_required
from jaring.accounts.policy import STAFF
from jaring.accounts.services import role_of
from jaring.core.errors import DomainError
from jaring.core.pagination import page_of
from jaring.core.spreadsheets import writer as safe_writer
from jaring.regions.codes import nik_region_of
from jaring.regions.selectors import get_region, region_path, search_villages
from jaring.rules.errors import RuleError
from jaring.rules.identifiers import mask_nik

from . import card as cards
from . import importer, pricing, selectors, services
from .models import Channel, Funding, Gender, ImportJob, Member, Occupation, Status

ASSISTANTS = ("agent",) + STAFF
IMPORTERS = ("agent", "sponsor") + STAFF

def _member(user, kpj) -> Member:
    """The member if the user may see it; refusals become the HTTP 403/404 pages."""
    try:
        return selectors.get_member_for(user, kpj)
    except DomainError as e:
        if e.status == 403:
            raise PermissionDenied(e.message) from None
        raise Http404(e.message) from None

# --- registration wizard ----------------------------------------------------------------------------------

STEPS = [
    ("nik", gettext_lazy("NIK"), ["nik"]),
    ("identitas", gettext_lazy("Data diri"), ["name", "birth_date", "gender", "phone"]),
    ("alamat", gettext_lazy("Alamat"), ["village_code", "address"]),
    ("pekerjaan", gettext_lazy("Pekerjaan & iuran"), ["occupation", "second_occupation", "income", "programs"]),
    ("konfirmasi", gettext_lazy("Konfirmasi"), []),
]
STEP_NAMES = [s[0] for s in STEPS]
POSTED = ["nik", "name", "birth_date", "gender", "phone", "village_code", "address", "occupation",
          "second_occupation", "income", "jht"]

def _draft_key(mode: str) -> str:
    return f"members_draft_{mode}"

def _draft(request, mode) -> dict:
    return dict(request.session.get(_draft_key(mode), {}))

def _as_data(draft: dict) -> dict:
    data = {k: v for k, v in draft.items() if k in POSTED and k != "jht"}
    data["programs"] = "JKK,JKM,JHT" if draft.get("jht") else "JKK,JKM"
    return data

def _step_errors(step: str, draft: dict) -> dict:
    fields = dict((s[0], s[2]) for s in STEPS)[step]
    if not fields:
        return {}
    # identity is checked against the NIK (birth date, gender), so the NIK takes part in that step's check
    checked = fields + (["nik"] if step == "identitas" else [])
    _cleaned, errors = services.clean_registration(_as_data(draft), fields=checked)
    if step == "nik" and not errors:
        nik = services.normalize_nik(draft.get("nik"))
        if services.nik_taken(nik):
            errors["nik"] = _("NIK ini sudah terdaftar sebagai peserta. Masuk dengan akun Anda atau hubungi "
                              "kantor cabang.")
    return {k: v for k, v in errors.items() if k in fields}

def _first_incomplete(draft: dict) -> str:
    for name, _label, _fields in STEPS[:-1]:
        if _step_errors(name, draft):
            return name
    return "konfirmasi"

def _mode_for(request, mode: str):
    """Self mode for workers and visitors; assisted mode for agents (channel agent) and officers (branch)."""
    role = role_of(request.user)
    if mode == "self":
        if role in ASSISTANTS:
            return redirect("members:assist")
        # a worker whose own registration was rejected, or whose membership became non-active, registers again
        if role == "worker" and Member.objects.filter(user=request.user).exclude(
                status__in=services.REREGISTRABLE).exists():
            messages.info(request, _("Anda sudah terdaftar sebagai peserta."))
            return redirect("members:my_card")
        return None
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    if role not in ASSISTANTS:
        raise PermissionDenied
    return None

def _village_label(code: str) -> str:
    r = get_region(code) if code else None
    return region_path(r) if r else ""

def register_start(request):
    """Resume where the draft stopped (a worker coming back after the connection dropped).

    A signed-in worker whose own membership is non-active (or whose registration was rejected) registers
    again: the draft starts with the identity from the KTP (NIK, name, birth date, gender); phone, address,
    occupation and income are asked again, as they are now."""
    draft = _draft(request, "self")
    if not draft and request.user.is_authenticated:
        own = Member.objects.filter(user=request.user, status__in=services.REREGISTRABLE).first()
        if own is not None:
            draft = {"nik": own.nik, "name": own.name, "birth_date": own.birth_date.isoformat(), "gender": own.gender}
            request.session[_draft_key("self")] = draft
    return redirect("members:register_step", step=_first_incomplete(draft))

@role_required(*ASSISTANTS)
def assist_start(request):
    return redirect("members:assist_step", step=_first_incomplete(_draft(request, "assist")))

def register_step(request, step):
    return _wizard(request, "self", step)

def assist_step(request, step):
    return _wizard(request, "assist", step)

def _wizard(request, mode: str, step: str):
    if step not in STEP_NAMES:
        raise Http404
    bounce = _mode_for(request, mode)
    if bounce is not None:
        return bounce
    step_url = "members:register_step" if mode == "self" else "members:assist_step"
    draft = _draft(request, mode)
    if request.method == "POST" and request.POST.get("restart"):
        request.session.pop(_draft_key(mode), None)
        return redirect(step_url, step="nik")
    errors: dict = {}
    index = STEP_NAMES.index(step)
    if request.method == "POST" and step != "konfirmasi":
        fields = STEPS[index][2]
        for f in POSTED:
            if f in fields or (f == "jht" and step == "pekerjaan"):
                draft[f] = request.POST.get(f, "").strip()
        if step == "nik":
            draft["nik"] = services.normalize_nik(draft.get("nik"))
        errors = _step_errors(step, draft)
        if step == "nik" and not errors:
            cleaned, nik_errors = services.clean_registration({"nik": draft["nik"]},
                                                              fields=["nik", "birth_date", "gender"])
            if nik_errors.get("birth_date"):  # too young or too old: say so at once, not three steps later
                errors["nik"] = nik_errors["birth_date"]
            draft["birth_date"] = cleaned.get("birth_date").isoformat() if cleaned.get("birth_date") else ""
            draft["gender"] = cleaned.get("gender", "")
            region = cleaned.get("nik_region")
            if region is not None and region.explanation():
                # an old region code (before a split) is valid: explain it instead of refusing
                messages.info(request, region.explanation())
        request.session[_draft_key(mode)] = draft
        if not errors:
            return redirect(step_url, step=STEP_NAMES[index + 1])
    elif request.method == "POST":  # confirm
        return _confirm(request, mode, draft, step_url)
    else:
        first = _first_incomplete(draft)
        if index > STEP_NAMES.index(first):
            return redirect(step_url, step=first)
    return _render_step(request, mode, step, draft, errors)

def _rupiah_text(value) -> str:
    try:
        return "Rp" + f"{services.parse_rupiah(value):,}".replace(",", ".")
    except ValueError:
        return str(value or "")

def _date_text(value) -> str:
    try:
        d = services.parse_date(value)
    except ValueError:
        d = None
    return d.strftime("%d-%m-%Y") if d else str(value or "")

def _render_step(request, mode, step, draft, errors, status=200):
    index = STEP_NAMES.index(step)
    band = None
    quote = None
    try:
        band = pricing.schedule().band(timezone.localdate().replace(day=1))
    except RuleError:
        pass
    if step == "konfirmasi":
        data = _as_data(draft)
        cleaned, _e = services.clean_registration(data)
        try:
            quote = pricing.quote(cleaned.get("income"), data["programs"], None, cleaned.get("sector"))
        except (RuleError, TypeError):
            quote = None
    ctx = {
        "mode": mode, "step": step, "steps": STEPS, "index": index + 1, "count": len(STEPS), "draft": draft,
        "errors": errors, "occupations": Occupation.choices, "genders": Gender.choices, "band": band,
        "village_label": _village_label(draft.get("village_code", "")), "quote": quote,
        "step_url": "members:register_step" if mode == "self" else "members:assist_step",
        "prev": STEP_NAMES[index - 1] if index else None,
        "needs_password": mode == "self" and not request.user.is_authenticated,
        "labels": {"income": _rupiah_text(draft.get("income")), "birth_date": _date_text(draft.get("birth_date")),
                   "gender": dict(Gender.choices).get(draft.get("gender"), ""),
                   "occupation": dict(Occupation.choices).get(draft.get("occupation"), ""),
                   "second_occupation": dict(Occupation.choices).get(draft.get("second_occupation"), "")},
        "storage_key": f"jaring-daftar-{mode}",
        "fundings": Funding.choices if mode == "assist" and policy.is_staff(request.user) else None,
        "nik_region": _nik_region(draft.get("nik")) if step == "konfirmasi" else None,
    }
    return render(request, "members/register.html", ctx, status=status)

def _confirm(request, mode, draft, step_url):
    first = _first_incomplete(draft)
    if first != "konfirmasi":
        return redirect(step_url, step=first)
    if not request.POST.get("consent"):
        return _render_step(request, mode, "konfirmasi", draft,
                            {"consent": _("Centang persetujuan agar data Anda boleh diproses untuk kepesertaan.")},
                            status=422)
    data = _as_data(draft)
    try:
        if mode == "assist":
            channel = Channel.AGENT if role_of(request.user) == "agent" else Channel.BRANCH
            # officers may enrol a worker funded by a regional or national budget; agents enrol self-funded
            funding = request.POST.get("funding", "self") if channel == Channel.BRANCH else "self"
            member = services.register_member(data, actor=request.user, channel=channel, funding=funding)
        elif request.user.is_authenticated:
            member = services.register_member(data, actor=request.user, channel=Channel.SELF, user=request.user)
        else:
            if request.POST.get("password") != request.POST.get("password2"):
                raise DomainError(_("Kedua kata sandi tidak sama."), {"password2": _("Ulangi kata sandi yang sama.")})
            member = services.register_self(data, request.POST.get("password", ""))
            login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
    except RuleError as e:
        errors = dict(e.errors) or {"form": e.message}
        errors.setdefault("form", e.message)
        return _render_step(request, mode, "konfirmasi", draft, errors, status=getattr(e, "status", 422))
    request.session.pop(_draft_key(mode), None)
    again = "&aktif_kembali=1" if getattr(member, "reactivated", False) else ""
    return redirect(f"{reverse('members:card', args=[member.kpj])}?baru=1{again}")

def village_search(request):
    """htmx: villages whose name contains ``q`` as radio choices for the registration form."""

    q = request.GET.get("village_q", "") or request.GET.get("q", "")
    selected = request.GET.get("village_code", "")
    # the district in the NIK being registered (digits 1-6) comes first: most people live where their KTP says
    nik = request.GET.get("nik") or _draft(request, "self").get("nik") or _draft(request, "assist").get("nik") or ""
    digits = "".join(ch for ch in str(nik) if ch.isdigit())
    near = f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}" if len(digits) >= 6 else ""
    rows = [{"code": r.code, "name": r.name, "path": region_path(r.parent) if r.parent else ""}
            for r in search_villages(q, near=near)]
    if selected and selected not in {r["code"] for r in rows}:
        label = _village_label(selected)
        if label:
            name, _sep, path = label.partition(", ")
            rows.insert(0, {"code": selected, "name": name, "path": path})
    return render(request, "members/_villages.html", {"rows": rows, "q": q, "selected": selected})

def register_quote(request):
    """htmx: the live monthly contribution for the income, programs and occupation being entered."""
    occupation = request.GET.get("occupation", "")
    from .models import TRANSPORT_OCCUPATIONS

    sector = "transport" if occupation in TRANSPORT_OCCUPATIONS else "other"
    programs = "JKK,JKM,JHT" if request.GET.get("jht") else "JKK,JKM"
    ctx = {}
    try:
        income = services.parse_rupiah(request.GET.get("income", ""))
    except ValueError:
        ctx["error"] = _("Isi penghasilan sebulan dalam Rupiah untuk melihat iuran.")
    else:
        try:
            ctx["quote"] = pricing.quote(income, programs, None, sector, request.GET.get("funding") or "self")
        except RuleError as e:
            ctx["error"] = pricing.income_error() if "income" in (e.errors or {}) else e.message
    return render(request, "web/_quote.html", ctx)

# --- card -------------------------------------------------------------------------------------------------

def _verify_url(request, kpj: str) -> str:
    return request.build_absolute_uri(reverse("members:verify", args=[kpj]))

@login_required
def card(request, kpj):
    member = _member(request.user, kpj)
    cov = selectors.coverage(member)
    url = _verify_url(request, member.kpj)
    return render(request, "members/card.html", {
        "m": member, "cov": cov, "qr_svg": cards.qr_svg(url), "verify_url": url, "new": "baru" in request.GET,
        "reactivated": "aktif_kembali" in request.GET and member.status != Status.INACTIVE,
        "own": member.user_id is not None and member.user_id == request.user.pk,
        "can_assist": role_of(request.user) in ASSISTANTS,
        "nik": selectors.nik_for(request.user, member), "storage_keys": ["jaring-daftar-self", "jaring-daftar-assist"],
    })

@login_required
def card_png(request, kpj):
    member = _member(request.user, kpj)
    png = cards.card_png(member, selectors.coverage(member), _verify_url(request, member.kpj))
    resp = HttpResponse(png, content_type="image/png")
    resp["Content-Disposition"] = f'attachment; filename="kartu-{member.kpj}.png"'
    return resp

@login_required
def card_pdf(request, kpj):
    member = _member(request.user, kpj)
    pdf = cards.card_pdf(member, selectors.coverage(member), _verify_url(request, member.kpj))
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="kartu-{member.kpj}.pdf"'
    return resp

def verify(request, kpj):
    """Public check behind the card's QR code: masked name, programs, protection — nothing else."""
    info = selectors.public_card(kpj)
    return render(request, "members/verify.html", {"info": info, "kpj": kpj}, status=200 if info else 404)

@login_required
def my_card(request):
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        messages.info(request, _("Akun Anda belum terhubung ke kepesertaan. Daftar dulu di sini."))
        return redirect("members:register")
    return redirect("members:card", kpj=member.kpj)

# --- member data ------------------------------------------------------------------------------------------

def _edit_initial(m: Member) -> dict:
    import lokal

    phone = lokal.parse_phone(m.phone).national if m.phone else ""
    return {"name": m.name, "phone": phone or m.phone, "village_code": m.village_id, "address": m.address, "occupation": m.occupation,
            "second_occupation": m.second_occupation, "income": m.income, "jht": m.jht}

def _edit(request, member: Member, template_ctx: dict, success_url: str):
    values = _edit_initial(member)
    errors = {}
    if request.method == "POST":
        keys = ("phone", "village_code", "address", "occupation", "second_occupation", "income")
        if not template_ctx.get("self_service"):
            keys += ("name",)
        values = {k: request.POST.get(k, "").strip() for k in keys}
        values["jht"] = bool(request.POST.get("jht"))
        data = dict(values, programs="JKK,JKM,JHT" if values.pop("jht") else "JKK,JKM")
        try:
            services.update_member(member, data, actor=request.user)
        except RuleError as e:
            errors = dict(e.errors) or {"form": e.message}
            errors.setdefault("form", e.message)
            values["jht"] = "JHT" in data["programs"]
        else:
            messages.success(request, _("Perubahan data tersimpan."))
            return redirect(success_url)
    ctx = {"m": member, "values": values, "errors": errors, "occupations": Occupation.choices,
           "village_label": _village_label(str(values.get("village_code") or "")),
           "events": selectors.audit_trail(member)}
    ctx.update(template_ctx)
    return render(request, "members/edit.html", ctx, status=422 if errors else 200)

@login_required
def my_data(request):
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        messages.info(request, _("Akun Anda belum terhubung ke kepesertaan. Daftar dulu di sini."))
        return redirect("members:register")
    response = _edit(request, member, {"self_service": True, "nik": member.nik}, reverse("members:my_data"))
    if request.method == "POST" and response.status_code == 302:
        services.confirm_data(member, actor=request.user)  # data updated after continuing: confirmed
    return response

@login_required
def confirm_data(request):
    """After continuing by paying (SPEC 2.3) the member confirms occupation, income and phone at sign-in."""
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        return redirect("home")
    if request.method == "POST":
        services.confirm_data(member, actor=request.user)
        messages.success(request, _("Terima kasih, data Anda sudah dikonfirmasi."))
        return redirect("home")
    return render(request, "members/confirm_data.html", {"m": member})

@role_required(*STAFF)
def edit(request, kpj):
    member = _member(request.user, kpj)
    return _edit(request, member, {"self_service": False, "nik": selectors.nik_for(request.user, member)},
                 reverse("members:detail", args=[member.kpj]))

@role_required(*IMPORTERS)
def member_list(request):
    q = request.GET.get("q", "")
    status = request.GET.get("status", "")
    page = page_of(request, selectors.search_members(request.user, q, status))
    rows = [{"m": m, "nik": mask_nik(m.nik)} for m in page.object_list]
    return render(request, "members/list.html", {"page": page, "rows": rows, "q": q, "status": status,
                                                 "statuses": Status.choices})

class _Echo:
    def write(self, value):
        return value

@role_required(*STAFF)
def member_export(request):
    """The list as CSV (same search and scope as the page), streamed; the NIK stays masked."""
    from django.http import StreamingHttpResponse

    qs = selectors.search_members(request.user, request.GET.get("q", ""), request.GET.get("status", ""))
    qs = qs.select_related("village").only(
        "kpj", "name", "nik", "phone", "village__name", "village_id", "branch_id", "occupation", "income", "jht",
        "funding", "channel", "status", "registered_on")
    writer = safe_writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(["kpj", "nama", "nik", "hp", "kode_desa", "desa", "kantor", "pekerjaan",
                                           "penghasilan", "program", "sumber_dana", "kanal", "status", "terdaftar"])
        for m in qs.iterator(chunk_size=2000):
            yield writer.writerow([m.kpj, m.name, mask_nik(m.nik), m.phone, m.village_id, m.village.name, m.branch_id,
                                   m.occupation, m.income, m.programs_csv, m.funding, m.channel, m.status,
                                   m.registered_on.isoformat()])

    resp = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="peserta.csv"'
    return resp

@role_required(*IMPORTERS)
def detail(request, kpj):
    member = _member(request.user, kpj)
    return render(request, "members/detail.html", {
        "m": member, "nik": selectors.nik_for(request.user, member), "cov": selectors.coverage(member),
        "events": selectors.audit_trail(member), "can_edit": services.can_edit(request.user, member)
        and policy.is_staff(request.user),
        "can_verify": policy.is_staff(request.user) and member.status == Status.PENDING,
        "can_reactivate": role_of(request.user) in ASSISTANTS and member.status == Status.INACTIVE,
        "village_label": _village_label(member.village_id), "nik_region": _nik_region(member.nik)})

def _nik_region(nik):
    return nik_region_of(nik)

# --- verification queue -----------------------------------------------------------------------------------

@role_required(*STAFF)
def queue(request):
    page = page_of(request, selectors.verification_queue(request.user))
    return render(request, "members/queue.html", {"page": page})

@role_required(*STAFF)
@require_POST
def verify_action(request, kpj):
    member = _member(request.user, kpj)
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")
    try:
        if action == "approve":
            services.approve_member(member, actor=request.user)
            messages.success(request, _("%(name)s disetujui; kepesertaan aktif.") % {"name": member.name})
        elif action == "correction":
            services.request_correction(member, actor=request.user, reason=reason)
            messages.success(request, _("Permintaan perbaikan dikirim ke %(name)s.") % {"name": member.name})
        elif action == "reject":
            services.reject_member(member, actor=request.user, reason=reason)
            messages.success(request, _("Pendaftaran %(name)s ditolak.") % {"name": member.name})
        else:
            raise Http404
    except RuleError as e:
        messages.error(request, e.message)
    return redirect(request.POST.get("next") or reverse("members:queue"))

# --- bulk import ------------------------------------------------------------------------------------------

@role_required(*IMPORTERS)
def import_upload(request):
    if role_of(request.user) == "sponsor":
        # the sponsor portal wraps this importer and issues the group invoice for the imported workers
        try:
            return redirect("sponsors:upload")
        except NoReverseMatch:
            pass
    channel, fundings = importer.channel_for(request.user)
    error = ""
    if request.method == "POST":
        f = request.FILES.get("file")
        funding = request.POST.get("funding") or fundings[0]
        try:
            if f is None:
                raise DomainError(_("Pilih berkas CSV atau XLSX."), {"file": _("Pilih berkas.")})
            if funding not in fundings:
                raise DomainError(_("Sumber dana tidak boleh dipilih untuk peran Anda."), {"funding": "?"})
            job = importer.start_job(f, f.name, actor=request.user, channel=channel, funding=funding)
        except RuleError as e:
            error = e.message
        else:
            return redirect("members:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "members/import.html", {
        "fundings": [(f, dict(Funding.choices)[f]) for f in fundings],
        "error": error, "jobs": jobs, "columns": importer.COLUMNS, "max_rows": importer.MAX_ROWS},
        status=422 if error else 200)

def _job_for(request, pk) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk)
    if job.created_by_id != request.user.pk and role_of(request.user) != "admin":
        raise Http404
    return job

@role_required(*IMPORTERS)
def import_job(request, pk):
    job = _job_for(request, pk)
    if request.method == "POST":
        if request.POST.get("cancel") and job.state == ImportJob.State.PREVIEW:
            importer.cancel_job(job)
            messages.info(request, _("Impor dibatalkan; tidak ada data yang disimpan."))
            return redirect("members:import")
        if job.state == ImportJob.State.PREVIEW:
            importer.begin_job(job)
        return redirect("members:import_job", pk=job.pk)
    errors_preview = job.errors[:50]
    return render(request, "members/import_job.html", {"job": job, "errors_preview": errors_preview,
                                                       "valid": job.total - job.preview_errors,
                                                       "columns": importer.COLUMNS})

@role_required(*IMPORTERS)
def import_progress(request, pk):
    """htmx poll: imports the next chunk, then shows the progress (the page polls until done)."""
    job = _job_for(request, pk)
    if job.state == ImportJob.State.RUNNING:
        job = importer.run_chunk(job.pk, actor=request.user)
    resp = render(request, "members/_import_progress.html", {"job": job})
    if job.state != ImportJob.State.RUNNING:
        resp["HX-Refresh"] = "true"
    return resp

@role_required(*IMPORTERS)
def import_errors_csv(request, pk):
    job = _job_for(request, pk)
    resp = HttpResponse(importer.errors_csv(job.errors), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="galat-impor-{job.pk}.csv"'
    return resp

@role_required(*IMPORTERS)
def import_template_csv(request):
    resp = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="contoh-daftar-peserta.csv"'
    return resp
