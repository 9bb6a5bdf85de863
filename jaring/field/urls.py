from django.urls import path

from . import views

app_name = "field"
URL_PREFIX = "lapangan"  # mounted at /lapangan/ (the service worker's scope), see jaring/urls.py

urlpatterns = [
    path("", views.app, name="app"),
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
