"""Base views: every page that shows business data fetches it only through ``visible_to``.

``ScopedMixin`` is the marker the authorization-matrix test looks for: a URL whose view is neither
scoped nor listed as exempt fails the suite.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from .. import audit, filterbar, references, scopecache
from ..paging import LedgerPaginator
from ..tables import Table


class InvalidFormIs400:
    """A form view whose refused submission answers 400 with the form and its errors (Django's
    ``FormView`` answers 200): the same status as every other page of the platform that refuses
    what was sent, for a phone's offline queue, a proxy's log and a test alike."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ScopedMixin:
    """Fetch objects of ``model`` only through ``model.objects.visible_to(request.user)``.

    ``required_perm``: a page that only holders of this permission may open; for anyone else it
    does not exist (404, like an out-of-scope object), list pages included.
    """

    model: ClassVar[type[Model]]
    scope_action: ClassVar[str] = "view"
    scoped: ClassVar[bool] = True
    required_perm: ClassVar[str | None] = None

    def dispatch(self, request, *args, **kwargs):
        if self.required_perm and not request.user.has_perm(self.required_perm):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        if getattr(self, "model", None) is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model")
        return self.model.objects.visible_to(self.request.user, self.scope_action)


class LedgerView(ScopedMixin, TemplateView):
    """A 台账 page: filter bar, table, pagination and an Excel export of the same filtered rows.

    Every export is written to the audit log (who, what, how many rows, which filters).
    """

    template_name = "anmin/ledger.html"
    replica_reads: ClassVar[bool] = True  # GET/HEAD may read from a replica (core/dbrouting.py)
    filterset_class: ClassVar[Any] = None
    table_class: ClassVar[type[Table]]
    export_table_class: ClassVar[type[Table] | None] = None  # default: table_class
    title: ClassVar[str] = ""
    export_name: ClassVar[str] = ""
    paginate_by: ClassVar[int] = 50
    max_page_size: ClassVar[int] = 500

    def page_size(self) -> int:
        """``?per_page=`` lets a user (or a test) see more rows at once, up to ``max_page_size``."""
        try:
            wanted = int(self.request.GET.get("per_page", self.paginate_by))
        except ValueError:
            return self.paginate_by
        return max(10, min(wanted, self.max_page_size))

    create_url: ClassVar[str | None] = None
    # Regions and org units the rows show, set from this process's tables (``core.references``)
    # instead of joined: ``get_queryset`` leaves them out when ``for_page`` (the page's 50 rows),
    # and joins them for an export or anything else that walks every row.
    references: ClassVar[tuple[str, ...]] = ()
    for_page: bool = False

    def prepare_rows(self, rows) -> Any:
        """The page's rows as the table shows them (a view may label them in bulk first)."""
        return references.attach(rows, *self.references) if self.references else rows

    def row_class(self, obj) -> str:
        """The class of a row's ``<tr>`` (e.g. its time-limit state, for the colour)."""
        return ""

    def filtered(self) -> tuple[QuerySet, Any]:
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            qs = filterset.qs if filterset.is_bound and filterbar.valid(filterset) else qs
        return qs, filterset

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        if request.GET.get("export_job"):
            return self.export_job(request.GET["export_job"])
        return super().get(request, *args, **kwargs)

    def write_export(self, out, qs: QuerySet, *, progress=None, reveal: bool = False) -> int:
        """Write the export of ``qs`` to the file ``out`` (a background export); a page whose export
        is a ledger's writes that (``LedgerImportMixin``). A page's table masks protected values
        whatever ``reveal`` says: only a ledger's export writes them in full."""
        table_class = self.export_table_class or self.table_class
        return table_class(qs).write_xlsx(out, title=self.title, progress=progress)

    def export_job(self, token: str):
        """A background export's progress (reloading itself) and, once written, its file."""
        from django.shortcuts import render

        from ..ledgers import export_jobs, xlsx_response
        from ..ledgers.store import UploadStore

        meta = export_jobs.state(token, user_id=self.request.user.pk, path=self.request.path)
        if meta is None:
            raise Http404
        job = meta.get("job") or {}
        if self.request.GET.get("download") and job.get("state") == "done":
            upload = UploadStore().get(token, user_id=self.request.user.pk,
                                       ledger_key=export_jobs.key_for(self.request.path))
            return xlsx_response(upload.data, meta["filename"].removesuffix(".xlsx"))
        percent = int(100 * job.get("done", 0) / job["total"]) if job.get("total") else 0
        return render(self.request, "anmin/export_job.html", {
            "title": self.title, "job": job, "token": token, "percent": percent, "back_url": self.request.path})

    def export_response(self, qs: QuerySet):
        """The .xlsx of the filtered rows; a ledger that can be re-imported overrides this."""
        table_class = self.export_table_class or self.table_class
        return table_class(qs).to_xlsx(title=self.title, filename=self.export_name or self.title)

    def export(self):
        from ..ledgers import export_jobs

        qs, _ = self.filtered()
        filters = {k: v for k, v in self.request.GET.items() if k not in ("export", "page")}
        rows = qs.count()
        background = rows > export_jobs.threshold()
        response = None if background else self.export_response(qs)
        with transaction.atomic():
            audit.record_export(
                actor=self.request.user,
                object_type=self.model._meta.label_lower,
                rows=rows,
                filters=filters,
                request=self.request,
            )
        if background:
            return self.export_in_background(filters, rows, str(self.export_name or self.title))
        return response

    def export_in_background(self, filters: dict, rows: int, filename: str, *, reveal_perm: str = ""):
        """Queue the export of the page's ``filters`` for the worker and send the user to its progress
        (``core.ledgers.export_jobs``; ``reveal_perm``: full numbers, the permission checked again)."""
        from django.http import HttpResponseRedirect

        from ..ledgers import export_jobs

        token = export_jobs.start(user=self.request.user, path=self.request.path,
                                  query={k: self.request.GET.getlist(k) for k in filters},
                                  filename=filename, total=rows, reveal_perm=reveal_perm)
        return HttpResponseRedirect(f"{self.request.path}?export_job={token}")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        self.for_page = True
        qs, filterset = self.filtered()
        user = self.request.user
        paginator = LedgerPaginator(qs, self.page_size(),
                                    remember=lambda name, compute: scopecache.cached(name, user, compute))
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        table = self.table_class(self.prepare_rows(page.object_list))
        ctx.update(
            title=self.title,
            filterset=filterset,
            filtered=filterbar.is_filtered(filterset, self.request.GET),
            filter_fields=filterbar.fields_html(filterset, self.request) if filterset is not None else "",
            page_obj=page,
            table=table,
            rows_html=table.rows_html(self.row_class),
            total=paginator.count if paginator.exact else _("约 %(n)s") % {"n": paginator.count},
            querystring=query.urlencode(),
            create_url=self.create_url,
        )
        return ctx


class DetailPage(ScopedMixin, DetailView):
    """A detail page with tabs; out-of-scope objects are 404 because the queryset is scoped."""

    template_name = "anmin/detail.html"
    tabs: ClassVar[tuple[tuple[str, str], ...]] = ()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tabs"] = self.tabs
        ctx["active_tab"] = self.request.GET.get("tab") or (self.tabs[0][0] if self.tabs else "")
        return ctx
