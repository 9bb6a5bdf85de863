from django.contrib import admin

from .models import Claim, ClaimDocument, Scholarship


class DocumentInline(admin.TabularInline):
    model = ClaimDocument
    extra = 0
    readonly_fields = ("kind", "file", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    can_delete = False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only: claims change only through the audited workflow (pages, API)."""

    list_display = ("number", "program", "case", "status", "amount", "branch", "submitted_at")
    list_filter = ("status", "program", "branch")
    search_fields = ("number", "member__kpj", "member__name")
    inlines = [DocumentInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Scholarship, list_display=("claim", "child_name", "year", "level", "amount", "state"))
