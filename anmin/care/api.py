"""The care API (read: patients, assessments, incidents; write: visits and follow-ups).

The routes keep the paths they had when care was part of people (``/api/v1/people/visits/`` …): the
API is a contract, and clients written against it keep working.
"""

from __future__ import annotations

from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError

from anmin.core import registry
from anmin.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin
from anmin.core.idempotency import IdempotentCreateMixin
from anmin.people.api import ActionErrorsMixin, special_viewset, with_plain_choices
from anmin.people.models import Person

from . import actions
from .filters import VisitFilter
from .models import Incident, MentalPatient, RiskAssessment, Visit


class VisitSerializer(serializers.ModelSerializer):
    observations = serializers.CharField(required=False, allow_blank=True, write_only=True, max_length=2000)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "person",
            "person_name",
            "patient",
            "kind",
            "visited_at",
            "method",
            "outcome",
            "risk_level",
            "condition",
            "improved",
            "medication",
            "observations",
            "next_on",
            "recorded_by",
        ]
        read_only_fields = ["patient", "kind", "recorded_by"]


with_plain_choices(VisitSerializer, ["kind"])
with_plain_choices(VisitSerializer, ["method", "outcome", "condition", "medication", "risk_level"], read_only=False)


class VisitViewSet(
    ActionErrorsMixin, ScopedViewSetMixin, IdempotentCreateMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """走访/随访. Creating one for a patient moves the patient's next follow-up date (see actions)."""

    model = Visit
    serializer_class = VisitSerializer
    filterset_class = VisitFilter

    def get_queryset(self):
        if self.request.method == "POST":  # creating needs care.add_visit, checked by the action
            return Visit.objects.visible_to(self.request.user)
        return super().get_queryset().select_related("person").order_by("-visited_at", "-pk")

    def create_action(self):
        return actions.record_visit

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        person = data.pop("person")
        if not Person.objects.visible_to(self.request.user).filter(pk=person.pk).exists():
            raise ApiValidationError({"person": ["人员：不在您的辖区内或不存在"]})
        serializer.instance = self.run_action(actions.record_visit, person=person, **data)


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "patient",
            "level",
            "previous_level",
            "assessed_on",
            "source",
            "status",
            "assessor",
            "decided_by",
            "decided_at",
            "decision_note",
            "version",
        ]


with_plain_choices(AssessmentSerializer, ["level", "previous_level", "source", "status"])


class AssessmentViewSet(ScopedReadOnlyViewSet):
    """危险性评估 (a change of level waits for the township centre)."""

    model = RiskAssessment
    serializer_class = AssessmentSerializer
    filterset_fields = ["status", "patient"]


class IncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = ["id", "patient", "occurred_at", "severity", "place", "casualties", "handling", "reported_by"]


with_plain_choices(IncidentSerializer, ["severity"])


class IncidentViewSet(ScopedReadOnlyViewSet):
    """肇事肇祸."""

    model = Incident
    serializer_class = IncidentSerializer
    filterset_fields = ["severity", "patient"]


def register_routes() -> None:
    for prefix, viewset, basename in (
        ("people/visits", VisitViewSet, "people-visit"),
        ("people/assessments", AssessmentViewSet, "people-assessment"),
        ("people/incidents", IncidentViewSet, "people-incident"),
        ("people/mental-patients", special_viewset(MentalPatient), "people-mentalpatient"),
    ):
        registry.api_routes.register(prefix, registry.ApiRoute(prefix, viewset, basename))
