from django.utils.translation import gettext_lazy as _

from jaring.accounts.models import Role

ITEMS = [
    (_("Saldo JHT"), "savings:mine", [Role.WORKER]),
    (_("Tarif hasil pengembangan JHT"), "savings:rates", [Role.ADMIN]),
]
