"""Shared layer: the shared identity — residents, houses, special populations (实有人口 · 特殊人群 ·
重点青少年) — and the risk-signal registry other registries publish to (care: severe mental disorders)."""

from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "anmin.people"
    label = "people"
    verbose_name = _("人口与重点人群")

    def ready(self) -> None:
        from anmin.core import registry

        from . import api, demo, kpis, menus, roles

        registry.menu_sections.register("people", registry.MenuSection("people", _("人口与重点人群"), 30))
        registry.code_files.register("people", Path(__file__).parent / "data" / "codes.json")
        menus.register()
        from . import offline

        offline.register()
        kpis.register()
        api.register_routes()
        registry.role_grants.register("people", roles.grants())
        registry.demo_builders.register(
            "people",
            registry.DemoBuilder(
                "people", demo.build, order=20, describe="实有人口、房屋与特殊人群"
            ),
        )
