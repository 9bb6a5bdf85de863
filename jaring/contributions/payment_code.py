"""How a worker pays: the NIK as the customer number at any channel (SPEC 2.3), or a QRIS code for
the exact amount of the chosen months.

The QRIS merchant below is a DEMO static payload built here (tag 51 national merchant account with
an NMID in the demo range); a deployment puts the real merchant payload from its acquirer in
``JARING_QRIS_PAYLOAD``. Either way the member's customer number (the NIK) travels in tag 62 sub-tag 01
(bill number) so the acquirer's notification can be matched: :func:`with_bill_number` writes it into the
configured merchant payload (other tag-62 sub-tags kept), and lokal-id's ``set_qris_amount`` makes it a
dynamic code for the amount and recomputes the CRC16.
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


def _tlv(text: str) -> list[tuple[str, str]]:
    out, i = [], 0
    while i + 4 <= len(text):
        tag, n = text[i:i + 2], int(text[i + 2:i + 4])
        out.append((tag, text[i + 4:i + 4 + n]))
        i += 4 + n
    return out


def with_bill_number(payload: str, bill_number: str) -> str:
    """A merchant's QRIS payload carrying ``bill_number`` in tag 62 sub-tag 01 (EMVCo additional data), the
    other sub-tags of 62 kept, fields in tag order, CRC16 recomputed. ValueError for an invalid payload."""
    info = parse_qris(payload)
    if not info.valid:
        raise ValueError(f"QRIS tidak valid: {info.errors[0].message}")
    fields = [(f.tag, f.value) for f in info.fields if f.tag != "63"]
    extra = dict(_tlv(next((v for t, v in fields if t == "62"), "")))
    extra["01"] = bill_number
    value = "".join(_f(t, extra[t]) for t in sorted(extra))
    if len(value) > 99:
        raise ValueError("Data tambahan QRIS (tag 62) lebih dari 99 karakter.")
    fields = [(t, v) for t, v in fields if t != "62"] + [("62", value)]
    fields.sort(key=lambda tv: int(tv[0]))
    body = "".join(_f(t, v) for t, v in fields) + "6304"
    return body + qris_crc(body)


def qris_for(nik: str, amount: int) -> str:
    """The dynamic QRIS payload for paying ``amount`` Rupiah with the NIK as the bill number (also in a
    configured merchant's payload, ``JARING_QRIS_PAYLOAD``)."""
    merchant = os.environ.get("JARING_QRIS_PAYLOAD", "").strip()
    base = with_bill_number(merchant, nik) if merchant else static_payload(nik)
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
