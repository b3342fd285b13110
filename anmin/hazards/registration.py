"""What the hazards app registers at start-up: the railway-hazard case kind, KPIs, menus, API routes,
role grants and the demo builder."""


def register() -> None:
    from anmin.core import registry
    from anmin.workflow.registry import register_kind

    from . import api, demo, kpis, menus, report, workflows
    from .registries import ALL
    from .roles import grants

    register_kind(workflows.RAILWAY_HAZARD)
    kpis.register()
    menus.register()
    api.register_routes()
    for reg in ALL:
        reg.register_api()
    registry.role_grants.register("hazards", grants())
    registry.demo_builders.register("hazards", registry.DemoBuilder(
        "hazards", demo.build, order=61, describe="危险水域、溺水事故、铁路沿线隐患与酒驾醉驾查处"))
    report.register()
