"""Column mappings a user confirmed for a ledger file's layout, remembered per organisation so the
next month's file in the same layout imports without asking (``core.ledgers.mappings``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedQuerySet, ScopePolicy


class LedgerMapping(models.Model):
    org_unit = models.ForeignKey("core.OrgUnit", verbose_name=_("单位"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    ledger = models.CharField(_("台账"), max_length=64)
    layout = models.CharField(_("表头格式"), max_length=32, help_text=_("文件表头的指纹"))
    columns = models.JSONField(_("列对应"), default=dict, help_text=_("字段 → 文件中的列（序号与列名）"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"))

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(region_field="org_unit__region")

    class Meta:
        verbose_name = _("台账列对应")
        verbose_name_plural = _("台账列对应")
        constraints = [models.UniqueConstraint(fields=["org_unit", "ledger", "layout"], name="ledger_mapping_once")]

    def __str__(self) -> str:
        return f"{self.ledger} {self.layout}"
