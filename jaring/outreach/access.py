"""Getting a worker into Jaring: password recovery and the activation message, through the outbox.

- ``send_recovery_code(identifier, ip)``: a worker types their KPJ, NIK or phone number; when it matches one
  member with a phone, a one-time code (``jaring.accounts.recovery``) is put in the outbox (``Message`` kind
  ``recovery``) and sent at once through the same gateway as the reminders (quiet hours do not apply: the
  person asked for it). A member registered by an agent, an officer or a sponsor has no login yet: one is
  created (username = KPJ, no usable password) and the code sets the first password.
- ``queue_activations(day)``: set-based, idempotent (unique member/kind/period): every active or pending member
  without a login who was registered for them (agent, branch, sponsor import) and has a phone gets one message
  telling how to sign in. Called with the hourly reminder run.

Development: the console gateway prints every message on the server log (stderr), and the code is readable
on the outbox page when ``DEBUG`` is on (masked otherwise).
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import date

import lokal
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from jaring.accounts.recovery import CODE_MINUTES, count_request, issue_code
from jaring.accounts.services import create_user
from jaring.members import services as members_services
from jaring.members.models import Member

from .models import Message, MessageKind, MessageStatus

log = logging.getLogger("jaring.access")

ASSISTED_CHANNELS = ("agent", "branch", "sponsor_import")


def _templates() -> dict:
    from .reminders import config

    return config()["templates"]


def _channel_and_to(member) -> tuple[str, str]:
    from .reminders import config

    channel = config().get("channel", "sms")
    to = (member.whatsapp or member.phone.lstrip("+")) if channel == "whatsapp" else member.phone
    return channel, to


def find_member(identifier: str) -> Member | None:
    """The member an identifier names: 11 digits a KPJ, 16 digits a NIK, else a phone number (only when one
    member has it)."""
    raw = (identifier or "").strip()
    digits = re.sub(r"[\s.\-+()]", "", raw)
    if not digits.isdigit():
        return None
    if len(digits) == 11:  # a KPJ; an 11-digit phone number (0812345678x) falls through to the phone lookup
        found = Member.objects.filter(kpj=digits).first()
        if found:
            return found
    if len(digits) == 16:
        return Member.objects.filter(nik=digits).first()
    info = lokal.parse_phone(raw)
    e164 = getattr(info, "e164", None)
    if not e164:
        return None
    matches = list(Member.objects.filter(phone=e164)[:2])
    return matches[0] if len(matches) == 1 else None


def _login_for(member: Member):
    """The member's login, created (username = KPJ, no usable password) when they have none."""
    if member.user_id:
        return member.user
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(username=member.kpj).first()
    if user is None:
        # a random password satisfies the validators; it is then made unusable: only a code can set one
        user = create_user(member.kpj, secrets.token_urlsafe(24), "worker", full_name=member.name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    members_services.link_user_if_unlinked(member, user)
    return user


def _period(row_id: int) -> str:
    """Message.period is 7 characters (YYYY-MM for reminders); a code's message uses ``K`` + the code row's
    number in base 36 (6 characters: unique up to 2 billion codes), so each code is its own outbox row."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    n, out = row_id, ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return "K" + out.rjust(6, "0")[-6:]


def send_recovery_code(identifier: str, *, ip: str = "", gateway=None) -> Message | None:
    """Send a code when the identifier names a member with a phone; None otherwise (the page says the same
    either way, so it cannot be used to find out who is a member). Rate limits raise ``RateLimited``."""
    count_request(ip)
    member = find_member(identifier)
    if member is None or not member.phone:
        log.info("recovery: no member with a phone for %r", (identifier or "")[:20])
        return None
    with transaction.atomic():
        user = _login_for(member)
        channel, to = _channel_and_to(member)
        row, code = issue_code(user, sent_to=member.phone, ip=ip)
        body = _templates()["recovery"].format(code=code, minutes=CODE_MINUTES, kpj=member.kpj)
        msg = Message.objects.create(member=member, kind=MessageKind.RECOVERY, period=_period(row.pk),
                                     channel=channel, to=to, body=body)
    if settings.DEBUG:
        log.warning("Kode pemulihan untuk KPJ %s: %s (hanya tampil saat pengembangan)", member.kpj, code)
    _send_now(msg, gateway)
    return msg


def _send_now(msg: Message, gateway=None) -> None:
    from .gateways import get_gateway

    if not Message.objects.filter(pk=msg.pk, status=MessageStatus.QUEUED).update(status=MessageStatus.SENDING):
        return
    gw = gateway or get_gateway()
    result = gw.send(msg.to, msg.body, msg.channel, f"jaring-{msg.pk}-{msg.kind}-{msg.period}")
    if result.ok:
        Message.objects.filter(pk=msg.pk).update(status=MessageStatus.SENT, sent_at=timezone.now(), attempts=1,
                                                 gateway=gw.name, error="")
    else:  # the hourly dispatch retries it
        Message.objects.filter(pk=msg.pk).update(status=MessageStatus.QUEUED, attempts=1, gateway=gw.name,
                                                 error=result.error[:200])


def queue_activations(day: date | None = None) -> dict:
    """One activation message per member registered for them, without a login, with a phone (set-based)."""
    day = day or timezone.localdate()
    base_url = getattr(settings, "JARING_PUBLIC_URL", "").rstrip("/")
    template = _templates()["activation"]
    already = Message.objects.filter(member=OuterRef("pk"), kind=MessageKind.ACTIVATION)
    todo = (Member.objects.filter(user__isnull=True, channel__in=ASSISTED_CHANNELS,
                                  status__in=("active", "pending"))
            .exclude(phone="").filter(~Exists(already))
            .values("id", "name", "kpj", "phone", "whatsapp", "registered_on"))
    from .reminders import config

    channel = config().get("channel", "sms")
    rows = [Message(member_id=m["id"], kind=MessageKind.ACTIVATION, period=f"{m['registered_on']:%Y-%m}",
                    channel=channel,
                    to=(m["whatsapp"] or m["phone"].lstrip("+")) if channel == "whatsapp" else m["phone"],
                    body=template.format(name=m["name"], kpj=m["kpj"], url=f"{base_url}/masuk/lupa"))
            for m in todo.iterator(chunk_size=2000)]
    before = Message.objects.filter(kind=MessageKind.ACTIVATION).count()
    Message.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    queued = Message.objects.filter(kind=MessageKind.ACTIVATION).count() - before
    return {"activations_queued": queued}

