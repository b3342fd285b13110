from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "anmin.disputes"
    label = "disputes"
    verbose_name = _("矛盾纠纷排查调处")

    def ready(self) -> None:
        from anmin.core import registry as core_registry
        from anmin.workflow.registry import register_kind

        from . import api, demo, kpis, menus, widgets, workflows
        from .roles import grants

        register_kind(workflows.DISPUTE)
        menus.register()
        kpis.register()
        widgets.register()
        api.register_routes()
        core_registry.role_grants.register("disputes", grants())
        core_registry.demo_builders.register(
            "disputes",
            core_registry.DemoBuilder("disputes", demo.build, order=30, describe="调解组织、调解员与矛盾纠纷"),
        )
        # 调解协议书、笔录 … on a dispute: kept by the core attachment service, seen by whoever sees
        # the dispute, added by its handler (调解员) or the 综治中心.
        from .actions import may_attach_document
        from .models import DocumentCategory

        core_registry.attachment_owners.register("disputes.dispute", core_registry.AttachmentOwner(
            model="disputes.dispute", label=_("纠纷"), may_attach=may_attach_document,
            categories=tuple(DocumentCategory.choices),
        ))
