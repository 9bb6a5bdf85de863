from django.contrib import admin

from .models import Account, ReturnRate

admin.site.register(ReturnRate, list_display=("year", "rate_bp", "confidence", "source"))
admin.site.register(Account, list_display=("member", "balance", "contributions", "returns", "withdrawals"),
                    raw_id_fields=("member",))
