"""Forms of the crackdown pages. They only parse input; the rules live in ``actions``."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.formkit import IdNumberField, KitForm, PastDateField, unchosen
from anmin.core.forms import RegionChoiceField
from anmin.core.models import Region
from anmin.core.models.regions import RegionLevel
from anmin.workflow.kit.forms import CaseReportForm
from anmin.workflow.rules import assignable_orgs

from .models import (
    REVIEW_DEPARTMENTS,
    AssetMeasure,
    ClueCategory,
    ClueResult,
    ClueSource,
    ClueSubject,
    CrimeOrg,
    Industry,
    NoticeKind,
    OfficialKind,
    OfficialMeasure,
    OrgStage,
    OrgType,
    SuspectStatus,
)

DATE = forms.DateInput(attrs={"type": "date"})


class ClueForm(CaseReportForm):
    """登记线索 (phone width)."""

    region = RegionChoiceField(label=_("线索涉及区域"))
    source = forms.ChoiceField(label=_("线索来源"), choices=ClueSource.choices)
    category = forms.ChoiceField(label=_("线索类别"), choices=ClueCategory.choices, initial=ClueCategory.EVIL)
    description = forms.CharField(label=_("线索内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    title = forms.CharField(label=_("线索标题"), max_length=200, required=False,
                            help_text=_("可不填，取线索内容的第一句"))
    subject = forms.ChoiceField(label=_("线索对象"), choices=ClueSubject.choices)
    subject_name = forms.CharField(label=_("被反映对象"), max_length=100, required=False)
    industry = forms.ChoiceField(label=_("行业领域"), choices=Industry.choices, initial=Industry.OTHER)
    received_on = forms.DateField(label=_("收到日期"), widget=DATE, required=False)
    reporter_contact = forms.CharField(label=_("举报人联系电话"), max_length=20, required=False,
                                       help_text=_("举报人自愿留下时填写；加密保存"))

    sections = ((_("更多信息（标题、行业、收到日期、举报人电话）"),
                 ("title", "industry", "received_on", "reporter_contact"), "folded"),)


class ResultForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # No finding chosen for the user: an untouched form recorded 查实.
    result = forms.ChoiceField(label=_("核查结果"), choices=unchosen(ClueResult.choices))
    note = forms.CharField(label=_("核查情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    public_feedback = forms.CharField(label=_("向举报人反馈"), max_length=1000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("举报人凭回执码可见；不要写任何个人信息"))


class FeedbackForm(KitForm):
    feedback = forms.CharField(label=_("向举报人反馈"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("举报人凭回执码可见；不要写任何个人信息"))


class AskForm(KitForm):
    question = forms.CharField(label=_("向举报人提问"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("举报人凭回执码和口令可见，并可匿名回复；不要写任何个人信息"))


class NoticeForm(CaseReportForm):
    """制发三书一函."""

    notice_kind = forms.ChoiceField(label=_("文书类型"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    region = RegionChoiceField(label=_("所属区域"))
    to_org = forms.ModelChoiceField(label=_("被建议单位"), queryset=None)
    issuer = forms.CharField(label=_("制发单位"), max_length=100)
    doc_number = forms.CharField(label=_("文号"), max_length=64, required=False)
    industry = forms.ChoiceField(label=_("行业领域"), choices=Industry.choices, initial=Industry.OTHER)
    problem = forms.CharField(label=_("发现的问题"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    recommendation = forms.CharField(label=_("建议"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    issued_on = forms.DateField(label=_("制发日期"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = assignable_orgs(self.user).order_by("region_id", "name")


class ReplyForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reply = forms.CharField(label=_("回复及整改情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class RevealForm(KitForm):
    reason = forms.CharField(label=_("查看事由"), max_length=200,
                             help_text=_("写明为何需要查看完整身份证号码；查看记入审计日志"))


class RectificationForm(CaseReportForm):
    """登记整改问题 (督导反馈问题整改清单)."""

    inspection = forms.CharField(label=_("督导批次"), max_length=100)
    problem = forms.CharField(label=_("反馈问题"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    region = RegionChoiceField(label=_("所属区域"))
    responsible = forms.CharField(label=_("责任单位"), max_length=100)
    to_org = forms.ModelChoiceField(label=_("交办单位"), queryset=None)
    deadline = forms.DateField(label=_("整改时限"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = assignable_orgs(self.user).order_by("region_id", "name")


class MeasuresForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    measures = forms.CharField(label=_("整改措施及进展"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class TipUnlockForm(KitForm):
    passphrase = forms.CharField(label=_("密钥口令"), max_length=256,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TipKeyForm(KitForm):
    """生成举报加密密钥 (the first, or a new one: then the current passphrase too)."""

    old_passphrase = forms.CharField(label=_("原密钥口令"), max_length=256, required=False,
                                     widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                                     help_text=_("已有密钥时必填：旧密钥保留，用新口令重新加密"))
    passphrase = forms.CharField(label=_("新密钥口令"), min_length=12, max_length=256,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                 help_text=_("至少12个字符；服务器只保存用它加密的私钥，忘记后已加密的举报无法读取"))
    passphrase2 = forms.CharField(label=_("再输一次新口令"), max_length=256,
                                  widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_key = forms.BooleanField(label=_("同时生成新的密钥对（新举报改用新密钥加密）"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("passphrase") and data.get("passphrase") != data.get("passphrase2"):
            self.add_error("passphrase2", _("两次输入的口令不一致"))
        return data


# -- the registers (organisations, suspects, assets, officials handled, candidates' joint review) --------


def _places(user, *, levels: tuple[int, ...]):
    """Where the user may register something, at the given levels (a township, a village)."""
    return Region.objects.reportable_by(user, min_level=min(levels)).filter(level__in=levels)


class OrgForm(KitForm):
    """登记涉黑涉恶组织."""

    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：张某某恶势力犯罪集团"))
    org_type = forms.ChoiceField(label=_("组织类型"), choices=unchosen(OrgType.choices))
    region = RegionChoiceField(label=_("主要活动区域"))
    broken_on = PastDateField(label=_("打掉日期"), widget=DATE)
    stage = forms.ChoiceField(label=_("诉讼阶段"), choices=OrgStage.choices, initial=OrgStage.INVESTIGATION)
    summary = forms.CharField(label=_("主要违法犯罪事实"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _places(user, levels=(RegionLevel.TOWNSHIP, RegionLevel.VILLAGE))


class StageForm(KitForm):
    """变更诉讼阶段 (the version the user saw: a stale form is refused, nothing overwritten)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    stage = forms.ChoiceField(label=_("诉讼阶段"), choices=OrgStage.choices)


class SuspectForm(KitForm):
    """添加成员/犯罪嫌疑人 of an organisation."""

    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number_value = IdNumberField(
        label=_("身份证号码"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("加密保存，页面只显示部分号码；填写后与人口库关联"))
    role_in_org = forms.CharField(label=_("组织地位"), max_length=32, required=False,
                                  help_text=_("如：组织者、骨干成员"))
    status = forms.ChoiceField(label=_("诉讼状态"), choices=SuspectStatus.choices, initial=SuspectStatus.CAUGHT)
    caught_on = PastDateField(label=_("抓获日期"), widget=DATE, required=False, help_text=_("在逃的不填"))

    def clean(self):
        data = super().clean()
        if data.get("status") and data["status"] != SuspectStatus.AT_LARGE and not data.get("caught_on") \
                and "caught_on" not in self.errors:
            self.add_error("caught_on", _("「抓获日期」为必填项（在逃的不填）"))
        return data


class AssetForm(KitForm):
    """登记涉案资产 of an organisation."""

    description = forms.CharField(label=_("资产"), max_length=200, help_text=_("如：砂场及设备、银行存款"))
    measure = forms.ChoiceField(label=_("措施"), choices=unchosen(AssetMeasure.choices))
    value = forms.DecimalField(label=_("价值(元)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2,
                               widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    on = PastDateField(label=_("日期"), widget=DATE, help_text=_("冻结、查封扣押或没收的日期"))


class OfficialForm(KitForm):
    """登记处理公职人员."""

    name = forms.CharField(label=_("姓名"), max_length=64)
    unit = forms.CharField(label=_("工作单位及职务"), max_length=100)
    region = RegionChoiceField(label=_("所属区域"))
    kind = forms.ChoiceField(label=_("问题类型"), choices=unchosen(OfficialKind.choices))
    measure = forms.ChoiceField(label=_("处理方式"), choices=unchosen(OfficialMeasure.choices))
    handled_on = PastDateField(label=_("处理日期"), widget=DATE)
    org = forms.ModelChoiceField(label=_("涉及组织"), queryset=CrimeOrg.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _places(user, levels=(RegionLevel.TOWNSHIP, RegionLevel.VILLAGE))
        self.fields["org"].queryset = CrimeOrg.objects.visible_to(user).order_by("-broken_on", "pk")


ANSWERS = (("", _("未反馈")), ("ok", _("无异议")), ("no", _("有异议")))


class CandidateForm(KitForm):
    """候选人联审登记: the candidate and each reviewing department's answer (REVIEW_DEPARTMENTS); a
    department with an objection gives its reason, and the candidate is then disqualified."""

    region = RegionChoiceField(label=_("村(社区)"))
    election_year = forms.IntegerField(label=_("换届年份"), min_value=2000, max_value=2100, help_text=_("如：2021"))
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number_value = IdNumberField(
        label=_("身份证号码"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("加密保存，页面只显示部分号码；填写后与人口库关联"))
    reviewed_on = PastDateField(label=_("联审日期"), widget=DATE, required=False, help_text=_("不填为今天"))

    sections = ((_("各部门审查意见"), tuple(n for code, _label in REVIEW_DEPARTMENTS
                                      for n in (f"check_{code}", f"reason_{code}"))),)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _places(user, levels=(RegionLevel.VILLAGE,))
        for i, (code, label) in enumerate(REVIEW_DEPARTMENTS):
            self.fields[f"check_{code}"] = forms.ChoiceField(label=label, choices=ANSWERS, required=False)
            self.fields[f"reason_{code}"] = forms.CharField(
                label=_("%(dept)s异议原因") % {"dept": label}, max_length=200, required=False,
                help_text="" if i else _("有异议时必填，如：涉黑涉恶受过刑事处罚"))

    def clean(self):
        data = super().clean()
        checks = {}
        for code, label in REVIEW_DEPARTMENTS:
            answer, reason = data.get(f"check_{code}") or "", (data.get(f"reason_{code}") or "").strip()
            if answer == "no" and not reason and f"reason_{code}" not in self.errors:
                self.add_error(f"reason_{code}", _("「%(dept)s」有异议时须写明原因") % {"dept": label})
            elif reason and not answer:
                self.add_error(f"check_{code}", _("已写「%(dept)s」的原因，请选择无异议或有异议") % {"dept": label})
            if answer:
                checks[code] = {"ok": answer == "ok", "reason": reason}
        if not checks and not self.errors:
            self.add_error(None, _("请至少填写一个部门的审查意见"))
        data["checks"] = checks
        return data
