from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("simulasi", views.simulate, name="simulate"),
    path("simulasi/hitung", views.simulate_result, name="simulate_result"),
    path("saya", views.my_claims, name="my_claims"),
    path("ajukan", views.file_claim, name="file"),
    path("keluarga", views.family_file, name="family_file"),
    path("lacak", views.track, name="track"),
    path("antrian", views.queue, name="queue"),
    path("laporan", views.paid_report, name="paid_report"),
    path("<str:number>", views.detail, name="detail"),
    path("<str:number>/dokumen/<int:pk>", views.document, name="document"),
    path("<str:number>/<str:action>", views.act, name="act"),
]
