"""What the portal keeps: a tip's receipt (a hash of its code, the clue it became, the day) and the
Open311 requests (a hash of the idempotency key, the grid event). Nothing identifying: no IP address,
no user agent, no time finer than the day; a contact only when the tipster chose to leave one (in the
clue, encrypted)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tip(models.Model):
    """An anonymous tip's receipt. The code itself is shown once and never stored (only its hash)."""

    receipt_hash = models.CharField(_("回执码摘要"), max_length=64, unique=True)
    submit_hash = models.CharField(_("提交标识摘要"), max_length=64, unique=True,
                                   help_text=_("同一次提交重试只登记一次"))
    category = models.CharField(_("举报类别"), max_length=16)
    clue = models.OneToOneField("crackdown.Clue", verbose_name=_("线索"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="tip")
    grid_event = models.OneToOneField("grid.GridEvent", verbose_name=_("网格事件"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="tip")
    submitted_on = models.DateField(_("提交日期"))
    passphrase_hash = models.CharField(_("口令摘要"), max_length=256, blank=True,
                                       help_text=_("举报人自设的口令，只存慢哈希"))
    failed_tries = models.PositiveSmallIntegerField(_("口令连续错误次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("举报回执")
        verbose_name_plural = _("举报回执")

    def __str__(self) -> str:
        return f"举报回执 {self.pk}"


class Open311Request(models.Model):
    """A citizen report received through the Open311 endpoint: the grid event it became."""

    key_hash = models.CharField(_("幂等键摘要"), max_length=64, unique=True, null=True, blank=True)
    event = models.OneToOneField("grid.GridEvent", verbose_name=_("网格事件"), on_delete=models.PROTECT,
                                 related_name="open311")
    partner = models.ForeignKey("portal.Open311Key", verbose_name=_("合作应用"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="requests",
                                help_text=_("凭 api_key 提交的合作应用；匿名提交为空"))
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, null=True, blank=True,
                                  help_text=_("匿名提交得到令牌，受理后才换成请求编号"))
    service_code = models.CharField(_("服务代码"), max_length=16)
    requested_on = models.DateField(_("提交日期"))

    class Meta:
        verbose_name = _("Open311 请求")
        verbose_name_plural = _("Open311 请求")

    def __str__(self) -> str:
        return f"Open311 {self.pk}"


class Open311Key(models.Model):
    """A partner app's Open311 ``api_key``. The key is shown once when it is made (``anmin open311key
    create``); only its SHA-256 is kept, with a prefix to tell keys apart."""

    name = models.CharField(_("应用名称"), max_length=100, unique=True)
    prefix = models.CharField(_("密钥前缀"), max_length=12, editable=False, help_text=_("用于辨认，不能用来提交"))
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"))
    last_used_on = models.DateField(_("最近使用日期"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("注销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 合作应用密钥")
        verbose_name_plural = _("Open311 合作应用密钥")
        ordering = ["name"]
        default_permissions = ("view", "change")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
