from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "anmin.analytics"
    label = "analytics"
    verbose_name = _("统计分析与报告")

    def ready(self) -> None:
        from anmin.core import registry as core_registry

        from . import bindings, cases, demo, layers, menus, widgets
        from .reports import annual, bulletin
        from .roles import grants

        cases.register()
        annual.register()
        bulletin.register()
        layers.register()
        menus.register()
        widgets.register()
        core_registry.role_grants.register("analytics", grants())
        # Region centres before the domains' steps (their registers are placed near their village).
        core_registry.demo_builders.register(
            "analytics.places", core_registry.DemoBuilder("analytics.places", demo.build_places, order=15,
                                                          describe="区划中心点（演示坐标）"))
        core_registry.demo_builders.register(
            "analytics", core_registry.DemoBuilder("analytics", demo.build, order=90,
                                                   describe="事件、纠纷的演示坐标"),
        )
        # Last: links and charts for the KPIs every other app registered before (ANMIN_APPS order).
        bindings.register()
