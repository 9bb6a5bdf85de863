from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Pekerja saya"), "sponsors:workers", ("sponsor",)),
    (_("Tagihan"), "sponsors:invoices", ("sponsor",)),
    (_("Sponsor & program"), "sponsors:overview", ("officer", "manager", "admin")),
]
