from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("kampanye/baru", views.campaign_create, name="campaign_create"),
    path("kampanye/<slug:code>/", views.campaign_detail, name="campaign"),
    path("kampanye/<slug:code>/funnel.<str:fmt>", views.campaign_funnel_export, name="campaign_funnel_export"),
    path("kampanye/<slug:code>/kegiatan/baru", views.event_create, name="event_create"),
    path("kegiatan/<int:pk>/", views.event_detail, name="event"),
    path("prospek/", views.leads_home, name="leads"),
    path("prospek/<int:pk>/daftar", views.lead_convert, name="lead_convert"),
    path("risiko/", views.lapse_list, name="lapse"),
    path("pengingat/", views.outbox, name="outbox"),
    path("eksperimen/", views.experiment_list, name="experiments"),
    path("bayar-di-muka/", views.pay_ahead, name="pay_ahead"),
    path("eksperimen/<slug:code>/", views.experiment_detail, name="experiment"),
]
