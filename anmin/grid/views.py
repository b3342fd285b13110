"""Pages of the grid domain: the ledger (台账), an event with its photos and timeline, the phone-width
report form, and the scoped photo view (the only way a stored photo leaves the server).

Every page reads through ``visible_to``; every write calls ``actions``; the steps of an event
(受理, 交办, 反馈, 核查 …) are the case engine's pages (``workflow:case_act``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView

from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.views.base import DetailPage, LedgerView, ScopedMixin
from anmin.workflow.rules import available_actions

from . import actions
from .filters import GridEventFilter
from .forms import EventReportForm
from .models import EventPhoto, GridEvent
from .tables import GridEventTable, rows_html

EVENT_RELATED = ("case", "case__region__parent__parent", "case__handling_org", "case__center_org", "case__reporter",
                 "case__handler")
# The ledger joins only the case and its region; the rest comes by primary key in small queries. A
# ten-table join costs PostgreSQL more to plan (~25 ms) than to run (~4 ms) on every page view.
LEDGER_JOINED = ("case", "case__region")
LEDGER_PREFETCHED = ("case__region__parent__parent", "case__handling_org", "case__center_org", "case__reporter")


def apply_errors(form, exc: ValidationError) -> None:
    """Put an action's field errors on the form fields they name (the rest on the form)."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for name, errors in items:
        target = name if name in form.fields else None
        for message in errors:
            form.add_error(target, message)


class GridEventLedgerView(LedgerView):
    """网格事件台账: filters (township, village, category, status, time limit, source, date), Excel export.

    The page counts with ``LedgerPaginator`` (exact to 1,000, estimated beyond); the export counts exactly.
    """

    model = GridEvent
    template_name = "grid/event_ledger.html"
    filterset_class = GridEventFilter
    table_class = GridEventTable
    title = _("网格事件台账")
    export_name = "网格事件台账"

    def get_queryset(self):
        return (super().get_queryset().select_related(*LEDGER_JOINED).prefetch_related(*LEDGER_PREFETCHED)
                .order_by("-case__opened_at", "-case_id"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows_html"] = rows_html(ctx["table"])
        ctx["create_url"] = "report/" if self.request.user.has_perm(actions.ADD_PERM) else None
        return ctx


class GridEventDetailView(DetailPage):
    model = GridEvent
    template_name = "grid/event_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related(*EVENT_RELATED)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event, user = self.object, self.request.user
        case = event.case
        ctx["case"] = case
        ctx["timeline"] = case.events.select_related("actor").order_by("seq")
        ctx["case_actions"] = available_actions(case, user)
        ctx["photos"] = event.photos.order_by("pk")
        return ctx


class GridEventReportView(IdempotentFormMixin, FormView):
    """上报网格事件 (phone width). Needs the add permission; the place must be the reporter's own grid
    (a grid worker) or inside their jurisdiction (a centre). A retried post (same idempotency key)
    creates one event."""

    template_name = "grid/event_report.html"
    form_class = EventReportForm
    scoped_create = actions.ADD_PERM

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(actions.ADD_PERM):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            event = actions.report_event(
                actor=self.request.user, region=data["region"], category=data["category"],
                description=data["description"], title=data["title"], address=data["address"],
                latitude=data["latitude"], longitude=data["longitude"], priority=data["priority"],
                source=data["source"], resident_name=data["resident_name"], resident_phone=data["resident_phone"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            raise Http404 from exc
        messages.success(self.request, _("已上报网格事件 %(number)s") % {"number": event.case.number})
        return HttpResponseRedirect(event.get_absolute_url())


class EventPhotoView(ScopedMixin, DetailView):
    """A stored photo, to whoever may see its event (out of scope: 404). Never cached by shared caches."""

    model = EventPhoto

    def get(self, request, *args, **kwargs):
        return photo_response(self.get_object())


def photo_response(photo: EventPhoto) -> FileResponse:
    """The stored file of a photo the caller may see (pages and API alike), through the attachment
    service's response: the stored type, ``nosniff``, private caching only; a missing file is 404."""
    from anmin.core.attachments.responses import file_response

    return file_response(photo.file, content_type=photo.content_type, filename=f"photo-{photo.pk}.jpg", inline=True,
                         cache="private, max-age=3600")
