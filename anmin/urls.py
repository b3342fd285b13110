"""Top-level URLs. Apps contribute their own ``urls.py``; the API router is built from registries."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("anmin.api")),
    path("", include("anmin.core.urls")),
]

# Each Anmin app with pages mounts under its label, e.g. /disputes/.
for app in settings.ANMIN_APPS:
    label = app.rsplit(".", 1)[-1]
    urlpatterns.insert(-1, path(f"{label}/", include(f"{app}.urls")))
