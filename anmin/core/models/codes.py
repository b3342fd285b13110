"""Code tables (GB/T 31000 and local ones) as data a city can correct or extend."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeTable(models.Model):
    key = models.SlugField(_("代码表标识"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    source = models.CharField(_("来源"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("代码表")
        verbose_name_plural = _("代码表")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class CodeItemQuerySet(models.QuerySet):
    def of(self, table_key: str) -> CodeItemQuerySet:
        return self.filter(table__key=table_key, is_active=True)


class CodeItem(models.Model):
    table = models.ForeignKey(CodeTable, on_delete=models.CASCADE, related_name="items", verbose_name=_("代码表"))
    code = models.CharField(_("代码"), max_length=16)
    name = models.CharField(_("名称"), max_length=128)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("上级")
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = CodeItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("代码项")
        verbose_name_plural = _("代码项")
        ordering = ["table", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["table", "code"], name="codeitem_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
