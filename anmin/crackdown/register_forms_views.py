"""Pages that write the crackdown registers: 登记涉黑涉恶组织 (on the organisation ledger), on an
organisation's page 变更诉讼阶段, 添加成员/犯罪嫌疑人 and 登记涉案资产, 登记处理公职人员 (on the officials'
ledger) and 候选人联审登记 (on the candidates' ledger).

Each page exists only for holders of the action's permission (``required_perm``: anyone else gets 404,
the authorization matrix's rule) and writes only through the action, which checks the permission and
the jurisdiction itself. A form's errors come back at its fields with what was typed kept (400; the
action's refusals 403/404, a stale stage change 409 with nothing overwritten); a retried 新建 (the same
``idempotency_key``) makes one record."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core.errors import run_action
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.links import pk_param
from anmin.core.views.base import InvalidFormIs400, ScopedMixin

from . import actions, forms
from .models import Candidate, CrimeOrg, Official


class RegisterFormView(InvalidFormIs400, ScopedMixin, IdempotentFormMixin, FormView):
    """A phone-width form that writes one register record through ``write(data)``."""

    template_name = "anmin/form.html"
    title: ClassVar[Any] = ""
    submit_label: ClassVar[Any] = _("登记")
    done: ClassVar[Any] = _("已登记")
    cancel_url_name: ClassVar[str] = ""
    user_form: ClassVar[bool] = True  # the form offers the user's places and records (``user=``)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "user": self.request.user} if self.user_form else kwargs

    def cancel_url(self) -> str:
        return reverse(self.cancel_url_name)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        return super().get_context_data(submit_label=self.submit_label, cancel_url=self.cancel_url(), **kwargs)

    def write(self, data: dict) -> Any:
        raise NotImplementedError

    def done_url(self, record) -> str:
        return record.get_absolute_url()

    def conflicted(self, form) -> None:
        """Someone else changed the record after the form was opened: nothing was saved."""

    def form_valid(self, form):
        record, status = run_action(form, lambda: self.write(dict(form.cleaned_data)))
        if status == 409:
            self.conflicted(form)
        if record is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, self.done % {"name": str(record)})
        return HttpResponseRedirect(self.done_url(record))


class OrgCreateView(RegisterFormView):
    model = CrimeOrg
    required_perm = scoped_create = "crackdown.add_crimeorg"
    form_class = forms.OrgForm
    title, submit_label = _("登记涉黑涉恶组织"), _("登记组织")
    done = _("已登记涉黑涉恶组织：%(name)s")
    cancel_url_name = "crackdown:org_list"

    def write(self, d):
        return actions.register_org(actor=self.request.user, name=d["name"], org_type=d["org_type"],
                                    region=d["region"], broken_on=d["broken_on"], stage=d["stage"],
                                    summary=d["summary"])


class OfficialCreateView(RegisterFormView):
    model = Official
    required_perm = scoped_create = "crackdown.add_official"
    form_class = forms.OfficialForm
    title, submit_label = _("登记处理公职人员"), _("登记")
    done = _("已登记处理公职人员：%(name)s")
    cancel_url_name = "crackdown:official_list"

    def get_initial(self):
        # 登记处理公职人员 from an organisation's page: that organisation chosen (when the user sees it).
        org = CrimeOrg.objects.visible_to(self.request.user).filter(pk=pk_param(self.request.GET.get("org"))).first()
        return {"org": org.pk} if org is not None else {}

    def write(self, d):
        return actions.record_official(actor=self.request.user, name=d["name"], unit=d["unit"], region=d["region"],
                                       kind=d["kind"], measure=d["measure"], handled_on=d["handled_on"],
                                       org=d["org"])


class CandidateCreateView(RegisterFormView):
    model = Candidate
    required_perm = scoped_create = "crackdown.add_candidate"
    form_class = forms.CandidateForm
    title, submit_label = _("候选人联审登记"), _("登记联审结果")
    done = _("已登记候选人联审：%(name)s")
    cancel_url_name = "crackdown:candidate_list"

    def write(self, d):
        return actions.review_candidate(actor=self.request.user, region=d["region"], name=d["name"],
                                        election_year=d["election_year"], checks=d["checks"],
                                        id_number_value=d["id_number_value"], reviewed_on=d["reviewed_on"])


class OrgFormView(RegisterFormView):
    """A form on one organisation (``<pk>``, fetched through ``visible_to``: 404 outside the scope);
    back to the organisation's page."""

    model = CrimeOrg
    user_form = False

    def dispatch(self, request, *args, **kwargs):
        if self.required_perm and not request.user.has_perm(self.required_perm):
            raise Http404
        self.object = self.get_queryset().select_related("region").filter(pk=kwargs["pk"]).first()
        if self.object is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def cancel_url(self) -> str:
        return self.object.get_absolute_url()

    def done_url(self, record) -> str:
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.title}：{self.object.name}", object=self.object, **kwargs)


class StageView(OrgFormView):
    required_perm = "crackdown.change_crimeorg"
    form_class = forms.StageForm
    title, submit_label = _("变更诉讼阶段"), _("保存")
    done = _("已变更诉讼阶段：%(name)s")

    def get_initial(self):
        return {"version": self.object.version, "stage": self.object.stage}

    def conflicted(self, form) -> None:
        # What the stage is now (the form keeps the version it was opened on: reopening the page
        # shows the newer one, and only then may the user change it).
        self.object.refresh_from_db()
        form.add_error(None, _("当前诉讼阶段：%(stage)s") % {"stage": self.object.get_stage_display()})

    def write(self, d):
        return actions.set_org_stage(actor=self.request.user, org=self.object, stage=d["stage"],
                                     expected_version=d["version"])


class SuspectAddView(OrgFormView):
    required_perm = "crackdown.add_suspect"
    form_class = forms.SuspectForm
    title, submit_label = _("添加成员/犯罪嫌疑人"), _("添加")
    done = _("已添加成员/犯罪嫌疑人：%(name)s")

    def write(self, d):
        return actions.add_suspect(actor=self.request.user, org=self.object, name=d["name"],
                                   id_number_value=d["id_number_value"], role_in_org=d["role_in_org"],
                                   status=d["status"], caught_on=d["caught_on"])


class AssetAddView(OrgFormView):
    required_perm = "crackdown.add_asset"
    form_class = forms.AssetForm
    title, submit_label = _("登记涉案资产"), _("登记")
    done = _("已登记涉案资产：%(name)s")

    def write(self, d):
        return actions.add_asset(actor=self.request.user, org=self.object, description=d["description"],
                                 measure=d["measure"], value=d["value"], on=d["on"])

