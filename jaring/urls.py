from django.contrib import admin
from django.urls import include, path

from jaring.api.main import api
from jaring.core.plugins import modules

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jaring.web.urls")),
]
for app, module in modules("urls"):
    if getattr(module, "urlpatterns", None):
        prefix = getattr(module, "URL_PREFIX", app)  # an app may choose its path (field: /lapangan/)
        urlpatterns.append(path(f"{prefix}/", include(f"jaring.{app}.urls")))

# Errors in the app's frame for pages, the JSON error shape under /api/ (jaring.core.guard).
handler400 = "jaring.core.guard.page_400"
handler403 = "jaring.core.guard.page_403"
handler404 = "jaring.core.guard.page_404"
handler500 = "jaring.core.guard.page_500"
