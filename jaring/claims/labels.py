"""Indonesian labels for benefit components, cases and claim states (shared by pages and PDFs)."""

from django.utils.translation import gettext_lazy as _

COMPONENT_LABELS = {
    "lump_sum": _("Santunan sekaligus"),
    "funeral": _("Biaya pemakaman"),
    "periodic": _("Santunan berkala (dibayar sekaligus)"),
    "temporary_incapacity": _("Santunan tidak mampu bekerja sementara (STMB)"),
    "medical": _("Biaya perawatan dan pengobatan"),
    "transport": _("Penggantian biaya transportasi"),
    "home_care": _("Perawatan di rumah (homecare)"),
    "jht_balance": _("Saldo JHT"),
    "jht_partial": _("Pencairan sebagian JHT"),
    "scholarship": _("Beasiswa pendidikan anak"),
    "projected_balance": _("Perkiraan saldo JHT"),
}

SCENARIOS = [
    ("jkk_death", _("Saya meninggal karena kecelakaan kerja")),
    ("jkm_death", _("Saya meninggal bukan karena kecelakaan kerja")),
    ("jkk_total_disability", _("Saya cacat total tetap karena kecelakaan kerja")),
    ("jkk_partial_disability", _("Saya cacat sebagian karena kecelakaan kerja")),
    ("jkk_temporary_incapacity", _("Saya tidak bisa bekerja sementara karena kecelakaan kerja")),
    ("jht", _("Berapa tabungan hari tua (JHT) saya nanti")),
]


def component_rows(components: dict) -> list[tuple[str, str, int]]:
    return [(k, COMPONENT_LABELS.get(k, k), v) for k, v in components.items()]


ACTION_LABELS = {
    "claim.file": _("Klaim diajukan"),
    "claim.review": _("Diperiksa petugas, menunggu persetujuan kedua"),
    "claim.approve": _("Disetujui, instruksi pembayaran dibuat"),
    "claim.reject": _("Ditolak"),
    "claim.pay": _("Dibayar"),
    "claim.scholarship_pay": _("Beasiswa tahunan dibayar"),
    "claim.scholarship_stop": _("Beasiswa seorang anak dihentikan"),
}
