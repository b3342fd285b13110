"""Forms of the crackdown pages. They only parse input; the rules live in ``actions``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.formkit import KitForm, unchosen
from anmin.core.forms import RegionChoiceField
from anmin.workflow.kit.forms import CaseReportForm
from anmin.workflow.rules import assignable_orgs

from .models import ClueCategory, ClueResult, ClueSource, ClueSubject, Industry, NoticeKind

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
