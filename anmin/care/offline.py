"""Follow-ups with no network (docs/offline.md): the patients the worker may visit, kept encrypted on
the phone as the choices of the offline visit form, and that form on the offline workbench (its
HTML names no patient; the phone fills the choice list). A visit kept offline goes to the visits API."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anmin.core.offline import OfflineForm, OfflineSource, offline_forms, offline_sources
from anmin.people.models import SPECIAL_PERM

from .forms import VisitForm
from .models import MentalPatient

VISIT_PERM = "care.add_visit"


def patients(user, *, limit: int) -> list[dict]:
    qs = (MentalPatient.objects.visible_to(user).active().select_related("person")
          .order_by("next_followup_on", "pk")[: limit + 1])
    items = []
    for p in qs:
        due = f"应随访 {p.next_followup_on:%Y-%m-%d}" if p.next_followup_on else ""
        items.append({"title": p.person.name, "subtitle": f"{p.risk_level}级 {due}".strip(), "value": p.person_id})
    return items


def visit_form_context(user) -> dict:
    form = VisitForm(patient=MentalPatient())  # the full follow-up form; no patient named in it
    form.fields["visited_at"].widget.attrs["data-offline-now"] = ""
    return {"visit_form": form, "visit_api": reverse("people-visit-list")}


def register() -> None:
    offline_sources.register("care_patients", OfflineSource(
        "care_patients", _("随访对象"), patients, perm=(VISIT_PERM, SPECIAL_PERM), order=30, pick=True))
    offline_forms.register("care_visit", OfflineForm(
        "care_visit", _("记录随访"), "care/offline_visit.html", visit_form_context, perm=VISIT_PERM, order=30))
