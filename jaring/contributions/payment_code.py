"""How a worker pays: the NIK as the customer number at any channel (SPEC 2.3), or a QRIS code for
the exact amount of the chosen months.

The QRIS merchant below is a DEMO static payload built here (tag 51 national merchant account with
an NMID in the demo range); a deployment puts the real merchant payload from its acquirer in
``JARING_QRIS_PAYLOAD``. The member's NIK travels in tag 62 (bill number) so the acquirer's
notification can be matched, and lokal-id's ``set_qris_amount`` makes it a dynamic code for the amount.
"""

from __future__ import annotations

import os

from lokal import parse_qris, qris_crc, set_qris_amount

DEMO_MERCHANT = {
    "nmid": "ID1026000000001", "name": "BPJS KETENAGAKERJAAN", "city": "JAKARTA", "postal": "12920",
    "mcc": "6300",  # insurance
}


def _f(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def static_payload(bill_number: str = "", merchant: dict | None = None) -> str:
    """A static QRIS payload (tag 01 = 11) for the demo merchant, with a valid CRC (lokal.qris_crc)."""
    m = merchant or DEMO_MERCHANT
    account = _f("00", "ID.CO.QRIS.WWW") + _f("02", m["nmid"]) + _f("03", "UBE")
    body = (_f("00", "01") + _f("01", "11") + _f("51", account) + _f("52", m["mcc"]) + _f("53", "360")
            + _f("58", "ID") + _f("59", m["name"]) + _f("60", m["city"]) + _f("61", m["postal"]))
    if bill_number:
        body += _f("62", _f("01", bill_number))
    body += "6304"
    return body + qris_crc(body)


def qris_for(nik: str, amount: int) -> str:
    """The dynamic QRIS payload for paying ``amount`` Rupiah with the NIK as the bill number."""
    base = os.environ.get("JARING_QRIS_PAYLOAD") or static_payload(nik)
    return set_qris_amount(base, int(amount))


def qr_svg(payload: str) -> str:
    import segno

    return segno.make(payload, error="m").svg_inline(scale=5, dark="#111", light="#fff")


def qr_png_data_uri(payload: str) -> str:
    """The same QR as a PNG data URI, for a "save QR" link (a phone keeps it in its gallery)."""
    import segno

    return segno.make(payload, error="m").png_data_uri(scale=8, border=4, dark="#111", light="#fff")


def is_valid(payload: str) -> bool:
    return parse_qris(payload).valid
