"""Registration over HTTP does only the queries it needs (issue 20): the token once, the village once, the
NIK once, the KPJ in one statement, the member and its audit row, the village name for the answer; the
contribution schedule comes from the per-process cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jaring.contributions import rates
from jaring.members.models import KpjSerial, Member
from jaring.rules.identifiers import make_kpj

NIKS = ["6371041508900001", "6371041508900002", "6371041508900003", "6371041508900004"]


def payload(nik):
    return {"nik": nik, "name": "Budi Santoso", "phone": "0812-3456-7890", "village_code": "63.71.04.1001",
            "occupation": "pedagang", "income": 1_500_000, "programs": "JKK,JKM"}


@pytest.fixture
def cached_schedule(settings):
    settings.JARING_SCHEDULE_CHECK_SECONDS = 60
    rates.clear_schedule_cache()
    yield
    rates.clear_schedule_cache()


@pytest.mark.django_db
def test_registration_queries(api_client, make_user, cached_schedule):
    client = api_client(make_user("petugas", "officer", "KC-6371"))
    assert client.post("/api/v1/members", payload(NIKS[0]), content_type="application/json").status_code == 201
    with CaptureQueriesContext(connection) as ctx:
        r = client.post("/api/v1/members", payload(NIKS[1]), content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert body["monthly_contribution"] > 0 and body["village_name"]
    sql = [q["sql"] for q in ctx.captured_queries]
    work = [s for s in sql if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    # token, the token owner's login lockout (a locked-out user's token is refused), village + regency, NIK,
    # KPJ serial, member, audit row, village name: 8 (was 21 before issue 20)
    assert len(work) == 8, "\n".join(work)
    assert sum("accounts_apitoken" in s for s in sql) == 1  # last use written at most once a minute
    assert not any("contributions_contributionrate" in s for s in sql)  # the schedule is cached
    assert sum('FROM "members_member"' in s for s in sql) == 1  # the NIK check; no re-read of the new row
    assert Member.objects.get(kpj=body["kpj"]).nik == NIKS[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="issue_kpj is the PostgreSQL path")
def test_kpj_issued_outside_the_member_transaction_is_sequential_and_never_reused(make_user):
    from jaring.core.errors import Conflict
    from jaring.members import services

    officer = make_user("petugas", "officer", "KC-6371")
    start = KpjSerial.objects.get(pk=1).last
    members = [services.register_member(payload(nik), actor=officer, channel="branch", funding="self")
               for nik in NIKS[:3]]
    assert [m.kpj for m in members] == [make_kpj(start + i) for i in (1, 2, 3)]
    assert KpjSerial.objects.get(pk=1).last == start + 3
    # two requests raced past the early check: the database refuses the second; its number is not reused
    original = services.nik_holder
    services.nik_holder = lambda nik: None
    try:
        with pytest.raises(Conflict):
            services.register_member(payload(NIKS[0]), actor=officer, channel="branch", funding="self")
    finally:
        services.nik_holder = original
    fourth = services.register_member(payload(NIKS[3]), actor=officer, channel="branch", funding="self")
    assert fourth.kpj == make_kpj(start + 5)  # start + 4 went to the refused request: a gap, never a reuse
    assert Member.objects.filter(kpj__in=[make_kpj(start + i) for i in range(1, 6)]).count() == 4
