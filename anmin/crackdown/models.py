"""Records of the crackdown domain (扫黑除恶).

* ``Clue`` (线索): the detail of a case of kind XS — source, subject, industry, category, the result of
  the verification and the feedback the reporter may read through the portal's receipt code.
* ``CrimeOrg`` (打掉的涉黑涉恶组织) by type and stage, its ``Suspect`` rows (members and other suspects,
  linked to the person register) and ``Asset`` rows (frozen / seized / confiscated, with values).
* ``Official`` (处理的公职人员: 腐败, 保护伞, 失职失责).
* ``Notice`` (三书一函): the detail of a case of kind SH, issued to a unit that must reply.
* ``Candidate`` (村"两委"换届联审): a candidate, each department's check, disqualified or not.

Everything is confidential: seen only by the 扫黑办 (and, for a clue or a notice, by the unit it is
handed to). Writes go through ``actions``; reads start at ``visible_to``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anmin.core.links import pk_url
from anmin.core.money import MoneyField
from anmin.core.protected import ProtectedField, ProtectedModelMixin
from anmin.core.scoping import ScopedQuerySet, ScopePolicy
from anmin.workflow.models import CaseDetail, CaseDetailQuerySet


class ClueSource(models.TextChoices):
    PHONE = "phone", _("举报电话")
    LETTER = "letter", _("信件")
    ONLINE = "online", _("网上举报")
    HIGHER = "higher", _("上级交办")
    PATROL = "patrol", _("巡查发现")
    DEPARTMENT = "department", _("其他部门移送")


class ClueSubject(models.TextChoices):
    PEOPLE = "people", _("人员")
    ORG = "org", _("组织")
    PLACE = "place", _("场所")
    INDUSTRY = "industry", _("行业")


class Industry(models.TextChoices):
    CONSTRUCTION = "construction", _("工程建设")
    TRANSPORT = "transport", _("交通运输")
    RESOURCES = "resources", _("自然资源")
    RURAL = "rural", _("乡村")
    FINANCE = "finance", _("金融放贷")
    OTHER = "other", _("其他")


class ClueCategory(models.TextChoices):
    MAFIA = "mafia", _("涉黑")
    EVIL = "evil", _("涉恶")
    UMBRELLA = "umbrella", _("保护伞")
    OTHER = "other", _("其他违法犯罪")


class ClueResult(models.TextChoices):
    VERIFIED = "verified", _("查实")
    PARTLY = "partly", _("部分查实")
    UNFOUNDED = "unfounded", _("查否")
    TRANSFERRED = "transferred", _("移送")


class Clue(ProtectedModelMixin, CaseDetail):
    """A clue (线索): the detail of a case of kind XS."""

    source = models.CharField(_("线索来源"), max_length=16, choices=ClueSource.choices)
    subject = models.CharField(_("线索对象"), max_length=16, choices=ClueSubject.choices, default=ClueSubject.PEOPLE)
    subject_name = models.CharField(_("被反映对象"), max_length=100, blank=True)
    industry = models.CharField(_("行业领域"), max_length=16, choices=Industry.choices, default=Industry.OTHER)
    category = models.CharField(_("线索类别"), max_length=16, choices=ClueCategory.choices, default=ClueCategory.EVIL)
    received_on = models.DateField(_("收到日期"))
    reporter_contact = ProtectedField(_("举报人联系电话"), kind="phone", blank=True,
                                      help_text=_("举报人自愿留下时才有；查看须说明理由并记录"))
    result = models.CharField(_("核查结果"), max_length=16, choices=ClueResult.choices, blank=True)
    result_note = models.TextField(_("核查情况"), blank=True)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True)
    public_feedback = models.TextField(_("向举报人反馈"), blank=True,
                                       help_text=_("举报人凭回执码可以看到的答复，不写任何个人信息"))
    # An online tip's text, sealed to the office's key (``sealing``); the case's description then
    # says only that it is sealed.
    sealed_tip = models.BinaryField(_("加密的举报内容"), null=True, blank=True, editable=False)
    sealed_key = models.ForeignKey("crackdown.TipKey", verbose_name=_("加密密钥"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    detail_url_name = "crackdown:clue_detail"
    objects = CaseDetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("涉黑涉恶线索")
        verbose_name_plural = _("涉黑涉恶线索")
        ordering = ["-case_id"]


class OrgType(models.TextChoices):
    MAFIA = "mafia", _("黑社会性质组织")
    EVIL_GROUP = "evil_group", _("恶势力犯罪集团")
    EVIL_GANG = "evil_gang", _("恶势力犯罪团伙")


class OrgStage(models.TextChoices):
    INVESTIGATION = "investigation", _("侦查")
    PROSECUTION = "prosecution", _("起诉")
    TRIAL = "trial", _("审判")
    JUDGED = "judged", _("判决")


class CrimeOrg(models.Model):
    """A criminal organisation broken up (打掉)."""

    name = models.CharField(_("名称"), max_length=100)
    org_type = models.CharField(_("组织类型"), max_length=16, choices=OrgType.choices, db_index=True)
    stage = models.CharField(_("诉讼阶段"), max_length=16, choices=OrgStage.choices,
                             default=OrgStage.INVESTIGATION)
    region = models.ForeignKey("core.Region", verbose_name=_("主要活动区域"), on_delete=models.PROTECT)
    broken_on = models.DateField(_("打掉日期"))
    clues = models.ManyToManyField(Clue, verbose_name=_("关联线索"), blank=True, related_name="orgs")
    summary = models.TextField(_("主要违法犯罪事实"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("涉黑涉恶组织")
        verbose_name_plural = _("涉黑涉恶组织")
        ordering = ["-broken_on", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("crackdown:org_detail", self.pk)


class SuspectStatus(models.TextChoices):
    AT_LARGE = "at_large", _("在逃")
    CAUGHT = "caught", _("已抓获")
    PROSECUTED = "prosecuted", _("已起诉")
    SENTENCED = "sentenced", _("已判决")


class Suspect(ProtectedModelMixin, models.Model):
    """A member of a criminal organisation or another suspect of the nine kinds of crime (九类犯罪)."""

    org = models.ForeignKey(CrimeOrg, verbose_name=_("所属组织"), null=True, blank=True, on_delete=models.PROTECT,
                            related_name="suspects")
    region = models.ForeignKey("core.Region", verbose_name=_("办案区域"), on_delete=models.PROTECT)
    name = models.CharField(_("姓名"), max_length=64)
    id_number = ProtectedField(_("身份证号码"), kind="id_number", index=True, blank=True)
    person = models.ForeignKey("people.Person", verbose_name=_("人口库人员"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="crackdown_suspects")
    role_in_org = models.CharField(_("组织地位"), max_length=32, blank=True, help_text=_("如：组织者、骨干成员"))
    status = models.CharField(_("诉讼状态"), max_length=16, choices=SuspectStatus.choices,
                              default=SuspectStatus.CAUGHT)
    caught_on = models.DateField(_("抓获日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("涉黑涉恶犯罪嫌疑人")
        verbose_name_plural = _("涉黑涉恶犯罪嫌疑人")
        ordering = ["org_id", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("crackdown:suspect_detail", self.pk)


class AssetMeasure(models.TextChoices):
    FROZEN = "frozen", _("冻结")
    SEIZED = "seized", _("查封扣押")
    CONFISCATED = "confiscated", _("没收")


class Asset(models.Model):
    """Assets frozen, seized or confiscated (打财断血), in yuan."""

    org = models.ForeignKey(CrimeOrg, verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="assets")
    region = models.ForeignKey("core.Region", verbose_name=_("办案区域"), on_delete=models.PROTECT)
    description = models.CharField(_("资产"), max_length=200)
    measure = models.CharField(_("措施"), max_length=16, choices=AssetMeasure.choices)
    value = MoneyField(_("价值(元)"), max_digits=14, decimal_places=2)
    on = models.DateField(_("日期"))
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("涉案资产")
        verbose_name_plural = _("涉案资产")
        ordering = ["org_id", "pk"]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return pk_url("crackdown:asset_detail", self.pk)


class OfficialKind(models.TextChoices):
    CORRUPTION = "corruption", _("腐败")
    UMBRELLA = "umbrella", _("保护伞")
    DERELICTION = "dereliction", _("失职失责")


class OfficialMeasure(models.TextChoices):
    DISCIPLINE = "discipline", _("党纪政务处分")
    ORGANISATIONAL = "organisational", _("组织处理")
    JUDICIAL = "judicial", _("移送司法")


class Official(models.Model):
    """A public official handled in a crackdown case (打伞破网)."""

    name = models.CharField(_("姓名"), max_length=64)
    unit = models.CharField(_("工作单位及职务"), max_length=100)
    region = models.ForeignKey("core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT)
    kind = models.CharField(_("问题类型"), max_length=16, choices=OfficialKind.choices)
    measure = models.CharField(_("处理方式"), max_length=16, choices=OfficialMeasure.choices)
    handled_on = models.DateField(_("处理日期"))
    org = models.ForeignKey(CrimeOrg, verbose_name=_("涉及组织"), null=True, blank=True, on_delete=models.PROTECT,
                            related_name="officials")

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("处理公职人员")
        verbose_name_plural = _("处理公职人员")
        ordering = ["-handled_on", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("crackdown:official_detail", self.pk)


class NoticeKind(models.TextChoices):
    JUDICIAL = "judicial", _("司法建议书")
    PROCURATORIAL = "procuratorial", _("检察建议书")
    POLICE = "police", _("公安提示函")
    SUPERVISION = "supervision", _("监察建议书")


class Notice(CaseDetail):
    """三书一函: the detail of a case of kind SH, handed to the unit that must reply."""

    notice_kind = models.CharField(_("文书类型"), max_length=16, choices=NoticeKind.choices)
    doc_number = models.CharField(_("文号"), max_length=64, blank=True)
    issuer = models.CharField(_("制发单位"), max_length=100)
    industry = models.CharField(_("行业领域"), max_length=16, choices=Industry.choices, default=Industry.OTHER)
    problem = models.TextField(_("发现的问题"))
    recommendation = models.TextField(_("建议"))
    issued_on = models.DateField(_("制发日期"))
    reply = models.TextField(_("回复及整改情况"), blank=True)
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    detail_url_name = "crackdown:notice_detail"
    objects = CaseDetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("三书一函")
        verbose_name_plural = _("三书一函")
        ordering = ["-case_id"]


class Rectification(CaseDetail):
    """督导反馈问题整改清单: one problem an inspection (督导) found, handed to the responsible unit, which
    reports its measures and the rectification by the deadline (case kind ZG on the engine)."""

    inspection = models.CharField(_("督导批次"), max_length=100, help_text=_("如：中央扫黑除恶第X督导组反馈"))
    problem = models.TextField(_("反馈问题"))
    responsible = models.CharField(_("责任单位"), max_length=100)
    deadline = models.DateField(_("整改时限"))
    measures = models.TextField(_("整改措施及进展"), blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    detail_url_name = "crackdown:rectification_detail"
    objects = CaseDetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导反馈问题整改")
        verbose_name_plural = _("督导反馈问题整改清单")
        ordering = ["-case_id"]


REVIEW_DEPARTMENTS = (
    ("police", _("公安")), ("procuratorate", _("检察")), ("court", _("法院")), ("discipline", _("纪委监委")),
    ("petition", _("信访")),
)


class Candidate(ProtectedModelMixin, models.Model):
    """A village "两委" candidate in the joint qualification review (联审). ``checks`` holds each
    department's answer: {"police": {"ok": false, "reason": "…"}, …}."""

    region = models.ForeignKey("core.Region", verbose_name=_("村(社区)"), on_delete=models.PROTECT)
    election_year = models.PositiveSmallIntegerField(_("换届年份"))
    name = models.CharField(_("姓名"), max_length=64)
    id_number = ProtectedField(_("身份证号码"), kind="id_number", index=True, blank=True)
    person = models.ForeignKey("people.Person", verbose_name=_("人口库人员"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="crackdown_candidacies")
    checks = models.JSONField(_("各部门审查意见"), default=dict, blank=True)
    disqualified = models.BooleanField(_("取消资格"), default=False, db_index=True)
    reason = models.CharField(_("取消资格原因"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("联审日期"))

    objects = ScopedQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("换届候选人联审")
        verbose_name_plural = _("换届候选人联审")
        ordering = ["region_id", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("crackdown:candidate_detail", self.pk)


class TipKey(models.Model):
    """A key pair of the 扫黑办 to which online tips are sealed (libsodium sealed boxes). The private
    key is kept only encrypted with the office's passphrase (argon2id → SecretBox); the newest active
    key is the one new tips are sealed to, older ones stay to open older tips."""

    public_key = models.CharField(_("公钥"), max_length=64, unique=True)
    wrapped_private = models.BinaryField(_("口令加密的私钥"), editable=False)
    salt = models.BinaryField(_("口令盐"), max_length=16, editable=False)
    opslimit = models.PositiveBigIntegerField(_("口令派生运算量"))
    memlimit = models.PositiveBigIntegerField(_("口令派生内存"))
    created_on = models.DateField(_("生成日期"))
    active = models.BooleanField(_("用于新举报"), default=True)

    class Meta:
        verbose_name = _("举报加密密钥")
        verbose_name_plural = _("举报加密密钥")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"举报加密密钥 {self.public_key[:12]}…"


class TipFile(models.Model):
    """A file the tipster attached: metadata stripped, then sealed (name, type and content) to the
    office's key. Only the day it came and its sealed size are in the clear."""

    clue = models.ForeignKey(Clue, verbose_name=_("线索"), on_delete=models.PROTECT, related_name="tip_files")
    key = models.ForeignKey(TipKey, verbose_name=_("加密密钥"), on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField(_("加密的文件"), editable=False)
    added_on = models.DateField(_("提交日期"))

    class Meta:
        verbose_name = _("举报附件")
        verbose_name_plural = _("举报附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"举报附件 {self.pk}"
