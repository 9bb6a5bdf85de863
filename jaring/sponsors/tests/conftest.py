import pytest

from jaring.agents.tests.helpers import PASSWORD, register


@pytest.fixture
def sponsor_factory(db):
    from jaring.sponsors.services import create_sponsor

    def _make(username="sponsor1", kind="individual", name="Ibu Ratna Sari", region=None, branch="KC-6371"):
        data = {"kind": kind, "name": name, "branch": branch, "phone": "081233344455",
                "username": username, "password": PASSWORD}
        if region:
            data["region"] = region
        return create_sponsor(data)
    return _make


@pytest.fixture
def trio():
    """Three workers registered in May 2026 (first contribution month 2026-05), in invoice (name) order:
    Budi — income Rp2,000,000 with JHT; Dewi — online ojek (transport); Siti — income Rp1,000,000."""
    def _make(funding="sponsor", start=1):
        siti = register(start, channel="sponsor_import", funding=funding)
        budi = register(start + 1, channel="sponsor_import", funding=funding, income=2_000_000,
                        programs="JKK,JKM,JHT")
        dewi = register(start + 2, channel="sponsor_import", funding=funding, occupation="ojek_online")
        return budi, dewi, siti
    return _make
