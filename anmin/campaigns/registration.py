"""What the campaigns app registers at start-up: KPIs, menus, API routes, role grants and the demo builder."""


def register() -> None:
    from . import kpis

    kpis.register()
    from anmin.core import registry

    from .roles import grants

    registry.role_grants.register("campaigns", grants())
