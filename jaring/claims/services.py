"""Claims writes: file (with eligibility and document checks), review, second approval (maker–checker),
rejection, payment, yearly scholarships. Every transition is in the audit trail (core.audit).

Eligibility on the event date (JKK, JKM): the member must be protected by paid contributions on that
date (``jaring.contributions.selectors.coverage_on``); payments made after the event do not count
back. JKM pays the full Rp42m only after 3 consecutive paid months (otherwise the funeral cost) and
the scholarship only after 3 years of contributions; JHT follows the withdrawal conditions of
Permenaker 4/2022 (``rules.jht.withdrawal``). Each refusal says why, in Indonesian.

Maker–checker: an officer reviews; when the benefit is above ``checker_threshold()`` (setting
``JARING_CLAIM_CHECKER_ABOVE``, environment variable of the same name, default Rp20,000,000) a
second, different officer must approve it before the payment instruction is issued.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jaring.accounts import policy
from jaring.accounts.models import Role
from jaring.accounts.policy import STAFF as REVIEWERS
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.contributions.models import Bill
from jaring.contributions.selectors import coverage_on as contributions_coverage_on, paid_through_on
from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, Forbidden
from jaring.ledger import services as ledger
from jaring.members.models import Member
from jaring.rules import benefits as rules, jht as jht_rules
from jaring.rules.coverage import coverage_on as rule_coverage_on
from jaring.rules.errors import RuleError
from jaring.rules.periods import month_str
from jaring.savings.selectors import balance_of
from jaring.savings.services import credit_contributions, withdraw

from .models import PROGRAM_CASES, Case, Claim, ClaimDocument, FiledBy, OPEN_STATUSES, Scholarship, Status

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENTS = 10
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
DEFAULT_CHECKER_ABOVE = 20_000_000  # assumption (A): configurable, see checker_threshold()


def checker_threshold() -> int:
    """Benefits above this many Rupiah need a second officer's approval."""
    value = getattr(settings, "JARING_CLAIM_CHECKER_ABOVE", None)
    if value is None:
        value = os.environ.get("JARING_CLAIM_CHECKER_ABOVE", DEFAULT_CHECKER_ABOVE)
    return int(value)

def _today() -> date:
    return timezone.localdate()

def _refuse(message: str, field: str = "event_date") -> DomainError:
    return DomainError(message, {field: message, "eligibility": message})

def _rp(n: int) -> str:
    return f"Rp{n:,}".replace(",", ".")

# --- documents ---------------------------------------------------------------------------------------

def check_document(upload) -> tuple[str, str, int, str]:
    """Size ≤ 5 MB and type PDF/JPEG/PNG by its first bytes (not by its name) → (type, ext, size, sha256)."""
    name = getattr(upload, "name", "berkas")
    size = getattr(upload, "size", None)
    if size is None or size > MAX_DOCUMENT_BYTES:
        msg = f"Berkas '{name}' lebih dari 5 MB; perkecil (foto dengan resolusi lebih rendah) lalu unggah lagi."
        raise DomainError(msg, {"documents": msg})
    if size == 0:
        msg = f"Berkas '{name}' kosong; unggah lagi."
        raise DomainError(msg, {"documents": msg})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            return content_type, ext, size, digest.hexdigest()
    msg = f"Berkas '{name}' bukan PDF, JPEG atau PNG; unggah dokumen dalam salah satu format itu."
    raise DomainError(msg, {"documents": msg})

def _save_documents(claim: Claim, documents, actor) -> int:
    count = 0
    for kind, upload in documents:
        content_type, ext, size, sha = check_document(upload)
        doc = ClaimDocument(claim=claim, kind=kind if kind in ClaimDocument.Kind.values else "other",
                            original_name=str(getattr(upload, "name", "berkas"))[:200], content_type=content_type,
                            size=size, sha256=sha, uploaded_by=actor if getattr(actor, "is_authenticated", False)
                            else None)
        doc.file.save(f"{claim.number}-{uuid.uuid4().hex[:8]}.{ext}", upload, save=False)
        doc.save()
        count += 1
    return count

# --- contributions history ---------------------------------------------------------------------------

def paid_history(member, on: date) -> dict:
    """Paid contribution months up to the event (payments made after the event do not count):
    the longest run of consecutive paid months and the number of paid months."""

    qs = Bill.objects.filter(member=member, status=Bill.Status.PAID, month__lte=on.replace(day=1),
                             month__gte=member.first_month.replace(day=1))
    qs = qs.filter(payment__paid_at__date__lte=on) | qs.filter(payment__isnull=True)
    months = sorted(set(qs.values_list("month", flat=True)))
    longest = run = 0
    prev = None
    for m in months:
        run = run + 1 if prev is not None and (m.year * 12 + m.month) - (prev.year * 12 + prev.month) == 1 else 1
        longest = max(longest, run)
        prev = m
    return {"consecutive_paid_months": longest, "contribution_months": len(months)}

def coverage_on(member, on: date) -> dict:
    """Coverage on the event date (``contributions.selectors.coverage_on``). A member deactivated *since*
    (typically: the worker died and nobody paid any more) is judged by what had been paid by that date,
    with the same rule, so a later deactivation never takes away protection the member had."""

    if member.status != "inactive":
        return contributions_coverage_on(member, on)
    return rule_coverage_on("active", member.first_month, paid_through_on(member, on), on).as_dict()

# --- eligibility and benefit -------------------------------------------------------------------------

def check_protected(member, event_date: date) -> dict:
    """JKK/JKM: protected by paid contributions on the event date, else a refusal saying why."""
    if event_date < member.first_month.replace(day=1):
        raise _refuse(f"Tanggal kejadian {event_date:%d-%m-%Y} sebelum kepesertaan dimulai "
                      f"({month_str(member.first_month)}); tidak ada perlindungan pada tanggal itu.")
    cov = coverage_on(member, event_date)
    if cov["protected"]:
        return cov
    d = f"{event_date:%d-%m-%Y}"
    paid = cov.get("paid_through") or "belum pernah"
    if cov["state"] == "pending":
        raise _refuse(f"Pada tanggal kejadian {d} pendaftaran peserta belum diverifikasi, jadi belum terlindungi.")
    if cov["state"] == "inactive":
        raise _refuse(f"Pada tanggal kejadian {d} kepesertaan nonaktif: iuran tidak dibayar 3 bulan "
                      f"berturut-turut (lunas sampai {paid}). Klaim tidak dapat dibayar.")
    raise _refuse(f"Pada tanggal kejadian {d} iuran bulan {month_str(event_date)} belum lunas "
                  f"(lunas sampai {paid}), jadi perlindungan tidak berlaku pada tanggal itu.")

def _partial_taken(member, exclude_pk=None) -> bool:
    qs = Claim.objects.filter(member=member, program="JHT", case__in=jht_rules.PARTIAL_REASONS,
                              status__in=[*OPEN_STATUSES, Status.PAID])
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()

def compute(member, *, program: str, case: str, event_date: date, percent_bp=None, months=None, children=0,
            claim_date: date | None = None, exclude_pk=None, costs: dict | None = None) -> dict:
    """Eligibility and the benefit, component by component: ``{"coverage", "history", "estimate"}``.
    Raises DomainError with the reason when the claim cannot be paid."""
    claim_date = claim_date or _today()
    if program not in PROGRAM_CASES:
        raise DomainError("Pilih program JKK, JKM atau JHT.", {"program": "Pilih JKK, JKM atau JHT."})
    if case not in PROGRAM_CASES[program]:
        msg = f"Jenis klaim '{case}' tidak tersedia untuk {program}."
        raise DomainError(msg, {"case": msg})
    if event_date > claim_date:
        raise DomainError("Tanggal kejadian tidak boleh sesudah hari ini.", {"event_date": "Tanggal di masa depan."})
    if member.status == "rejected":
        raise _refuse("Pendaftaran peserta ini ditolak; tidak ada perlindungan.", "member")
    history = paid_history(member, event_date)
    out = {"coverage": {}, "history": history}
    try:
        if program in ("JKK", "JKM"):
            out["coverage"] = check_protected(member, event_date)
            wage = member.income
            if program == "JKM":
                e = rules.jkm_death(history["consecutive_paid_months"], history["contribution_months"],
                                    on=event_date, children=children)
            elif case == "death":
                e = rules.jkk_death(wage, on=event_date, children=children)
            elif case == "total_disability":
                e = rules.jkk_total_disability(wage, on=event_date, children=children)
            elif case == "partial_disability":
                if percent_bp is None:
                    raise DomainError("Isi persen cacat menurut tabel (dari surat dokter).",
                                      {"percent": "Wajib untuk cacat sebagian."})
                e = rules.jkk_partial_disability(wage, percent_bp / 100, on=event_date)
            else:
                if months is None:
                    raise DomainError("Isi lama tidak mampu bekerja (bulan) dari surat dokter.",
                                      {"months": "Wajib untuk STMB."})
                e = rules.jkk_temporary_incapacity(wage, months, on=event_date)
            if program == "JKK" and costs:
                e.components.update(rules.jkk_costs(on=event_date, **costs))
        else:
            if not member.jht:
                raise _refuse("Peserta tidak ikut program JHT, jadi tidak ada saldo JHT untuk dicairkan.", "program")
            credit_contributions([member.pk])
            balance = balance_of(member)
            w = jht_rules.withdrawal(case, balance, claim_date=claim_date, birth_date=member.birth_date,
                                     member_since=member.first_month, event_date=event_date,
                                     partial_taken=_partial_taken(member, exclude_pk))
            e = rules.Estimate("JHT", case)
            e.components["jht_balance" if w.full else "jht_partial"] = w.amount
            e.extras["balance"] = balance
    except RuleError as err:
        if isinstance(err, DomainError):
            raise
        raise DomainError(err.message, {**err.errors, "eligibility": err.message})
    out["estimate"] = e
    return out

# --- permissions -------------------------------------------------------------------------------------

def _staff_in_scope(actor, claim: Claim) -> None:
    if not policy.is_staff(actor):
        raise Forbidden("Hanya petugas kantor cabang yang memeriksa dan menyetujui klaim.")
    if not scope_for(actor).allows_branch(claim.branch_id):
        raise Forbidden("Klaim ini milik kantor cabang di luar wilayah kerja Anda.")

def may_view(user, claim: Claim) -> bool:
    role = role_of(user)
    if role in REVIEWERS:
        return scope_for(user).allows_branch(claim.branch_id)
    return bool(getattr(user, "is_authenticated", False)) and (claim.member.user_id == user.pk
                                                               or claim.filed_by_user_id == user.pk)

def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("member").get(pk=claim.pk)

def _transition(claim: Claim, actor, action: str, new_status: str, note: str = "", **changes) -> None:
    old = claim.status
    claim.status = new_status
    diff = {"status": [old, new_status]}
    diff.update({k: [None, v] for k, v in changes.items()})
    audit.record(actor, action, claim, changes=diff, note=note)

# --- filing ------------------------------------------------------------------------------------------

def _date(value, field="event_date") -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise DomainError("Tanggal tidak valid: tulis TTTT-BB-HH, misalnya 2026-05-03.", {field: "Format TTTT-BB-HH."})

def _children(data: dict) -> list[dict]:
    kids = []
    for i in (1, 2, 3):
        name = (data.get(f"child{i}_name") or "").strip()
        if not name:
            continue
        level = (data.get(f"child{i}_level") or "").strip().upper()
        if level not in rules.SCHOOL_LEVELS:
            msg = f"Pilih jenjang sekolah anak ke-{i}: {', '.join(rules.SCHOOL_LEVELS)}."
            raise DomainError(msg, {f"child{i}_level": msg})
        birth = data.get(f"child{i}_birth_date")
        kids.append({"name": name[:120], "birth_date": _date(birth, f"child{i}_birth_date").isoformat() if birth
                     else None, "level": level, "years_done": int(data.get(f"child{i}_years_done") or 0)})
    max_children = rules.default_tables().scholarship()["max_children"]
    return kids[:max_children]

def file_claim(member, data: dict, documents=(), *, actor, family: bool = False) -> Claim:
    """File a claim for ``member``. ``data``: program, case, event_date, cause, claimant_name,
    claimant_relation, claimant_phone, bank_name, bank_account, account_holder, percent, months,
    child1_name/child1_birth_date/child1_level, child2_… . ``documents``: [(kind, UploadedFile)]."""
    try:
        return _file_claim(member, data, list(documents), actor=actor, family=family)
    except DomainError as e:
        if "eligibility" in e.errors:  # a refusal on the merits stays in the audit trail
            audit.record(actor, "claim.refused", member, note=e.message,
                         changes={"program": [None, data.get("program")], "case": [None, data.get("case")],
                                  "event_date": [None, str(data.get("event_date"))]})
        raise

def file_family_claim(kpj: str, nik: str, data: dict, documents=()) -> Claim:
    """A family member (heir) without a sign-in files with the member's KPJ and NIK, which must match.
    The claim is marked ``family`` and reviewed by the branch like any other."""

    kpj, nik = str(kpj or "").strip(), "".join(ch for ch in str(nik or "") if ch.isdigit())
    member = Member.objects.filter(kpj=kpj).first()
    if member is None or member.nik != nik:
        msg = "Nomor KPJ dan NIK peserta tidak cocok; periksa kartu peserta dan KTP/KK almarhum/peserta."
        raise DomainError(msg, {"kpj": msg, "nik": msg})
    relation = str(data.get("claimant_relation") or "").strip()
    if not relation:
        msg = "Isi hubungan Anda dengan peserta (mis. istri, suami, anak, orang tua)."
        raise DomainError(msg, {"claimant_relation": msg})
    return file_claim(member, data, documents, actor=None, family=True)

@transaction.atomic
def _file_claim(member, data: dict, documents: list, *, actor, family: bool = False) -> Claim:
    role = role_of(actor)
    if family and actor is None:
        pass  # identity checked by file_family_claim (KPJ + NIK)
    elif role == Role.WORKER:
        if member.user_id != getattr(actor, "pk", None):
            raise Forbidden("Anda hanya dapat mengajukan klaim untuk kepesertaan Anda sendiri.")
    elif role in REVIEWERS:
        if not scope_for(actor).allows_branch(member.branch_id):
            raise Forbidden("Peserta ini terdaftar di kantor cabang di luar wilayah kerja Anda.")
    else:
        raise Forbidden("Klaim diajukan oleh peserta, keluarganya (melalui akun peserta atau kantor cabang), "
                        "atau petugas.")
    errors = {}
    program = str(data.get("program") or "").strip().upper()
    case = str(data.get("case") or ("death" if program == "JKM" else "")).strip()
    if program not in PROGRAM_CASES:
        raise DomainError("Pilih program JKK, JKM atau JHT.", {"program": "Pilih JKK, JKM atau JHT."})
    if case not in PROGRAM_CASES[program]:
        msg = f"Jenis klaim '{case}' tidak tersedia untuk {program}; pilih: {', '.join(PROGRAM_CASES[program])}."
        raise DomainError(msg, {"case": msg})
    for f, label in (("cause", "Ceritakan singkat penyebab/kejadiannya."), ("claimant_name", "Isi nama pengaju."),
                     ("bank_name", "Isi nama bank."), ("account_holder", "Isi nama pemilik rekening.")):
        if not str(data.get(f) or "").strip():
            errors[f] = label
    account = "".join(ch for ch in str(data.get("bank_account") or "") if ch.isdigit())
    if not 6 <= len(account) <= 20:
        errors["bank_account"] = "Nomor rekening 6 sampai 20 angka."
    if not documents:
        errors["documents"] = "Unggah paling sedikit satu dokumen pendukung (PDF, JPEG atau PNG, maks. 5 MB)."
    if len(documents) > MAX_DOCUMENTS:
        errors["documents"] = f"Paling banyak {MAX_DOCUMENTS} dokumen."
    if errors:
        raise DomainError("Lengkapi data klaim: " + " ".join(errors.values()), errors)
    for _kind, upload in documents:  # refuse a bad file before anything is written
        check_document(upload)
    event_date = _date(data.get("event_date"))
    percent_bp = months = None
    if data.get("percent") not in (None, ""):
        percent_bp = rules.check_percent_bp(data.get("percent"))
    if data.get("months") not in (None, ""):
        try:
            months = int(data.get("months"))
        except ValueError:
            raise DomainError("Lama tidak mampu bekerja harus angka bulan.", {"months": "Angka bulan."})
    kids = _children(data) if case in ("death", "total_disability") else []
    costs = {k: data.get(k) for k in ("transport_mode", "transport_cost", "home_care_cost", "home_care_months")
             if data.get(k) not in (None, "")} if program == "JKK" else {}
    if Claim.objects.filter(member=member, program=program, case=case, status__in=OPEN_STATUSES).exists() or (
            case in ("death", "total_disability") and
            Claim.objects.filter(member=member, program=program, case=case, status=Status.PAID).exists()):
        raise Conflict(f"Sudah ada klaim {program} ({Case(case).label}) untuk peserta ini; ikuti klaim itu.",
                       {"case": "Klaim ganda."})
    if program in ("JKK", "JKM") and case == "death":
        other = "JKM" if program == "JKK" else "JKK"
        prior = Claim.objects.filter(member=member, program=other, case="death",
                                     status__in=[*OPEN_STATUSES, Status.PAID]).first()
        if prior is not None:  # one death: paid by JKK (work accident) or by JKM, never both
            raise Conflict(f"Kematian peserta ini sudah diklaim lewat {other} (klaim {prior.number}); santunan "
                           "kematian dibayar oleh JKK atau JKM, tidak keduanya.", {"program": "Sudah diklaim."})
    result = compute(member, program=program, case=case, event_date=event_date, percent_bp=percent_bp,
                     months=months, children=len(kids), costs=costs)
    e = result["estimate"]
    filed_by = FiledBy.FAMILY if family else FiledBy.OFFICER if role in REVIEWERS else (
        FiledBy.MEMBER if (data.get("claimant_relation") or "").strip().lower() in ("", "diri sendiri", "sendiri")
        else FiledBy.FAMILY)
    claim = Claim.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:16]}", member=member, branch_id=member.branch_id, program=program, case=case,
        event_date=event_date, cause=str(data.get("cause")).strip(), filed_by=filed_by,
        filed_by_user=actor if getattr(actor, "is_authenticated", False) else None,
        claimant_name=str(data.get("claimant_name")).strip()[:120],
        claimant_relation=str(data.get("claimant_relation") or "").strip()[:40],
        claimant_phone=str(data.get("claimant_phone") or "").strip()[:20],
        bank_name=str(data.get("bank_name")).strip()[:60], bank_account=account,
        account_holder=str(data.get("account_holder")).strip()[:120], wage=member.income, percent_bp=percent_bp,
        months=months, children=len(kids), coverage=result["coverage"],
        components=e.components, extras={**e.extras, **result["history"], "children": kids, "notes": e.notes,
                                         "costs": costs},
        amount=e.total)
    claim.number = f"KL{claim.submitted_at:%Y}{claim.pk:07d}"
    claim.save(update_fields=["number"])
    _save_documents(claim, documents, actor)
    audit.record(actor, "claim.file", claim, changes={"status": [None, Status.SUBMITTED], "amount": [None, e.total]},
                 note=f"{program} {case} {event_date.isoformat()} oleh {filed_by}")
    return claim

# --- review, approval, rejection, payment -------------------------------------------------------------

def _recompute(claim: Claim) -> None:
    result = compute(claim.member, program=claim.program, case=claim.case, event_date=claim.event_date,
                     percent_bp=claim.percent_bp, months=claim.months, children=claim.children, exclude_pk=claim.pk,
                     costs=claim.extras.get("costs") or None)
    e = result["estimate"]
    claim.components = e.components
    claim.extras = {**claim.extras, **e.extras, **result["history"], "notes": e.notes}
    claim.coverage = result["coverage"]
    claim.amount = e.total

@transaction.atomic
def review(claim: Claim, *, actor, percent=None, months=None, note: str = "") -> Claim:
    """The first officer checks documents and eligibility and recommends payment. Up to the threshold
    this approves the claim; above it the claim waits for a second officer (maker–checker)."""
    claim = _locked(claim)
    _staff_in_scope(actor, claim)
    if claim.status != Status.SUBMITTED:
        raise Conflict(f"Klaim {claim.number} tidak menunggu pemeriksaan (status: {claim.get_status_display()}).")
    if percent not in (None, ""):
        claim.percent_bp = rules.check_percent_bp(percent)
    if months not in (None, ""):
        claim.months = int(months)
    _recompute(claim)
    claim.reviewed_by, claim.reviewed_at = actor, timezone.now()
    if claim.amount > checker_threshold():
        _transition(claim, actor, "claim.review", Status.REVIEWED, note, amount=claim.amount)
    else:
        _approve(claim, actor, note)
    claim.save()
    return claim

def _approve(claim: Claim, actor, note: str) -> None:
    claim.approved_by, claim.approved_at = actor, timezone.now()
    claim.payment_reference = f"PI{claim.number[2:]}"
    _transition(claim, actor, "claim.approve", Status.APPROVED, note, amount=claim.amount,
                payment_reference=claim.payment_reference)
    _schedule_scholarships(claim)

    ledger.post_claim_approval(claim, actor=actor)

@transaction.atomic
def approve(claim: Claim, *, actor, note: str = "") -> Claim:
    """The second officer (checker) approves a reviewed claim above the threshold."""
    claim = _locked(claim)
    _staff_in_scope(actor, claim)
    if claim.status != Status.REVIEWED:
        raise Conflict(f"Klaim {claim.number} tidak menunggu persetujuan kedua (status: {claim.get_status_display()}).")
    if claim.reviewed_by_id == actor.pk:
        raise Forbidden(f"Klaim di atas {_rp(checker_threshold())} harus disetujui petugas lain, "
                        "bukan petugas yang memeriksanya.")
    _approve(claim, actor, note)
    claim.save()
    return claim

@transaction.atomic
def reject(claim: Claim, *, actor, reason: str) -> Claim:
    claim = _locked(claim)
    _staff_in_scope(actor, claim)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError("Tulis alasan penolakan yang jelas untuk peserta.", {"reason": "Wajib diisi."})
    if claim.status not in (Status.SUBMITTED, Status.REVIEWED):
        raise Conflict(f"Klaim {claim.number} tidak dapat ditolak lagi (status: {claim.get_status_display()}).")
    claim.status_reason = reason
    _transition(claim, actor, "claim.reject", Status.REJECTED, reason)
    claim.save()
    return claim

@transaction.atomic
def mark_paid(claim: Claim, *, actor, reference: str, note: str = "") -> Claim:
    """Record the bank transfer of an approved claim (JHT: debits the savings account once)."""
    claim = _locked(claim)
    _staff_in_scope(actor, claim)
    if claim.status != Status.APPROVED:
        raise Conflict(f"Klaim {claim.number} belum disetujui (status: {claim.get_status_display()}).")
    reference = (reference or "").strip()
    if not reference:
        raise DomainError("Isi nomor referensi transfer bank.", {"reference": "Wajib diisi."})
    if claim.program == "JHT":
        if claim.case in jht_rules.FULL_REASONS:
            claim.components = {"jht_balance": balance_of(claim.member)}  # returns credited since approval
            claim.amount = claim.components["jht_balance"]
        withdraw(claim.member, claim.amount, claim=claim, on=_today(), actor=actor)
    claim.paid_reference, claim.paid_at, claim.paid_by = reference[:64], timezone.now(), actor
    _transition(claim, actor, "claim.pay", Status.PAID, note, paid_reference=claim.paid_reference, amount=claim.amount)

    ledger.post_claim_payout(claim, actor=actor)
    claim.save()
    return claim

# --- scholarships ---------------------------------------------------------------------------------------

def _schedule_scholarships(claim: Claim) -> None:
    if not claim.extras.get("scholarship_max"):
        return
    rows = []
    start = max(claim.event_date.year, _today().year)
    for number, kid in enumerate(claim.extras.get("children", []), start=1):
        birth = date.fromisoformat(kid["birth_date"]) if kid.get("birth_date") else None
        for y in rules.scholarship_schedule(start, kid["level"], kid.get("years_done", 0), birth, on=claim.event_date):
            rows.append(Scholarship(claim=claim, child_number=number, child_name=kid["name"], child_birth_date=birth,
                                    year=y.year, level=y.level, amount=y.amount))
    Scholarship.objects.bulk_create(rows, ignore_conflicts=True)

@transaction.atomic
def pay_scholarship(item: Scholarship, *, actor, note: str = "") -> Scholarship:
    """Pay one child's scholarship for one year, claimed yearly (the child still at school)."""
    item = Scholarship.objects.select_for_update().select_related("claim").get(pk=item.pk)
    _staff_in_scope(actor, item.claim)
    if item.claim.status not in (Status.APPROVED, Status.PAID):
        raise Conflict("Beasiswa dibayar setelah klaim utamanya disetujui.")
    if item.state != Scholarship.State.SCHEDULED:
        raise Conflict(f"Beasiswa {item.child_name} tahun {item.year} sudah {item.get_state_display().lower()}.")
    if item.year > _today().year:
        raise DomainError(f"Beasiswa tahun {item.year} baru dapat diklaim pada tahun itu.", {"year": "Belum waktunya."})
    item.state, item.paid_at, item.paid_by, item.note = Scholarship.State.PAID, timezone.now(), actor, note[:200]
    item.save()

    ledger.post_scholarship(item, actor=actor)
    audit.record(actor, "claim.scholarship_pay", item.claim, changes={"scholarship": [None, {
        "child": item.child_name, "year": item.year, "level": item.level, "amount": item.amount}]}, note=note)
    return item

@transaction.atomic
def stop_scholarships(claim: Claim, child_number: int, *, actor, reason: str) -> int:
    """Stop a child's remaining yearly scholarships (the child turned 23, married, works or left school)."""
    claim = _locked(claim)
    _staff_in_scope(actor, claim)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError("Tulis alasan beasiswa dihentikan (mis. anak sudah bekerja atau menikah).",
                          {"reason": "Wajib diisi."})
    n = claim.scholarships.filter(child_number=child_number, state=Scholarship.State.SCHEDULED).update(
        state=Scholarship.State.CANCELLED, note=reason[:200])
    if n:
        audit.record(actor, "claim.scholarship_stop", claim,
                     changes={"scholarship": [None, {"child_number": child_number, "years_stopped": n}]}, note=reason)
    return n
