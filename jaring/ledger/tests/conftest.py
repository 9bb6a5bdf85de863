import itertools
from datetime import date

import pytest

_serial = itertools.count(1)


@pytest.fixture
def member(db):
    """A Member row made with the ORM: income Rp1,000,000, other sector, paying for themselves."""
    from jaring.members.models import Member
    from jaring.rules.identifiers import make_kpj

    def _make(*, jht=False, first_month=date(2026, 1, 1), birth_date=date(1990, 5, 15), status="active"):
        n = next(_serial)
        return Member.objects.create(
            kpj=make_kpj(700_000 + n), nik=f"637104150591{n:04d}", name=f"Peserta Jurnal {n}",
            birth_date=birth_date, gender="L", phone="+6281234567890", whatsapp="6281234567890",
            village_id="63.71.04.1001", district_code="63.71.04", regency_code="63.71", province_code="63",
            branch_id="KC-6371", occupation="pedagang", sector="other", income=1_000_000, jht=jht, funding="self",
            channel="branch", status=status, registered_on=first_month, first_month=first_month)
    return _make


@pytest.fixture
def bank(db):
    from jaring.contributions.services import create_channel

    return create_channel(code="BANKUJI", name="Bank Uji", secret="rahasia-kanal-uji-123", fee=1500)


@pytest.fixture
def cli(capsys):
    """Run ``jaring ...`` in-process: (exit code, parsed JSON of the last stdout line, stderr)."""
    import json

    from jaring.cli import main

    def _run(*argv):
        code = 0
        capsys.readouterr()
        try:
            main(list(argv))
        except SystemExit as e:
            code = e.code or 0
        out, err = capsys.readouterr()
        lines = [x for x in out.strip().splitlines() if x.strip()]
        return code, (json.loads(lines[-1]) if lines else None), err
    return _run
