from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "anmin.disputes"
    label = "disputes"
    verbose_name = _("矛盾纠纷排查调处")

    def ready(self) -> None:
        from anmin.core import registry as core_registry
        from anmin.core.demo import DEMO_TOWNSHIP
        from anmin.workflow.registry import register_kind

        from . import api, demo, kpis, menus, widgets, workflows
        from .roles import MEDIATOR, ROLES, grants

        register_kind(workflows.DISPUTE)
        from .documents import register_documents

        register_documents()
        menus.register()
        from . import offline

        offline.register()
        kpis.register()
        widgets.register()
        api.register_routes()
        for rdef in ROLES:
            core_registry.roles.register(rdef.code, rdef)
        core_registry.demo_accounts.register("tiaojie", core_registry.DemoAccount(
            "tiaojie", "古城镇调委会 调解员 刘芳", MEDIATOR, f"mediation-{DEMO_TOWNSHIP}", 70))
        core_registry.role_grants.register("disputes", grants())
        core_registry.demo_builders.register(
            "disputes",
            core_registry.DemoBuilder("disputes", demo.build, order=30, describe="调解组织、调解员与矛盾纠纷"),
        )
        # 调解协议书、笔录 … on a dispute: kept by the core attachment service, seen by whoever sees
        # the dispute, added by its handler (调解员) or the 综治中心.
        from anmin.people.risk import RiskSignal, SignalSubscriber, risk_signals, signal_subscribers

        from .actions import ensure_default_risk_flags, may_attach_document, refresh_party_signals
        from .actions.risk import repeat_dispute_holders
        from .models import DocumentCategory

        core_registry.attachment_owners.register("disputes.dispute", core_registry.AttachmentOwner(
            model="disputes.dispute", label=_("纠纷"), may_attach=may_attach_document,
            categories=tuple(DocumentCategory.choices),
        ))
        core_registry.code_files.register("disputes", Path(__file__).parent / "data" / "codes.json")
        core_registry.reference_data.register("disputes.risk_flags", core_registry.ReferenceData(
            "disputes.risk_flags", ensure_default_risk_flags, tables=("disputes_riskflag",)))
        # One registry warns another: a party's risk signals in the person register raise the colour.
        risk_signals.register("repeat_disputes", RiskSignal("repeat_disputes", "一年内多次涉矛盾纠纷",
                                                            repeat_dispute_holders, app="disputes"))
        # Every signal: which one raises which factor is data (``RiskFlag.signal``), editable.
        signal_subscribers.register("disputes", SignalSubscriber("disputes", ("*",), refresh_party_signals))
