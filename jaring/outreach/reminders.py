"""Payment reminders: before the due date, on arrears, and a last warning before deactivation.

``queue_reminders(day)`` puts at most one Message per (member, kind, period) in the outbox — a database
unique key, so running the worker twice never queues a second copy; ``dispatch(now)`` sends queued messages
through the configured gateway outside quiet hours (21:00–07:00 WIB by default) and never to a member who
opted out. Settings are data: ``outreach/data/reminders.json``, overridable by ``settings.JARING_REMINDERS``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum
from django.utils import timezone

from jaring.core import audit
from jaring.core.errors import Conflict, DomainError
from jaring.rules.periods import add_months

from . import experiments
from .models import ExperimentAssignment, ExperimentStatus, Message, MessageKind, MessageStatus, OptOut, PayAheadMonth

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]


@lru_cache(maxsize=1)
def _file_config() -> dict:
    return json.loads((Path(__file__).parent / "data" / "reminders.json").read_text(encoding="utf-8"))


def config() -> dict:
    from django.conf import settings

    return {**_file_config(), **getattr(settings, "JARING_REMINDERS", {})}


def _hm(value: str) -> time:
    h, m = value.split(":")
    return time(int(h), int(m))


def in_quiet_hours(now: datetime | None = None) -> bool:
    local = timezone.localtime(now or timezone.now()).time()
    q = config()["quiet_hours"]
    start, end = _hm(q["start"]), _hm(q["end"])
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # spans midnight


def _rupiah(n) -> str:
    return f"{int(n):,}".replace(",", ".")


def _month_label(d: date) -> str:
    return f"{MONTHS_ID[d.month - 1]} {d.year}"


def render(kind: str, **values) -> str:
    return config()["templates"][kind].format(**values)


def _bills():
    from django.apps import apps

    return apps.get_model("contributions", "Bill")


def _with_note(body: str, note: str) -> str:
    """Insert a note before the opt-out sentence that ends every reminder."""
    tail = " Balas BERHENTI"
    i = body.rfind(tail)
    return body[:i].rstrip() + note + body[i:] if i >= 0 else body + note


def _pay_ahead(day: date, cfg: dict, to) -> list[Message]:
    """In a month a member chose for paying ahead (harvest, SPEC 2.9): suggest paying every month up to the
    next chosen month at once (at most 12), from the first unpaid month, at the member's latest price."""
    if day.day < cfg.get("pay_ahead_from_day", 1):
        return []
    Bill = _bills()
    plans = (PayAheadMonth.objects.filter(month=day.month, member__status="active",
                                          member__reminder_opt_out__isnull=True).exclude(member__phone="")
             .values_list("member_id", flat=True))
    ids = list(plans)
    if not ids:
        return []
    chosen: dict[int, list[int]] = {}
    for mid, month in PayAheadMonth.objects.filter(member_id__in=ids).values_list("member_id", "month"):
        chosen.setdefault(mid, []).append(month)
    members = {m["id"]: m for m in apps.get_model("members", "Member").objects.filter(pk__in=ids).values(
        "id", "name", "kpj", "phone", "whatsapp", "first_month")}
    paid_through = dict(Bill.objects.filter(member_id__in=ids, status="paid").values("member_id")
                        .annotate(m=Max("month")).values_list("member_id", "m"))
    latest = {}
    for mid, amount in (Bill.objects.filter(member_id__in=ids).order_by("member_id", "-month")
                        .values_list("member_id", "amount")):
        latest.setdefault(mid, amount)
    this_month = day.replace(day=1)
    out = []
    for mid in ids:
        m = members[mid]
        months = sorted(chosen[mid])
        nxt = next((x for x in months if x > day.month), months[0] + 12)
        until = add_months(this_month, nxt - day.month - 1)      # the month before the next chosen month
        start = add_months(paid_through[mid], 1) if paid_through.get(mid) else m["first_month"]
        start = max(start, m["first_month"])
        n = min(12, (until.year - start.year) * 12 + until.month - start.month + 1)
        if n < 1 or mid not in latest:
            continue
        until = add_months(start, n - 1)
        b = {"member__whatsapp": m["whatsapp"], "member__phone": m["phone"]}
        out.append(Message(member_id=mid, kind=MessageKind.PAY_AHEAD, period=f"{this_month:%Y-%m}",
                           channel=cfg.get("channel", "sms"), to=to(b), body=render(
                               "pay_ahead", name=m["name"], months=n, amount=_rupiah(latest[mid] * n),
                               until=_month_label(until))))
    return out


def queue_reminders(day: date) -> dict:
    """Queue the reminders due on ``day`` (set-based: one aggregate query per kind, one bulk insert).

    Only bills from the member's first contribution month on count: after a reactivation (a new registration on
    the same record, SPEC 2.3) the unpaid bills of the old membership stay as history but are not owed."""
    cfg = config()
    Bill = _bills()
    base = (Bill.objects.filter(status="due", member__status="active", member__reminder_opt_out__isnull=True,
                                month__gte=F("member__first_month"))
            .exclude(member__phone=""))
    fields = ("member_id", "member__name", "member__kpj", "member__phone", "member__whatsapp")
    channel = cfg.get("channel", "sms")

    def to(b, via=channel):  # WhatsApp numbers are digits (wa.me form); SMS the E.164 phone
        return (b["member__whatsapp"] or b["member__phone"].lstrip("+")) if via == "whatsapp" else b["member__phone"]

    rows: list[Message] = []

    def before_due(qs, days: int, via: str, template: str):
        soon = (qs.filter(due_date__gte=day, due_date__lte=day + timedelta(days=days))
                .values(*fields, "month", "amount", "due_date", "member__prepaid__balance"))
        for b in soon:
            body = render(template, name=b["member__name"], kpj=b["member__kpj"], month=_month_label(b["month"]),
                          amount=_rupiah(b["amount"]), due_date=b["due_date"].strftime("%d-%m-%Y"))
            balance = int(b["member__prepaid__balance"] or 0)
            if 0 < balance < b["amount"]:  # a member saving little by little hears how much is still short
                body = _with_note(body, render("balance_note", balance=_rupiah(balance),
                                               short=_rupiah(b["amount"] - balance)))
            rows.append(Message(member_id=b["member_id"], kind=MessageKind.BEFORE_DUE, period=f"{b['month']:%Y-%m}",
                                channel=via, to=to(b, via), body=body))

    # 1. before the due date: bills due within the next N days. Members in a running reminder experiment
    # about that month get their arm's policy instead (days before due, channel, wording; 0 days = none).
    in_experiment = ExperimentAssignment.objects.filter(
        member_id=OuterRef("member_id"), experiment__status=ExperimentStatus.RUNNING,
        experiment__month=OuterRef("month"))
    before_due(base.exclude(Exists(in_experiment)), cfg["days_before_due"], channel, "before_due")
    for arm, assigned in experiments.arms_for_month_any():
        if arm.days_before_due:
            template = "before_due" if arm.wording == "standard" else f"before_due_{arm.wording}"
            before_due(base.filter(month=arm.experiment.month, member_id__in=assigned), arm.days_before_due,
                       arm.channel, template)
    # 2. arrears and 3. last warning: overdue bills per member. A member is reminded once a month fell due
    # while they were a member (a late-month registrant is not told on day one that the registration month is
    # overdue); the count and total are every unpaid month past its
    # due date since the first contribution month, the same months the coverage refresh counts towards
    # deactivation, so the last warning always comes before the member becomes non-active.
    overdue = (base.filter(due_date__lt=day).values(*fields)
               .annotate(n=Count("id"), last=Max("month"), first=Min("month"), total=Sum("amount"),
                         as_member=Count("id", filter=Q(due_date__gte=F("member__registered_on"))))
               .filter(as_member__gt=0))
    for b in overdue:
        kind = MessageKind.LAST_WARNING if b["n"] >= cfg["last_warning_after_unpaid_months"] else MessageKind.ARREARS
        rows.append(Message(member_id=b["member_id"], kind=kind, period=f"{b['last']:%Y-%m}", channel=channel, to=to(b),
                            body=render(kind, name=b["member__name"], kpj=b["member__kpj"], unpaid=b["n"],
                                        month=_month_label(b["last"]), amount=_rupiah(b["total"]))))
    rows += _pay_ahead(day, cfg, to)
    before = Message.objects.count()
    Message.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)  # unique (member, kind, period)
    queued = Message.objects.count() - before
    return {"candidates": len(rows), "queued": queued, "already_queued": len(rows) - queued}


def dispatch(now: datetime | None = None, gateway=None, limit: int = 5000) -> dict:
    """Send queued messages, unless it is quiet hours. Each message is claimed with a conditional UPDATE
    (queued → sending) so two workers never send the same one."""
    from .gateways import get_gateway

    now = now or timezone.now()
    if in_quiet_hours(now):
        return {"sent": 0, "failed": 0, "cancelled": 0, "deferred_quiet_hours": Message.objects.filter(
            status=MessageStatus.QUEUED).count()}
    cancelled = Message.objects.filter(status=MessageStatus.QUEUED, member__reminder_opt_out__isnull=False).update(
        status=MessageStatus.CANCELLED, error="peserta berhenti berlangganan pengingat")
    gw = gateway or get_gateway()
    sent = failed = 0
    max_attempts = config()["max_attempts"]
    for m in Message.objects.filter(status=MessageStatus.QUEUED).order_by("id")[:limit]:
        if not Message.objects.filter(pk=m.pk, status=MessageStatus.QUEUED).update(status=MessageStatus.SENDING):
            continue  # another worker took it
        result = gw.send(m.to, m.body, m.channel, f"jaring-{m.pk}-{m.kind}-{m.period}")
        if result.ok:
            Message.objects.filter(pk=m.pk).update(status=MessageStatus.SENT, sent_at=timezone.now(),
                                                   attempts=m.attempts + 1, gateway=gw.name, error="")
            sent += 1
        else:
            give_up = m.attempts + 1 >= max_attempts
            Message.objects.filter(pk=m.pk).update(
                status=MessageStatus.FAILED if give_up else MessageStatus.QUEUED, attempts=m.attempts + 1,
                gateway=gw.name, error=result.error[:200])
            failed += 1
    return {"sent": sent, "failed": failed, "cancelled": cancelled, "deferred_quiet_hours": 0}


def send_reminders(day: date | None = None, now: datetime | None = None, gateway=None) -> dict:
    """``jaring reminders send``: queue what is due on ``day`` then send (outside quiet hours)."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    from .access import queue_activations  # access imports this module's config: imported here, not on top

    out = {"date": day.isoformat(), **queue_reminders(day), **queue_activations(day)}
    out.update(dispatch(now, gateway))
    return out


def opt_out(member, *, actor=None, reason: str = "") -> OptOut:
    with transaction.atomic():
        obj, created = OptOut.objects.get_or_create(member=member, defaults={"reason": reason[:200],
                                                                            "created_by": actor})
        if not created:
            raise Conflict(f"Peserta {member.kpj} sudah berhenti menerima pengingat.")
        Message.objects.filter(member=member, status=MessageStatus.QUEUED).update(
            status=MessageStatus.CANCELLED, error="peserta berhenti berlangganan pengingat")
        audit.record(actor, "outreach.reminders.opt_out", member, note=reason[:200])
    return obj


def opt_in(member, *, actor=None) -> None:
    deleted, _ = OptOut.objects.filter(member=member).delete()
    if deleted:
        audit.record(actor, "outreach.reminders.opt_in", member)


def pay_ahead_months(member) -> list[int]:
    return list(PayAheadMonth.objects.filter(member=member).values_list("month", flat=True))


def set_pay_ahead_months(member, months, *, actor=None) -> list[int]:
    """The months of the year (1–12) the member prefers to pay ahead, e.g. at harvest; [] clears them."""
    try:
        chosen = sorted({int(m) for m in (months or [])})
    except (TypeError, ValueError):
        raise DomainError("Bulan bayar di muka harus angka 1 sampai 12.", {"months": "Angka 1–12."}) from None
    if any(m < 1 or m > 12 for m in chosen):
        raise DomainError("Bulan bayar di muka harus angka 1 sampai 12.", {"months": "Angka 1–12."})
    with transaction.atomic():
        before = pay_ahead_months(member)
        PayAheadMonth.objects.filter(member=member).exclude(month__in=chosen).delete()
        PayAheadMonth.objects.bulk_create([PayAheadMonth(member=member, month=m) for m in chosen],
                                          ignore_conflicts=True)
        if before != chosen:
            audit.record(actor, "outreach.pay_ahead.set", member, changes={"months": [before, chosen]})
    return chosen
