"""The REST API under /api/v1/: a router built from what each app registered, plus the schema."""

from __future__ import annotations

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from anmin.core import registry
from anmin.core.api import MeView, TokenView


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for route in registry.api_routes:
        router.register(route.prefix, route.viewset, basename=route.basename)
    return router


urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("v1/me/", MeView.as_view(), name="api-me"),
    path("v1/", include(build_router().urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, so the strict CSP holds for
    # scripts; Swagger UI itself sets inline styles, which this one page allows.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
