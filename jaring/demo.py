"""Demo accounts for ``make run``: one per role, all with the password DEMO_PASSWORD."""

from __future__ import annotations

from jaring.accounts.services import create_user

DEMO_PASSWORD = "jaring-demo-2026"
DEMO_USERS = [
    ("admin", "admin", None),
    ("manajer", "manager", None),
    ("kanwil", "manager", "KW-KALIMANTAN"),
    ("petugas", "officer", "KC-6371"),
    ("agen", "agent", "KC-6371"),
    ("sponsor", "sponsor", None),
    ("peserta", "worker", None),
]


def load_demo_users() -> dict:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    made = 0
    for username, role, office in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            create_user(username, DEMO_PASSWORD, role, office)
            made += 1
    return {"demo_users_created": made, "demo_password": DEMO_PASSWORD,
            "demo_usernames": [u for u, _, _ in DEMO_USERS]}
