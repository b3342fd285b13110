"""Domain: the crackdown on organised crime (扫黑除恶)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrackdownConfig(AppConfig):
    name = "anmin.crackdown"
    label = "crackdown"
    verbose_name = _("扫黑除恶")

    def ready(self) -> None:
        import dataclasses

        from anmin.core import registry as core_registry
        from anmin.workflow.registry import register_kind

        # register_imports: the registers' Excel ledgers, found by key by a background import's worker
        from . import api, demo, kpis, menus, register_imports, workflows  # noqa: F401
        from .roles import DEMO_ACCOUNTS, ROLES, grants

        register_kind(workflows.CLUE)
        register_kind(workflows.NOTICE)
        register_kind(workflows.RECTIFICATION)
        for rdef in ROLES:
            core_registry.roles.register(rdef.code, rdef)
        for account in DEMO_ACCOUNTS:
            core_registry.demo_accounts.register(account.username, account)
        core_registry.role_grants.register("crackdown", grants())
        menus.register()
        kpis.register()
        api.register_routes()
        core_registry.demo_builders.register("crackdown", core_registry.DemoBuilder(
            "crackdown", demo.build, order=50, describe="扫黑除恶：线索、组织、三书一函、换届联审（2020年）",
            notes=(f"扫黑办举报密钥口令：{demo.DEMO_TIP_PASSPHRASE}（saohei 解锁网上举报时输入）",)))
        # The 扫黑办's home page shows the townships card the city office has.
        if "townships" in core_registry.widgets:
            card = core_registry.widgets.get("townships")
            core_registry.widgets.register("crackdown_townships", dataclasses.replace(
                card, key="crackdown_townships", roles=(workflows.CRACKDOWN,)))
