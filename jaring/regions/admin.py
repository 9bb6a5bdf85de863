from django.contrib import admin

from .models import BranchOffice, Region, RegionalOffice, RegionCodeChange


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "branch")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(RegionalOffice)
class RegionalOfficeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city_code")


@admin.register(BranchOffice)
class BranchOfficeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "regional_office", "city_code")
    list_filter = ("regional_office",)
    search_fields = ("code", "name")


@admin.register(RegionCodeChange)
class RegionCodeChangeAdmin(admin.ModelAdmin):
    list_display = ("old_code", "new_code", "name", "year", "law", "confidence")
    search_fields = ("old_code", "new_code", "name", "law")
