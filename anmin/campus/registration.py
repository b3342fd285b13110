"""What the campus app registers at start-up: KPIs, menus, API routes, role grants and the demo builder."""


def register() -> None:
    from . import kpis

    kpis.register()
    from anmin.core import registry

    from .roles import grants

    registry.role_grants.register("campus", grants())
    from . import demo

    registry.demo_builders.register("campus", registry.DemoBuilder(
        "campus", demo.build, order=62, describe="学校(幼儿园)、五个100%、护学岗与校园周边案事件"))
