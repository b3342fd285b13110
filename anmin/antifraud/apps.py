"""Domain: 打防电信网络诈骗 — warning leads, fraud cases and frozen cards, the blacklist and public
check, mule-account detection."""

from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AntifraudConfig(AppConfig):
    name = "anmin.antifraud"
    label = "antifraud"
    verbose_name = _("打防电信网络诈骗")

    def ready(self) -> None:
        from anmin.core import registry as core_registry
        from anmin.workflow.registry import register_kind

        from . import api, demo, kpis, menus, workflows
        from .portal import FRAUD_CHECK

        core_registry.public_checks.register(FRAUD_CHECK.key, FRAUD_CHECK)  # the portal's 反诈查询
        from .roles import grants
        from .rules import ensure_default_grade_rules

        register_kind(workflows.LEAD)
        menus.register()
        kpis.register()
        api.register_routes()
        core_registry.role_grants.register("antifraud", grants())
        core_registry.code_files.register("antifraud", Path(__file__).parent / "data" / "codes.json")
        core_registry.reference_data.register("antifraud.grade_rules", core_registry.ReferenceData(
            "antifraud.grade_rules", ensure_default_grade_rules, tables=("antifraud_graderule",)))
        core_registry.demo_builders.register(
            "antifraud", core_registry.DemoBuilder("antifraud", demo.build, order=50,
                                                   describe="预警线索、电诈案件与涉案银行卡（2020年）"))
