"""What care adds to a person's page in people (``people.registers``): the patient's level and next
follow-up, the button to record a visit or follow-up, and the visits on the person's timeline."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from anmin.people.models import SPECIAL_PERM
from anmin.people.models.choices import RecordStatus
from anmin.people.registers import PersonPanel, SpecialRegister

from . import actions, forms
from .models import MentalPatient, Visit


def person_context(person, user) -> dict:
    summary, buttons, events = [], [], []
    patient = None
    if user.has_perm(SPECIAL_PERM):
        patient = MentalPatient.objects.visible_to(user).filter(person=person, status=RecordStatus.ACTIVE).first()
    if patient is not None:
        due = f"{patient.next_followup_on:%Y-%m-%d}" if patient.next_followup_on else "—"
        text = _("%(n)s级") % {"n": patient.risk_level} + " · " + _("下次随访") + f" {due}"
        summary.append((_("严重精神障碍"), text, patient.get_absolute_url()))
    if user.has_perm("care.add_visit"):
        label = _("记录随访") if patient is not None else _("记录走访")
        buttons.append((label, reverse("care:person_visit", args=[person.pk]), "visit"))
    if user.has_perm("care.view_visit"):
        for v in Visit.objects.visible_to(user).filter(person=person).select_related("recorded_by")[:50]:
            label = f"{v.get_kind_display()}（{v.get_method_display()}，{v.get_outcome_display()}）"
            if v.next_on:
                label += f"，下次 {v.next_on:%Y-%m-%d}"
            events.append({"at": v.visited_at, "actor": v.recorded_by or "", "label": label})
    return {"summary": summary, "buttons": buttons, "events": events}


def register() -> None:
    from anmin.people.registers import person_panels, special_registers

    special_registers.register("care.mentalpatient", SpecialRegister(
        model=MentalPatient, form=lambda data=None: forms.PatientForm(data), register=actions.register_patient))
    person_panels.register("care", PersonPanel("care", person_context, order=10))
