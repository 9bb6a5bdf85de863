"""QRIS: a configured merchant payload still carries the member's customer number and the amount, and the
generated payload follows the EMVCo rules (TLV with 2-digit lengths, tag order, CRC16-CCITT in tag 63)."""

import pytest

from jaring.contributions.payment_code import qris_for, static_payload

NIK = "6371041505900001"
# a merchant's static QRIS from its acquirer (tag 26 merchant account, tag 62 with a terminal label 07)
MERCHANT_BODY = ("000201" "010211"
                 "26570011ID.DANA.WWW011893600915302259148102090225914810303UMI"
                 "51440014ID.CO.QRIS.WWW0215ID10243136498300303UMI"
                 "5204599953033605802ID5914BPJS TK CABANG6008BANJARMA61057071162070703A01" "6304")


def crc16(data: str) -> str:
    """CRC16-CCITT (polynomial 0x1021, initial 0xFFFF) as the EMVCo QR spec defines it, computed here by hand."""
    crc = 0xFFFF
    for byte in data.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def tlv(text):
    out, i = [], 0
    while i < len(text):
        tag, n = text[i:i + 2], int(text[i + 2:i + 4])
        assert tag.isdigit() and text[i + 2:i + 4].isdigit()
        out.append((tag, text[i + 4:i + 4 + n]))
        i += 4 + n
    assert i == len(text)  # every byte inside a field: lengths add up exactly
    return out


def check_emvco(payload: str) -> dict:
    fields = tlv(payload)
    tags = [t for t, _ in fields]
    assert tags[0] == "00" and fields[0][1] == "01" and tags[-1] == "63"
    assert tags == sorted(tags, key=int) and len(set(tags)) == len(tags)
    assert fields[-1][1] == crc16(payload[:-4])
    return dict(fields)


MERCHANT = MERCHANT_BODY + crc16(MERCHANT_BODY)


def test_the_merchant_fixture_is_itself_valid():
    check_emvco(MERCHANT)


@pytest.mark.parametrize("configured", [False, True])
def test_payload_carries_customer_number_and_amount(monkeypatch, configured):
    if configured:
        monkeypatch.setenv("JARING_QRIS_PAYLOAD", MERCHANT)
    else:
        monkeypatch.delenv("JARING_QRIS_PAYLOAD", raising=False)
    payload = qris_for(NIK, 25200)
    f = check_emvco(payload)
    assert f["01"] == "12"  # dynamic: for this amount only
    assert f["54"] == "25200"
    extra = dict(tlv(f["62"]))
    assert extra["01"] == NIK
    if configured:
        merchant = dict(tlv(MERCHANT))
        # the real merchant's account, name and city are untouched; its terminal label stays
        assert (f["26"], f["51"], f["59"], f["60"]) == (merchant["26"], merchant["51"], merchant["59"], merchant["60"])
        assert extra["07"] == "A01"


def test_a_broken_configured_payload_is_refused(monkeypatch):
    monkeypatch.setenv("JARING_QRIS_PAYLOAD", MERCHANT[:-4] + "0000")
    with pytest.raises(ValueError):
        qris_for(NIK, 8400)


def test_static_demo_payload_is_valid():
    check_emvco(static_payload(NIK))
