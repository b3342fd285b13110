"""严重精神障碍患者: the patient register, with the approved risk level and the follow-up schedule.

A register on a person like people's special registers (it extends ``SpecialRecord``), kept by care;
its table kept the name it had in ``people``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.core.links import pk_url
from anmin.core.protected import ProtectedField
from anmin.people.models.choices import Condition, TreatmentStatus
from anmin.people.models.special import RISK_LEVELS, SpecialQuerySet, SpecialRecord


class MentalPatientQuerySet(SpecialQuerySet):
    def at_or_above(self, level: int):
        return self.filter(risk_level__gte=level)

    def overdue(self, today):
        return self.active().filter(next_followup_on__lt=today)

    def due_by(self, day):
        return self.active().filter(next_followup_on__lte=day)

    def with_team_status(self, groups: list[list[str]]):
        """Annotate ``team_complete``: every required group of the configured care team has an
        active member (one EXISTS per group, so the figure is computed from the member records)."""
        from django.db.models import Exists, OuterRef, Q

        from .records import CareTeamMember

        conditions = Q()
        annotations = {}
        for i, roles in enumerate(groups):
            name = f"_team_has_{i}"
            annotations[name] = Exists(
                CareTeamMember.objects.filter(patient=OuterRef("pk"), role__in=roles, until__isnull=True)
            )
            conditions &= Q(**{name: True})
        qs = self.annotate(**annotations)
        return qs, conditions

    def team_complete(self, groups: list[list[str]]):
        qs, cond = self.with_team_status(groups)
        return qs.filter(cond)

    def team_incomplete(self, groups: list[list[str]]):
        qs, cond = self.with_team_status(groups)
        return qs.exclude(cond)


class MentalPatient(SpecialRecord):
    """严重精神障碍患者, with the approved risk level and the follow-up schedule.

    ``risk_level`` is the level last approved (or set at registration); a different level from a
    later assessment waits for the township centre's approval. ``next_followup_on`` is moved by each
    follow-up and by approvals, under the configurable rules in ``care.rules``.
    """

    kind_key = "mental"
    risk_signal = "severe_mental_disorder"  # published by care (``care.risk``)

    diagnosis = ProtectedField(_("诊断"), kind="text", blank=True)
    risk_level = models.PositiveSmallIntegerField(_("危险性评估等级"), choices=RISK_LEVELS, default=0, db_index=True)
    risk_level_since = models.DateField(_("等级评定日期"), null=True, blank=True)
    condition = models.CharField(_("病情"), max_length=16, choices=Condition.choices, blank=True)
    guardian_name = models.CharField(_("监护人姓名"), max_length=64, blank=True)
    guardian_relation = models.CharField(_("与患者关系"), max_length=16, blank=True)
    guardian_phone = ProtectedField(_("监护人联系电话"), kind="phone", blank=True)
    has_incident_history = models.BooleanField(
        _("有肇事肇祸史"), default=False, help_text=_("建档前的肇事肇祸经历；建档后的以肇事肇祸登记为准")
    )
    treatment = models.CharField(_("治疗情况"), max_length=16, choices=TreatmentStatus.choices, blank=True)
    hospital = models.CharField(_("治疗医院"), max_length=128, blank=True)
    rehab_org = models.CharField(_("康复机构"), max_length=128, blank=True)
    economic_status = models.CharField(_("经济状况"), max_length=16, blank=True)
    last_followup_on = models.DateField(_("上次随访日期"), null=True, blank=True)
    last_condition = models.CharField(_("上次随访病情"), max_length=16, choices=Condition.choices, blank=True)
    next_followup_on = models.DateField(_("下次随访日期"), null=True, blank=True, db_index=True)

    objects = MentalPatientQuerySet.as_manager()

    class Meta(SpecialRecord.Meta):
        verbose_name = _("严重精神障碍患者")
        verbose_name_plural = _("严重精神障碍患者")
        db_table = "people_mentalpatient"  # the table kept its name when care left people
        permissions = [("approve_risk_level", "审批危险性评估等级变更"), ("read_care_notes", "查看诊断和随访记录")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="people_mentalpatient_one_active"
            )
        ]

    def get_absolute_url(self) -> str:
        return pk_url("care:mental_detail", self.pk)
