from django.urls import path

from . import views

app_name = "communities"
urlpatterns = [
    # the treasurer
    path("wadah-saya/", views.mine, name="mine"),
    path("wadah-saya/bayar/", views.pay, name="pay"),
    path("wadah-saya/daftarkan/", views.register, name="register"),
    path("wadah-saya/gabung/", views.join, name="join"),
    # the branch
    path("", views.overview, name="overview"),
    path("baru/", views.create, name="create"),
    path("wadah/<str:code>/", views.detail, name="detail"),
    path("wadah/<str:code>/bayar/", views.pay, name="pay_for"),
    path("wadah/<str:code>/daftarkan/", views.register, name="register_for"),
    path("wadah/<str:code>/gabung/", views.join, name="join_for"),
    path("wadah/<str:code>/pengingat/", views.remind, name="remind"),
    path("wadah/<str:code>/pembayaran/<str:reference>/cocokkan/", views.reconcile, name="reconcile"),
    path("wadah/<str:code>/anggota/<str:kpj>/keluar/", views.leave, name="leave"),
    # benefit explainers and campaign material
    path("manfaat/", views.general_explainer, name="general"),
    path("manfaat/gambar.png", views.general_png, name="general_png"),
    path("manfaat-saya/", views.my_explainer, name="my_explainer"),
    path("manfaat-saya/gambar.png", views.my_explainer_png, name="my_explainer_png"),
    path("manfaat/peserta/<str:kpj>/", views.member_explainer, name="member_explainer"),
    path("manfaat/peserta/<str:kpj>/gambar.png", views.member_explainer_png, name="member_explainer_png"),
    path("penyuluhan/", views.campaigns, name="campaigns"),
    path("penyuluhan/<slug:code>/", views.campaign_material, name="campaign"),
    path("penyuluhan/kegiatan/<int:event_id>/", views.record_talk, name="record_talk"),
]
