"""Campus layers of the analytics map: schools and kindergartens with their points, and the schools
whose video surveillance is not linked to the police (the 五个100% item ``video`` missing in the
year's autumn term, from the checklist rule ``campus.five_items``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.workflow.kit import maps

from .coverage import FIVE_ITEMS
from .models import SchoolKind
from .registries import SCHOOLS


def _describe(school) -> str:
    return f"{school.name}（{SchoolKind(school.kind).label}）"  # not get_kind_display(): slow by the thousand


def register() -> None:
    maps.register(
        maps.registry_layer(SCHOOLS, key="campus.schools", label=_("学校(幼儿园)"), colour="#f08c00", order=60,
                            describe=_describe),
        maps.gap_layer(FIVE_ITEMS, key="campus.video_gaps", label=_("校园视频监控未联网"), colour="#c2255c",
                       order=61, items=("video",)),
    )
