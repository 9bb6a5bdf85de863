"""Account recovery by a one-time code through the outbox: KPJ, NIK or phone; rate-limited; first sign-in of
a worker registered by an agent; activation messages queued once."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jaring.insights.tests.helpers import make_member

pytestmark = pytest.mark.django_db


class Recorder:
    name = "test"

    def __init__(self):
        self.sent = []

    def send(self, to, body, channel, reference):
        from jaring.outreach.gateways import Result

        self.sent.append((to, body, reference))
        return Result(True)


def _code(body: str) -> str:
    import re

    return re.search(r"\b(\d{6})\b", body).group(1)


def test_code_by_kpj_nik_or_phone_goes_through_the_outbox_and_sets_a_first_password(client):
    from jaring.outreach.access import send_recovery_code
    from jaring.outreach.models import Message

    m = make_member(name="Sari Wulandari", phone="+6281299990001", channel="agent")
    assert m.user_id is None  # registered by an agent: no login yet
    gw = Recorder()
    for ident in (m.kpj, m.nik, "0812-9999-0001"):
        msg = send_recovery_code(ident, gateway=gw)
        assert msg is not None and msg.kind == "recovery"
        # one per minute per account: move the earlier code back in time
        from jaring.accounts.models import RecoveryCode
        RecoveryCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert [to for to, _b, _r in gw.sent] == ["+6281299990001"] * 3
    assert Message.objects.filter(kind="recovery", status="sent").count() == 3
    m.refresh_from_db()
    assert m.user.username == m.kpj and not m.user.has_usable_password()
    # a fourth code within the hour is refused, on the page too
    r = client.post("/masuk/lupa", {"identifier": m.kpj})
    assert r.status_code == 200 and "Kode sudah dikirim 3 kali dalam 1 jam terakhir" in r.content.decode()

    # the page flow, an hour later: ask for a code, enter it with a new password, signed in
    from jaring.accounts.models import RecoveryCode
    RecoveryCode.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    r = client.post("/masuk/lupa", {"identifier": m.kpj})
    assert r.status_code == 302 and r["Location"].endswith("/masuk/lupa/kode")
    latest = Message.objects.filter(kind="recovery").order_by("-id").first()
    code = _code(latest.body)
    r = client.post("/masuk/lupa/kode", {"code": "000000" if code != "000000" else "111111",
                                         "password": "kata-sandi-baru-9", "password2": "kata-sandi-baru-9"})
    assert "Kode salah. Sisa 4 kali mencoba." in r.content.decode()
    r = client.post("/masuk/lupa/kode", {"code": code, "password": "kata-sandi-baru-9",
                                         "password2": "kata-sandi-baru-9"})
    assert r.status_code == 302 and r["Location"].endswith("/beranda")
    m.refresh_from_db()
    assert m.user.check_password("kata-sandi-baru-9")
    assert client.get("/beranda").status_code == 200
    # the code is spent
    assert RecoveryCode.objects.filter(user=m.user, used_at__isnull=True).count() == 0


def test_rate_limits_and_expiry():
    from jaring.accounts.recovery import MAX_ATTEMPTS, RateLimited, issue_code, set_password_with_code
    from jaring.core.errors import DomainError
    from jaring.outreach.access import send_recovery_code

    m = make_member(phone="+6281299990002", channel="agent")
    gw = Recorder()
    send_recovery_code(m.kpj, gateway=gw)
    with pytest.raises(RateLimited, match="Tunggu 1 menit"):
        send_recovery_code(m.kpj, gateway=gw)
    m.refresh_from_db()
    now = timezone.now()
    issue_code(m.user, now=now + timedelta(minutes=2))
    issue_code(m.user, now=now + timedelta(minutes=4))
    with pytest.raises(RateLimited, match="3 kali dalam 1 jam"):
        issue_code(m.user, now=now + timedelta(minutes=6))
    # an hour later a code can be had again; five wrong tries kill it
    _row, code = issue_code(m.user, now=now + timedelta(minutes=70))
    wrong = "123456" if code != "123456" else "654321"
    for _i in range(MAX_ATTEMPTS):
        with pytest.raises(DomainError):
            set_password_with_code(m.user, wrong, "kata-sandi-baru-9", now=now + timedelta(minutes=71))
    with pytest.raises(DomainError, match="Minta kode baru"):
        set_password_with_code(m.user, code, "kata-sandi-baru-9", now=now + timedelta(minutes=71))
    # expiry: 15 minutes
    _row, code = issue_code(m.user, now=now + timedelta(minutes=140))
    with pytest.raises(DomainError, match="tidak berlaku"):
        set_password_with_code(m.user, code, "kata-sandi-baru-9", now=now + timedelta(minutes=156))


def test_unknown_identifier_answers_the_same_and_sends_nothing(client):
    from jaring.outreach.models import Message

    r = client.post("/masuk/lupa", {"identifier": "99999999999"})
    assert r.status_code == 302
    assert Message.objects.filter(kind="recovery").count() == 0
    r = client.post("/masuk/lupa", {"identifier": ""})
    assert "Isi nomor KPJ (11 angka), NIK (16 angka) atau nomor HP Anda." in r.content.decode()


def test_login_page_offers_recovery(client):
    body = client.get("/masuk").content.decode()
    assert 'href="/masuk/lupa"' in body and "Lupa kata sandi?" in body


def test_activation_message_once_for_assisted_registrations_without_login():
    from jaring.outreach.access import queue_activations
    from jaring.outreach.models import Message

    agent_made = make_member(name="Rina", phone="+6281299990003", channel="agent", registered_on=date(2026, 11, 2))
    sponsor_made = make_member(name="Joko", phone="+6281299990004", channel="sponsor_import")
    make_member(name="Mandiri", phone="+6281299990005", channel="self")
    assert queue_activations() == {"activations_queued": 2}
    assert queue_activations() == {"activations_queued": 0}  # idempotent
    msg = Message.objects.get(member=agent_made, kind="activation")
    assert msg.period == "2026-11" and msg.to == "+6281299990003"
    assert agent_made.kpj in msg.body and "/masuk/lupa" in msg.body and "kata sandi" in msg.body
    assert Message.objects.filter(member=sponsor_made, kind="activation").count() == 1


def test_guessing_from_one_address_is_limited_even_when_nothing_matches():
    from jaring.accounts.recovery import MAX_LOOKUPS_PER_IP_HOUR, RateLimited
    from jaring.outreach.access import send_recovery_code

    for i in range(MAX_LOOKUPS_PER_IP_HOUR):
        assert send_recovery_code(f"63710101019{i:05d}", ip="10.9.8.7") is None
    with pytest.raises(RateLimited, match="Coba lagi dalam 1 jam"):
        send_recovery_code("6371010101900000", ip="10.9.8.7")
    assert send_recovery_code("6371010101900000", ip="10.9.8.6") is None  # another address is not blocked
