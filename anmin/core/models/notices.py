"""站内消息: what the platform tells a person — a case handed to them, returned, near its deadline,
overdue, supervised, a supervision answered. One message per person and event (``key``), so a rerun
of the sweep never repeats one; ``sent_at`` records the delivery through the configured senders
(SMS gateway, 企业微信, 钉钉, the log)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedQuerySet, ScopePolicy


class NoticeKind(models.TextChoices):
    ASSIGNED = "assigned", _("交办给我")
    RETURNED = "returned", _("退回")
    WARNING = "warning", _("临期预警")
    OVERDUE = "overdue", _("已逾期")
    SUPERVISED = "supervised", _("督办")
    REPLIED = "replied", _("督办已回复")
    OTHER = "other", _("其他")


class NoticeQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        """A person's messages are theirs alone."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active or not user.pk:
            return self.none()
        return self.filter(recipient=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="notices")
    kind = models.CharField(_("类型"), max_length=16, choices=NoticeKind.choices, default=NoticeKind.OTHER)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    key = models.CharField(_("事件标识"), max_length=120, editable=False)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("推送时间"), null=True, blank=True, db_index=True)

    objects = NoticeQuerySet.as_manager()
    scope = ScopePolicy(region_field="recipient__org_unit__region")

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_event")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:notice_detail", args=[self.pk])
