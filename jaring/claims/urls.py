from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("simulasi", views.simulate, name="simulate"),
    path("simulasi/hitung", views.simulate_result, name="simulate_result"),
]
