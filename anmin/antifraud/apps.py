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

        # blacklist_pages: the 涉诈黑名单 ledger, by key (a background import's worker and ``anmin ledger``
        # find it through ``ledgers.all_ledgers()``, which imports no page)
        from . import api, blacklist_pages, demo, kpis, menus, workflows  # noqa: F401
        from .portal import FRAUD_CHECK

        core_registry.public_checks.register(FRAUD_CHECK.key, FRAUD_CHECK)  # the portal's 反诈查询
        from django.db.models.signals import post_delete, post_save

        from .models import GradeRule, RoutingRule
        from .roles import grants
        from .rules import bump_on_rule_change, ensure_default_grade_rules

        for model in (GradeRule, RoutingRule):
            for signal in (post_save, post_delete):
                signal.connect(bump_on_rule_change, sender=model, dispatch_uid=f"antifraud.rules.{model.__name__}")
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
