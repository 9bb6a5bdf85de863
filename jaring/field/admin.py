from django.contrib import admin

from .models import FieldEntry


@admin.register(FieldEntry)
class FieldEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "key", "kind", "outcome", "member")
    list_filter = ("kind", "outcome")
    search_fields = ("key", "user__username", "member__kpj")
    raw_id_fields = ("user", "member")
    readonly_fields = ("user", "key", "kind", "digest", "outcome", "member", "result", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
