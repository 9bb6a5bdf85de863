from django.utils.translation import gettext_lazy as _

from jaring.accounts.models import Role

ITEMS = [
    (_("Klaim saya"), "claims:my_claims", [Role.WORKER]),
    (_("Simulasi manfaat"), "claims:simulate", [Role.WORKER]),
    (_("Antrian klaim"), "claims:queue", [Role.OFFICER]),
    (_("Klaim dibayar"), "claims:paid_report", [Role.MANAGER, Role.ADMIN]),
]
