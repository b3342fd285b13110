"""What the hazards app registers at start-up: the railway-hazard case kind, KPIs, menus, API routes,
role grants and the demo builder."""


def register() -> None:
    from anmin.workflow.registry import register_kind

    from . import kpis, workflows

    register_kind(workflows.RAILWAY_HAZARD)
    kpis.register()
    from anmin.core import registry

    from .roles import grants

    registry.role_grants.register("hazards", grants())
