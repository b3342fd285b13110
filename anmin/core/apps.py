from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "anmin.core"
    label = "core"
    verbose_name = _("基础平台")

    def ready(self) -> None:
        from . import api, demo, logins, menus, registry, roles, widgets  # noqa: F401  (menus, widgets fill registries)

        logins.connect_signals()
        registry.role_grants.register("core", roles.core_grants())
        api.register_routes()
        demo.register()
        from .tasks import purge_idempotency_keys_task

        registry.periodic_tasks.register(
            "core.idempotency_purge",
            registry.PeriodicTask("core.idempotency_purge", purge_idempotency_keys_task, "清理过期的幂等键"),
        )
