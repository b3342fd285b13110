"""Idempotency keys: a retried create returns the first result instead of making a second record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyState(models.TextChoices):
    IN_FLIGHT = "in_flight", _("处理中")
    DONE = "done", _("已完成")


class IdempotencyKey(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("幂等键"), max_length=255)
    fingerprint = models.CharField(_("请求指纹"), max_length=64, help_text=_("方法、路径与请求体的 SHA-256"))
    state = models.CharField(_("状态"), max_length=16, choices=IdempotencyState.choices)
    status_code = models.PositiveSmallIntegerField(_("响应状态码"), null=True, blank=True)
    response_body = models.TextField(_("响应内容"), blank=True)
    response_headers = models.JSONField(_("响应头"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotencykey_unique_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
