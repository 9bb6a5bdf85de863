from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Keuangan"), "ledger:trial_balance", ["officer", "manager", "admin"]),
]
