"""Pages of the grid domain on the kit: the ledger (台账), an event with its photos and timeline, the
phone-width report form, and the scoped photo view (the only way a stored photo leaves the server).
The steps of an event (受理, 交办, 反馈, 核查 …) are the case engine's pages (``workflow:case_act``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.ledgers import LedgerImportMixin
from anmin.core.views.attachments import photo_view
from anmin.workflow.kit.views import CaseDetailPage, CaseLedgerView, CaseReportView

from . import actions
from .filters import GridEventFilter
from .forms import EventReportForm
from .importers import GridEventLedger
from .models import EventPhoto, GridEvent
from .tables import GridEventTable


class GridEventLedgerView(LedgerImportMixin, CaseLedgerView):
    """网格事件台账: filters (township, village, category, status, time limit, source, date), Excel export
    in the import's own columns, Excel import (?import=1). The page counts with ``LedgerPaginator``
    (exact to 1,000, estimated beyond); the export exactly."""

    model = GridEvent
    ledger_class = GridEventLedger
    import_permission = actions.ADD_PERM
    filterset_class = GridEventFilter
    table_class = GridEventTable
    title = _("网格事件台账")
    export_name = "网格事件台账"
    create_perm = actions.ADD_PERM


class GridEventDetailView(CaseDetailPage):
    model = GridEvent
    template_name = "grid/event_detail.html"
    ledger_url_name, ledger_title = "grid:event_list", _("网格事件台账")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "photos": self.object.photos.order_by("pk")}


class GridEventReportView(CaseReportView):
    """上报网格事件 (phone width): the place is the reporter's own grid (a grid worker) or inside their
    jurisdiction (a centre). A retried post (same idempotency key) creates one event."""

    template_name = "grid/event_report.html"
    form_class = EventReportForm
    scoped_create = actions.ADD_PERM
    title = _("上报网格事件")
    ledger_url_name = "grid:event_list"
    success_message = _("已上报网格事件 %(number)s")
    form_name = "grid-report"
    offline_api = "gridevent-list"  # the API create, with the phone's Idempotency-Key

    def report(self, data):  # the form's fields are the action's arguments
        return actions.report_event(actor=self.request.user, **data)


# A stored photo, to whoever may see its event (out of scope: 404).
EventPhotoView = photo_view(EventPhoto)
