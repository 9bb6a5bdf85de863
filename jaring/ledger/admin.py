"""Read-only admin views: the journal is written only by jaring.ledger.services (never edited by hand)."""

from django.contrib import admin

from .models import Account, Entry, Line, TrialBalanceRun


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LineInline(admin.TabularInline):
    model = Line
    fields = ("account", "debit", "credit")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnly):
    list_display = ("code", "name", "type")


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ("id", "booked_on", "kind", "memo", "ref_type", "ref_id")
    list_filter = ("kind",)
    inlines = [LineInline]


@admin.register(TrialBalanceRun)
class TrialBalanceRunAdmin(ReadOnly):
    list_display = ("on", "balanced", "ok", "debits", "credits")
