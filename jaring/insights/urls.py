from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ekspor/<str:table>.<str:fmt>", views.export, name="export"),
    path("ringkasan-wilayah", views.regional_summary, name="regional_summary"),
]
