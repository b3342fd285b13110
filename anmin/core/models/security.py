"""Login security state kept in the database: failed-login counters and lockouts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginThrottle(models.Model):
    """Failed logins for one (account name, client address) pair.

    Counting per pair rather than per account means an attacker hammering an account from one
    address locks only that address out, not the worker logging in from the township office.
    """

    username = models.CharField(_("账号"), max_length=150)
    address = models.CharField(_("来源地址"), max_length=64)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"))
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        constraints = [models.UniqueConstraint(fields=["username", "address"], name="loginthrottle_unique_pair")]

    def __str__(self) -> str:
        return f"{self.username}@{self.address}: {self.failures}"
