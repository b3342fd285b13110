"""Attachments: files kept for a business record (a dispute's 调解协议书, a 笔录 …).

An attachment belongs to one owner record of a model registered in
``registry.attachment_owners``, and is visible exactly when its owner is:
``Attachment.objects.visible_to(user)`` = the attachments whose owner is in
``Owner.objects.visible_to(user)``, for every registered owner model. Files are cleaned on upload
(``anmin.core.attachments``), kept under random names outside the web root and served only
through the scoped download view, which writes each download to the audit log.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..attachments.kinds import KIND_CHOICES, KINDS
from ..attachments.storage import upload_storage
from ..registry import attachment_owners
from ..scoping import ScopedQuerySet


class AttachmentQuerySet(ScopedQuerySet):
    """An attachment is visible exactly when its owner record is."""

    def visible_to(self, user, action: str = "view") -> AttachmentQuerySet:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        clauses = []
        for owner in attachment_owners:
            model = apps.get_model(owner.model)
            clauses.append(Q(owner_type=ContentType.objects.get_for_model(model),
                             owner_id__in=model.objects.visible_to(user, action).values("pk")))
        if not clauses:
            return self.none()
        return self.filter(reduce(operator.or_, clauses))

    def of(self, obj: models.Model) -> AttachmentQuerySet:
        """The attachments of one owner record (combine with ``visible_to``)."""
        return self.filter(owner_type=ContentType.objects.get_for_model(type(obj)), owner_id=obj.pk)


class Attachment(models.Model):
    owner_type = models.ForeignKey(ContentType, verbose_name=_("所属记录类型"), on_delete=models.PROTECT,
                                   related_name="+")
    owner_id = models.PositiveBigIntegerField(_("所属记录"))
    owner = GenericForeignKey("owner_type", "owner_id")
    category = models.CharField(_("材料类型"), max_length=32, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    filename = models.CharField(_("文件名"), max_length=120,
                                help_text=_("上传时的文件名（已清理），扩展名按文件实际类型"))
    kind = models.CharField(_("文件类型"), max_length=8, choices=KIND_CHOICES)
    file = models.FileField(_("文件"), storage=upload_storage, max_length=200)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey("core.User", verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["owner_type_id", "owner_id", "pk"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("core:attachment", args=[self.pk])

    @property
    def mime(self) -> str:
        return KINDS[self.kind].mime

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind].label)

    @property
    def registration(self):
        label = f"{self.owner_type.app_label}.{self.owner_type.model}"
        return attachment_owners.get(label) if label in attachment_owners else None

    @property
    def category_label(self) -> str:
        reg = self.registration
        return reg.category_label(self.category) if reg is not None else self.category


class PhotoQuerySet(ScopedQuerySet):
    """A photo is visible exactly when the record it belongs to (``owner_field``) is."""

    def visible_to(self, user, action: str = "view"):
        field = self.model.owner_field
        owner = self.model._meta.get_field(field).related_model
        return self.filter(**{f"{field}__in": owner.objects.visible_to(user, action).values("pk")})


class Photo(models.Model):
    """Abstract base of a domain's photo model (a grid event's, a patrol check-in's): re-encoded on
    upload without EXIF or GPS (``anmin.core.attachments.photos``), kept in the upload storage outside
    the web root, served only through a scoped view. A subclass adds the foreign key named by
    ``owner_field`` (``related_name="photos"``), its ``file`` field with its own ``upload_to``, ``scope``
    and ``get_absolute_url``."""

    owner_field = ""

    content_type = models.CharField(_("类型"), max_length=32, default="image/jpeg")
    width = models.PositiveIntegerField(_("宽(像素)"))
    height = models.PositiveIntegerField(_("高(像素)"))
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey("core.User", verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    objects = PhotoQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.owner_field + '_id')}#{self.pk}"
