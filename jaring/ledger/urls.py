from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.trial_balance, name="trial_balance"),
    path("akun/<str:code>/", views.account, name="account"),
    path("jurnal/<int:pk>/", views.entry, name="entry"),
]
