"""The digital membership card: QR code (segno) linking to the public check, as SVG, PNG and PDF.

PNG is drawn with Pillow, which fpdf2 already depends on (no extra dependency); the PDF is an ID-1 sized
card (85.6 × 54 mm) made with fpdf2.
"""

from __future__ import annotations

import io

import segno

from jaring.rules.identifiers import mask_nik

GREEN = (10, 125, 79)
STATE_LABEL = {"active": "AKTIF - terlindungi", "arrears": "MENUNGGAK - segera bayar", "inactive": "NONAKTIF",
               "pending": "MENUNGGU VERIFIKASI"}


def _qr(url: str):
    return segno.make(url, error="m")


def qr_svg(url: str) -> str:
    """Inline SVG markup of the QR code (no external request, works offline once loaded)."""
    return _qr(url).svg_inline(scale=4, dark="#111", light="#fff")


def qr_png(url: str, scale: int = 6) -> bytes:
    buf = io.BytesIO()
    _qr(url).save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()


def kpj_display(kpj: str) -> str:
    return f"{kpj[:4]} {kpj[4:8]} {kpj[8:]}"


def validity(member, cov: dict) -> str:
    state = cov.get("state") or member.status
    return STATE_LABEL.get(state, str(state).upper())


def card_lines(member, cov: dict) -> list[tuple[str, str]]:
    lines = [("Nama", member.name), ("NIK", mask_nik(member.nik)), ("Program", " + ".join(member.programs)),
             ("Terdaftar", member.registered_on.strftime("%d-%m-%Y")), ("Status", validity(member, cov))]
    if cov.get("paid_through"):
        y, m = cov["paid_through"].split("-")
        lines.append(("Lunas s.d.", f"{m}/{y}"))
    return lines


def card_png(member, cov: dict, url: str) -> bytes:
    """A 1012 × 638 px card (ID-1 proportions at 300 dpi): header, KPJ, lines, QR."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = 1012, 638
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.load_default
    d.rectangle([0, 0, w, 110], fill=GREEN)
    d.text((40, 28), "BPJS Ketenagakerjaan · Jaring", font=font(size=40), fill="white")
    d.text((40, 140), "KARTU PESERTA BPU", font=font(size=26), fill=(80, 80, 80))
    d.text((40, 178), kpj_display(member.kpj), font=font(size=64), fill=(17, 17, 17))
    y = 270
    for label, value in card_lines(member, cov):
        d.text((40, y), f"{label}", font=font(size=26), fill=(90, 90, 90))
        d.text((200, y), value[:30], font=font(size=28), fill=(17, 17, 17))
        y += 50
    symbol = _qr(url)
    scale = max(1, 300 // symbol.symbol_size(scale=1, border=2)[0])  # whole pixels per module: crisp
    qr = Image.open(io.BytesIO(qr_png(url, scale=scale))).convert("RGB")
    img.paste(qr, (w - 40 - qr.width, 160))
    d.text((w - 40 - qr.width + 10, 170 + qr.height), "Pindai untuk cek status", font=font(size=22),
           fill=(90, 90, 90))
    d.rectangle([0, h - 24, w, h], fill=GREEN)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _latin1(text: str) -> str:
    return str(text).replace("·", "-").encode("latin-1", "replace").decode("latin-1")


def card_pdf(member, cov: dict, url: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format=(54, 85.6))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_page()
    pdf.set_title(f"Kartu peserta {member.kpj}")
    pdf.set_fill_color(*GREEN)
    pdf.rect(0, 0, 85.6, 9, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", "B", 8)
    pdf.set_xy(3, 2.2)
    pdf.cell(0, 5, _latin1("BPJS Ketenagakerjaan - Jaring"))
    pdf.set_text_color(80, 80, 80)
    pdf.set_font("Helvetica", "", 5.5)
    pdf.set_xy(3, 11)
    pdf.cell(0, 3, "KARTU PESERTA BPU")
    pdf.set_text_color(17, 17, 17)
    pdf.set_font("Courier", "B", 12)
    pdf.set_xy(3, 14.5)
    pdf.cell(0, 6, kpj_display(member.kpj))
    y = 23
    for label, value in card_lines(member, cov):
        pdf.set_font("Helvetica", "", 5.5)
        pdf.set_text_color(90, 90, 90)
        pdf.set_xy(3, y)
        pdf.cell(13, 3.5, label)
        pdf.set_font("Helvetica", "B", 6)
        pdf.set_text_color(17, 17, 17)
        pdf.cell(40, 3.5, _latin1(value[:40]))
        y += 4.6
    pdf.image(io.BytesIO(qr_png(url, scale=6)), x=60, y=13, w=23, h=23)
    pdf.set_font("Helvetica", "", 4.5)
    pdf.set_xy(58, 36.5)
    pdf.cell(27, 3, "Pindai untuk cek status", align="C")
    pdf.set_fill_color(*GREEN)
    pdf.rect(0, 51.5, 85.6, 2.5, style="F")
    return bytes(pdf.output())
