from __future__ import annotations

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.attachments.forms import MultipleFileField
from anmin.core.attachments.sanitize import image_max_side
from anmin.core.formkit import KitForm, PhoneField

from .actions import TIP_CATEGORIES


class TipForm(KitForm):
    submit_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    category = forms.ChoiceField(label=_("举报类别"), choices=list(TIP_CATEGORIES.items()))
    text = forms.CharField(label=_("举报内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("什么人、在哪里、做了什么；请不要写您自己的姓名"))
    files = MultipleFileField(
        label=_("附件（可不填）"), required=False, accept="image/jpeg,image/png,image/webp,application/pdf",
        scale_to=image_max_side(),
        help_text=_("照片或PDF，最多3个，每个不超过5 MB；上传后去除拍摄位置、设备等信息并加密保存"))
    contact = PhoneField(label=_("联系电话（可不填）"), required=False,
                              widget=forms.TextInput(attrs={"inputmode": "tel"}),
                              help_text=_("不填也能凭回执码查看办理情况；填写后加密保存，仅办案人员可见"))
    passphrase = forms.CharField(label=_("查询口令"), min_length=8, max_length=128,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                 help_text=_("自己设一个至少8位的口令，和回执码一起用来查看答复、补充情况；忘记后无法找回"))
    passphrase2 = forms.CharField(label=_("再输一次口令"), max_length=128,
                                  widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("passphrase") and data.get("passphrase") != data.get("passphrase2"):
            self.add_error("passphrase2", _("两次输入的口令不一致"))
        return data


class ReceiptForm(KitForm):
    # People copy a 16-digit number in groups ("9975 8906 8353 6599") or with a phone's full-width
    # digits: the field takes up to 32 characters (a maxlength of 16 cut a grouped code short in the
    # browser) and keeps only the digits.
    code = forms.CharField(label=_("回执码"), max_length=32,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    passphrase = forms.CharField(label=_("查询口令"), max_length=128, required=False,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def clean_code(self):
        code = "".join(c for c in unicodedata.normalize("NFKC", self.cleaned_data["code"]) if c not in " -\u3000")
        if not (len(code) == 16 and code.isdigit() and code.isascii()):
            raise forms.ValidationError(_("「回执码」应为16位数字（可带空格），请对照举报时显示的回执码"))
        return code


class AnswerForm(KitForm):
    token = forms.CharField(widget=forms.HiddenInput, max_length=300)
    answer = forms.CharField(label=_("回复或补充情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("匿名提交，请不要写您自己的姓名"))


class FraudCheckForm(KitForm):
    value = forms.CharField(label=_("电话号码、银行账号或网址"), max_length=200)
