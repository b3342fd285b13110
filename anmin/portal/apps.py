"""The public portal (公众服务): pages without a login for the public — the anonymous tip line (举报),
citizen reports in the Open311 GeoReport v2 style, and a fraud check."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "anmin.portal"
    label = "portal"
    verbose_name = _("公众服务")

    def ready(self) -> None:
        from anmin.core import registry as core_registry
        from anmin.core.models import Role

        from . import checks  # noqa: F401 (registers the deploy check of the zoned CSRF middleware)

        # The system administrator lists and revokes partner apps' Open311 keys in the admin.
        core_registry.role_grants.register("portal", core_registry.RoleGrants("portal", {
            Role.SYSADMIN: ("portal.view_open311key", "portal.change_open311key")}))
