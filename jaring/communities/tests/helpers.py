"""Factories for the communities tests: an officer of KC-6371, a collective with its treasurer, members."""

from __future__ import annotations

from datetime import date

from jaring.agents.tests.helpers import PASSWORD, worker

ON = date(2026, 6, 10)  # June 2026: inside the PP 50/2025 discount window for every sector (Rp16,800 → Rp8,400)


def officer(username="petugas_wdh", office="KC-6371"):
    from jaring.accounts.services import create_user

    return create_user(username, PASSWORD, "officer", office)


def collective(actor, username="bendahara1", name="Paguyuban Ojek Pangkalan Alalak", phone="0812-5550-0100"):
    from jaring.communities.services import create_collective

    return create_collective({"name": name, "kind": "ojek", "branch": "KC-6371", "village_code": "63.71.04.1001",
                              "treasurer_username": username, "treasurer_password": PASSWORD,
                              "treasurer_name": "Rusdi Hamzah", "treasurer_phone": phone}, actor=actor)


def fill(c, n: int, start: int = 1, on: date = ON):
    """Register ``n`` workers through the treasurer (same checks as an agent's registration)."""
    from jaring.communities.services import register_member

    return [register_member(c, worker(start + i), actor=c.treasurer, on=on).member for i in range(n)]
