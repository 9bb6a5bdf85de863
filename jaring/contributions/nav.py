from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Iuran saya"), "contributions:mine", ["worker"]),
    (_("Loket iuran"), "contributions:counter", ["officer"]),
    (_("Rekonsiliasi"), "contributions:settlements", ["officer", "manager", "admin"]),
]
