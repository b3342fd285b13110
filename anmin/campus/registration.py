"""What the campus app registers at start-up: KPIs, report paragraph, role grants and the demo builder."""


def register() -> None:
    from anmin.core import registry

    from . import demo, kpis, report
    from .roles import grants

    kpis.register()
    report.register()
    registry.role_grants.register("campus", grants())
    registry.demo_builders.register("campus", registry.DemoBuilder(
        "campus", demo.build, order=62, describe="学校(幼儿园)、五个100%、护学岗与校园周边案事件"))
