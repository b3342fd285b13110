"""Care publishes one risk signal in the person register: a patient at risk level 3 or more.

Other registries subscribe (a dispute whose party carries it turns red, with the reason on its
timeline). Every care action that can change a patient's level or standing calls
``people.risk.signals_changed`` inside its transaction: registering (one by one or from a ledger),
approving a level change, closing the register (people's ``close_special``).
"""

from __future__ import annotations

from collections.abc import Iterable

from anmin.people.models.choices import RecordStatus
from anmin.people.risk import RiskSignal

from .models import MentalPatient

SIGNAL = MentalPatient.risk_signal  # "severe_mental_disorder"
MIN_LEVEL = 3


def level_3_up(person_ids: Iterable[int]) -> dict[int, str]:
    """{person id: reason} for the persons among ``person_ids`` on the register at level ≥ 3 now."""
    rows = MentalPatient.objects.filter(
        person_id__in=list(person_ids), status=RecordStatus.ACTIVE, risk_level__gte=MIN_LEVEL
    ).values_list("person_id", "risk_level")
    return {pid: f"严重精神障碍患者，风险等级{level}级" for pid, level in rows}


def signal() -> RiskSignal:
    return RiskSignal(SIGNAL, "严重精神障碍患者（3级及以上）", level_3_up, app="care")
