from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Kartu saya"), "members:my_card", ("worker",)),
    (_("Data saya"), "members:my_data", ("worker",)),
    (_("Peserta"), "members:list", ("officer", "manager", "admin", "agent")),
    (_("Verifikasi"), "members:queue", ("officer", "manager", "admin")),
    (_("Daftarkan pekerja"), "members:assist", ("agent", "officer")),
    # sponsors import through their own portal (sponsors:upload), which also issues the group invoice
    (_("Impor daftar"), "members:import", ("officer", "agent", "manager", "admin")),
]
