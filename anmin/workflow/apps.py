"""Shared layer: the case engine (Case, CaseEvent, workflows as data, time limits, supervision)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "anmin.workflow"
    label = "workflow"
    verbose_name = _("事项办理")

    def ready(self) -> None:
        from anmin.core import registry as core_registry
        from anmin.core.roles import BUSINESS_ROLES

        from . import api, menus, registry, workflows

        registry.register_kind(workflows.TASK)
        menus.register()
        core_registry.role_grants.register("workflow", grants(BUSINESS_ROLES))
        api.register_routes()
        from .tasks import sweep_task

        core_registry.periodic_tasks.register(
            "workflow.sweep", core_registry.PeriodicTask("workflow.sweep", sweep_task, "预警/督办巡检")
        )


def grants(business_roles: tuple[str, ...]):
    from anmin.core.models import Role
    from anmin.core.registry import RoleGrants

    view = ("workflow.view_case", "workflow.view_supervision")
    out = dict.fromkeys(business_roles, view)
    for code in (Role.CITY_OFFICE, Role.TOWNSHIP_CENTER):
        out[code] = (*view, "workflow.add_case", "workflow.add_supervision")
    out[Role.SYSADMIN] = ("workflow.view_holiday", "workflow.add_holiday", "workflow.change_holiday",
                          "workflow.delete_holiday")
    return RoleGrants("workflow", out)
