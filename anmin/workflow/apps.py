"""Shared layer: the case engine (Case, CaseEvent, workflows as data, time limits, supervision)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "anmin.workflow"
    label = "workflow"
    verbose_name = _("事项办理")

    def ready(self) -> None:
        from anmin.core import registry as core_registry

        from . import api, menus, registry, workflows

        registry.register_kind(workflows.TASK)
        from django.db.models.signals import m2m_changed

        from .models import Case, co_orgs_changed

        m2m_changed.connect(co_orgs_changed, sender=Case.co_orgs.through, dispatch_uid="anmin.workflow.co_orgs")
        from .documents import register_documents

        register_documents()
        core_registry.audit_step_labels.register("workflow", registry.step_label)
        menus.register()
        from . import offline

        offline.register()
        core_registry.role_grants.register("workflow", grants())
        from .holidays import ensure_holidays

        core_registry.reference_data.register("workflow.holidays", core_registry.ReferenceData(
            "workflow.holidays", ensure_holidays, tables=("workflow_holiday",)))
        api.register_routes()
        from .tasks import partitions_task, sweep_task

        core_registry.periodic_tasks.register(
            "workflow.sweep", core_registry.PeriodicTask("workflow.sweep", sweep_task, "预警/督办巡检")
        )
        core_registry.periodic_tasks.register(
            "workflow.partitions",
            core_registry.PeriodicTask("workflow.partitions", partitions_task, "按年分区维护（新建下一年分区）"),
        )

    def after_committed_test(self) -> None:
        """Test support, called by the root conftest after a test that committed: Django's flush
        empties the tables but keeps the case-number sequences, so drop them (numbers start at 1
        again) and forget that they existed."""
        from django.db import connection

        from . import actions

        actions._known_sequences.clear()
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE 'workflow_caseno_%%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP SEQUENCE IF EXISTS "{name}"')


def grants():
    from anmin.core.models import Role
    from anmin.core.registry import BUSINESS, RoleGrants

    view = ("workflow.view_case", "workflow.view_supervision")
    out = {BUSINESS: view}
    for code in (Role.CITY_OFFICE, Role.TOWNSHIP_CENTER):
        out[code] = (*view, "workflow.add_case", "workflow.add_supervision")
    out[Role.SYSADMIN] = ("workflow.view_holiday", "workflow.add_holiday", "workflow.change_holiday",
                          "workflow.delete_holiday")
    return RoleGrants("workflow", out)
