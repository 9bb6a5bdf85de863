from django.urls import path

from . import views

app_name = "savings"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("tarif", views.rates, name="rates"),
    path("peserta/<str:kpj>", views.balance, name="balance"),
    path("peserta/<str:kpj>/laporan/<int:year>", views.statement, name="statement"),
    path("peserta/<str:kpj>/laporan/<int:year>.pdf", views.statement_pdf_view, name="statement_pdf"),
]
