"""Base views: every page that shows business data fetches it only through ``visible_to``.

``ScopedMixin`` is the marker the authorization-matrix test looks for: a URL whose view is neither
scoped nor listed as exempt fails the suite.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from .. import audit
from ..formkit import filter_polish
from ..forms import quicken_selects
from ..tables import Table


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


class LedgerPaginator(Paginator):
    """Exact totals up to ``exact_limit`` rows; above that, PostgreSQL's own estimate (shown as "约").

    Counting every visible row exactly reads one heap page per row scattered over the table: at a
    million cases that is hundreds of milliseconds for a city user on every page view, for a figure
    nobody needs to the last row. Counting to 1,001 and asking the planner beyond keeps a page fast.
    """

    exact_limit = 1000
    # A page never trusts the estimate for its own rows: it reads one row more than it shows, so a
    # stale or low estimate cannot cut a page short (grid/tests/test_pages.py plants one).
    estimate_beyond_limit = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.exact = True

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if connection.vendor != "postgresql" or not self.estimate_beyond_limit:
            return qs.count()
        n = qs.order_by()[: self.exact_limit + 1].count()
        if n <= self.exact_limit:
            return n
        self.exact = False
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(n, int(plan[0]["Plan"]["Plan Rows"]))

    # With an estimate, a page is never cut short by the count, and whether there is a next page is
    # known from the rows themselves; the estimate is corrected by what a page shows.
    def validate_number(self, number):
        self.count  # noqa: B018 - decides whether the count is exact
        if self.exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("page number is not an integer") from exc
        if number < 1:
            raise EmptyPage("page number is less than 1")
        return number

    def get_page(self, number):
        try:
            return super().get_page(number)
        except EmptyPage:  # past the end of an estimated count
            return self.page(1)

    def page(self, number):
        number = self.validate_number(number)
        if self.exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page + 1])
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not rows and number > 1:
            raise EmptyPage("that page contains no results")
        seen = bottom + len(rows)
        if more:
            self.count = max(self.count, seen + 1)
        else:
            self.count, self.exact = seen, True  # the last page: now the total is known exactly
        self.__dict__.pop("num_pages", None)
        return self._get_page(rows, number, self)


class LedgerView(ScopedMixin, TemplateView):
    """A 台账 page: filter bar, table, pagination and an Excel export of the same filtered rows.

    Every export is written to the audit log (who, what, how many rows, which filters).
    """

    template_name = "anmin/ledger.html"
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

    def filtered(self) -> tuple[QuerySet, Any]:
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            filter_polish(filterset.form)
            quicken_selects(filterset.form)
            qs = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
        return qs, filterset

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export_response(self, qs: QuerySet):
        """The .xlsx of the filtered rows; a ledger that can be re-imported overrides this."""
        table_class = self.export_table_class or self.table_class
        return table_class(qs).to_xlsx(title=self.title, filename=self.export_name or self.title)

    def export(self):
        qs, _ = self.filtered()
        response = self.export_response(qs)
        filters = {k: v for k, v in self.request.GET.items() if k not in ("export", "page")}
        with transaction.atomic():
            audit.record_export(
                actor=self.request.user,
                object_type=self.model._meta.label_lower,
                rows=qs.count(),
                filters=filters,
                request=self.request,
            )
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs, filterset = self.filtered()
        paginator = LedgerPaginator(qs, self.page_size())
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            title=self.title,
            filterset=filterset,
            page_obj=page,
            table=self.table_class(page.object_list),
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
