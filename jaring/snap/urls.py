from django.urls import path, re_path

from . import views

app_name = "snap"
urlpatterns = [
    path("v1.0/access-token/b2b", views.access_token, name="access_token"),
    path("v1.0/transfer-va/inquiry", views.inquiry, name="inquiry"),
    path("v1.0/transfer-va/payment", views.payment, name="payment"),
    path("v1.0/transfer-va/status", views.status, name="status"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
