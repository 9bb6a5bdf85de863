from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("baru/", views.create, name="create"),
    path("jual/", views.sell, name="sell"),
    path("saya/", views.mine, name="mine"),
    path("saya/<str:code>/", views.mine_detail, name="mine_detail"),
    path("mitra/<str:code>/", views.detail, name="detail"),
    path("mitra/<str:code>/hak/<str:ent>/cabut/", views.revoke, name="revoke"),
]
