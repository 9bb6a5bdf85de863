"""Small factories for the agents and sponsors tests (real services, no fixtures files)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

VILLAGE = "63.71.04.1001"  # Alalak Tengah, Banjarmasin Utara (KC-6371)
PASSWORD = "rahasia-sekali-9"


def nik(serial: int, female: bool = False) -> str:
    """A valid NIK in Banjarmasin Utara, born 15-08-1990 (day + 40 for women)."""
    return f"637104{55 if female else 15}0890{serial:04d}"


FIRST = ["Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nur", "Agus", "Wati", "Hendra", "Yanti"]
LAST = ["Fauzi", "Aminah", "Santoso", "Lestari", "Hidayat", "Halimah", "Saputra", "Rahayu", "Gunawan", "Sari"]


def person(serial: int) -> str:
    """A distinct letters-only name per serial (0-9999)."""
    return f"{FIRST[serial % 10]} {LAST[serial // 10 % 10]} {chr(65 + serial // 100 % 26)}{chr(97 + serial // 2600 % 26)}"


def worker(serial: int, **over) -> dict:
    data = {"nik": nik(serial), "name": person(serial),
            "birth_date": "1990-08-15", "gender": "L", "phone": f"0812-3456-{serial:04d}",
            "village_code": VILLAGE, "occupation": "pedagang", "income": 1_000_000, "programs": "JKK,JKM"}
    data.update(over)
    return data


def register(serial: int, *, on: date = date(2026, 5, 10), channel: str = "branch", funding: str = "self",
             actor=None, **over):
    from jaring.members.services import register_member

    return register_member(worker(serial, **over), actor=actor, channel=channel, funding=funding, on=on)


def at(y: int, m: int, d: int, hh: int = 10) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hh, 0))


def make_agent(username="agen1", branch="KC-6371", joined_on="2026-01-05", actor=None):
    from jaring.agents.services import onboard_agent

    return onboard_agent({"username": username, "password": PASSWORD, "name": "Siti Rahmah", "phone": "081255500011",
                          "branch": branch, "bank_name": "BRI", "bank_account": "0123-01-000111-50-9",
                          "joined_on": joined_on}, actor=actor)
