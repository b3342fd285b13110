"""Base views: every page that shows business data fetches it only through ``visible_to``.

``ScopedMixin`` is the marker the authorization-matrix test looks for: a URL whose view is neither
scoped nor listed as exempt fails the suite.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.views.generic import DetailView, TemplateView

from ..tables import Table


class ScopedMixin:
    """Fetch objects of ``model`` only through ``model.objects.visible_to(request.user)``."""

    model: ClassVar[type[Model]]
    scope_action: ClassVar[str] = "view"
    scoped: ClassVar[bool] = True

    def get_queryset(self) -> QuerySet:
        if getattr(self, "model", None) is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model")
        return self.model.objects.visible_to(self.request.user, self.scope_action)


class LedgerView(ScopedMixin, TemplateView):
    """A 台账 page: filter bar, table, pagination and an Excel export of the same filtered rows."""

    template_name = "anmin/ledger.html"
    filterset_class: ClassVar[Any] = None
    table_class: ClassVar[type[Table]]
    title: ClassVar[str] = ""
    export_name: ClassVar[str] = ""
    paginate_by: ClassVar[int] = 50
    create_url: ClassVar[str | None] = None

    def filtered(self) -> tuple[QuerySet, Any]:
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            qs = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
        return qs, filterset

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            qs, _ = self.filtered()
            return self.table_class(qs).to_xlsx(title=self.title, filename=self.export_name or self.title)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs, filterset = self.filtered()
        paginator = Paginator(qs, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            title=self.title,
            filterset=filterset,
            page_obj=page,
            table=self.table_class(page.object_list),
            total=paginator.count,
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
