from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import TIP_CATEGORIES


class TipForm(forms.Form):
    submit_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    category = forms.ChoiceField(label=_("举报类别"), choices=list(TIP_CATEGORIES.items()))
    text = forms.CharField(label=_("举报内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("什么人、在哪里、做了什么；请不要写您自己的姓名"))
    contact = forms.CharField(label=_("联系电话（可不填）"), max_length=20, required=False,
                              widget=forms.TextInput(attrs={"inputmode": "tel"}),
                              help_text=_("不填也能凭回执码查看办理情况；填写后加密保存，仅办案人员可见"))


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("回执码"), min_length=16, max_length=16,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class FraudCheckForm(forms.Form):
    value = forms.CharField(label=_("电话号码、银行账号或网址"), max_length=200)
