"""The fraud-case ledger (电诈案件台账): cases with their victims, suspects (by procedural status) and
the bank and phone cards involved (涉案"两卡"), with what was frozen and returned."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anmin.core.codes import code_name
from anmin.core.links import pk_url
from anmin.core.money import MoneyField
from anmin.core.protected import ProtectedField, ProtectedModelMixin
from anmin.core.scoping import ScopedQuerySet, ScopePolicy

CASE_VIEW = "antifraud.view_fraudcase"


class FraudCaseQuerySet(ScopedQuerySet):
    def solved_in(self, year: int) -> FraudCaseQuerySet:
        return self.filter(solved_on__year=year)

    def filed_in(self, year: int) -> FraudCaseQuerySet:
        return self.filter(filed_on__year=year)


class FraudCase(models.Model):
    """A telecom-fraud case handled (or, 带破, assisted for another city) by Yuzhou's police."""

    police_case_number = models.CharField(_("警情/案件编号"), max_length=40, unique=True)
    region = models.ForeignKey("core.Region", verbose_name=_("发案地"), on_delete=models.PROTECT)
    fraud_type = models.CharField(_("诈骗类型"), max_length=8)
    title = models.CharField(_("简要案情"), max_length=200)
    filed_on = models.DateField(_("立案日期"), db_index=True)
    solved_on = models.DateField(_("破案日期"), null=True, blank=True, db_index=True)
    assisted = models.BooleanField(_("带破（协助外地）"), default=False)
    assisted_for = models.CharField(_("协助地区"), max_length=64, blank=True)
    amount_involved = MoneyField(_("涉案金额(元)"), max_digits=14, decimal_places=2, default=0)
    amount_frozen = MoneyField(_("冻结资金(元)"), max_digits=14, decimal_places=2, default=0)
    amount_returned = MoneyField(_("返还受害人(元)"), max_digits=14, decimal_places=2, default=0)
    handling_org = models.ForeignKey("core.OrgUnit", verbose_name=_("承办单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = FraudCaseQuerySet.as_manager()
    scope = ScopePolicy(region_field="region", org_fields=("handling_org",))

    class Meta:
        verbose_name = _("电诈案件")
        verbose_name_plural = _("电诈案件")
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.police_case_number} {self.title}"

    def get_absolute_url(self) -> str:
        return pk_url("antifraud:case_detail", self.pk)

    @property
    def fraud_type_label(self) -> str:
        return code_name("fraud_type", self.fraud_type)

    @property
    def solved(self) -> bool:
        return self.solved_on is not None


_THROUGH_CASE = {"region_field": "fraud_case__region", "org_fields": ("fraud_case__handling_org",),
                 "perm": CASE_VIEW}


class FraudVictim(ProtectedModelMixin, models.Model):
    fraud_case = models.ForeignKey(FraudCase, verbose_name=_("电诈案件"), on_delete=models.PROTECT,
                                   related_name="victims")
    name = models.CharField(_("姓名"), max_length=64)
    id_number = ProtectedField(_("身份证号码"), kind="id_number", index=True, blank=True)
    phone = ProtectedField(_("联系电话"), kind="phone", blank=True)
    person = models.ForeignKey("people.Person", verbose_name=_("人口库人员"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    loss = MoneyField(_("损失金额(元)"), max_digits=14, decimal_places=2, default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(**_THROUGH_CASE)

    class Meta:
        verbose_name = _("受害人")
        verbose_name_plural = _("受害人")
        ordering = ["fraud_case_id", "pk"]

    def __str__(self) -> str:
        return self.name


class SuspectStatus(models.TextChoices):
    """Procedural status, in order; the dates say when each was reached."""

    CAUGHT = "caught", _("到案")
    DETAINED = "detained", _("刑事拘留")
    BAIL = "bail", _("取保候审")
    ARRESTED = "arrested", _("逮捕")
    PROSECUTED = "prosecuted", _("移送起诉")
    SENTENCED = "sentenced", _("判决")


class Suspect(ProtectedModelMixin, models.Model):
    fraud_case = models.ForeignKey(FraudCase, verbose_name=_("电诈案件"), on_delete=models.PROTECT,
                                   related_name="suspects")
    name = models.CharField(_("姓名"), max_length=64)
    id_number = ProtectedField(_("身份证号码"), kind="id_number", index=True, blank=True)
    person = models.ForeignKey("people.Person", verbose_name=_("人口库人员"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("诉讼阶段"), max_length=16, choices=SuspectStatus.choices,
                              default=SuspectStatus.CAUGHT)
    caught_on = models.DateField(_("到案日期"), null=True, blank=True)
    measure_on = models.DateField(_("采取强制措施日期"), null=True, blank=True, db_index=True,
                                  help_text=_("刑事拘留、取保候审、监视居住或逮捕，最早的一项"))
    arrested_on = models.DateField(_("逮捕日期"), null=True, blank=True, db_index=True)
    prosecuted_on = models.DateField(_("移送起诉日期"), null=True, blank=True, db_index=True)
    sentenced_on = models.DateField(_("判决日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(**_THROUGH_CASE)

    class Meta:
        verbose_name = _("犯罪嫌疑人")
        verbose_name_plural = _("犯罪嫌疑人")
        ordering = ["fraud_case_id", "pk"]

    def __str__(self) -> str:
        return self.name


class CardKind(models.TextChoices):
    BANK = "bank", _("银行卡")
    PHONE = "phone", _("电话卡")


class FraudCard(models.Model):
    """A card involved in a case (涉案"两卡"): the number normalised, whether and when it was frozen."""

    fraud_case = models.ForeignKey(FraudCase, verbose_name=_("电诈案件"), on_delete=models.PROTECT,
                                   related_name="cards")
    kind = models.CharField(_("类型"), max_length=8, choices=CardKind.choices, default=CardKind.BANK)
    number = models.CharField(_("卡号/号码"), max_length=32)
    bank = models.CharField(_("开户行/运营商"), max_length=64, blank=True)
    frozen_on = models.DateField(_("冻结日期"), null=True, blank=True, db_index=True)
    amount_frozen = MoneyField(_("冻结金额(元)"), max_digits=14, decimal_places=2, default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(**_THROUGH_CASE)

    class Meta:
        verbose_name = _("涉案卡")
        verbose_name_plural = _("涉案卡")
        ordering = ["fraud_case_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["fraud_case", "kind", "number"], name="fraudcard_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
