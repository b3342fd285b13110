"""Analytics keeps one kind of record of its own: each generated report (年度总结, 通报), as a
version — who asked, when, from which data (the audit head and every figure used), its files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anmin.core.links import pk_url
from anmin.core.scoping import ScopedQuerySet, ScopePolicy


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("年度工作总结")
    MONTHLY = "monthly", _("月度通报")
    QUARTERLY = "quarterly", _("季度通报")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ReportRunQuerySet(ScopedQuerySet):
    pass


class ReportRun(models.Model):
    kind = models.CharField(_("报告类型"), max_length=16, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("期间"), max_length=16, blank=True,
                              help_text=_("通报的月份（2020-11）或季度（2020-Q4）"))
    region = models.ForeignKey("core.Region", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    want_pdf = models.BooleanField(_("同时生成 PDF"), default=True)
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    message = models.CharField(_("当前步骤"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申请时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    data_seq = models.PositiveBigIntegerField(_("数据截至(审计序号)"), default=0)
    figures = models.JSONField(_("所用数据"), default=list, blank=True)
    missing = models.JSONField(_("暂无数据的指标"), default=list, blank=True)
    text = models.TextField(_("正文"), blank=True)
    docx_file = models.CharField(_("DOCX 文件"), max_length=200, blank=True)
    pdf_file = models.CharField(_("PDF 文件"), max_length=200, blank=True)
    seconds = models.FloatField(_("用时(秒)"), null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()
    scope = ScopePolicy(region_field="region", assignee_fields=("created_by",))

    class Meta:
        verbose_name = _("生成的报告")
        verbose_name_plural = _("生成的报告")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_dashboard", _("查看统计分析、大屏与地图"))]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "period", "region", "version"], name="reportrun_version")
        ]

    def __str__(self) -> str:
        return f"{self.title or self.get_kind_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        return pk_url("analytics:report_detail", self.pk)

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
