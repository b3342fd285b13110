"""What the hazards app registers at start-up: the railway-hazard case kind, KPIs, menus, API routes,
role grants and the demo builder (the kit's ``CaseDomain``), the registries' API, the map layer and the report
paragraph."""


def register() -> None:
    from anmin.core.registry import DemoBuilder
    from anmin.workflow.kit.domain import CaseDomain

    from . import api, demo, kpis, maps, menus, pages, report, workflows  # noqa: F401 - pages: the record ledgers, by key
    from .registries import ALL
    from .roles import GRANTS

    CaseDomain(
        "hazards",
        kinds=(workflows.RAILWAY_HAZARD,),
        kpis=kpis.register,
        menu=menus.ITEMS,
        api_routes=api.ROUTES,
        grants=GRANTS,
        demo=DemoBuilder("hazards", demo.build, order=61, describe="危险水域、溺水事故、铁路沿线隐患与酒驾醉驾查处"),
    ).register()
    for reg in ALL:
        reg.register_api()
    maps.register()
    report.register()
