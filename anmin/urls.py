"""Top-level URLs. Apps contribute their own ``urls.py``; the API router is built from registries."""

from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from anmin.core.api import json_error_view


class FaviconView(RedirectView):
    """The icon's hashed name is known only once static files are collected: resolve it per request."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("anmin/favicon.svg")


urlpatterns = [
    # Browsers ask for /favicon.ico before they read the page's icon link.
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("anmin.api")),
    path("", include("anmin.core.urls")),
]

# Each Anmin app with pages mounts under its label, e.g. /disputes/.
for app in settings.ANMIN_APPS:
    label = app.rsplit(".", 1)[-1]
    urlpatterns.insert(-1, path(f"{label}/", include(f"{app}.urls")))

# Errors outside the API's views (an unknown /api/ URL, a body over the upload limit, a crash in a
# middleware) answer JSON under /api/ too, in the one error shape.
handler400 = json_error_view(400, "bad_request", "请求无效（格式错误或请求体过大）")
handler403 = json_error_view(403, "forbidden", "您没有执行此操作的权限")
handler404 = json_error_view(404, "not_found", "记录不存在或不在您的辖区内")
handler500 = json_error_view(500, "server_error", "服务器内部错误，已记录，请稍后重试或联系管理员")
