"""Domain: grid events (网格事件)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "anmin.grid"
    label = "grid"
    verbose_name = _("网格事件")

    def ready(self) -> None:
        from anmin.core.models import Role
        from anmin.core.offline import OfflinePage
        from anmin.core.registry import DemoBuilder, MenuItem
        from anmin.workflow.kit.domain import CaseDomain
        from anmin.workflow.registry import EventReporter

        from . import api, demo, kpis, workflows
        from .actions import ADD_PERM, VIEW_PERM, report_event
        from .categories import CATEGORIES_FILE

        view, report = (VIEW_PERM,), (VIEW_PERM, ADD_PERM)
        CaseDomain(
            "grid",
            kinds=(workflows.GRID_EVENT,),
            menu=(MenuItem("grid_report", "work", _("上报网格事件"), "grid:event_report", ADD_PERM, 20, "＋"),
                  MenuItem("grid_events", "cases", _("网格事件台账"), "grid:event_list", VIEW_PERM, 15, "◎")),
            quick_actions=(MenuItem("grid_report", "quick", _("上报事件"), "grid:event_report", ADD_PERM, 10,
                                    "circle-plus"),),
            # Where a role sees events is its scope: a grid worker its own grids, a centre its
            # jurisdiction, a department handler (scope "assigned") only what is handed to its unit or them.
            grants={Role.CITY_OFFICE: report, Role.TOWNSHIP_CENTER: report, Role.VILLAGE_CENTER: report,
                    Role.GRID_WORKER: report, Role.POLICE: view, Role.DEPT_HANDLER: view, "mediator": view,
                    Role.LEADER: view},
            api_routes=api.ROUTES,
            # The report form works with no network (docs/offline.md): the phone keeps the page (code tables
            # and the worker's own grids, no personal data) and sends a report kept offline to the API.
            offline_pages=(OfflinePage("grid_report", "grid:event_report", ADD_PERM),),
            # The category table is reference data every installation needs (loaded with the code tables).
            code_file=CATEGORIES_FILE,
            kpis=kpis.register,
            demo=DemoBuilder("grid", demo.build, order=40, describe="网格事件（2020年）"),
            # One tap from another domain's page (a patrol's finding) reports a grid event through here.
            reporter=EventReporter("grid", "网格事件", report_event, perm=ADD_PERM),
        ).register()
