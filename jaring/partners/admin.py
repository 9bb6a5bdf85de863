from django.contrib import admin

from .models import Bundle, Entitlement, Partner

admin.site.register(Partner, list_display=("code", "name", "kind", "api_key_prefix", "active"),
                    exclude=("api_key_hash", "signing_secret"))
admin.site.register(Bundle, list_display=("partner", "product_code", "name", "months", "active"))
admin.site.register(Entitlement, list_display=("code", "partner", "bundle", "member", "status", "issued_at"),
                    raw_id_fields=("member", "payment"), search_fields=("code",))
