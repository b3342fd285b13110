"""Campus pages beyond the registry kit's: the 护学岗 check-in, a phone-width form on a post (read
through ``visible_to``; the write goes through ``actions.check_in``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.formkit import KitForm
from anmin.workflow.kit.registry_views import RegistryRecordFormView

from . import actions
from .models import GuardPost
from .registries import POSTS


class CheckinForm(KitForm):
    note = forms.CharField(label=_("情况"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), help_text=_("如：秩序良好；发现可疑人员已劝离"))


class CheckinView(RegistryRecordFormView):
    """护学岗签到 at one post (phone width): 404 where the post is not visible; the action checks the
    permission."""

    registry, model = POSTS, GuardPost
    form_class = CheckinForm
    done = _("已签到")

    def title(self) -> str:
        return str(_("护学岗签到"))

    def write(self, data):
        return actions.check_in(actor=self.request.user, post=self.object, note=data.get("note", ""))
