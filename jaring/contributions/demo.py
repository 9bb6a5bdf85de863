"""Demo payments for ``jaring demo``: 12 months of history for the demo members (most paid up, some in
arrears, some deactivated), this month's bills, a demo bank channel BANKDEMO (its webhook secret is in
the result) and one small settlement file with a few rejected rows for the reconciliation page.
Idempotent: a second run only reports."""

from __future__ import annotations

from jaring.core import audit
from jaring.core.models import AuditEvent
from jaring.members.models import Member
from jaring.rules.periods import month_str

DEMO_CHANNEL = "BANKDEMO"
DEMO_SECRET = "bankdemo-rahasia-webhook-2026"
DEMO_FEE = 1500
MARK = "contributions.demo_load"


def load(progress=None) -> dict:
    from django.utils import timezone

    from .billing import refresh_coverage, run_billing
    from .models import Channel
    from .seed import seed_history
    from .services import create_channel

    say = progress or (lambda msg: None)
    result = {"demo_channel": DEMO_CHANNEL, "demo_channel_secret": DEMO_SECRET}
    if not Channel.objects.filter(code=DEMO_CHANNEL).exists():
        create_channel(code=DEMO_CHANNEL, name="Bank Demo (kanal contoh)", secret=DEMO_SECRET, fee=DEMO_FEE)
    if AuditEvent.objects.filter(action=MARK).exists():
        return result
    today = timezone.localdate()
    ids = list(Member.objects.filter(status="active").values_list("pk", flat=True))
    say(f"riwayat iuran {len(ids)} peserta contoh…")
    history = seed_history(ids, 12, say)
    billing = run_billing(month_str(today))
    coverage = refresh_coverage(today)
    settlement = _demo_settlement(today)
    audit.record(None, MARK, object_type="contributions.payment", object_id="demo",
                 note=f"{history['history_payments']} pembayaran contoh")
    result.update({"demo_history_payments": history["history_payments"], "demo_bills": billing["bills_total"],
                   "demo_coverage": {k: coverage[k] for k in ("active", "arrears", "inactive", "pending")},
                   "demo_settlement": {k: settlement[k] for k in ("rows", "posted", "duplicates", "rejected")}})
    return result

def _demo_settlement(today) -> dict:
    """A small settlement file from BANKDEMO: members in arrears catching up, one already notified, and
    rows an officer must follow up (unknown NIK, wrong amount)."""

    from .services import cost_of_months, post_payment
    from .settlement import import_settlement

    stamp = today.strftime("%Y%m%d")
    behind = list(Member.objects.filter(status="active", coverage__state__in=["arrears", "active"],
                                        coverage__protected=False).order_by("id")[:4])
    rows = []
    for i, m in enumerate(behind):
        costs = cost_of_months(m, 1)
        ref = f"BD-{stamp}-{i + 1:04d}"
        if i == 0:  # the bank's real-time notification arrived first: the file row is a duplicate
            post_payment(member=m, months=1, amount=costs[0][1], channel="BANKDEMO", reference=ref,
                         paid_at=f"{today.isoformat()}T08:00:00+07:00", source="notification")
        rows.append(f"{ref},{m.nik},{costs[0][1]},1,{today.isoformat()}T08:00:00+07:00")
    rows.append(f"BD-{stamp}-9001,6371019999990001,16800,1,{today.isoformat()}T09:00:00+07:00")
    if behind:
        rows.append(f"BD-{stamp}-9002,{behind[-1].nik},1000,1,{today.isoformat()}T09:05:00+07:00")
    data = ("reference,customer,amount,months,paid_at\n" + "\n".join(rows) + "\n").encode()
    out = import_settlement(data, "BANKDEMO", filename=f"bankdemo-settlement-{stamp}.csv")
    return out
