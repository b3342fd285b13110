"""What the campus app registers at start-up: KPIs, map layers, report paragraph, role grants and the demo
builder."""


def register() -> None:
    from anmin.core import registry

    from . import coverage, demo, kpis, maps, menus, pages, report  # noqa: F401 - pages: the record ledgers, by key
    from .registries import ALL
    from .roles import grants

    coverage.register()
    maps.register()
    kpis.register()
    menus.register()
    for reg in ALL:
        reg.register_api()
    report.register()
    registry.role_grants.register("campus", grants())
    registry.demo_builders.register("campus", registry.DemoBuilder(
        "campus", demo.build, order=62, describe="学校(幼儿园)、五个100%、护学岗与校园周边案事件"))
