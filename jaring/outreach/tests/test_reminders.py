"""Reminders: not sent twice, not to opted-out members, not in quiet hours; the HTTP gateway adapter against a
local test server only."""

import json
import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest

from jaring.insights.tests.helpers import bill, make_member, pay

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2026, 5, 13)
NOON = datetime(2026, 5, 13, 12, 0, tzinfo=WIB)
NIGHT = datetime(2026, 5, 13, 22, 30, tzinfo=WIB)


class Recorder:
    name = "test"

    def __init__(self):
        self.sent = []

    def send(self, to, body, channel, reference):
        from jaring.outreach.gateways import Result

        self.sent.append((to, body, reference))
        return Result(True)


@pytest.fixture
def members():
    # due soon: May bill due 15 May (2 days after DAY)
    soon = make_member(name="Budi Santoso", phone="+6281200000001", registered_on=date(2026, 1, 5))
    pay(soon, [date(2026, m, 1) for m in (1, 2, 3, 4)])
    bill(soon, date(2026, 5, 1), due_date=date(2026, 5, 15))
    # in arrears: April unpaid (due 15 April)
    late = make_member(name="Siti Aminah", phone="+6281200000002", registered_on=date(2026, 1, 5))
    pay(late, [date(2026, m, 1) for m in (1, 2, 3)])
    bill(late, date(2026, 4, 1), due_date=date(2026, 4, 15))
    # three months unpaid (Feb, Mar, Apr): last warning before deactivation
    lapsing = make_member(name="Ahmad", phone="+6281200000003", registered_on=date(2026, 1, 5))
    pay(lapsing, [date(2026, 1, 1)])
    for m in (2, 3, 4):
        bill(lapsing, date(2026, m, 1), due_date=date(2026, m, 16 if m == 3 else 15))
    # opted out, also in arrears
    quiet = make_member(name="Dewi", phone="+6281200000004", registered_on=date(2026, 1, 5))
    bill(quiet, date(2026, 4, 1), due_date=date(2026, 4, 15))
    from jaring.outreach.reminders import opt_out

    opt_out(quiet, reason="minta berhenti")
    return soon, late, lapsing, quiet


def test_each_kind_queued_once_with_indonesian_text(members):
    from jaring.outreach.models import Message
    from jaring.outreach.reminders import send_reminders

    soon, late, lapsing, quiet = members
    gw = Recorder()
    out = send_reminders(DAY, NOON, gw)
    assert out["queued"] == 3 and out["sent"] == 3
    got = {(m.member.name, m.kind, m.period) for m in Message.objects.select_related("member")}
    assert got == {("Budi Santoso", "before_due", "2026-05"), ("Siti Aminah", "arrears", "2026-04"),
                   ("Ahmad", "last_warning", "2026-04")}
    body = Message.objects.get(member=soon).body
    assert "Rp16.800" in body and "Mei 2026" in body and "15-05-2026" in body
    warning = Message.objects.get(member=lapsing).body
    assert warning.startswith("PERINGATAN TERAKHIR") and "3 bulan" in warning and "Rp50.400" in warning
    # the worker runs again (same day, and next hour): nothing is queued or sent twice
    again = send_reminders(DAY, NOON.replace(hour=13), gw)
    assert again["queued"] == 0 and again["already_queued"] == 3 and again["sent"] == 0
    assert len(gw.sent) == 3 and Message.objects.count() == 3


def test_opted_out_member_gets_nothing(members):
    from jaring.outreach.models import Message
    from jaring.outreach.reminders import opt_out, send_reminders

    soon, late, lapsing, quiet = members
    gw = Recorder()
    send_reminders(DAY, NIGHT, gw)  # queued at night, not sent
    opt_out(late, reason="tidak mau SMS")  # opts out while queued
    send_reminders(DAY, NOON.replace(day=14), gw)
    phones = {to for to, _, _ in gw.sent}
    assert "+6281200000004" not in phones and "+6281200000002" not in phones
    assert phones == {"+6281200000001", "+6281200000003"}
    assert not Message.objects.filter(member=quiet).exists()
    assert Message.objects.get(member=late).status == "cancelled"


def test_nothing_sent_in_quiet_hours(members):
    from jaring.outreach.models import Message
    from jaring.outreach.reminders import in_quiet_hours, send_reminders

    assert in_quiet_hours(NIGHT) and in_quiet_hours(datetime(2026, 5, 14, 6, 59, tzinfo=WIB))
    assert not in_quiet_hours(datetime(2026, 5, 14, 7, 0, tzinfo=WIB))
    gw = Recorder()
    out = send_reminders(DAY, NIGHT, gw)
    assert out["queued"] == 3 and out["sent"] == 0 and out["deferred_quiet_hours"] == 3 and gw.sent == []
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}
    out = send_reminders(DAY, datetime(2026, 5, 14, 7, 0, tzinfo=WIB), gw)
    assert out["sent"] == 3 and len(gw.sent) == 3


def test_reminders_cli_and_job_period(members, capsys, settings, tmp_path):
    from jaring.cli import main
    from jaring.outreach.jobs import hourly_outside_quiet_hours

    settings.JARING_SMS_GATEWAY = f"file:{tmp_path / 'outbox.jsonl'}"
    main(["reminders", "send", "--date", "2026-05-13"])
    out = json.loads(capsys.readouterr().out)
    assert out["queued"] == 3
    if out["deferred_quiet_hours"] == 0:  # the real clock decides; both outcomes are checked
        lines = (tmp_path / "outbox.jsonl").read_text().splitlines()
        assert len(lines) == 3 and json.loads(lines[0])["to"].startswith("+62812")
    assert hourly_outside_quiet_hours(NIGHT) is None
    assert hourly_outside_quiet_hours(NOON) == "2026-05-13T12"


def test_http_gateway_posts_json_to_a_local_server():
    from jaring.outreach.gateways import HttpGateway

    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((self.headers.get("Authorization"), json.loads(self.rfile.read(
                int(self.headers["Content-Length"])))))
            self.send_response(202 if len(received) == 1 else 503)
            self.end_headers()

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        gw = HttpGateway(f"http://127.0.0.1:{server.server_port}/sms", token="rahasia")
        assert gw.send("+6281200000001", "Halo", "sms", "ref-1").ok
        failed = gw.send("+6281200000001", "Halo", "sms", "ref-2")
        assert not failed.ok and failed.error == "HTTP 503"
    finally:
        server.shutdown()
    assert received[0] == ("Bearer rahasia", {"to": "+6281200000001", "body": "Halo", "channel": "sms",
                                              "reference": "ref-1"})


def test_whatsapp_channel_uses_the_wa_number(members, settings):
    from jaring.outreach.models import Message
    from jaring.outreach.reminders import _file_config, send_reminders

    settings.JARING_REMINDERS = {"channel": "whatsapp"}
    gw = Recorder()
    send_reminders(DAY, NOON, gw)
    assert {m.channel for m in Message.objects.all()} == {"whatsapp"}
    assert sorted(to for to, _, _ in gw.sent) == ["6281200000001", "6281200000002", "6281200000003"]
    assert _file_config()["channel"] == "sms"  # the shipped default
