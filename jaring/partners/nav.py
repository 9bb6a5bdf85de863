from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Paket mitra saya"), "partners:mine", ("worker",)),
    (_("Jual paket mitra"), "partners:sell", ("officer",)),
    (_("Mitra & paket"), "partners:overview", ("officer", "manager", "admin")),
]
