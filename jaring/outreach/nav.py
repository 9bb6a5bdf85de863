from django.utils.translation import gettext_lazy as _

from jaring.accounts.models import Role
from jaring.accounts.policy import STAFF

ITEMS = [
    (_("Kampanye"), "outreach:campaigns", STAFF),
    (_("Tindak lanjut risiko"), "outreach:lapse", STAFF + (Role.AGENT,)),
    (_("Prospek"), "outreach:leads", (Role.AGENT,)),
    (_("Pengingat"), "outreach:outbox", STAFF),
    (_("Eksperimen pengingat"), "outreach:experiments", (Role.MANAGER, Role.ADMIN)),
]
