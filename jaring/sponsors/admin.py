from django.contrib import admin

from .models import GroupInvoice, InvoicePayment, Notice, RegionalProgram, Sponsor, Sponsorship


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "branch", "region", "user")
    list_filter = ("kind", "branch")
    search_fields = ("name", "contact_name")
    raw_id_fields = ("user", "region")


@admin.register(RegionalProgram)
class RegionalProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "sponsor", "budget", "quota", "start_month", "end_month")


@admin.register(Sponsorship)
class SponsorshipAdmin(admin.ModelAdmin):
    list_display = ("sponsor", "member", "start_month", "end_month", "status")
    list_filter = ("status",)
    raw_id_fields = ("member", "sponsor", "program")


@admin.register(GroupInvoice)
class GroupInvoiceAdmin(admin.ModelAdmin):
    list_display = ("number", "payment_code", "sponsor", "amount", "paid_amount", "unapplied", "status")
    list_filter = ("status",)
    search_fields = ("number", "payment_code")
    readonly_fields = ("amount", "paid_amount", "unapplied")


@admin.register(InvoicePayment)
class InvoicePaymentAdmin(admin.ModelAdmin):
    list_display = ("invoice", "reference", "amount", "applied", "workers_credited", "paid_at")
    readonly_fields = [f.name for f in InvoicePayment._meta.fields]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("kind", "sponsor", "member", "created_at", "sent_at")
    list_filter = ("kind",)
