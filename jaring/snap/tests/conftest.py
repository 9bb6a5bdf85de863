import pytest

from jaring.contributions.tests.conftest import cli, make_member  # noqa: F401  (shared fixtures)

SECRET = "rahasia-snap-bank-uji-123"


@pytest.fixture(scope="session")
def bank_keys():
    """The bank's own RSA key pair, made at test time (Jaring only gets the public key)."""
    from jaring.snap.signing import generate_keypair

    return generate_keypair()


@pytest.fixture
def snap_channel(db, bank_keys):
    from jaring.contributions.services import create_channel

    return create_channel(code="BANKSIM", name="Bank Simulasi", secret=SECRET, fee=1500, public_key=bank_keys[1])


@pytest.fixture
def sim(snap_channel, bank_keys, client):
    from jaring.snap.simulator import ChannelSimulator

    return ChannelSimulator.over_client(client, "BANKSIM", SECRET, bank_keys[0], snap_channel.service_id,
                                        backoff=0)
