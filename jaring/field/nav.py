from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Aplikasi lapangan"), "field:app", ("agent", "officer")),
]
