from django.urls import path

from . import views

app_name = "agents"
urlpatterns = [
    # the agent's phone workspace
    path("", views.recruits, name="recruits"),
    path("tindak-lanjut/", views.follow_up, name="follow_up"),
    path("setoran/", views.collections, name="collections"),
    path("komisi/", views.commissions, name="commissions"),
    # officers and managers
    path("daftar/", views.ranking, name="ranking"),
    path("baru/", views.onboard, name="onboard"),
    path("komisi/<str:month>.csv", views.payout_csv, name="payout_csv"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/aktifkan/", views.rejoin, name="rejoin"),
]
