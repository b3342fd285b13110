"""Prevention registries on the registry kit: cameras and monitoring platforms, 雪亮工程 planned
points, patrol teams and their members, the village police officer and legal adviser; and the
activity records kept against them (patrol logs with check-ins, liaison activity, police activity)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.bounds import PastDayField
from anmin.core.links import pk_url
from anmin.core.scoping import ScopedQuerySet, ScopePolicy
from anmin.workflow.kit.registry import RegistryModel, RegistryQuerySet
from anmin.workflow.models import CaseDetail


class Programme(models.TextChoices):
    """建设项目: which programme built (and counts) a camera."""

    TOWNSHIP = "township", _("平安乡镇")
    CITY = "city", _("平安城市")
    CAMPUS = "campus", _("平安校园")
    COMMUNITY = "community", _("小区(社区)自建")
    XUELIANG = "xueliang", _("雪亮工程")
    SOCIAL = "social", _("社会面其他")


class PlaceKind(models.TextChoices):
    """Where a camera or platform stands (key points covered)."""

    CROSSING = "crossing", _("路口")
    SCHOOL = "school", _("学校周边")
    MARKET = "market", _("集市商场")
    NEW_COMMUNITY = "new_community", _("新型社区")
    OLD_COMMUNITY = "old_community", _("老旧社区")
    ROAD = "road", _("道路沿线")
    OTHER = "other", _("其他")


class CameraStatus(models.TextChoices):
    ONLINE = "online", _("在线")
    OFFLINE = "offline", _("离线")
    FAULT = "fault", _("故障报修")
    REPAIRING = "repairing", _("维修中")


class CameraQuerySet(RegistryQuerySet):
    def channels(self) -> int:
        return self.aggregate(n=models.Sum("channels"))["n"] or 0


class Camera(RegistryModel):
    """视频监控点位: a camera (its channels) of a programme at a place, online or not."""

    name = models.CharField(_("点位名称"), max_length=128)
    programme = models.CharField(_("建设项目"), max_length=16, choices=Programme.choices, db_index=True)
    place_kind = models.CharField(_("点位类型"), max_length=16, choices=PlaceKind.choices, default=PlaceKind.OTHER,
                                  db_index=True)
    channels = models.PositiveSmallIntegerField(_("视频路数"), default=1)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    built_on = PastDayField(_("建成日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=CameraStatus.choices, default=CameraStatus.ONLINE,
                              db_index=True)

    objects = CameraQuerySet.as_manager()
    scope = ScopePolicy()

    class Meta(RegistryModel.Meta):
        verbose_name = _("视频监控点位")
        verbose_name_plural = _("视频监控点位")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("prevention:camera_detail", self.pk)


class Platform(RegistryModel):
    """监控平台系统: a monitoring platform of a community or unit."""

    name = models.CharField(_("平台名称"), max_length=128)
    place_kind = models.CharField(_("所在类型"), max_length=16, choices=PlaceKind.choices, default=PlaceKind.OTHER,
                                  db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy()

    class Meta(RegistryModel.Meta):
        verbose_name = _("监控平台")
        verbose_name_plural = _("监控平台")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("prevention:platform_detail", self.pk)


class PointStatus(models.TextChoices):
    PLANNED = "planned", _("规划")
    BUILDING = "building", _("在建")
    DONE = "done", _("已建成")


class PlannedPoint(RegistryModel):
    """雪亮工程 planned point: a rural camera point being built, with its due date."""

    name = models.CharField(_("布点名称"), max_length=128)
    channels = models.PositiveSmallIntegerField(_("视频路数"), default=1)
    due_on = models.DateField(_("计划建成日期"), null=True, blank=True)
    status = models.CharField(_("进度"), max_length=16, choices=PointStatus.choices, default=PointStatus.PLANNED,
                              db_index=True)

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy()

    class Meta(RegistryModel.Meta):
        verbose_name = _("雪亮工程布点")
        verbose_name_plural = _("雪亮工程布点")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("prevention:point_detail", self.pk)


class TeamKind(models.TextChoices):
    TOWNSHIP = "township", _("乡镇(街道)治安巡逻队")
    VILLAGE = "village", _("村(社区)治安巡逻队")
    VOLUNTEER = "volunteer", _("志愿巡逻队")


class TeamStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    PAUSED = "paused", _("暂停")


class PatrolTeam(RegistryModel):
    """群防群治 patrol team of a township (cadres + police, ≥ 15) or village (≥ 10), or volunteers."""

    name = models.CharField(_("队伍名称"), max_length=128)
    kind = models.CharField(_("队伍类型"), max_length=16, choices=TeamKind.choices, db_index=True)
    leader = models.CharField(_("队长"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=TeamStatus.choices, default=TeamStatus.ACTIVE,
                              db_index=True)

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy()

    class Meta(RegistryModel.Meta):
        verbose_name = _("巡逻队")
        verbose_name_plural = _("巡逻队")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("prevention:team_detail", self.pk)


class MemberRole(models.TextChoices):
    CADRE = "cadre", _("干部")
    POLICE = "police", _("民警/辅警")
    VILLAGER = "villager", _("村(居)民")
    VOLUNTEER = "volunteer", _("志愿者")


class PatrolMember(RegistryModel):
    """A member of a patrol team (retired when they leave it)."""

    team = models.ForeignKey(PatrolTeam, verbose_name=_("所属巡逻队"), on_delete=models.PROTECT,
                             related_name="members")
    name = models.CharField(_("姓名"), max_length=64)
    role = models.CharField(_("身份"), max_length=16, choices=MemberRole.choices, default=MemberRole.VILLAGER)

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy()

    class Meta(RegistryModel.Meta):
        verbose_name = _("巡逻队员")
        verbose_name_plural = _("巡逻队员")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("prevention:member_detail", self.pk)


class LiaisonKind(models.TextChoices):
    POLICE = "police", _("一村(格)一警")
    LAWYER = "lawyer", _("一村(居)一法律顾问")


class Liaison(RegistryModel):
    """The police officer or legal adviser of a village (一村一警 / 一村一法律顾问)."""

    kind = models.CharField(_("类别"), max_length=16, choices=LiaisonKind.choices, db_index=True)
    name = models.CharField(_("姓名"), max_length=64)
    org_name = models.CharField(_("所在单位"), max_length=128, blank=True, help_text=_("派出所或律师事务所"))

    objects = RegistryQuerySet.as_manager()
    scope = ScopePolicy()

    class Meta(RegistryModel.Meta):
        verbose_name = _("驻村民警/法律顾问")
        verbose_name_plural = _("驻村民警/法律顾问")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def get_absolute_url(self) -> str:
        return pk_url("prevention:liaison_detail", self.pk)


class CameraRepair(CaseDetail):
    """A camera's fault report as a repair case (kind WX, ``workflows.py``): opened when the camera's
    status becomes 故障报修, the camera set back to 在线 when the repair is verified."""

    camera = models.ForeignKey(Camera, verbose_name=_("视频监控点位"), on_delete=models.PROTECT,
                               related_name="repairs")

    class Meta:
        verbose_name = _("视频监控故障维修")
        verbose_name_plural = _("视频监控故障维修")
        ordering = ["-case_id"]


# -- activity records -------------------------------------------------------------------------------


class PatrolLog(models.Model):
    """One patrol of a team (from a phone): when, who, its check-ins and findings."""

    team = models.ForeignKey(PatrolTeam, verbose_name=_("巡逻队"), on_delete=models.PROTECT, related_name="logs")
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    patroller = models.ForeignKey("core.User", verbose_name=_("巡逻人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("开始时间"), default=clock.now, db_index=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    note = models.CharField(_("巡逻情况"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(assignee_fields=("patroller",))

    class Meta:
        verbose_name = _("巡逻记录")
        verbose_name_plural = _("巡逻记录")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.team} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return pk_url("prevention:patrol_detail", self.pk)


class CheckIn(models.Model):
    log = models.ForeignKey(PatrolLog, verbose_name=_("巡逻记录"), on_delete=models.CASCADE, related_name="checkins")
    point = models.CharField(_("打卡点"), max_length=128)
    at = models.DateTimeField(_("打卡时间"), default=clock.now, help_text=_("服务器收到打卡的时间"))
    # A check-in made with no signal arrives later: when the patroller checked in on the phone, and how
    # precise the phone's position was (docs/offline.md).
    recorded_at = models.DateTimeField(_("手机记录时间"), null=True, blank=True,
                                       help_text=_("在手机上打卡的时间（离线打卡时早于打卡时间）"))
    gps_accuracy = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    finding = models.CharField(_("发现情况"), max_length=500, blank=True)
    event_ref = models.CharField(_("转网格事件"), max_length=32, blank=True, help_text=_("转成网格事件后的事项编号"))

    objects = ScopedQuerySet.as_manager()
    # Seen with its patrol (the check-in API lists them).
    scope = ScopePolicy(region_field="log__region", assignee_fields=("log__patroller",),
                        perm="prevention.view_patrollog")

    class Meta:
        verbose_name = _("巡逻打卡")
        verbose_name_plural = _("巡逻打卡")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.point


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("走访")
    CONSULTATION = "consultation", _("法律咨询")
    DISPUTE = "dispute", _("协助化解纠纷")
    LECTURE = "lecture", _("法治宣传")


class LiaisonActivity(models.Model):
    liaison = models.ForeignKey(Liaison, verbose_name=_("驻村民警/法律顾问"), on_delete=models.PROTECT,
                                related_name="activities")
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("活动类型"), max_length=16, choices=ActivityKind.choices)
    on = models.DateField(_("日期"), db_index=True)
    people = models.PositiveIntegerField(_("涉及人数"), default=1)
    note = models.CharField(_("情况"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy()

    class Meta:
        verbose_name = _("驻村工作记录")
        verbose_name_plural = _("驻村工作记录")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.liaison.name} {self.on} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return pk_url("prevention:activity_detail", self.pk)


class PoliceActivity(models.Model):
    """大走访 / 百万警进千万家: one police station's figures for one month."""

    region = models.ForeignKey("core.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+")
    station = models.CharField(_("派出所"), max_length=64)
    month = models.DateField(_("月份"), db_index=True, help_text=_("该月第一天"))
    visits = models.PositiveIntegerField(_("走访群众(人)"), default=0)
    disputes_resolved = models.PositiveIntegerField(_("化解矛盾纠纷(起)"), default=0)
    suspects_caught = models.PositiveIntegerField(_("抓获违法犯罪嫌疑人(人)"), default=0)
    people_served = models.PositiveIntegerField(_("服务群众(人次)"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy()

    class Meta:
        verbose_name = _("警务活动月报")
        verbose_name_plural = _("警务活动月报")
        ordering = ["-month", "region_id"]
        constraints = [models.UniqueConstraint(fields=["station", "month"], name="policeactivity_station_month")]

    def __str__(self) -> str:
        return f"{self.station} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return pk_url("prevention:police_detail", self.pk)
