"""特殊人群 and 重点青少年 (GB/T 31000 areas 3–4): each a role record on a person, with its items.

Every register is visible only to roles holding ``people.view_special_population`` inside their
jurisdiction (a grid worker: their grids), whatever the record's own model permission says.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.codes import code_name
from anmin.core.protected import ProtectedField, ProtectedModelMixin
from anmin.core.scoping import ScopedQuerySet, ScopePolicy

from .choices import (
    CorrectionType,
    DrugControl,
    HandoverStatus,
    RecordStatus,
    RiskDegree,
)
from .persons import region_prefix

SPECIAL_PERM = "people.view_special_population"


def _level_label(n: int) -> str:
    return gettext("%(n)s级") % {"n": n}


# 0级 … 5级, shown as "Level 3" in English (a lazy label: the choices are built once, at import).
RISK_LEVELS = [(n, lazy(_level_label, str)(n)) for n in range(6)]


class SpecialQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=RecordStatus.ACTIVE)

    def inside(self, region):
        prefix = region_prefix(region)
        return self.filter(person__region__code__startswith=prefix) if prefix else self


class SpecialRecord(ProtectedModelMixin, models.Model):
    """What every special-population record has: the person, when registered, whether still on it."""

    #: Key used in URLs, the kind registry and KPIs; set on each concrete model.
    kind_key: str = ""
    list_url_name: str = ""
    #: The risk signal (``people.risk``) this register feeds, if any: its writes call ``signals_changed``.
    risk_signal: str = ""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="%(class)s_records",
        related_query_name="%(class)s",
    )
    registered_on = models.DateField(_("列管日期"), default=clock.today)
    status = models.CharField(
        _("状态"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.ACTIVE, db_index=True
    )
    closed_on = models.DateField(_("解除日期"), null=True, blank=True)
    closed_reason = models.CharField(_("解除原因"), max_length=200, blank=True)
    helper_name = models.CharField(_("帮扶人"), max_length=64, blank=True)
    help_status = models.CharField(_("帮扶情况"), max_length=200, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now, editable=False)

    objects = SpecialQuerySet.as_manager()
    scope = ScopePolicy(region_field="person__region", perm=SPECIAL_PERM)

    class Meta:
        abstract = True
        ordering = ["-registered_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="%(app_label)s_%(class)s_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.person}"

    def get_absolute_url(self) -> str:
        return reverse(f"people:{self.kind_key}_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == RecordStatus.ACTIVE


class ReleasedPrisoner(SpecialRecord):
    """刑满释放人员: resettlement (安置) and help (帮教)."""

    kind_key = "released"

    charge = models.CharField(_("原罪名"), max_length=128, blank=True)
    sentence = models.CharField(_("原判刑期"), max_length=64, blank=True)
    prison = models.CharField(_("服刑场所"), max_length=128, blank=True)
    released_on = models.DateField(_("释放日期"))
    is_recidivist = models.BooleanField(_("是否累犯"), default=False)
    risk_degree = models.CharField(_("危险性评估类型"), max_length=8, choices=RiskDegree.choices, blank=True)
    handover_on = models.DateField(_("衔接日期"), null=True, blank=True)
    handover = models.CharField(_("衔接情况"), max_length=16, choices=HandoverStatus.choices, blank=True)
    resettled_on = models.DateField(_("安置日期"), null=True, blank=True)
    is_resettled = models.BooleanField(_("已安置"), default=False)
    unresettled_reason = models.CharField(_("未安置原因"), max_length=200, blank=True)
    is_helped = models.BooleanField(_("已帮教"), default=False)
    reoffended = models.BooleanField(_("是否重新犯罪"), default=False)
    reoffence_charge = models.CharField(_("重新犯罪罪名"), max_length=128, blank=True)

    class Meta(SpecialRecord.Meta):
        verbose_name = _("刑满释放人员")
        verbose_name_plural = _("刑满释放人员")


class CommunityCorrection(SpecialRecord):
    """社区矫正人员."""

    kind_key = "correction"

    correction_no = models.CharField(_("社区矫正人员编号"), max_length=32, blank=True)
    correction_type = models.CharField(_("矫正类别"), max_length=16, choices=CorrectionType.choices)
    charge = models.CharField(_("具体罪名"), max_length=128, blank=True)
    sentence = models.CharField(_("原判刑期"), max_length=64, blank=True)
    starts_on = models.DateField(_("矫正开始日期"))
    ends_on = models.DateField(_("矫正结束日期"))
    receive_method = models.CharField(_("接收方式"), max_length=32, blank=True)
    four_histories = models.CharField(
        _("“四史”情况"), max_length=64, blank=True, help_text=_("吸毒史、逃脱史、自杀史、精神病史")
    )
    three_involvements = models.CharField(_("“三涉”情况"), max_length=64, blank=True, help_text=_("涉枪、涉黑、涉毒"))
    is_recidivist = models.BooleanField(_("是否累惯犯"), default=False)
    has_group = models.BooleanField(_("是否建立矫正小组"), default=True)
    group_members = models.CharField(_("矫正小组人员组成"), max_length=200, blank=True)
    end_type = models.CharField(_("矫正解除(终止)类型"), max_length=32, blank=True)

    class Meta(SpecialRecord.Meta):
        verbose_name = _("社区矫正人员")
        verbose_name_plural = _("社区矫正人员")

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": "矫正结束日期：须晚于矫正开始日期"})


class DrugUser(SpecialRecord):
    """吸毒人员."""

    kind_key = "drug"

    first_found_on = models.DateField(_("初次发现日期"), null=True, blank=True)
    control = models.CharField(_("管控现状"), max_length=24, choices=DrugControl.choices)
    controller_name = models.CharField(_("管控人姓名"), max_length=64, blank=True)
    has_crime_record = models.BooleanField(_("有无犯罪史"), default=False)
    drug_kind = models.CharField(_("滥用毒品种类"), max_length=64, blank=True)
    cause = models.CharField(_("吸毒原因"), max_length=128, blank=True)
    consequence = models.CharField(_("吸毒后果"), max_length=128, blank=True)

    class Meta(SpecialRecord.Meta):
        verbose_name = _("吸毒人员")
        verbose_name_plural = _("吸毒人员")


class HivRisk(SpecialRecord):
    """艾滋病危险人员. The medical details are health data: encrypted, shown masked."""

    kind_key = "hiv"

    infection_route = models.CharField(_("感染途径"), max_length=32, blank=True)
    has_crime_record = models.BooleanField(_("有无违法犯罪史"), default=False)
    case_category = models.CharField(_("案件类别"), max_length=64, blank=True)
    concern_type = models.CharField(_("关注类型"), max_length=32, blank=True)
    risk_degree = models.CharField(_("危险程度"), max_length=8, choices=RiskDegree.choices, blank=True)
    treatment = models.CharField(_("收治情况"), max_length=32, blank=True)
    treatment_org = models.CharField(_("收治机构"), max_length=128, blank=True)
    medical_notes = ProtectedField(_("病情及检测情况"), kind="text", blank=True)

    class Meta(SpecialRecord.Meta):
        verbose_name = _("艾滋病危险人员")
        verbose_name_plural = _("艾滋病危险人员")


class YouthOfConcern(SpecialRecord):
    """重点青少年: type and level of concern from the code tables ``youth_type`` / ``youth_concern``."""

    kind_key = "youth"

    youth_type = models.CharField(_("人员类型"), max_length=4, help_text=_("代码表 youth_type"))
    concern_level = models.CharField(_("关注程度"), max_length=4, help_text=_("代码表 youth_concern"))
    family_situation = models.CharField(_("家庭情况"), max_length=200, blank=True)
    guardian_name = models.CharField(_("监护人姓名"), max_length=64, blank=True)
    guardian_relation = models.CharField(_("与监护人关系"), max_length=16, blank=True)
    guardian_phone = ProtectedField(_("监护人联系电话"), kind="phone", blank=True)
    is_delinquent = models.BooleanField(_("是否违法犯罪"), default=False)
    delinquency = models.CharField(_("违法犯罪情况"), max_length=200, blank=True)
    help_measures = models.CharField(_("帮扶手段"), max_length=200, blank=True)

    class Meta(SpecialRecord.Meta):
        verbose_name = _("重点青少年")
        verbose_name_plural = _("重点青少年")

    @property
    def youth_type_name(self) -> str:
        return code_name("youth_type", self.youth_type)

    @property
    def concern_level_name(self) -> str:
        return code_name("youth_concern", self.concern_level)


SPECIAL_MODELS: tuple[type[SpecialRecord], ...] = (
    ReleasedPrisoner,
    CommunityCorrection,
    DrugUser,
    HivRisk,
    YouthOfConcern,
)
