"""System administration (账号、角色、机构、区划、代码表). Business records are never registered here:
the 系统管理员 runs the system but does not see business data (三员分立)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import CodeItem, CodeTable, OrgUnit, Region, Role, User

admin.site.site_header = _("安民 · 系统管理")
admin.site.site_title = _("安民系统管理")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "name", "org_unit", "is_active", "last_login")
    list_filter = ("is_active", "roles")
    search_fields = ("username", "name")
    autocomplete_fields = ("org_unit",)
    filter_horizontal = ("roles",)
    raw_id_fields = ("grids",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("人员信息"), {"fields": ("name", "org_unit", "roles", "grids")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "must_change_password", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "org_unit", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "scope", "privileged", "read_only")
    filter_horizontal = ("permissions",)
    readonly_fields = ("code",)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    raw_id_fields = ("region", "parent")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


class CodeItemInline(admin.TabularInline):
    model = CodeItem
    extra = 0
    raw_id_fields = ("parent",)


@admin.register(CodeTable)
class CodeTableAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "source")
    inlines = [CodeItemInline]
