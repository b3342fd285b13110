"""An office's own template of a printable document (文书), replacing the built-in one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentTemplate(models.Model):
    key = models.CharField(_("文书"), max_length=64, unique=True)
    content = models.BinaryField(_("模板文件"))
    filename = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey("core.User", verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} ({self.filename})"
