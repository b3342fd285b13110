"""Partner apps' Open311 keys: listed for the administrator, revoked here or with ``anmin open311key``;
made only with the command (the key is shown once on the server's terminal). Never the key itself."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import actions
from .models import Open311Key


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "last_used_on", "revoked_at")
    search_fields = ("name", "prefix")
    fields = ("name", "prefix", "created_at", "last_used_on", "revoked_at")
    readonly_fields = fields
    actions = ("revoke_selected",)

    @admin.action(description=_("注销所选密钥"), permissions=("change",))
    def revoke_selected(self, request, queryset):
        n = 0
        for key in queryset.filter(revoked_at__isnull=True):
            actions.revoke_open311_key(actor=request.user, key=key, request=request)
            n += 1
        self.message_user(request, _("已注销 %(n)d 个密钥。") % {"n": n})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
