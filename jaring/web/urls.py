from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("kalkulator/hitung", views.calculator_quote, name="calculator_quote"),
    path("beranda", views.home, name="home"),
    path("masuk", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("masuk/lupa", views.forgot_password, name="forgot_password"),
    path("masuk/lupa/kode", views.forgot_password_code, name="forgot_password_code"),
    path("keluar", auth_views.LogoutView.as_view(), name="logout"),
    path("health", views.health, name="health"),
]
