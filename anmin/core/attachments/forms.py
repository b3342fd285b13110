"""The upload form every owner's page uses (it only parses input; ``actions.attach`` checks it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..formkit import KitForm
from .kinds import KINDS
from .sanitize import allowed_kinds, human_size, max_bytes


class AttachmentForm(KitForm):
    category = forms.ChoiceField(label=_("材料类型"))
    file = forms.FileField(label=_("附件"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, registration=None, **kwargs):
        super().__init__(*args, **kwargs)
        categories = list(registration.categories) if registration is not None else []
        if categories:
            self.fields["category"].choices = [("", "——"), *categories]
        else:
            del self.fields["category"]
        kinds = allowed_kinds(registration.kinds if registration is not None else None)
        self.fields["file"].widget.attrs["accept"] = ",".join(
            sorted({KINDS[k].mime for k in kinds} | {f".{KINDS[k].ext}" for k in kinds}))
        self.fields["file"].help_text = _("%(kinds)s，不超过 %(size)s；上传后自动去除作者、拍摄位置等信息") % {
            "kinds": "、".join(KINDS[k].short for k in kinds), "size": human_size(max_bytes())}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (photos of a report); their content is checked by the action."""

    def __init__(self, *args, accept: str = "image/jpeg,image/png,image/webp", scale_to: int | None = None, **kwargs):
        # ``scale_to``: the longest side, in pixels, the server keeps of a picture sent here — the page
        # scales a large one to it before sending (``anmin.js``); nothing is lost that would be kept.
        attrs = {"accept": accept, "multiple": True, **({"data-scale-to": str(scale_to)} if scale_to else {})}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
