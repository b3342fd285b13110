"""Domain: grid events (网格事件)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "anmin.grid"
    label = "grid"
    verbose_name = _("网格事件")

    def ready(self) -> None:
        from anmin.core import registry as core_registry
        from anmin.workflow.registry import register_kind

        from . import api, demo, kpis, menus, workflows
        from .categories import CATEGORIES_FILE
        from .roles import grants

        register_kind(workflows.GRID_EVENT)
        menus.register()
        from . import offline

        offline.register()
        kpis.register()
        api.register_routes()
        core_registry.role_grants.register("grid", grants())
        core_registry.demo_builders.register(
            "grid", core_registry.DemoBuilder("grid", demo.build, order=40, describe="网格事件（2020年）")
        )
        # The category table is reference data every installation needs (loaded with the code tables).
        core_registry.code_files.register("grid", CATEGORIES_FILE)
        # One tap from another domain's page (a patrol's finding) reports a grid event through here.
        from anmin.workflow.registry import EventReporter, event_reporters

        from .actions import ADD_PERM, report_event

        event_reporters.register("grid", EventReporter("grid", "网格事件", report_event, perm=ADD_PERM))
