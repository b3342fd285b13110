"""Numbers, accounts and links confirmed as fraudulent (黑名单), normalised (``normalize.py``); the
public check answers known / unknown from here and never says who reported an entry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anmin.core.links import pk_url
from anmin.core.scoping import ScopedQuerySet, ScopePolicy


class EntryKind(models.TextChoices):
    PHONE = "phone", _("电话号码")
    ACCOUNT = "account", _("银行账户")
    URL = "url", _("网址")


class BlacklistEntry(models.Model):
    kind = models.CharField(_("类型"), max_length=8, choices=EntryKind.choices)
    value = models.CharField(_("号码/账户/网址（规范化）"), max_length=300)
    source = models.CharField(_("来源"), max_length=64)
    listed_on = models.DateField(_("列入日期"))
    region = models.ForeignKey("core.Region", verbose_name=_("登记单位所在区划"), on_delete=models.PROTECT)
    fraud_case = models.ForeignKey("antifraud.FraudCase", verbose_name=_("电诈案件"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(_("有效"), default=True)
    withdrawn_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("移出原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(region_field="region", shared_view=True)  # every station checks the whole list

    class Meta:
        verbose_name = _("涉诈黑名单")
        verbose_name_plural = _("涉诈黑名单")
        ordering = ["-listed_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="blacklist_unique_value")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def get_absolute_url(self) -> str:
        return pk_url("antifraud:blacklist_detail", self.pk)
