from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "anmin.prevention"
    label = "prevention"
    verbose_name = _("治安防控")

    def ready(self) -> None:
        from anmin.core import registry as core_registry

        from . import coverage, menus
        from .registries import ALL
        from .roles import grants

        menus.register()
        for reg in ALL:
            reg.register_api()
        coverage.register()
        core_registry.role_grants.register("prevention", grants())
