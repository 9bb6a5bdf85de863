"""Demo SNAP channel for ``jaring demo``: channel BANKSNAP with a fresh RSA key pair (the private key is written
to var/banksnap-demo-private.pem so a person can sign by hand), and one bill paid through the channel
simulator: token → inquiry → payment → status, over Django's in-process client. Idempotent."""

from __future__ import annotations

from pathlib import Path

from jaring.contributions.models import Channel
from jaring.contributions.services import create_channel
from jaring.core import audit
from jaring.core.models import AuditEvent
from jaring.members.models import Member

DEMO_CHANNEL = "BANKSNAP"
DEMO_SECRET = "banksnap-rahasia-snap-2026"
MARK = "snap.demo_load"


def load(progress=None) -> dict:
    from django.test import Client

    from .signing import generate_keypair
    from .simulator import ChannelSimulator

    say = progress or (lambda msg: None)
    key_file = Path.cwd() / "var" / "banksnap-demo-private.pem"  # next to the default SQLite database
    result = {"snap_demo_channel": DEMO_CHANNEL, "snap_demo_secret": DEMO_SECRET,
              "snap_demo_private_key": str(key_file)}
    if AuditEvent.objects.filter(action=MARK).exists():
        return result
    say("kanal SNAP contoh BANKSNAP dan satu pembayaran lewat simulator bank…")
    private, public = generate_keypair()
    channel = Channel.objects.filter(code=DEMO_CHANNEL).first()
    if channel is None:
        channel = create_channel(code=DEMO_CHANNEL, name="Bank SNAP Demo (kanal contoh)", secret=DEMO_SECRET,
                                 fee=2500, public_key=public)
    else:
        channel.public_key = public
        channel.save(update_fields=["public_key"])
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(private)
    sim = ChannelSimulator.over_client(Client(SERVER_NAME="localhost"), DEMO_CHANNEL, DEMO_SECRET, private,
                                       channel.service_id, backoff=0)
    exchange = {}
    for member in Member.objects.filter(status="active").order_by("id")[:20]:
        exchange = sim.pay_bill(member.nik)
        if exchange["inquiry"][0] == 200:
            break
    codes = [code for _, _, code in sim.log]
    audit.record(None, MARK, object_type="contributions.channel", object_id=str(channel.pk), note=" ".join(codes))
    result["snap_demo_exchange"] = codes
    return result
