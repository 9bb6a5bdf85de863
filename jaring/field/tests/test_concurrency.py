"""Two batches with the same keys at the same moment, on PostgreSQL: each key registers one member, and both
requests get that member's KPJ (the second insert of a key waits for the first and then replays its answer)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from jaring.accounts.services import create_token
from jaring.agents.tests.helpers import make_agent
from jaring.field.models import FieldEntry
from jaring.members.models import Member

from .test_batches import URL, entry

pytestmark = pytest.mark.django_db(transaction=True)


def _race(token: str, batches: list[list[dict]]) -> list[dict]:
    barrier = threading.Barrier(len(batches))
    answers: list = [None] * len(batches)

    def run(i):
        try:
            barrier.wait()
            r = Client(headers={"Authorization": f"Bearer {token}"}).post(
                URL, {"entries": batches[i]}, content_type="application/json")
            answers[i] = (r.status_code, r.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return answers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level concurrency is a PostgreSQL matter")
def test_concurrent_batches_with_the_same_keys_register_each_worker_once():
    agent = make_agent()
    token = create_token(agent.user.username)
    batch = [entry(200 + i) for i in range(10)]
    # three phones (or one phone's retries) send overlapping batches at once
    answers = _race(token, [batch, list(reversed(batch)), batch[5:] + [entry(300 + i) for i in range(5)]])
    assert all(code == 200 for code, _ in answers), answers
    assert Member.objects.count() == 15 and FieldEntry.objects.count() == 15
    kpj_by_key: dict[str, set] = {}
    for _, body in answers:
        for r in body["results"]:
            assert r["outcome"] == "registered", r
            kpj_by_key.setdefault(r["key"], set()).add(r["kpj"])
    assert len(kpj_by_key) == 15 and all(len(k) == 1 for k in kpj_by_key.values())
    assert len({next(iter(k)) for k in kpj_by_key.values()}) == 15
    # the same NIK under two different keys at once: one registers, the other is told it is a member
    twins = _race(token, [[entry(400, key="twin-aaaa")], [entry(400, key="twin-bbbb")]])
    outcomes = sorted(body["results"][0]["outcome"] for _, body in twins)
    assert outcomes == ["already_member", "registered"]
    assert Member.objects.filter(nik=entry(400)["data"]["nik"]).count() == 1
