from django.urls import path

from . import views

app_name = "sponsors"
urlpatterns = [
    # sponsor portal
    path("pekerja/", views.my_workers, name="workers"),
    path("pekerja/tambah/", views.add_worker, name="add_worker"),
    path("pekerja/unggah/", views.upload, name="upload"),
    path("pekerja/unggah/contoh.csv", views.template_csv, name="template_csv"),
    path("pekerja/unggah/ditolak.csv", views.upload_errors_csv, name="upload_errors"),
    path("pekerja/tagihkan/", views.bill_selected, name="bill_selected"),
    path("tagihan/", views.invoices, name="invoices"),
    path("tagihan/<str:number>/", views.invoice, name="invoice"),
    path("tagihan/<str:number>/bayar/", views.record_payment, name="record_payment"),
    path("tagihan/<str:number>/batal/", views.cancel, name="cancel"),
    path("program/<int:pk>/", views.program, name="program"),
    # officers and managers
    path("", views.overview, name="overview"),
    path("baru/", views.create_sponsor, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
]
