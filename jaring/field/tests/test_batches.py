"""The field app's batch endpoint: every queued entry takes effect at most once per idempotency key (SPEC 3)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from jaring.agents.tests.helpers import make_agent, nik, person, register
from jaring.contributions.models import Payment
from jaring.contributions.rates import current_schedule
from jaring.field.models import FieldEntry
from jaring.field.services import MAX_BATCH
from jaring.members.models import Member
from jaring.rules.contributions import quote
from jaring.rules.identifiers import is_valid_kpj

pytestmark = pytest.mark.django_db

URL = "/api/v1/field/batches"
VILLAGE = "63.71.04.1001"


def entry(serial: int, key: str | None = None, **over) -> dict:
    data = {"nik": nik(serial), "name": person(serial), "birth_date": "1990-08-15", "gender": "L",
            "phone": f"0812-3456-{serial:04d}", "village_code": VILLAGE, "occupation": "pedagang",
            "sector": "other", "income": "1000000", "programs": "JKK,JKM"}
    data.update(over)
    return {"key": key or f"k{serial:04d}-abcdef", "kind": "member", "data": data}


def send(client, entries):
    return client.post(URL, {"entries": entries}, content_type="application/json")


def test_a_batch_sent_twice_registers_nobody_twice(api_client):
    agent = make_agent()
    c = api_client(agent.user)
    batch = [entry(i) for i in range(1, 6)]
    first = send(c, batch)
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["counts"] == {"registered": 5}
    kpjs = [r["kpj"] for r in body["results"]]
    assert all(is_valid_kpj(k) for k in kpjs) and len(set(kpjs)) == 5
    assert [r["key"] for r in body["results"]] == [e["key"] for e in batch]
    assert Member.objects.count() == 5 and FieldEntry.objects.count() == 5
    m = Member.objects.get(kpj=kpjs[0])
    assert (m.channel, m.status, m.recruitment.agent_id) == ("agent", "pending", agent.pk)

    again = send(c, batch).json()
    assert [r["kpj"] for r in again["results"]] == kpjs
    assert all(r["replayed"] and r["outcome"] == "registered" for r in again["results"])
    assert Member.objects.count() == 5 and FieldEntry.objects.count() == 5

    # a sync cut after the first half reached the server: the resend mixes done and new keys
    more = batch[2:] + [entry(i) for i in range(6, 9)]
    mixed = send(c, more).json()["results"]
    assert [r["kpj"] for r in mixed[:3]] == kpjs[2:] and [r["replayed"] for r in mixed] == [True] * 3 + [False] * 3
    assert Member.objects.count() == 8


def test_outcomes_already_member_and_needs_correction(api_client):
    agent = make_agent()
    existing = register(40)  # registered at the branch earlier
    c = api_client(agent.user)
    results = send(c, [
        entry(40, key="dup-000040"),
        entry(41, key="bad-000041", nik="637104150890"),
        entry(42, key="low-000042", income="900000"),
        entry(43, key="old-000043", nik="6371041508500043", birth_date="1950-08-15"),
        entry(44, key="ok--000044"),
    ]).json()["results"]
    dup, bad, low, old, ok = results
    assert dup["outcome"] == "already_member" and dup["kpj"] == existing.kpj
    assert existing.name == "Ahmad Hidayat Aa" and dup["name"] == "A**** H****** A*"  # masked: whose it is, without showing the name
    assert bad["outcome"] == "needs_correction"
    assert bad["errors"]["nik"] == "NIK harus 16 digit angka; yang diisi 12 digit. Salin dari KTP."
    assert low["errors"]["income"] == ("Penghasilan sebulan harus antara Rp1.000.000 dan Rp20.700.000; "
                                       "yang diisi Rp900.000.")
    assert old["errors"]["birth_date"].startswith("Umur saat mendaftar paling tinggi 64 tahun")
    assert ok["outcome"] == "registered"
    # refused entries leave no trace: corrected on the phone, they go again under a new key
    assert set(FieldEntry.objects.values_list("key", flat=True)) == {"ok--000044"}
    assert Member.objects.count() == 2
    fixed = send(c, [entry(41, key="bad-000041-fixed")]).json()["results"][0]
    assert fixed["outcome"] == "registered" and Member.objects.count() == 3


def test_same_key_with_other_content_is_refused(api_client):
    agent = make_agent()
    c = api_client(agent.user)
    first = send(c, [entry(50, key="same-key-1")]).json()["results"][0]
    other = send(c, [entry(51, key="same-key-1")]).json()["results"][0]
    assert other["outcome"] == "needs_correction" and "key" in other["errors"]
    assert Member.objects.count() == 1 and Member.objects.get().kpj == first["kpj"]
    # keys are per user: another agent's phone may happen to make the same key
    other_agent = make_agent("agen2")
    theirs = send(api_client(other_agent.user), [entry(51, key="same-key-1")]).json()["results"][0]
    assert theirs["outcome"] == "registered" and Member.objects.count() == 2


def test_cash_collected_offline_goes_through_the_same_queue(api_client):
    agent = make_agent()
    c = api_client(agent.user)
    today = timezone.localdate()
    owed = quote(current_schedule(), 1_000_000, "JKK,JKM", today, "other", "self").total
    batch = [entry(60, key="reg-000060"),
             {"key": "cash-000060", "kind": "collection", "data": {"customer": nik(60), "months": 1, "amount": owed}}]
    results = send(c, batch).json()["results"]
    assert [r["outcome"] for r in results] == ["registered", "collected"]
    cash = results[1]
    member = Member.objects.get(nik=nik(60))
    assert (cash["kpj"], cash["amount"], cash["months"]) == (member.kpj, owed, 1)
    assert cash["reference"] == f"{agent.code}-cash-000060"
    pay = Payment.objects.get(member=member)
    assert pay.amount == owed and pay.reference == cash["reference"]
    # sent again (the answer was lost): nothing posted twice
    again = send(c, batch).json()["results"]
    assert [r["replayed"] for r in again] == [True, True] and again[1]["reference"] == cash["reference"]
    assert Payment.objects.filter(member=member).count() == 1
    # a wrong amount is checked online and comes back to be corrected, nothing posted
    wrong = send(c, [{"key": "cash-000061", "kind": "collection",
                      "data": {"customer": member.kpj, "months": 1, "amount": owed + 1000}}]).json()["results"][0]
    assert wrong["outcome"] == "needs_correction" and "amount" in wrong["errors"]
    assert Payment.objects.filter(member=member).count() == 1


def test_who_may_send(api_client, make_user):
    officer = make_user("petugas", "officer", "KC-6371")
    worker = make_user("warga", "worker", None)
    assert Client().post(URL, {"entries": []}, content_type="application/json").status_code == 401
    assert send(api_client(worker), [entry(70)]).status_code == 403
    results = send(api_client(officer), [
        entry(70, key="off-000070"),
        {"key": "off-cash-70", "kind": "collection", "data": {"customer": nik(70), "months": 1, "amount": 8400}},
    ]).json()["results"]
    assert results[0]["outcome"] == "registered" and results[0]["status"] == "active"
    assert Member.objects.get(nik=nik(70)).channel == "branch"
    assert results[1]["outcome"] == "needs_correction" and "kind" in results[1]["errors"]
    too_many = send(api_client(officer), [entry(100 + i) for i in range(MAX_BATCH + 1)])
    assert too_many.status_code == 422 and Member.objects.count() == 1


def test_session_batches_need_the_csrf_token(make_user):
    agent = make_agent()
    c = Client(enforce_csrf_checks=True)
    c.force_login(agent.user)
    page = c.get("/lapangan/")
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    refused = c.post(URL, {"entries": [entry(80)]}, content_type="application/json")
    assert refused.status_code == 403 and Member.objects.count() == 0
    ok = c.post(URL, {"entries": [entry(80)]}, content_type="application/json", headers={"X-CSRFToken": token})
    assert ok.status_code == 200 and ok.json()["results"][0]["outcome"] == "registered"


def test_setup_carries_the_rules_and_the_agents_area(api_client, make_user):
    from jaring.regions.models import Region

    agent = make_agent()
    r = api_client(agent.user).get("/api/v1/field/setup", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r["Content-Encoding"] == "gzip"
    import gzip

    data = json.loads(gzip.decompress(r.content))
    # the income band and ages are the server's rule data (SPEC 2.1, 2.2), not constants in the app
    assert data["rules"]["income_min"] == 1_000_000 and data["rules"]["income_max"] == 20_700_000
    assert (data["rules"]["age_min"], data["rules"]["age_max"]) == (18, 64)
    assert data["rules"]["programs_required"] == ["JKK", "JKM"] and data["rules"]["programs_optional"] == ["JHT"]
    assert data["user"]["agent_code"] == agent.code and data["user"]["can_collect"] is True
    banjarmasin = Region.objects.filter(level=Region.VILLAGE, code__startswith="63.71.").count()
    assert len(data["villages"]) == banjarmasin == 52
    assert ["63.71.04.1001", "Alalak Tengah", "63.71.04"] in data["villages"]
    assert data["districts"]["63.71.04"] == "Banjarmasin Utara" and len(data["districts"]) == 5
    assert "63" in data["provinces"] and len(data["provinces"]) == 38
    assert api_client(make_user("warga", "worker", None)).get("/api/v1/field/setup").status_code == 403


def test_batch_endpoint_is_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/field/batches"] and "get" in paths["/api/v1/field/setup"]


def test_entries_may_carry_the_fields_at_the_top_level(api_client):
    """``idempotency_key`` for ``key`` and a registration's fields without ``data``: the same guarantees."""
    agent = make_agent()
    c = api_client(agent.user)
    flat = {"idempotency_key": "flat-000090", **entry(90)["data"]}
    first = send(c, [flat]).json()["results"][0]
    again = send(c, [flat]).json()["results"][0]
    assert first["outcome"] == "registered" and first["key"] == "flat-000090"
    assert again["replayed"] is True and again["kpj"] == first["kpj"] and Member.objects.count() == 1


def test_an_officers_setup_is_the_offices_area_without_cash(api_client, make_user):
    from jaring.regions.models import BranchOffice, Region

    officer = make_user("petugas", "officer", "KC-6371")
    data = api_client(officer).get("/api/v1/field/setup").json()
    assert data["user"]["role"] == "officer" and data["user"]["can_collect"] is False
    assert [b["code"] for b in data["branches"]] == ["KC-6371"] and len(data["villages"]) == 52
    # an officer of a regional office keeps the villages of every branch of the region
    regional = make_user("petugas_kw", "officer", "KW-DKI")
    data = api_client(regional).get("/api/v1/field/setup").json()
    branches = sorted(BranchOffice.objects.filter(regional_office_id="KW-DKI").values_list("code", flat=True))
    assert [b["code"] for b in data["branches"]] == branches and len(branches) > 1
    regencies = Region.objects.filter(level=Region.REGENCY, branch_id__in=branches).values_list("code", flat=True)
    assert len(data["villages"]) == sum(Region.objects.filter(level=Region.VILLAGE, code__startswith=r + ".").count()
                                        for r in regencies)
