from django.contrib import admin

from .models import Agent, Collection, CommissionLine, Recruitment


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "branch", "status", "joined_on", "suspended_on", "rejoin_on")
    list_filter = ("status", "branch")
    search_fields = ("code", "name", "user__username")
    raw_id_fields = ("user",)


@admin.register(Recruitment)
class RecruitmentAdmin(admin.ModelAdmin):
    list_display = ("member", "agent", "recruited_on")
    raw_id_fields = ("member", "agent")


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("reference", "agent", "member", "months", "amount", "collected_at")
    raw_id_fields = ("member", "agent")
    readonly_fields = [f.name for f in Collection._meta.fields]


@admin.register(CommissionLine)
class CommissionLineAdmin(admin.ModelAdmin):
    list_display = ("agent", "month", "recruits", "collected", "commission", "bonus", "total")
    list_filter = ("month",)
    readonly_fields = [f.name for f in CommissionLine._meta.fields]
