from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Iuran saya"), "contributions:mine", ["worker"]),
    (_("Rekonsiliasi"), "contributions:settlements", ["officer", "manager", "admin"]),
]
