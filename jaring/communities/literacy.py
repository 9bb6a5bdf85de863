"""Benefit explainers (financial literacy, SPEC 2.10): what JKK, JKM and JHT pay, made personal.

Every figure comes from the rules — the contribution from the dated rate schedule
(:func:`jaring.contributions.services.quote_contribution`), the benefits from :mod:`jaring.rules.benefits` and
the JHT projection from :mod:`jaring.rules.jht` — so an explainer can never disagree with the regulation data.
The sentences are translatable (Bahasa Indonesia source, English catalogue), shareable as a WhatsApp text and
a PNG image, and fill a printable sheet and a radio script for a branch's campaign.
"""

from __future__ import annotations

import io
import textwrap
from datetime import date
from urllib.parse import quote as urlquote

from django.utils import timezone
from django.utils.translation import gettext as _

from jaring.contributions.models import Bill
from jaring.contributions.rates import current_schedule
from jaring.contributions.services import quote_contribution
from jaring.rules import benefits as rules, jht as jht_rules
from jaring.rules.periods import add_months, month_str, parse_month

JHT_YEARS = 10  # the JHT example looks 10 years ahead (A): the minimum membership for a partial withdrawal


def rupiah(n: int) -> str:
    return "Rp" + f"{int(n):,}".replace(",", ".")

def monthly_contribution(member, month: date | None = None) -> int:
    return quote_contribution(member.income, member.programs, month_str(month or timezone.localdate()),
                              member.sector or "other", member.funding or "self").total

def paid_history(member) -> tuple[int, int]:
    """(consecutive paid months ending at the latest paid month, all paid months) since the first month."""

    months = list(Bill.objects.filter(member=member, status="paid", month__gte=member.first_month)
                  .order_by("-month").values_list("month", flat=True))
    run = 0
    expected = months[0] if months else None
    for m in months:
        if m != expected:
            break
        run += 1
        expected = add_months(m, -1)
    return run, len(months)

def figures(income: int, programs, *, month: str | None = None, sector: str = "other", funding: str = "self",
            consecutive_paid_months: int | None = None, contribution_months: int | None = None,
            on: date | None = None) -> dict:
    """All the numbers of an explainer, integer Rupiah, from the rules. ``consecutive_paid_months`` None means
    "a member who keeps paying" (the full JKM after the waiting months)."""
    tables = rules.default_tables()
    q = quote_contribution(income, programs, month, sector, funding)
    jkm_row = tables.jkm(on)
    jkk_row = tables.jkk(on)
    waiting = jkm_row["waiting_consecutive_paid_months"]
    paid = waiting if consecutive_paid_months is None else consecutive_paid_months
    months = paid if contribution_months is None else contribution_months
    death = rules.jkk_death(income, tables, on)
    disability = rules.jkk_total_disability(income, tables, on)
    stmb = rules.jkk_temporary_incapacity(income, jkk_row["stmb_full_months"], tables, on)
    jkm_full = rules.jkm_death(waiting, jkm_row["scholarship_min_contribution_months"], tables, on)
    jkm_now = rules.jkm_death(paid, months, tables, on)
    out = {
        "income": int(income), "programs": [p for p, amount in q.gross.items() if amount],
        "month": q.month, "contribution": q.total, "jkk_contribution": q.jkk, "jkm_contribution": q.jkm,
        "jht_contribution": q.jht, "discount": q.discount, "contribution_before_discount": q.total + q.discount,
        "jkk_death": death.total, "jkk_death_lump_sum": death.components["lump_sum"],
        "jkk_total_disability": disability.components["lump_sum"],
        "jkk_stmb_month": stmb.components["temporary_incapacity"] // jkk_row["stmb_full_months"],
        "jkk_stmb_months": jkk_row["stmb_full_months"],
        "jkk_home_care_max": jkk_row["home_care_max"], "transport_land_max": jkk_row["transport_max"]["land"],
        "scholarship_max": death.extras["scholarship_max"], "scholarship_per_child": death.extras["scholarship_per_child"],
        "jkm_full": jkm_full.total, "jkm_now": jkm_now.total, "jkm_waiting_months": waiting,
        "jkm_funeral": jkm_row["funeral"], "consecutive_paid_months": paid, "contribution_months": months,
        "jkm_full_entitled": rules.jkm_full_entitled(paid, tables, on),
        "jkm_scholarship_years": jkm_row["scholarship_min_contribution_months"] // 12,
        "jht_chosen": bool(q.jht), "jht_years": JHT_YEARS, "jht_projection": 0, "jht_rate_bp": 0,
    }
    if q.jht:
        _year, rate_bp = jht_rules.default_rates().latest()
        out["jht_rate_bp"] = rate_bp
        out["jht_projection"] = jht_rules.project(0, q.jht, JHT_YEARS, rate_bp)[-1].closing
    return out

def for_member(member, on: date | None = None) -> dict:
    on = on or timezone.localdate()
    paid, months = paid_history(member)
    out = figures(member.income, member.programs, month=month_str(on), sector=member.sector or "other",
                  funding=member.funding or "self", consecutive_paid_months=paid, contribution_months=months, on=on)
    out["name"] = member.name
    out["kpj"] = member.kpj
    return out

def sentences(f: dict) -> list[str]:
    """The explainer as short sentences (translatable; Bahasa Indonesia is the source)."""
    r = {k: rupiah(v) for k, v in f.items() if isinstance(v, int) and not isinstance(v, bool)}
    lines = [_("Dengan iuran %(contribution)s sebulan, Anda terlindungi BPJS Ketenagakerjaan:") % r]
    if f["discount"]:
        lines[0] = _("Dengan iuran %(contribution)s sebulan (diskon PP 50/2025 dari %(before)s), Anda terlindungi "
                     "BPJS Ketenagakerjaan:") % {"contribution": r["contribution"],
                                                 "before": r["contribution_before_discount"]}
    lines += [
        _("Kecelakaan kerja (JKK): biaya berobat ditanggung sesuai kebutuhan medis, tanpa batas biaya.") ,
        _("Selama tidak bisa bekerja karena kecelakaan kerja, Anda menerima %(stmb)s sebulan selama %(n)s bulan "
          "pertama.") % {"stmb": r["jkk_stmb_month"], "n": f["jkk_stmb_months"]},
        _("Cacat total tetap karena kecelakaan kerja: santunan %(amount)s.") % {"amount": r["jkk_total_disability"]},
        _("Meninggal karena kecelakaan kerja: keluarga menerima %(amount)s, ditambah beasiswa untuk 2 anak sampai "
          "%(scholarship)s.") % {"amount": r["jkk_death"], "scholarship": r["scholarship_max"]},
        _("Meninggal bukan karena kerja (JKM): keluarga menerima %(amount)s setelah %(n)s bulan iuran "
          "berturut-turut.") % {"amount": r["jkm_full"], "n": f["jkm_waiting_months"]},
    ]
    if not f["jkm_full_entitled"]:
        lines.append(_("Iuran Anda baru %(paid)s bulan berturut-turut: saat ini JKM yang dibayar %(now)s. Bayar "
                       "rutin agar keluarga mendapat %(full)s.") % {"paid": f["consecutive_paid_months"],
                                                                   "now": r["jkm_now"], "full": r["jkm_full"]})
    if f["jht_chosen"]:
        lines.append(_("Tabungan hari tua (JHT): dengan %(jht)s sebulan, saldo Anda setelah %(years)s tahun kira-kira "
                       "%(projection)s (hasil pengembangan %(rate)s%% setahun, tidak dijamin).") % {
            "jht": r["jht_contribution"], "years": f["jht_years"], "projection": r["jht_projection"],
            "rate": f"{f['jht_rate_bp'] / 100:.2f}".replace(".", ",")})
    else:
        lines.append(_("Tambahkan JHT (tabungan hari tua) agar punya simpanan untuk masa tua."))
    return lines

def whatsapp_text(f: dict) -> str:
    head = _("Perlindungan saya dari BPJS Ketenagakerjaan (Jaring):")
    return "\n".join([head, *("• " + s for s in sentences(f)), _("Daftar dan hitung iuran Anda di Jaring.")])

def whatsapp_link(text: str, phone: str = "") -> str:
    """A wa.me link that opens WhatsApp with the text (to a number when given, else the share picker)."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return f"https://wa.me/{digits}?text={urlquote(text)}"

def png(f: dict, title: str | None = None) -> bytes:
    """A 1080 px wide image of the explainer (for WhatsApp status and groups). Drawn with Pillow, which fpdf2
    already depends on."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default
    body = sentences(f)
    wrapped = [textwrap.wrap(s, 52) for s in body]
    height = 220 + sum(len(w) * 44 + 26 for w in wrapped) + 90
    img = Image.new("RGB", (1080, height), "white")
    d = ImageDraw.Draw(img)
    green = (10, 125, 79)
    d.rectangle([0, 0, 1080, 150], fill=green)
    d.text((48, 40), title or _("Kerja Keras Bebas Cemas"), font=font(size=48), fill="white")
    d.text((48, 100), _("Manfaat BPJS Ketenagakerjaan untuk Anda"), font=font(size=30), fill="white")
    y = 190
    for i, lines in enumerate(wrapped):
        for j, line in enumerate(lines):
            d.text((48, y), line, font=font(size=36 if i == 0 else 32), fill=(17, 17, 17) if i == 0 else (40, 40, 40))
            y += 44
        y += 26
    d.rectangle([0, height - 60, 1080, height], fill=green)
    d.text((48, height - 48), "Jaring · BPJS Ketenagakerjaan", font=font(size=28), fill="white")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()

# --- campaign material ---------------------------------------------------------------------------------------

def campaign_area(campaign) -> str:
    """The campaign's area as said on air: its branches' names (and the villages of its events)."""
    branches = [b.name for b in campaign.branches.order_by("name")]
    villages = sorted({e.village.name for e in campaign.events.select_related("village")})
    area = ", ".join(branches)
    if villages:
        area += " — " + ", ".join(villages[:6])
    return area

def campaign_figures(campaign, income: int | None = None, programs: str = "JKK,JKM") -> dict:
    """The figures for a campaign's material: the minimum income (SPEC 2.1) by default, the campaign's first
    month (so a discount in force then is said), for a worker who keeps paying."""

    month = month_str(max(campaign.starts_on, timezone.localdate()) if campaign.ends_on >= timezone.localdate()
                      else campaign.starts_on)
    income = income or current_schedule().band(parse_month(month)).minimum
    f = figures(income, programs, month=month)
    f_jht = figures(income, "JKK,JKM,JHT", month=month)
    f["contribution_with_jht"] = f_jht["contribution"]
    return f

def radio_script(campaign, income: int | None = None) -> str:
    """A short radio spot (about 60 seconds) for the branch's campaign, filled with its area and figures."""
    f = campaign_figures(campaign, income)
    r = {k: rupiah(v) for k, v in f.items() if isinstance(v, int) and not isinstance(v, bool)}
    area = campaign_area(campaign)
    parts = [
        _("NASKAH RADIO — %(name)s") % {"name": campaign.name},
        _("Wilayah: %(area)s. Periode: %(start)s s.d. %(end)s.") % {
            "area": area, "start": campaign.starts_on.strftime("%d-%m-%Y"), "end": campaign.ends_on.strftime("%d-%m-%Y")},
        "",
        _("PENYIAR: Bapak, Ibu, para pekerja di %(area)s — petani, nelayan, pedagang, ojek — kerja keras setiap "
          "hari. Tapi kalau terjadi kecelakaan kerja, siapa yang menanggung?") % {"area": area},
        _("PENYIAR: Dengan iuran %(c)s sebulan, Anda terlindungi BPJS Ketenagakerjaan.") % {"c": r["contribution"]},
    ]
    if f["discount"]:
        parts.append(_("PENYIAR: Ada diskon pemerintah (PP 50/2025): iuran %(before)s menjadi %(c)s sebulan.") % {
            "before": r["contribution_before_discount"], "c": r["contribution"]})
    parts += [
        _("PENYIAR: Kecelakaan kerja? Biaya berobat ditanggung tanpa batas biaya, dan selama tidak bisa bekerja Anda "
          "tetap menerima %(stmb)s sebulan.") % {"stmb": r["jkk_stmb_month"]},
        _("PENYIAR: Meninggal dunia? Keluarga menerima %(jkm)s, atau %(jkk)s bila karena kecelakaan kerja, ditambah "
          "beasiswa anak sampai %(sch)s.") % {"jkm": r["jkm_full"], "jkk": r["jkk_death"], "sch": r["scholarship_max"]},
        _("PENYIAR: Tambah tabungan hari tua (JHT): iurannya menjadi %(c)s sebulan.") % {
            "c": rupiah(f["contribution_with_jht"])},
        _("PENYIAR: Daftar cukup dengan NIK di kantor cabang, agen Perisai, atau wadah komunitas Anda. Bayar di "
          "bank, minimarket atau kantor pos dengan NIK Anda. Kerja Keras Bebas Cemas!"),
    ]
    return "\n".join(parts)
