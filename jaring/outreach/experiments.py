"""Measured reminder policies (issue "Keep them paying"): experiments, arms, assignment, outcomes, report.

- ``create_experiment`` assigns every active member (of one branch, or all) to an arm with
  ``rules.experiments.assign_arm`` — a hash of the experiment code and the KPJ, so the same member always
  lands in the same arm — streaming (id, KPJ) pairs and inserting assignments in batches.
- ``queue_reminders`` (reminders.py) asks ``arms_for_month`` which members of a running experiment get
  which before-due policy (days before due, channel, wording); the control arm keeps the default policy
  unless it says otherwise, and an arm with ``days_before_due = 0`` gets no before-due reminder.
- ``record_outcomes`` fills the outcomes set-based (two UPDATE … EXISTS statements): paid the month by its
  due date; still active 90 days after the due date (only once that day has come).
- ``report`` gives each arm's rates with 95% intervals and the difference to control, and says plainly
  whether the difference is significant yet.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, NotFound
from jaring.rules import experiments as stats
from jaring.rules.billing import due_date
from jaring.rules.periods import parse_month

from .models import (Experiment, ExperimentArm, ExperimentAssignment, ExperimentStatus, ReminderWording)

CHANNELS = ("sms", "whatsapp")
ACTIVE_AFTER_DAYS = 90
BATCH = 5000
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def _member_model():
    return apps.get_model("members", "Member")


def _bill_model():
    return apps.get_model("contributions", "Bill")


def _clean_arm(raw: dict, i: int) -> dict:
    code = str(raw.get("code") or "").strip().lower()
    if not CODE_RE.match(code) or len(code) > 20:
        raise DomainError(_("Kode kelompok ke-%(n)s tidak valid: huruf kecil, angka dan tanda minus, "
                            "paling banyak 20 karakter.") % {"n": i + 1}, {f"arms.{i}.code": _("kode tidak valid")})
    try:
        days = int(raw.get("days_before_due", 3))
        weight = int(raw.get("weight", 1))
    except (TypeError, ValueError):
        raise DomainError(_("Hari dan bobot kelompok %(code)s harus bilangan bulat.") % {"code": code},
                          {f"arms.{i}": _("bilangan bulat")}) from None
    if not 0 <= days <= 14:
        raise DomainError(_("Kelompok %(code)s: hari sebelum jatuh tempo 0 sampai 14 (0 = tanpa pengingat).")
                          % {"code": code}, {f"arms.{i}.days_before_due": _("0–14")})
    if not 1 <= weight <= 100:
        raise DomainError(_("Kelompok %(code)s: bobot 1 sampai 100.") % {"code": code},
                          {f"arms.{i}.weight": _("1–100")})
    channel = str(raw.get("channel") or "sms").strip().lower()
    if channel not in CHANNELS:
        raise DomainError(_("Kelompok %(code)s: kanal harus sms atau whatsapp.") % {"code": code},
                          {f"arms.{i}.channel": _("sms atau whatsapp")})
    wording = str(raw.get("wording") or ReminderWording.STANDARD).strip().lower()
    if wording not in ReminderWording.values:
        raise DomainError(_("Kelompok %(code)s: gaya pesan harus salah satu dari %(values)s.")
                          % {"code": code, "values": ", ".join(ReminderWording.values)},
                          {f"arms.{i}.wording": ", ".join(ReminderWording.values)})
    return {"code": code, "control": bool(raw.get("control")), "weight": weight, "days_before_due": days,
            "channel": channel, "wording": wording, "position": i}


def create_experiment(*, code: str, name: str, month: str, arms: list[dict], branch=None, actor=None) -> Experiment:
    """Create an experiment and assign its members (active members of ``branch``, or all)."""
    code = (code or "").strip().lower()
    if not CODE_RE.match(code):
        raise DomainError(_("Kode eksperimen tidak valid: huruf kecil, angka dan tanda minus (mis. jadwal-2026-07)."),
                          {"code": _("kode tidak valid")})
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Nama eksperimen wajib diisi."), {"name": _("wajib diisi")})
    try:
        m = parse_month(month)
    except Exception:
        raise DomainError(_("Bulan '%(m)s' tidak valid: tulis YYYY-MM.") % {"m": month}, {"month": "YYYY-MM"}) from None
    cleaned = [_clean_arm(a, i) for i, a in enumerate(arms or [])]
    if len(cleaned) < 2:
        raise DomainError(_("Eksperimen perlu paling sedikit dua kelompok: satu kontrol dan satu perlakuan."),
                          {"arms": _("paling sedikit dua")})
    if sum(1 for a in cleaned if a["control"]) != 1:
        raise DomainError(_("Tepat satu kelompok harus menjadi kontrol."), {"arms": _("satu kontrol")})
    if len({a["code"] for a in cleaned}) != len(cleaned):
        raise DomainError(_("Kode kelompok tidak boleh sama."), {"arms": _("kode ganda")})
    if Experiment.objects.filter(code=code).exists():
        raise Conflict(_("Eksperimen dengan kode %(code)s sudah ada.") % {"code": code}, {"code": _("sudah dipakai")})
    with transaction.atomic():
        exp = Experiment.objects.create(code=code, name=name[:120], month=m, branch=branch, created_by=actor)
        arm_rows = [ExperimentArm.objects.create(experiment=exp, **a) for a in cleaned]
        exp.members = _assign(exp, arm_rows)
        exp.save(update_fields=["members"])
        audit.record(actor, "outreach.experiment.create", exp, note=f"{exp.members} members, {len(arm_rows)} arms")
    return exp


def _assign(exp: Experiment, arms: list[ExperimentArm]) -> int:
    """Stream (id, KPJ) of the eligible members and insert their assignments in batches."""
    Member = _member_model()
    weights = [(a.code, a.weight) for a in arms]
    by_code = {a.code: a.pk for a in arms}
    qs = Member.objects.filter(status="active")
    if exp.branch_id:
        qs = qs.filter(branch_id=exp.branch_id)
    total, batch = 0, []
    for member_id, kpj in qs.order_by("id").values_list("id", "kpj").iterator(chunk_size=BATCH):
        arm = by_code[stats.assign_arm(exp.code, kpj, weights)]
        batch.append(ExperimentAssignment(experiment_id=exp.pk, arm_id=arm, member_id=member_id))
        if len(batch) >= BATCH:
            ExperimentAssignment.objects.bulk_create(batch, ignore_conflicts=True)
            total += len(batch)
            batch = []
    if batch:
        ExperimentAssignment.objects.bulk_create(batch, ignore_conflicts=True)
        total += len(batch)
    return total


def get_experiment(code: str) -> Experiment:
    exp = Experiment.objects.filter(code=(code or "").strip().lower()).first()
    if exp is None:
        raise NotFound(_("Eksperimen %(code)s tidak ditemukan.") % {"code": code})
    return exp


def arms_for_month_any():
    """The arms of every running experiment: [(arm, a queryset of its members' ids)]."""
    out = []
    for arm in ExperimentArm.objects.filter(experiment__status=ExperimentStatus.RUNNING).select_related("experiment"):
        out.append((arm, ExperimentAssignment.objects.filter(arm=arm).values("member_id")))
    return out


def _end_of_day(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d + timedelta(days=1), time(0, 0)), timezone.get_default_timezone())


def record_outcomes(exp: Experiment, on: date | None = None) -> dict:
    """Fill the outcomes known on ``on`` (set-based; idempotent: a recorded outcome is never rewritten)."""
    on = on or timezone.localdate()
    due = due_date(exp.month)
    Bill, Member = _bill_model(), _member_model()
    paid = 0
    active = 0
    if on > due:
        paid_in_time = Bill.objects.filter(member_id=OuterRef("member_id"), month=exp.month, status="paid",
                                           payment__paid_at__lt=_end_of_day(due))
        paid = (ExperimentAssignment.objects.filter(experiment=exp, paid_by_due__isnull=True)
                .update(paid_by_due=Exists(paid_in_time)))
    if on >= due + timedelta(days=ACTIVE_AFTER_DAYS):
        still = Member.objects.filter(pk=OuterRef("member_id"), status="active")
        active = (ExperimentAssignment.objects.filter(experiment=exp, active_after_90__isnull=True)
                  .update(active_after_90=Exists(still)))
        if exp.status != ExperimentStatus.FINISHED:
            exp.status = ExperimentStatus.FINISHED
    exp.recorded_at = timezone.now()
    exp.save(update_fields=["status", "recorded_at"])
    return {"experiment": exp.code, "date": on.isoformat(), "paid_by_due_recorded": paid,
            "active_after_90_recorded": active}


def record_all(on: date | None = None) -> dict:
    """The worker job: record outcomes of every running experiment."""
    done = [record_outcomes(e, on) for e in Experiment.objects.filter(status=ExperimentStatus.RUNNING)]
    return {"experiments": len(done), "details": done}


def _rate(x: int, n: int) -> dict:
    ci = stats.wilson(x, n)
    return {"count": x, "n": n, "rate": round(x / n, 4) if n else None, "ci95": [round(ci.low, 4), round(ci.high, 4)]}


OUTCOMES = (("paid_by_due", gettext_lazy("Bayar sebelum jatuh tempo")),
            ("active_after_90", gettext_lazy("Masih aktif 90 hari kemudian")))


def report(exp: Experiment) -> dict:
    """Per arm and outcome: count, rate, 95% interval, difference to control with its interval and a plain verdict."""
    rows = {r["arm_id"]: r for r in ExperimentAssignment.objects.filter(experiment=exp).values("arm_id").annotate(
        n=Count("id"),
        n_paid_by_due=Count("id", filter=Q(paid_by_due__isnull=False)),
        x_paid_by_due=Count("id", filter=Q(paid_by_due=True)),
        n_active_after_90=Count("id", filter=Q(active_after_90__isnull=False)),
        x_active_after_90=Count("id", filter=Q(active_after_90=True)))}
    arms = list(exp.arms.all())
    control = next(a for a in arms if a.control)
    c = rows.get(control.pk, {})
    out_arms = []
    for arm in arms:
        r = rows.get(arm.pk, {})
        item = {"code": arm.code, "control": arm.control, "days_before_due": arm.days_before_due,
                "channel": arm.channel, "wording": arm.wording, "members": r.get("n", 0), "outcomes": {}}
        for key, _label in OUTCOMES:
            x, n = r.get(f"x_{key}", 0), r.get(f"n_{key}", 0)
            o = _rate(x, n)
            if not arm.control:
                x0, n0 = c.get(f"x_{key}", 0), c.get(f"n_{key}", 0)
                d, ci = stats.difference(x, n, x0, n0)
                sig = bool(n and n0) and stats.significant(ci)
                o["difference"] = round(d, 4)
                o["difference_ci95"] = [round(ci.low, 4), round(ci.high, 4)]
                o["significant"] = sig
                o["verdict"] = verdict(d, sig, n, n0)
            item["outcomes"][key] = o
        out_arms.append(item)
    return {"code": exp.code, "name": exp.name, "month": f"{exp.month:%Y-%m}", "status": exp.status,
            "due_date": due_date(exp.month).isoformat(), "members": exp.members, "control": control.code,
            "arms": out_arms}


def verdict(d: float, sig: bool, n: int, n0: int) -> str:
    if not n or not n0:
        return _("Belum ada hasil: tunggu sampai jatuh tempo lewat.")
    if not sig:
        return _("Belum signifikan: selisihnya bisa saja kebetulan. Tunggu lebih banyak peserta atau bulan.")
    pts = f"{abs(d) * 100:.1f}".replace(".", ",")
    if d > 0:
        return _("Signifikan: %(pts)s poin persen lebih tinggi dari kontrol.") % {"pts": pts}
    return _("Signifikan: %(pts)s poin persen lebih rendah dari kontrol.") % {"pts": pts}
