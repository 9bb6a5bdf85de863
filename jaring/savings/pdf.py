"""Yearly JHT statement as PDF (fpdf2, core fonts: plain ASCII text)."""

from __future__ import annotations

from fpdf import FPDF

from jaring.rules.identifiers import mask_nik


def rp(n: int) -> str:
    return ("-Rp" if n < 0 else "Rp") + f"{abs(n):,}".replace(",", ".")


def statement_pdf(member, st: dict) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, f"Laporan Saldo JHT Tahun {st['year']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, "Jaring - Jaminan Hari Tua (JHT) pekerja bukan penerima upah", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in (("Nama", member.name), ("Nomor KPJ", member.kpj), ("NIK", mask_nik(member.nik)),
                         ("Kantor cabang", member.branch.name if member.branch_id else "")):
        pdf.cell(40, 6, label)
        pdf.cell(0, 6, str(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(60, 7, "Bulan", border=1)
    pdf.cell(60, 7, "Iuran JHT", border=1, align="R")
    pdf.cell(60, 7, "Pencairan", border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for row in st["months"]:
        pdf.cell(60, 6, row["month"], border=1)
        pdf.cell(60, 6, rp(row["contribution"]), border=1, align="R")
        pdf.cell(60, 6, rp(row["withdrawal"]), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    rate = st.get("rate_bp")
    rate_label = "Hasil pengembangan"
    if rate is not None:
        rate_label += f" ({rate // 100},{rate % 100:02d}%" + (", perkiraan)" if st.get("rate_is_assumption") else ")")
    for label, value in (("Saldo awal 1 Januari", st["opening"]), ("Iuran JHT", st["contributions"]),
                         (rate_label, st["returns"]), ("Pencairan", -st["withdrawals"]),
                         (f"Saldo akhir 31 Desember {st['year']}", st["closing"])):
        pdf.set_font("Helvetica", "B" if label.startswith("Saldo akhir") else "", 10)
        pdf.cell(120, 6, label)
        pdf.cell(60, 6, rp(value), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 8)
    note = ("Iuran bulan ke-m dikreditkan di akhir bulan itu. Hasil pengembangan dikreditkan 31 Desember: "
            "tarif tahun itu x (saldo awal x 12 + jumlah iuran x (12 - m)) / 12, dibulatkan ke rupiah.")
    if not st["return_credited"]:
        note += " Hasil pengembangan tahun ini belum dikreditkan."
    if st.get("return_adjustments"):
        note += f" Termasuk koreksi {rp(st['return_adjustments'])} setelah tarif resmi diumumkan."
    if rate is not None and st.get("rate_is_assumption"):
        note += (f" Tarif {st['year']} adalah perkiraan: BPJS Ketenagakerjaan belum mengumumkan tarif resminya; "
                 "selisihnya dikreditkan saat tarif resmi diumumkan.")
    elif rate is not None and st.get("rate_source"):
        note += f" Sumber tarif: {st['rate_source']}"
    pdf.multi_cell(0, 4, note.encode("latin-1", "replace").decode("latin-1"))  # core fonts: Latin-1 only
    return bytes(pdf.output())
