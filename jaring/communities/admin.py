from django.contrib import admin

from .models import Collective, GroupPayment, Membership, TreasurerNotice

admin.site.register(Collective, list_display=("code", "name", "kind", "branch", "treasurer_name", "active"),
                    search_fields=("code", "name"))
admin.site.register(Membership, list_display=("collective", "member", "joined_on", "left_on"),
                    raw_id_fields=("member",))
admin.site.register(GroupPayment, list_display=("collective", "reference", "total", "members", "month", "reconciled"),
                    readonly_fields=("total", "members"))
admin.site.register(TreasurerNotice, list_display=("collective", "period", "unpaid", "status"))
