from django.contrib import admin

from .models import AuditEvent, Holiday, HolidayYear, JobRun


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "note")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "period", "started_at", "finished_at")


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 3


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """An admin adds next year's calendar here when the SKB 3 Menteri is published."""

    list_display = ("year", "decree", "source", "loaded_at")
    inlines = [HolidayInline]
