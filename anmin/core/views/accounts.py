"""账号管理 pages: a township centre's (or the city office's) list of the accounts it manages, a new
account with its one-time initial password, and one account (edit, deactivate / reactivate, reset
the password). Only holders of ``core.manage_accounts`` reach them (404 for anyone else); accounts
outside the manager's area look absent; every write goes through ``core.actions``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .. import actions
from ..errors import run_action
from ..formkit import KitForm
from ..models import Region, User
from ..models.regions import RegionLevel


class ManagerMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(actions.MANAGE_PERM):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _grid_label(g: Region) -> str:
    return f"{g.parent.name} {g.name}" if g.parent_id else g.name


def _area_grids(manager):
    prefixes = manager.scope.prefixes
    q = Q()
    for p in prefixes:
        q |= Q(code__startswith=p)
    if not prefixes:
        return Region.objects.none()
    return Region.objects.filter(q, level=RegionLevel.GRID).select_related("parent").order_by("code")


class GridChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _grid_label(obj)


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


class AccountForm(KitForm):
    """Name, unit, roles and grids; for a new account also the username."""

    username = forms.CharField(label=_("用户名"), max_length=150,
                               help_text=_("登录用，字母、数字或 _ . @ -，建成后不能修改"))
    name = forms.CharField(label=_("姓名"), max_length=64)
    org_unit = OrgChoiceField(label=_("所属机构"), queryset=None, empty_label=_("请选择"))
    roles = forms.ModelMultipleChoiceField(label=_("角色"), queryset=None, widget=forms.CheckboxSelectMultiple)
    grids = GridChoiceField(label=_("负责网格"), queryset=None, required=False,
                            help_text=_("网格员须选择；须在所属机构的辖区内"))

    def __init__(self, *args, manager, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = actions.manageable_orgs(manager)
        self.fields["roles"].queryset = actions.grantable_roles(manager)
        self.fields["grids"].queryset = _area_grids(manager)
        if not creating:
            del self.fields["username"]
        orgs = list(self.fields["org_unit"].queryset[:2])
        if creating and len(orgs) == 1:
            self.fields["org_unit"].initial = orgs[0].pk


class DeactivateForm(KitForm):
    reason = forms.CharField(label=_("停用原因"), max_length=200)


class AccountListView(ManagerMixin, TemplateView):
    template_name = "core/accounts/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        qs = actions.manageable_users(user).select_related("org_unit__region").prefetch_related(
            "roles", Prefetch("grids", queryset=Region.objects.select_related("parent")))
        q = (self.request.GET.get("q") or "").strip()[:64]
        if q:
            qs = qs.filter(Q(username__icontains=q) | Q(name__icontains=q))
        state = self.request.GET.get("state")
        if state in ("active", "inactive"):
            qs = qs.filter(is_active=state == "active")
        role = self.request.GET.get("role") or ""
        roles = actions.grantable_roles(user)
        if role and roles.filter(code=role).exists():
            qs = qs.filter(roles__code=role)
        page = Paginator(qs.order_by("org_unit__region_id", "username"), 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(title=_("账号管理"), page_obj=page, q=q, state=state or "", role=role, roles=roles,
                   querystring=query.urlencode(), grid_label=_grid_label)
        return ctx


class AccountCreateView(ManagerMixin, TemplateView):
    template_name = "core/accounts/form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", AccountForm(manager=self.request.user))
        ctx.update(title=_("新建账号"), submit_label=_("建立账号"), cancel_url=reverse("core:account_list"))
        return ctx

    def post(self, request, *args, **kwargs):
        form = AccountForm(request.POST, manager=request.user)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            done, status = run_action(form, actions.create_account, actor=request.user, username=d["username"],
                                      name=d["name"], org_unit=d["org_unit"], roles=d["roles"], grids=d["grids"],
                                      request=request)
            if done is not None:
                account, password = done
                return _show_password(request, account, password, created=True)
        return self.render_to_response(self.get_context_data(form=form), status=status)


def _show_password(request, account, password: str, *, created: bool):
    """The one-time password, shown once on a page that is never cached (it is stored only hashed)."""
    response = TemplateResponse(request, "core/accounts/password.html", {
        "title": _("账号已建立") if created else _("密码已重置"), "account": account, "password": password,
        "created": created})
    response["Cache-Control"] = "no-store"
    return response


class AccountDetailView(ManagerMixin, TemplateView):
    template_name = "core/accounts/detail.html"

    def account(self) -> User:
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise Http404 from None
        found = (actions.manageable_users(self.request.user).select_related("org_unit__region")
                 .prefetch_related("roles", "grids").filter(pk=pk).first())
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        account = kwargs.get("account") or self.account()
        ctx["account"] = account
        ctx["account_roles"] = list(account.roles.all())
        ctx["account_grids"] = [_grid_label(g) for g in account.grids.select_related("parent").order_by("code")]
        ctx.setdefault("form", AccountForm(manager=self.request.user, creating=False, initial={
            "name": account.name, "org_unit": account.org_unit_id, "roles": [r.pk for r in ctx["account_roles"]],
            "grids": list(account.grids.values_list("pk", flat=True))}))
        ctx.setdefault("deactivate_form", DeactivateForm())
        ctx["title"] = account.name or account.username
        return ctx

    def post(self, request, *args, **kwargs):
        account = self.account()
        do = request.POST.get("do")
        if do == "update":
            form = AccountForm(request.POST, manager=request.user, creating=False)
            status = 400
            if form.is_valid():
                d = form.cleaned_data
                done, status = run_action(form, actions.update_account, actor=request.user, user=account,
                                          name=d["name"], org_unit=d["org_unit"], roles=d["roles"],
                                          grids=d["grids"], request=request)
                if done is not None:
                    messages.success(request, _("账号信息已保存"))
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(account=account, form=form), status=status)
        if do == "deactivate":
            form = DeactivateForm(request.POST)
            status = 400
            if form.is_valid():
                done, status = run_action(form, actions.set_account_active, actor=request.user, user=account,
                                          active=False, reason=form.cleaned_data["reason"], request=request)
                if done is not None:
                    messages.success(request, _("账号已停用，其登录已全部失效"))
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(account=account, deactivate_form=form),
                                           status=status)
        if do == "activate":
            actions.set_account_active(actor=request.user, user=account, active=True, request=request)
            messages.success(request, _("账号已启用"))
            return HttpResponseRedirect(request.path)
        if do == "reset":
            done = actions.reset_account_password(actor=request.user, user=account, request=request)
            return _show_password(request, *done, created=False)
        return HttpResponseRedirect(request.path)

