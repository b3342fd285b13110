"""System administration (账号、角色、机构、区划、代码表). Business records are never registered here:
the 系统管理员 runs the system but does not see business data (三员分立). Every change made here is
written to the audit log, which only the 审计员 reads."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, logins
from .models import ApiToken, CodeItem, CodeTable, OrgUnit, Region, Role, User
from .models.audit import AuditAction
from .roles import check_role_permissions, check_separation_of_duties

admin.site.site_header = _("安民 · 系统管理")
admin.site.site_title = _("安民系统管理")


def place_label(obj) -> str:
    """A region or unit as a picker names it: "古城镇 / 古城村委会 / 第1网格", "古城镇综治中心（古城镇）"."""
    if isinstance(obj, Region):
        return obj.full_name
    if isinstance(obj, OrgUnit):
        return f"{obj.name}（{obj.region.full_name}）"
    return str(obj)


class PlaceAutocompleteView(AutocompleteJsonView):
    """The admin's pickers search a region or unit by name or code and show where it is, so "第1网格"
    of one village is not mistaken for another's."""

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": place_label(obj)}


def _autocomplete(request):
    return PlaceAutocompleteView.as_view(admin_site=admin.site)(request)


admin.site.autocomplete_view = _autocomplete


def _only_the_system_administrator(request) -> bool:
    """The admin site is the 系统管理员's alone (三员分立): an account marked staff by mistake but
    without the role does not get in; a township centre manages its staff at 账号管理 instead."""
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "has_role", None) and user.has_role(Role.SYSADMIN))


admin.site.has_permission = _only_the_system_administrator


class PlacePickers:
    """Region and org-unit fields are autocomplete pickers that name the place in full."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model in (Region, OrgUnit):
            field.label_from_instance = place_label
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model in (Region, OrgUnit):
            field.label_from_instance = place_label
        return field


class AuditedAdmin(PlacePickers, admin.ModelAdmin):
    """Writes each save and delete to the audit log (the admin runs them in a transaction)."""

    audit_fields: tuple[str, ...] | None = None  # which fields before/after record (default: all)
    # No "在站点上查看": the site's pages are scoped to business roles, and the 系统管理员 has none — the
    # link led them to a 404.
    view_on_site = False

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk), self.audit_fields) if change else None
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            obj=obj,
            before=before,
            after=audit.snapshot(obj, self.audit_fields),
            request=request,
        )

    def delete_model(self, request, obj):
        before = audit.snapshot(obj, self.audit_fields)
        pk = obj.pk
        super().delete_model(request, obj)
        audit.record(
            actor=request.user, action=AuditAction.DELETE, obj=obj, object_id=pk, before=before, request=request
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class PasswordResetForm(AdminPasswordChangeForm):
    """Django's form with its untranslated warning in Chinese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = _(
                "禁用后该用户不能用密码登录，当前密码随即失效。")


class UserChangeForm(BaseUserAdmin.form):
    def clean_roles(self):
        roles = self.cleaned_data.get("roles") or []
        check_separation_of_duties(r.code for r in roles)
        return roles


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    form = UserChangeForm
    change_password_form = PasswordResetForm
    list_display = ("username", "name", "org_unit", "is_active", "last_login")
    list_filter = ("is_active", "roles")
    search_fields = ("username", "name")
    autocomplete_fields = ("org_unit", "grids")
    filter_horizontal = ("roles",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("人员信息"), {"fields": ("name", "org_unit", "roles", "grids")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "must_change_password", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "org_unit", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # A password set by the administrator is a temporary one: the user must replace it.
            with transaction.atomic():
                user = User.objects.select_for_update().get(pk=id)
                user.must_change_password = True
                user.save(update_fields=["must_change_password"])
                audit.record(
                    actor=request.user,
                    action=AuditAction.PASSWORD_CHANGE,
                    obj=user,
                    after={"reset_by_admin": True, "must_change_password": True},
                    request=request,
                )
        return response

    def save_related(self, request, form, formsets, change):
        # Roles go through the action that also ends the user's sessions and audits the change.
        roles = form.cleaned_data.pop("roles", None)
        super().save_related(request, form, formsets, change)
        if roles is not None:
            logins.set_user_roles(user=form.instance, roles=roles, actor=request.user, request=request)


# Django stores its default permissions' names in English ("Can add 用户"); the picker words them.
VERBS = {"add": _("新增"), "change": _("修改"), "delete": _("删除"), "view": _("查看")}
APP_NAMES = {"django_tasks_database": _("后台任务")}


def permission_label(p: Permission) -> str:
    ct = p.content_type
    model = ct.model_class()
    model_name = str(model._meta.verbose_name) if model is not None else ct.model
    try:
        app = str(APP_NAMES.get(ct.app_label) or apps.get_app_config(ct.app_label).verbose_name)
    except LookupError:
        app = ct.app_label
    verb, _sep, rest = p.codename.partition("_")
    action = f"{VERBS[verb]}{model_name}" if verb in VERBS and model is not None and rest == model._meta.model_name \
        else p.name
    return f"{app} | {model_name} | {action}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = ("name", "description", "scope", "permissions", "privileged", "read_only", "order")
        field_classes = {"permissions": PermissionChoiceField}

    def clean_permissions(self):
        perms = self.cleaned_data.get("permissions") or []
        names = [f"{p.content_type.app_label}.{p.codename}" for p in perms]
        try:
            check_role_permissions(self.instance.code, names)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return perms


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    form = RoleForm
    list_display = ("name", "code", "scope", "privileged", "read_only")
    filter_horizontal = ("permissions",)
    readonly_fields = ("code",)

    def save_related(self, request, form, formsets, change):
        before = sorted(form.instance.permissions.values_list("content_type__app_label", "codename")) if change else []
        super().save_related(request, form, formsets, change)
        after = sorted(form.instance.permissions.values_list("content_type__app_label", "codename"))
        if before != after:
            audit.record(
                actor=request.user,
                action=AuditAction.UPDATE,
                obj=form.instance,
                before={"permissions": [f"{a}.{c}" for a, c in before]},
                after={"permissions": [f"{a}.{c}" for a, c in after]},
                request=request,
            )


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("name", "kind", "region", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "region__name")
    autocomplete_fields = ("region", "parent")

    def get_search_results(self, request, queryset, search_term):
        qs, dup = super().get_search_results(request, queryset, search_term)
        return qs.select_related("region__parent__parent"), dup


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    # "古城 第1" finds 古城镇's first grids: a term may match the place or the places above it.
    search_fields = ("code", "name", "parent__name", "parent__parent__name")
    autocomplete_fields = ("parent",)

    def get_search_results(self, request, queryset, search_term):
        qs, dup = super().get_search_results(request, queryset, search_term)
        return qs.select_related("parent__parent"), dup


class CodeItemInline(admin.TabularInline):
    model = CodeItem
    extra = 0
    raw_id_fields = ("parent",)  # an item of the same table, by its id (code tables are edited rarely)


@admin.register(CodeTable)
class CodeTableAdmin(AuditedAdmin):
    list_display = ("key", "name", "source")
    inlines = [CodeItemInline]


# A lost authenticator is reset by deleting the device (the user binds a new one at the next login).
# The administrator sees who has one, never its secret.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class TOTPDeviceForm(forms.ModelForm):
    """Chinese help texts for django-otp's English ones (its names: ``core/otp_app.py``)."""

    class Meta:
        model = TOTPDevice
        fields = ("user", "name", "confirmed", "last_used_at")
        help_texts = {
            "user": _("绑定此设备的用户"),
            "name": _("设备名称，便于识别"),
            "confirmed": _("是否已完成绑定（首次验证通过）"),
            "last_used_at": _("最近一次验证通过的时间"),
        }


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AuditedAdmin):
    form = TOTPDeviceForm
    list_display = ("user", "name", "confirmed", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__name")
    fields = ("user", "name", "confirmed", "last_used_at")
    readonly_fields = fields
    audit_fields = ("user", "name", "confirmed")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The administrator sees every account's API tokens and revokes them (never the key)."""

    list_display = ("prefix", "user", "client", "created_at", "last_used_at", "expires_at", "state_label",
                    "revoked_reason")
    list_filter = ("revoked_reason",)
    search_fields = ("user__username", "user__name", "prefix")
    fields = ("user", "prefix", "client", "address", "created_at", "last_used_at", "expires_at", "revoked_at",
              "revoked_reason")
    readonly_fields = fields
    actions = ("revoke_selected",)

    @admin.display(description=_("状态"))
    def state_label(self, obj):
        from .tokens import STATE_LABELS, token_state

        return STATE_LABELS[token_state(obj)]

    @admin.action(description=_("注销所选令牌"), permissions=("change",))
    def revoke_selected(self, request, queryset):
        from .models.tokens import TokenRevocation
        from .tokens import revoke

        done = sum(revoke(token=t, actor=request.user, reason=TokenRevocation.ADMIN, request=request)
                   for t in queryset.select_related("user"))
        self.message_user(request, _("已注销 %(n)d 个令牌。") % {"n": done})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
