"""Mediation organisations, mediators and (with the case engine) disputes."""

from __future__ import annotations

from dataclasses import replace

from django.db import models
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.bounds import PastDayField
from anmin.core.links import pk_url
from anmin.core.money import MoneyField
from anmin.core.protected import ProtectedField, ProtectedModelMixin
from anmin.core.scoping import ScopedQuerySet, ScopePolicy
from anmin.workflow.models import CaseDetail, CaseDetailQuerySet, township_copy_field


class MediationOrgKind(models.TextChoices):
    VILLAGE = "village", _("村(社区)人民调解委员会")
    TOWNSHIP = "township", _("乡镇(街道)人民调解委员会")
    SECTOR = "sector", _("行业性专业性人民调解委员会")


class MediationOrgQuerySet(ScopedQuerySet):
    def brands(self) -> MediationOrgQuerySet:
        return self.exclude(brand_name="")


class MediationOrg(models.Model):
    """A people's mediation organisation (调委会), possibly with a named brand room (金牌调解室)."""

    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=MediationOrgKind.choices, db_index=True)
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT)
    org_unit = models.OneToOneField(
        "core.OrgUnit",
        verbose_name=_("对应机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("调委会在平台上有账号时，对应的组织机构"),
    )
    brand_name = models.CharField(
        _("品牌调解室"), max_length=64, blank=True, help_text=_("如“大伟说事”“三姐矛盾调解之家”")
    )
    sector = models.CharField(_("行业/专业领域"), max_length=64, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    established_on = PastDayField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MediationOrgQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("人民调解组织")
        verbose_name_plural = _("人民调解组织")
        ordering = ["region_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="mediationorg_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.brand_name}）" if self.brand_name else self.name

    def get_absolute_url(self) -> str:
        return pk_url("disputes:mediationorg_detail", self.pk)


class Employment(models.TextChoices):
    FULL_TIME = "full", _("专职")
    PART_TIME = "part", _("兼职")


class MediatorQuerySet(ScopedQuerySet):
    def active(self) -> MediatorQuerySet:
        return self.filter(is_active=True)


class Mediator(models.Model):
    name = models.CharField(_("姓名"), max_length=64)
    sex = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))], blank=True)
    org = models.ForeignKey(
        MediationOrg, verbose_name=_("所属调解组织"), on_delete=models.PROTECT, related_name="mediators"
    )
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT)
    employment = models.CharField(_("专兼职"), max_length=8, choices=Employment.choices, default=Employment.PART_TIME)
    specialities = models.CharField(
        _("擅长领域"), max_length=200, blank=True, help_text=_("矛盾纠纷大类代码，逗号分隔，如 01,09")
    )
    user = models.OneToOneField(
        "core.User", verbose_name=_("平台账号"), null=True, blank=True, on_delete=models.SET_NULL
    )
    is_active = models.BooleanField(_("在册"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MediatorQuerySet.as_manager()
    scope = ScopePolicy(region_field="region", assignee_fields=("user",))

    class Meta:
        verbose_name = _("人民调解员")
        verbose_name_plural = _("人民调解员")
        ordering = ["region_id", "org_id", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("disputes:mediator_detail", self.pk)


# -- Disputes ------------------------------------------------------------------------------------
class DisputeSource(models.TextChoices):
    SWEEP = "sweep", _("排查")
    VISIT = "visit", _("来访")
    CALL = "call", _("来电")
    ONLINE = "online", _("网上")
    POLICE = "police", _("110转来")
    COURT = "court", _("法院委派")
    ASSIGNED = "assigned", _("上级交办")


class RiskColour(models.TextChoices):
    """Four-colour practice (configurable in the risk-flag table): red is the most serious."""

    BLUE = "blue", _("蓝")
    YELLOW = "yellow", _("黄")
    ORANGE = "orange", _("橙")
    RED = "red", _("红")


COLOUR_RANK = {RiskColour.BLUE: 0, RiskColour.YELLOW: 1, RiskColour.ORANGE: 2, RiskColour.RED: 3}


class RiskFlag(models.Model):
    """A risk factor of "民转刑" and the colour it raises a dispute to (configurable data)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("风险因素"), max_length=64)
    raises_to = models.CharField(_("至少提升为"), max_length=8, choices=RiskColour.choices)
    signal = models.CharField(
        _("自动识别"), max_length=32, blank=True,
        help_text=_("当事人在人口库中带有该风险信号（如 severe_mental_disorder）时自动加上此因素"))
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("民转刑风险因素")
        verbose_name_plural = _("民转刑风险因素")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Outcome(models.TextChoices):
    PENDING = "", _("调解中")
    SUCCESS = "success", _("调解成功")
    FAILED = "failed", _("调解不成")
    WITHDRAWN = "withdrawn", _("撤回")


class FailedPath(models.TextChoices):
    NONE = "", _("—")
    LITIGATION = "litigation", _("引导诉讼")
    ARBITRATION = "arbitration", _("引导仲裁")
    PETITION = "petition", _("引导信访/行政途径")


class Satisfaction(models.TextChoices):
    NONE = "", _("—")
    SATISFIED = "satisfied", _("满意")
    FAIR = "fair", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


def mediated_q() -> models.Q:
    """The condition of ``DisputeQuerySet.mediated`` (also a conditional count's filter). A session is
    tested with EXISTS, not joined: a join repeats a dispute per session and needs DISTINCT over every
    column to count it once."""
    sessions = MediationSession.objects.filter(dispute=models.OuterRef("pk"))
    return models.Q(outcome__in=[Outcome.SUCCESS, Outcome.FAILED]) | models.Q(models.Exists(sessions))


class DisputeQuerySet(CaseDetailQuerySet):
    def found_in(self, year: int) -> DisputeQuerySet:
        return self.filter(found_on__year=year)

    def mediated(self) -> DisputeQuerySet:
        """Mediation took place: a session was held or an outcome other than withdrawal was reached."""
        return self.filter(mediated_q())

    def succeeded(self) -> DisputeQuerySet:
        return self.filter(outcome=Outcome.SUCCESS)

    def turned_criminal(self) -> DisputeQuerySet:
        return self.exclude(criminal_case_number="")


class Dispute(CaseDetail):
    """A dispute (矛盾纠纷): the domain detail of a case of kind MD."""

    category = models.CharField(_("纠纷类别"), max_length=8, help_text=_("GB/T 31000 两级代码，如 0902 宅基地使用"))
    scale = models.CharField(_("事件规模"), max_length=2, default="01")
    source = models.CharField(_("来源"), max_length=16, choices=DisputeSource.choices, default=DisputeSource.SWEEP)
    found_on = models.DateField(_("排查/登记日期"), db_index=True)
    occurred_on = models.DateField(_("发生日期"), null=True, blank=True)
    address = models.CharField(_("发生地点"), max_length=200, blank=True)
    people_involved = models.PositiveIntegerField(_("涉及人数"), default=2)
    amount = MoneyField(_("涉及金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    assessed_colour = models.CharField(
        _("研判风险等级"), max_length=8, choices=RiskColour.choices, default=RiskColour.BLUE
    )
    risk_flags = models.JSONField(_("风险因素"), default=list, blank=True)
    auto_flags = models.JSONField(
        _("自动识别的风险因素"), default=dict, blank=True, editable=False,
        help_text=_("因当事人在人口库中的风险信号自动加上的因素及原因"))
    colour = models.CharField(
        _("风险等级"),
        max_length=8,
        choices=RiskColour.choices,
        default=RiskColour.BLUE,
        db_index=True,
        help_text=_("研判等级与风险因素共同决定，取较高者"),
    )
    mediation_org = models.ForeignKey(
        MediationOrg,
        verbose_name=_("调解组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    outcome = models.CharField(_("调解结果"), max_length=16, choices=Outcome.choices, blank=True, db_index=True)
    concluded_on = models.DateField(_("调结日期"), null=True, blank=True)
    agreement = models.TextField(_("调解协议内容"), blank=True)
    agreement_amount = MoneyField(_("协议金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    judicial_confirmation = models.BooleanField(_("已司法确认"), default=False)
    confirmed_on = models.DateField(_("司法确认日期"), null=True, blank=True)
    failed_path = models.CharField(_("调解不成去向"), max_length=16, choices=FailedPath.choices, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    followup_on = models.DateField(_("回访日期"), null=True, blank=True)
    satisfaction = models.CharField(_("回访满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    followup_note = models.TextField(_("回访情况"), blank=True)
    criminal_case_number = models.CharField(
        _("民转刑案件编号"), max_length=64, blank=True, help_text=_("纠纷后续演变为刑事案件时填写")
    )
    criminal_on = models.DateField(_("民转刑日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The ledger is by the day found: a township's page is one range of ``dispute_township_found``
    # (the kit's township copy; decision 0026), not the table walked by day testing each case.
    township = township_copy_field()

    detail_url_name = "disputes:dispute_detail"
    objects = DisputeQuerySet.as_manager()
    scope = replace(CaseDetail.scope, paged_by_branch=True, township_field="township")

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-found_on", "-case_id"]
        indexes = [models.Index(fields=["found_on", "outcome"], name="dispute_found_outcome"),
                   models.Index(fields=["township", "found_on", "id"], name="dispute_township_found")]
        # Every path that writes a dispute fills the copy (the kit's save, bulk_create, COPY import); a write
        # that did not would be refused here rather than leave a dispute out of its township's figures.
        constraints = [models.CheckConstraint(condition=~models.Q(township=""), name="dispute_township_filled")]


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    THIRD = "third", _("第三人")


class DisputeParty(ProtectedModelMixin, models.Model):
    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("当事人类型"), max_length=16, choices=PartyRole.choices)
    name = models.CharField(_("姓名/名称"), max_length=64)
    id_number = ProtectedField(_("身份证号码"), kind="id_number", index=True, blank=True)
    phone = ProtectedField(_("联系电话"), kind="phone", index=True, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("人口库人员"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="dispute_parties", help_text=_("按身份证号码关联的实有人口"))

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["dispute_id", "role", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class MediationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面调解")
    PHONE = "phone", _("电话调解")
    VIDEO = "video", _("视频/网上调解")
    JOINT = "joint", _("联合调解")


class MediationSession(models.Model):
    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("调解日期"))
    method = models.CharField(
        _("调解方式"), max_length=16, choices=MediationMethod.choices, default=MediationMethod.IN_PERSON
    )
    mediators = models.ManyToManyField(Mediator, verbose_name=_("调解员"), blank=True)
    record = models.TextField(_("调解记录"))
    recorded_by = models.ForeignKey("core.User", verbose_name=_("记录人"), null=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(_("记录时间"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["dispute_id", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_method_display()}"


class DocumentCategory(models.TextChoices):
    """Kinds of document attached to a dispute (core attachments; see ``apps.py``)."""

    AGREEMENT = "agreement", _("调解协议书")
    RECORD = "record", _("调解笔录")
    APPLICATION = "application", _("调解申请书")
    EVIDENCE = "evidence", _("证据材料")
    OTHER = "other", _("其他材料")
