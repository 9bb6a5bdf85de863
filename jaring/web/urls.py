from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("kalkulator/hitung", views.calculator_quote, name="calculator_quote"),
    path("beranda", views.home, name="home"),
    path("masuk", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar", auth_views.LogoutView.as_view(), name="logout"),
    path("health", views.health, name="health"),
]
