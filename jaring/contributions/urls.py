from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("bayar/", views.pay, name="pay"),
    path("riwayat/", views.history, name="history"),
    path("kuitansi/<int:pk>/", views.receipt, name="receipt"),
    path("kuitansi/<int:pk>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("loket/", views.counter, name="counter"),
    path("loket/<str:kpj>/", views.counter_member, name="counter_member"),
    path("rekonsiliasi/", views.settlements, name="settlements"),
    path("rekonsiliasi/<int:pk>/", views.settlement_detail, name="settlement_detail"),
    path("rekonsiliasi/harian/", views.daily_reconciliation, name="daily_reconciliation"),
]
