"""Campuses: schools and kindergartens, the 五个100% checklist per school and term, 平安护学岗 rosters
and check-ins, and incidents around schools.

The five 100% items (专职保安, 一键报警, 视频监控联网, 封闭化管理, 护学岗) are data
(``data/five_items.json``); a check holds the items a school met in a term, and the coverage rule
"every school meets all five" lists the schools that do not (``coverage.py``).
Writes go through ``actions.py``; reads start at ``visible_to``.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anmin.core.links import pk_url
from anmin.core.scoping import ScopedQuerySet, ScopePolicy
from anmin.workflow.kit.maps import Located
from anmin.workflow.kit.registry import RegistryModel, RegistryQuerySet


class RegionQuerySet(ScopedQuerySet):
    def inside(self, prefix: str):
        return self.filter(region__code__startswith=prefix) if prefix else self


class SchoolKind(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    MIDDLE = "middle", _("初级中学")
    HIGH = "high", _("高级中学")
    NINE_YEAR = "nine_year", _("九年一贯制学校")
    VOCATIONAL = "vocational", _("职业学校")


class School(Located, RegistryModel):
    """A school or kindergarten on the register, with its point on the map when known (the registry
    kit: place, status, retire, history)."""

    name = models.CharField(_("学校名称"), max_length=128)
    kind = models.CharField(_("学校类型"), max_length=16, choices=SchoolKind.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    students = models.PositiveIntegerField(_("在校学生(幼儿)数"), default=0)
    guards = models.PositiveSmallIntegerField(_("专职保安(人)"), default=0)

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("学校(幼儿园)")
        verbose_name_plural = _("学校(幼儿园)")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("campus:school_detail", self.pk)


class SafetyCheck(models.Model):
    """The 五个100% checklist of one school in one term: the items (codes) it met, checked by whom."""

    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="checks")
    region = models.ForeignKey("core.Region", verbose_name=_("所在村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    term = models.CharField(_("学期"), max_length=8, help_text=_("如 2020-2 表示2020年秋季学期"))
    items = models.JSONField(_("达标项目"), default=list, help_text=_("五个100%代码表中的代码"))
    checked_on = models.DateField(_("检查日期"))
    checked_by = models.CharField(_("检查人"), max_length=64, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RegionQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("五个100%检查")
        verbose_name_plural = _("五个100%检查")
        ordering = ["-term", "region_id", "school_id"]
        constraints = [models.UniqueConstraint(fields=["school", "term"], name="safetycheck_unique_term")]

    def __str__(self) -> str:
        return f"{self.school} {self.term}"

    def get_absolute_url(self) -> str:
        return reverse("campus:school_detail", args=[self.school_id])


class Peak(models.TextChoices):
    MORNING = "morning", _("早高峰(上学)")
    NOON = "noon", _("午间")
    EVENING = "evening", _("晚高峰(放学)")


class GuardPost(RegistryModel):
    """A 平安护学岗 post on the roster: who stands where at which peak time (the registry kit)."""

    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="posts")
    place = models.CharField(_("岗位位置"), max_length=128, help_text=_("如：校门口、南侧路口"))
    peak = models.CharField(_("时段"), max_length=8, choices=Peak.choices)
    on_duty = models.CharField(_("上岗人员"), max_length=128, help_text=_("如：城关派出所 张某、教师 李某"))
    unit = models.CharField(_("所属单位"), max_length=64, blank=True)
    user = models.ForeignKey("core.User", verbose_name=_("平台账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy(region_field="region", assignee_fields=("user",))

    class Meta:
        verbose_name = _("护学岗")
        verbose_name_plural = _("护学岗")
        ordering = ["school_id", "peak", "place"]

    def __str__(self) -> str:
        return f"{self.school} {self.place}（{self.get_peak_display()}）"

    def get_absolute_url(self) -> str:
        return pk_url("campus:post_detail", self.pk)


class GuardCheckin(models.Model):
    """A check-in at a post at a peak time (打卡), from a phone."""

    post = models.ForeignKey(GuardPost, verbose_name=_("护学岗"), on_delete=models.PROTECT, related_name="checkins")
    region = models.ForeignKey("core.Region", verbose_name=_("所在村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    at = models.DateTimeField(_("签到时间"))
    by = models.ForeignKey("core.User", verbose_name=_("签到人"), null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    note = models.CharField(_("情况"), max_length=500, blank=True)

    objects = RegionQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("护学岗签到")
        verbose_name_plural = _("护学岗签到")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.post} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("campus:school_detail", args=[self.post.school_id])


class IncidentKind(models.TextChoices):
    TRAFFIC = "traffic", _("交通事故")
    VIOLENCE = "violence", _("欺凌、打架斗殴")
    INTRUSION = "intrusion", _("闲杂人员滋扰")
    VENDOR = "vendor", _("周边无证摊贩、三无食品")
    VENUE = "venue", _("周边网吧、娱乐场所违规接纳学生")
    OTHER = "other", _("其他")


class CampusIncident(models.Model):
    """An incident in or around a school and how it was dealt with."""

    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="incidents")
    region = models.ForeignKey("core.Region", verbose_name=_("所在村(社区)"), on_delete=models.PROTECT,
                               related_name="+")
    occurred_on = models.DateField(_("发生日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=IncidentKind.choices)
    description = models.CharField(_("经过"), max_length=1000)
    handling = models.CharField(_("处置情况"), max_length=500, blank=True)
    resolved = models.BooleanField(_("已处置"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RegionQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("校园周边案(事)件")
        verbose_name_plural = _("校园周边案(事)件")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.school} {self.occurred_on} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return pk_url("campus:incident_detail", self.pk)
