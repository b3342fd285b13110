"""The assessment's forms on a unit's page: the office scores a manual item and reviews an appeal.
The range of a score is the action's rule (0 to the item's points), told at the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.formkit import KitForm


class ScoreForm(KitForm):
    """One manual item's score; ``version`` is the score the reviewer saw (0: none yet)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    score = forms.DecimalField(label=_("得分"), max_digits=6, decimal_places=2,
                               widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    note = forms.CharField(label=_("评分依据"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AppealReviewForm(KitForm):
    decision = forms.CharField(label=_("复核意见"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    new_score = forms.DecimalField(label=_("复核后得分"), required=False, max_digits=6, decimal_places=2,
                                   widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                                   help_text=_("采纳时填写，替换该指标原得分"))
