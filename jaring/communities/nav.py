from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Wadah saya"), "communities:mine", ("treasurer",)),
    (_("Daftarkan anggota"), "communities:register", ("treasurer",)),
    (_("Manfaat untuk saya"), "communities:my_explainer", ("worker",)),
    (_("Wadah komunitas"), "communities:overview", ("officer", "manager", "admin")),
    (_("Bahan penyuluhan"), "communities:campaigns", ("officer", "manager", "admin")),
    (_("Kalkulator manfaat"), "communities:general", ("agent", "treasurer")),
]
