"""The foundation's pages: login, home, jurisdiction tree, organisation units."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .. import logins, registry, scopecache
from ..filters import OrgUnitFilter, RegionFilter
from ..forms import LoginForm
from ..models import OrgUnit, Region
from ..models.regions import RegionLevel
from ..tables import Column, Table
from .base import DetailPage, LedgerView


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class HomeView(TemplateView):
    """Each role's home: the widgets its permissions allow, in order."""

    template_name = "core/home.html"
    replica_reads = True  # KPI cards and lists: a replica may serve them (core/dbrouting.py)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        cards = []
        lang = get_language()
        for widget in sorted(registry.widgets, key=lambda w: w.order):
            if not widget.allowed(user):
                continue
            if widget.cache_seconds:
                figures = scopecache.cached(f"widget:{widget.key}:{lang}", user,
                                            lambda w=widget: w.render(self.request), seconds=widget.cache_seconds)
            else:
                figures = widget.render(self.request)
            cards.append({"widget": widget, **figures})
        ctx["cards"] = cards
        ctx["quick_actions"] = registry.visible_quick_actions(user)
        return ctx


class RegionTable(Table):
    columns = (
        Column("code", _("区划代码"), link=True),
        Column("name", _("名称"), link=True),
        Column("level", _("层级")),
        Column("parent.name", _("上级")),
    )


class RegionTreeView(LedgerView):
    """The jurisdiction: the user's top region(s) and what lies below, as a tree and a ledger."""

    model = Region
    template_name = "core/region_tree.html"
    filterset_class = RegionFilter
    table_class = RegionTable
    title = _("辖区")
    export_name = "辖区区划"

    def get_queryset(self):
        return super().get_queryset().select_related("parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        visible = self.get_queryset()
        # The tree starts at the user's own top node(s): the city, a township, a village or grids.
        ctx["tops"] = visible.filter(prefix__in=self.request.user.scope.reference_prefixes).annotate(
            n_children=Count("children")
        )
        return ctx


class RegionDetailView(DetailPage):
    model = Region
    template_name = "core/region_detail.html"
    tabs = (("children", _("下级区划")), ("orgs", _("机构")))

    def get_template_names(self):
        # The tree page expands a node by fetching just its children (htmx).
        if self.request.GET.get("fragment") == "children":
            return ["core/region_children.html"]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        region = self.object
        user = self.request.user
        ctx["children"] = Region.objects.visible_to(user).filter(parent=region).annotate(n_children=Count("children"))
        ctx["orgs"] = OrgUnit.objects.visible_to(user).filter(region=region)
        ctx["ancestors"] = Region.objects.visible_to(user).filter(code__in=region.ancestor_codes())
        ctx["is_grid_level"] = region.level == RegionLevel.VILLAGE
        return ctx


class OrgUnitTable(Table):
    columns = (
        Column("name", _("名称"), link=True, width=30),
        Column("kind", _("机构类型")),
        Column("region.name", _("所属/覆盖区划")),
        Column("parent.name", _("上级机构"), width=24),
        Column("phone", _("办公电话")),
    )


class OrgUnitLedgerView(LedgerView):
    model = OrgUnit
    filterset_class = OrgUnitFilter
    table_class = OrgUnitTable
    title = _("组织机构")
    export_name = "组织机构"

    def get_queryset(self):
        return super().get_queryset().select_related("region", "parent")


class OrgUnitDetailView(DetailPage):
    model = OrgUnit
    template_name = "core/orgunit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("region", "parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = self.object.members.filter(is_active=True).prefetch_related("roles")
        ctx["children"] = OrgUnit.objects.visible_to(self.request.user).filter(parent=self.object)
        return ctx


class ProfileView(TemplateView):
    template_name = "core/profile.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["otp_enabled"] = logins.has_otp_device(self.request.user)
        from .. import tokens

        ctx["api_tokens"] = tokens.active_tokens(self.request.user)
        return ctx
