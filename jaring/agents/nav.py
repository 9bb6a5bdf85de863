from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Rekrutan saya"), "agents:recruits", ("agent",)),
    (_("Tindak lanjut"), "agents:follow_up", ("agent",)),
    (_("Setoran"), "agents:collections", ("agent",)),
    (_("Komisi"), "agents:commissions", ("agent",)),
    (_("Agen"), "agents:ranking", ("officer", "manager", "admin")),
]
