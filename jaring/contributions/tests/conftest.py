import itertools
from datetime import date

import pytest

_serial = itertools.count(1)


@pytest.fixture
def make_member(db):
    """A Member row made directly with the ORM (status and first month under the test's control)."""
    from jaring.members.models import Member
    from jaring.rules.identifiers import make_kpj

    def _make(*, sector="other", funding="self", income=1_000_000, jht=False, first_month=date(2026, 1, 1),
              status="active", occupation=None, user=None, branch_id="KC-6371"):
        n = next(_serial)
        return Member.objects.create(
            kpj=make_kpj(900_000 + n), nik=f"637104150590{n:04d}", name=f"Peserta Uji {n}",
            birth_date=date(1990, 5, 15), gender="L", phone="+6281234567890", whatsapp="6281234567890",
            village_id="63.71.04.1001", district_code="63.71.04", regency_code="63.71", province_code="63",
            branch_id=branch_id, occupation=occupation or ("ojek_online" if sector == "transport" else "pedagang"),
            sector=sector, income=income, jht=jht, funding=funding, channel="branch", status=status,
            registered_on=first_month, first_month=first_month, user=user)
    return _make


@pytest.fixture
def channel(db):
    from jaring.contributions.services import create_channel

    return create_channel(code="BANKUJI", name="Bank Uji", secret="rahasia-kanal-uji-123", fee=1500)


@pytest.fixture
def cli(capsys):
    """Run ``jaring ...`` in-process: returns (exit code, parsed JSON or None, stderr)."""
    import json

    from jaring.cli import main

    def _run(*argv):
        code = 0
        try:
            main(list(argv))
        except SystemExit as e:
            code = e.code or 0
        out, err = capsys.readouterr()
        lines = [x for x in out.strip().splitlines() if x.strip()]
        return code, (json.loads(lines[-1]) if lines else None), err
    return _run
