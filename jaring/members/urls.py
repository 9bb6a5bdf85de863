from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    # registration (public self-registration; agent/officer-assisted)
    path("daftar/", views.register_start, name="register"),
    path("daftar/desa", views.village_search, name="village_search"),
    path("daftar/iuran", views.register_quote, name="register_quote"),
    path("daftar/<slug:step>/", views.register_step, name="register_step"),
    path("daftarkan/", views.assist_start, name="assist"),
    path("daftarkan/<slug:step>/", views.assist_step, name="assist_step"),
    # card and the public check behind its QR code
    path("kartu-saya/", views.my_card, name="my_card"),
    path("kartu/<str:kpj>/", views.card, name="card"),
    path("kartu/<str:kpj>/kartu.png", views.card_png, name="card_png"),
    path("kartu/<str:kpj>/kartu.pdf", views.card_pdf, name="card_pdf"),
    path("verify/<str:kpj>/", views.verify, name="verify"),
    # member data
    path("data-saya/", views.my_data, name="my_data"),
    path("konfirmasi-data/", views.confirm_data, name="confirm_data"),
    path("", views.member_list, name="list"),
    path("ekspor.csv", views.member_export, name="export"),
    path("verifikasi/", views.queue, name="queue"),
    path("verifikasi/<str:kpj>/", views.verify_action, name="verify_action"),
    # bulk import
    path("impor/", views.import_upload, name="import"),
    path("impor/contoh.csv", views.import_template_csv, name="import_template"),
    path("impor/<int:pk>/", views.import_job, name="import_job"),
    path("impor/<int:pk>/progres", views.import_progress, name="import_progress"),
    path("impor/<int:pk>/galat.csv", views.import_errors_csv, name="import_errors"),
    path("<str:kpj>/", views.detail, name="detail"),
    path("<str:kpj>/ubah/", views.edit, name="edit"),
]
