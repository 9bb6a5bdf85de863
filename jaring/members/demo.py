"""~200 demo members, mostly in Kota Banjarmasin (63.71, KC-6371), a few elsewhere in Kalimantan and Java;
links the demo worker account 'peserta' to one active member. Idempotent: a second run adds nothing (the
load is recorded once in the audit trail)."""

from __future__ import annotations

import random
from datetime import timedelta

from jaring.core import audit
from jaring.core.models import AuditEvent

DEMO_SEED = 6371
DEMO_COUNT = 200
PREFIXES = [("63.71", 150), ("63.03", 12), ("63.72", 10), ("64.72", 8), ("31.71", 8), ("35.78", 6), ("32.73", 6)]
MARK = "member.demo_load"


def load(progress=None) -> dict:
    from django.contrib.auth import get_user_model

    from . import synthetic
    from .models import Member

    User = get_user_model()
    result = {"demo_members_created": 0}
    if not AuditEvent.objects.filter(action=MARK).exists():
        users = {u.username: u for u in User.objects.filter(username__in=["agen", "petugas", "sponsor"])}
        by_channel = {"agent": users.get("agen"), "branch": users.get("petugas"),
                      "sponsor_import": users.get("sponsor")}

        def statuses(rng: random.Random, registered_on):
            recent = registered_on >= synthetic.services.today() - timedelta(days=20)
            return "pending" if recent and rng.random() < 0.6 else "active"

        made = synthetic.create_members(DEMO_COUNT, months=12, seed=DEMO_SEED, region_prefixes=PREFIXES,
                                        progress=progress, statuses=statuses, actor_for_channel=by_channel.get,
                                        audit_note="data contoh", keep=True).members
        pending = [m.pk for m in made if m.status == "pending"][:2]
        # a couple of registrations sent back for correction, so the verification queue shows both kinds
        Member.objects.filter(pk__in=pending).update(
            correction_requested=True, status_reason="Foto KTP buram; unggah ulang atau datang ke kantor cabang.")
        audit.record(None, MARK, object_type="members.member", object_id="demo", note=f"{len(made)} peserta")
        result["demo_members_created"] = len(made)
    worker = User.objects.filter(username="peserta").first()
    if worker is not None:
        linked = Member.objects.filter(user=worker).first()
        if linked is None:
            linked = (Member.objects.filter(status="active", regency_code="63.71", user__isnull=True)
                      .order_by("-jht", "registered_on", "id").first())
            if linked is not None:
                Member.objects.filter(pk=linked.pk).update(user=worker)
                audit.record(None, "member.link_user", linked, changes={"user": [None, worker.pk]}, note="demo")
        if linked is not None:
            result["demo_worker_kpj"] = linked.kpj
    return result
