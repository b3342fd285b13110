"""The business clock's shift: a database that holds a world dated in the past (the demo, dated
2020-12-10) keeps its own "now" here. See ``anmin.core.clock`` and docs/decisions/0005."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClockShift(models.Model):
    """One row at most: at the real moment ``real_at`` the business clock read ``business_at``; it
    runs on at real speed from there. No row: the business clock is the real clock."""

    business_at = models.DateTimeField(_("业务时间"))
    real_at = models.DateTimeField(_("对应真实时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("业务时钟")
        verbose_name_plural = _("业务时钟")

    def __str__(self) -> str:
        return f"{self.business_at:%Y-%m-%d %H:%M} @ {self.real_at:%Y-%m-%d %H:%M}"
