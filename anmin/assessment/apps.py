from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "anmin.assessment"
    label = "assessment"
    verbose_name = _("考核评估")

    def ready(self) -> None:
        from anmin.core import registry as core_registry

        from . import demo, indicators, kpis, menus
        from .roles import grants

        kpis.register()
        indicators.register()
        menus.register()
        core_registry.role_grants.register("assessment", grants())
        core_registry.demo_builders.register(
            "assessment", core_registry.DemoBuilder("assessment", demo.build, order=95,
                                                    describe="2019年度考核结果与上级表彰、2020年度考核方案"),
        )
