from django.utils.translation import gettext_lazy as _

from jaring.accounts.models import Role
from jaring.accounts.policy import STAFF

ITEMS = [
    (_("Dasbor"), "insights:dashboard", STAFF),
    (_("Ringkasan wilayah"), "insights:regional_summary", (Role.MANAGER, Role.ADMIN)),
]
