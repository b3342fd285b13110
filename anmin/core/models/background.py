"""Heartbeats of the background processes (the task worker, the scheduler) for ``/readyz`` and for
re-queuing the tasks of a worker that died."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    name = models.CharField(_("进程"), max_length=100, primary_key=True, help_text=_("worker:<编号> 或 scheduler"))
    kind = models.CharField(_("类型"), max_length=16, db_index=True)
    pid = models.PositiveIntegerField(_("进程号"), default=0)
    host = models.CharField(_("主机"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"))
    last_run_at = models.DateTimeField(_("最近一轮"), null=True, blank=True)
    info = models.JSONField(_("说明"), default=dict, blank=True)

    class Meta:
        verbose_name = _("后台进程心跳")
        verbose_name_plural = _("后台进程心跳")
        default_permissions = ()

    def __str__(self) -> str:
        return self.name
