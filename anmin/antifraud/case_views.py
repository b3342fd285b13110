"""The fraud case's own forms at phone width: a suspect caught later (增加嫌疑人) and moved along the
procedure (诉讼阶段), a card found later (增加涉案卡) or frozen (冻结), and the case's sums (破案、冻结资金、
返还受害人). Each page reads the case through ``visible_to`` (404 outside the user's scope) and
writes through the domain's actions, whose errors land on the form."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core.errors import run_action
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.views.base import InvalidFormIs400, ScopedMixin

from . import actions
from .forms import CardForm, FraudCaseRegisterForm, FraudCaseUpdateForm, FreezeForm, SuspectForm, SuspectStatusForm
from .models import FraudCard, FraudCase, Suspect


class RegisterFraudCaseView(InvalidFormIs400, ScopedMixin, IdempotentFormMixin, FormView):
    """登记电诈案件: a case reported at the station, not opened from a warning lead. The victim and the
    suspect are linked to the person register as the action does for every case."""

    model = FraudCase
    required_perm = scoped_create = actions.cases.ADD_PERM
    template_name = "anmin/form.html"
    form_class = FraudCaseRegisterForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("登记电诈案件"), submit_label=_("登记"),
                                        cancel_url=reverse("antifraud:case_list"), **kwargs)

    def form_valid(self, form):
        d = form.cleaned_data
        victim = {"name": d["victim_name"], "id_number": d["victim_id_number"], "phone": d["victim_phone"],
                  "loss": d["loss"]}
        suspects = [{"name": d["suspect_name"], "id_number": d["suspect_id_number"]}] if d["suspect_name"] else []
        fc, status = run_action(
            form, actions.register_fraud_case, actor=self.request.user, region=d["region"],
            police_case_number=d["police_case_number"], fraud_type=d["fraud_type"], title=d["title"],
            filed_on=d["filed_on"], victims=[victim], suspects=suspects, amount_involved=d["amount_involved"],
            field_map={"victims[0].name": "victim_name", "victims[0].id_number": "victim_id_number",
                       "victims[0].phone": "victim_phone", "victims[0].loss": "loss",
                       "suspects[0].name": "suspect_name", "suspects[0].id_number": "suspect_id_number"})
        if fc is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, _("已登记电诈案件 %(n)s") % {"n": fc.police_case_number})
        return HttpResponseRedirect(fc.get_absolute_url())


class FraudCaseFormView(InvalidFormIs400, ScopedMixin, FormView):
    model = FraudCase
    template_name = "anmin/form.html"
    title: ClassVar[Any] = ""
    done: ClassVar[Any] = _("已保存")
    row_of_case: ClassVar[bool] = False  # the page is about one of the case's rows (a suspect, a card)

    def dispatch(self, request, *args, **kwargs):
        found = self.get_queryset().filter(pk=kwargs["pk"]).first()  # visible_to: 404 outside the scope
        if found is None:
            raise Http404
        self.row = found if self.row_of_case else None
        self.object = found.fraud_case if self.row_of_case else found
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        what = f"{self.object.police_case_number}{' · ' + str(self.row) if self.row is not None else ''}"
        return super().get_context_data(title=f"{self.title}：{what}", object=self.object,
                                        cancel_url=self.object.get_absolute_url(), **kwargs)

    def write(self, data: dict) -> Any:
        raise NotImplementedError

    def form_valid(self, form):
        result, status = run_action(form, lambda: self.write(dict(form.cleaned_data)))
        if result is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, self.done)
        return HttpResponseRedirect(self.object.get_absolute_url())


class AddSuspectView(FraudCaseFormView):
    form_class = SuspectForm
    title = _("增加犯罪嫌疑人")

    def write(self, data):
        return actions.add_suspect(actor=self.request.user, fraud_case=self.object, **data)


class SuspectStatusView(FraudCaseFormView):
    model = Suspect
    form_class = SuspectStatusForm
    title = _("更新诉讼阶段")
    row_of_case = True

    def get_initial(self):
        return {"status": self.row.status}

    def write(self, data):
        return actions.set_suspect_status(actor=self.request.user, suspect=self.row, **data)


class AddCardView(FraudCaseFormView):
    form_class = CardForm
    title = _("增加涉案卡")

    def write(self, data):
        return actions.add_card(actor=self.request.user, fraud_case=self.object, **data)


class FreezeCardView(FraudCaseFormView):
    model = FraudCard
    form_class = FreezeForm
    title = _("冻结涉案卡")
    row_of_case = True

    def write(self, data):
        return actions.freeze_card(actor=self.request.user, card=self.row, **data)


class UpdateFraudCaseView(FraudCaseFormView):
    form_class = FraudCaseUpdateForm
    title = _("立案、破案与资金")

    def get_initial(self):
        o = self.object
        return {"version": o.version, "police_case_number": o.police_case_number, "solved_on": o.solved_on,
                "amount_frozen": o.amount_frozen,
                "amount_returned": o.amount_returned}

    def write(self, data):
        version = data.pop("version")
        return actions.update_fraud_case(actor=self.request.user, fraud_case=self.object, expected_version=version,
                                         **data)
