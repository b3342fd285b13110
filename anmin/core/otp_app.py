"""django-otp's TOTP app under Chinese names in the admin (``INSTALLED_APPS`` names ``OtpTotpConfig``).

django-otp writes its names in English without gettext, so no catalogue can translate them: the
app's caption is set here, and the model's and the shown fields' names when the app is ready. Only
``verbose_name``s change, which migrations do not record (help texts would be recorded: the admin
gives its own, see ``TOTPDeviceAdmin`` in ``core/admin.py``).
"""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig


class OtpTotpConfig(DefaultConfig):
    verbose_name = _("双因素认证")

    def ready(self) -> None:
        super().ready()
        meta = self.get_model("TOTPDevice")._meta
        meta.verbose_name = meta.verbose_name_plural = _("TOTP 动态口令设备")
        for name, label in (
            ("user", _("用户")),
            ("name", _("名称")),
            ("confirmed", _("已确认")),
            ("created_at", _("创建时间")),
            ("last_used_at", _("最近使用时间")),
        ):
            meta.get_field(name).verbose_name = label
