"""Demo claims for ``jaring demo``: a second demo officer 'petugas2' (maker–checker), a JKM claim waiting
for review, a JKK death claim waiting for the second officer, a paid STMB claim of the demo worker
'peserta', and a rejected one. Idempotent: a second run only reports."""

from __future__ import annotations

from datetime import timedelta

from jaring.accounts.services import create_user
from jaring.contributions.selectors import paid_through_on
from jaring.core import audit
from jaring.core.errors import DomainError
from jaring.core.models import AuditEvent
from jaring.demo import DEMO_PASSWORD
from jaring.members.models import Member

MARK = "claims.demo_load"


def _pdf_bytes(title: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, title)
    return bytes(pdf.output())

def load(progress=None) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from . import services

    User = get_user_model()
    if not User.objects.filter(username="petugas2").exists():
        create_user("petugas2", DEMO_PASSWORD, "officer", "KC-6371")
    result = {"demo_second_officer": "petugas2"}
    if AuditEvent.objects.filter(action=MARK).exists():
        return result
    maker = User.objects.filter(username="petugas").first()
    checker = User.objects.filter(username="petugas2").first()
    worker = User.objects.filter(username="peserta").first()
    if maker is None:
        return result
    today = timezone.localdate()
    protected = list(Member.objects.filter(branch_id="KC-6371", status="active", coverage__protected=True,
                                           user__isnull=True).order_by("id")[:6])
    made = []

    def file(member, actor, **data):
        doc = SimpleUploadedFile("dokumen.pdf", _pdf_bytes(f"Dokumen klaim {member.name}"),
                                 content_type="application/pdf")
        base = {"cause": "", "claimant_name": member.name, "claimant_relation": "", "bank_name": "BRI",
                "bank_account": f"0021{member.kpj[-8:]}", "account_holder": member.name,
                "event_date": today.isoformat()}
        base.update(data)
        try:
            claim = services.file_claim(member, base, [("other", doc)], actor=actor)
        except DomainError as e:
            if progress:
                progress(f"klaim contoh dilewati: {e.message}")
            return None
        made.append(claim)
        return claim

    if len(protected) >= 3:
        file(protected[0], maker, program="JKM", case="death", cause="Meninggal karena sakit di rumah",
             claimant_name="Rahmat", claimant_relation="suami", account_holder="Rahmat")
        c = file(protected[1], maker, program="JKK", case="death", cause="Kecelakaan motor saat mengantar dagangan",
                 claimant_name="Siti", claimant_relation="istri", account_holder="Siti",
                 child1_name="Nur", child1_level="SD", child1_years_done="2")
        if c is not None:
            services.review(c, actor=maker, note="Dokumen lengkap")
        c = file(protected[2], maker, program="JKK", case="partial_disability", percent="10",
                 cause="Jari terpotong mesin parut kelapa")
        if c is not None:
            services.reject(c, actor=maker, reason="Surat keterangan dokter belum ada; unggah surat dari rumah sakit.")
    own = Member.objects.filter(user=worker).first() if worker else None
    if own is not None:
        paid = paid_through_on(own, today)
        event = min(today - timedelta(days=3), paid.replace(day=10)) if paid else today
        c = file(own, worker, program="JKK", case="temporary_incapacity", months="2",
                 event_date=event.isoformat(), cause="Terkilir saat mengangkat karung beras")
        if c is not None:
            services.review(c, actor=maker, note="Surat dokter sesuai")
            services.mark_paid(c, actor=checker or maker, reference=f"TRF-DEMO-{c.pk:04d}")
    audit.record(None, MARK, object_type="claims.claim", object_id="demo", note=f"{len(made)} klaim")
    result["demo_claims_created"] = len(made)
    return result
