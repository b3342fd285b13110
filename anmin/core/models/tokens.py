"""API tokens: many per user (one per device), with an expiry and an idle timeout, revocable.

Only a SHA-256 of the key is stored; the key itself is shown once, when it is issued.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenRevocation(models.TextChoices):
    USER = "user", _("本人注销")
    ADMIN = "admin", _("管理员注销")
    PASSWORD = "password", _("密码已修改")
    ROLES = "roles", _("角色已变更")
    DEACTIVATED = "deactivated", _("账号已停用")


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌前缀"), max_length=8, editable=False, help_text=_("用于辨认，不能用来登录"))
    client = models.CharField(_("客户端"), max_length=200, blank=True, help_text=_("取得令牌时的 User-Agent"))
    address = models.CharField(_("来源地址"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"), db_index=True)
    revoked_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("注销原因"), max_length=16, blank=True, choices=TokenRevocation.choices)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]
        default_permissions = ("view", "change")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_active(self) -> bool:
        from anmin.core.tokens import token_state

        return token_state(self) == "active"
