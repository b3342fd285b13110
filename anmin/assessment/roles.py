"""Default grants of the assessment: the city office runs it; leaders read it; a township centre
sees its own unit's result and explanation and may appeal."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.registry import RoleGrants

VIEW = ("assessment.view_scheme",)


def grants() -> RoleGrants:
    manage = ("assessment.add_scheme", "assessment.change_scheme", "assessment.score_scheme",
              "assessment.decide_veto", "assessment.publish_scheme", "assessment.view_commendation",
              "assessment.add_commendation")
    return RoleGrants("assessment", {
        Role.CITY_OFFICE: (*VIEW, *manage),
        Role.LEADER: (*VIEW, "assessment.view_commendation"),
        Role.TOWNSHIP_CENTER: (*VIEW, "assessment.appeal_scheme"),
    })
