from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "anmin.prevention"
    label = "prevention"
    verbose_name = _("治安防控")

    def ready(self) -> None:
        from anmin.core import registry as core_registry

        from . import api, coverage, demo, kpis, maps, menus, offline, workflows
        from .registries import ALL
        from .roles import grants

        workflows.CAMERA_REPAIRS.register()
        menus.register()
        for reg in ALL:
            reg.register_api()
        api.register_routes()
        offline.register()
        coverage.register()
        maps.register()
        kpis.register()
        core_registry.demo_builders.register(
            "prevention", core_registry.DemoBuilder("prevention", demo.build, order=50,
                                                    describe="视频监控、巡逻队、一村一警一顾问、警务活动"))
        core_registry.role_grants.register("prevention", grants())
