from django.contrib import admin

from .models import ImportJob, Member


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """Read-only in the admin: members change through the services (validation and audit trail)."""

    list_display = ("kpj", "name", "branch", "status", "channel", "funding", "registered_on")
    list_filter = ("status", "channel", "funding", "sector", "jht")
    search_fields = ("kpj", "nik", "name")
    list_select_related = ("branch",)
    raw_id_fields = ("village", "user", "created_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("id", "filename", "created_by", "channel", "state", "total", "imported", "created_at")
    list_filter = ("state", "channel")
    exclude = ("rows", "errors")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
