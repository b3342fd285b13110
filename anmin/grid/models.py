"""Grid events (网格事件) and their photos.

A ``GridEvent`` is the domain detail of a case of kind WG (see ``workflows.py``): the case carries the
title, description, place (region), priority, reporter, state and time limits; the event adds the
category, the address and coordinates, the resident it was reported for, and the photos.
Writes go through ``actions.py``; reads start at ``visible_to``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anmin.core.attachments.storage import upload_storage
from anmin.core.links import pk_url
from anmin.core.models.attachments import Photo
from anmin.core.protected import ProtectedField, ProtectedModelMixin
from anmin.core.scoping import ScopePolicy
from anmin.workflow.models import CaseDetail, CaseDetailQuerySet

from .categories import CATEGORIES


class EventSource(models.TextChoices):
    PATROL = "patrol", _("网格员巡查发现")
    RESIDENT = "resident", _("群众反映")
    VISIT = "visit", _("走访发现")
    OTHER = "other", _("其他")


class GridEvent(ProtectedModelMixin, CaseDetail):
    """A grid event: the detail of a case of kind WG."""

    category = models.CharField(_("事件类别"), max_length=16, db_index=True,
                                help_text=_("网格事件类别代码表（grid_event_category）中的代码"))
    source = models.CharField(_("来源"), max_length=16, choices=EventSource.choices, default=EventSource.PATROL)
    found_at = models.DateTimeField(_("发现时间"))
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    resident_name = models.CharField(_("反映群众姓名"), max_length=64, blank=True,
                                     help_text=_("代群众上报时填写"))
    resident_phone = ProtectedField(_("反映群众联系电话"), kind="phone", blank=True)
    photo_count = models.PositiveSmallIntegerField(_("照片数"), default=0)
    # Reported from a phone (possibly offline, through its outbox): when the worker recorded it there,
    # by the business clock, and how precise its position was. The case's opened_at is when it arrived.
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True,
                                       help_text=_("网格员在手机上记录的时间（离线上报时早于接收时间）"))
    gps_accuracy = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)

    detail_url_name = "grid:event_detail"
    # Scoped as every case detail is: exactly the events whose case ``Case.objects.visible_to`` shows.
    objects = CaseDetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格事件")
        verbose_name_plural = _("网格事件")
        ordering = ["-case_id"]

    @property
    def category_label(self) -> str:
        return CATEGORIES.name(self.category)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class EventPhoto(Photo):
    """A photo of a grid event (see ``anmin.core.models.attachments.Photo``)."""

    owner_field = "event"
    event = models.ForeignKey(GridEvent, verbose_name=_("网格事件"), on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(_("文件"), upload_to="grid/%Y/%m/", storage=upload_storage, max_length=200)

    scope = ScopePolicy(region_field="event__case__region", perm="grid.view_gridevent")

    class Meta:
        verbose_name = _("事件照片")
        verbose_name_plural = _("事件照片")
        ordering = ["event_id", "pk"]

    def get_absolute_url(self) -> str:
        return pk_url("grid:photo", self.pk)
