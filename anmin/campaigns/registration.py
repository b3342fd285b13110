"""What the campaigns app registers at start-up: KPIs, role grants, criteria (reference data) and the
demo builder."""


def register() -> None:
    from anmin.core import registry

    from . import actions, demo, kpis, menus, pages  # noqa: F401 - pages: the record ledgers, by key
    from .registries import ALL
    from .roles import grants

    kpis.register()
    menus.register()
    for reg in ALL:
        reg.register_api()
    registry.role_grants.register("campaigns", grants())
    registry.demo_builders.register("campaigns", registry.DemoBuilder(
        "campaigns", demo.build, order=60, describe="平安创建命名、宣传活动、综治保险、心理服务与工作专报"))
    registry.reference_data.register("campaigns.criteria", registry.ReferenceData(
        "campaigns.criteria", actions.ensure_criteria, tables=("campaigns_criterion",)))
