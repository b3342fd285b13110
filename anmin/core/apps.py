from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _reference_data(sender, using="default", **kwargs) -> None:
    """After every migrate (and every test flush): the reference data apps registered."""
    from .registry import load_reference_data

    load_reference_data(using)


class CoreConfig(AppConfig):
    name = "anmin.core"
    label = "core"
    verbose_name = _("基础平台")

    def after_committed_test(self) -> None:
        """Test support, called by the root conftest after a test that committed: Django's flush
        emptied the roles the run synced once (``anmin/conftest.py``); sync them again, so that the
        next tests' worlds find them in place."""
        from .roles import sync_roles

        sync_roles()

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # menus and widgets fill registries; lookups registers the integer columns' __in
        from . import api, demo, kpis, logins, lookups, menus, registry, roles, widgets  # noqa: F401

        post_migrate.connect(_reference_data, sender=self, dispatch_uid="anmin.core.reference_data")
        logins.connect_signals()
        roles.register_foundation_roles()
        from .schema import name_colliding_enums

        name_colliding_enums()
        from .codes import load_code_tables

        registry.reference_data.register("core.codes", registry.ReferenceData("core.codes", load_code_tables))
        from . import tokens

        tokens.connect_signals()
        from . import bounds

        bounds.connect_signals()
        registry.role_grants.register("core", roles.core_grants())
        api.register_routes()
        demo.register()
        kpis.register()
        from .tasks import audit_anchor_task, deliver_notices_task, purge_idempotency_keys_task

        registry.periodic_tasks.register(
            "core.notices", registry.PeriodicTask("core.notices", deliver_notices_task, "推送站内消息"))

        registry.periodic_tasks.register(
            "core.idempotency_purge",
            registry.PeriodicTask("core.idempotency_purge", purge_idempotency_keys_task, "清理过期的幂等键"),
        )
        registry.periodic_tasks.register(
            "core.audit_anchor",
            registry.PeriodicTask("core.audit_anchor", audit_anchor_task, "审计链每日锚点（库外留存）"),
        )
        from . import (
            deploy_checks,  # noqa: F401  (registers the check --deploy warnings)
            principal,
            scopecache,
        )

        scopecache.connect_signals()  # every app's models are loaded by now
        from . import choicelabels, pgtimestamps

        choicelabels.install()
        pgtimestamps.connect_signals()
        principal.connect_signals()
        from . import codes

        codes.connect_signals()
