"""The residents of a grid worker's grids on their phone (docs/offline.md): names and places only,
from ``visible_to`` and inside the worker's own grids (a centre's phone keeps no residents list)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.core.offline import OfflineSource, offline_sources

from .models import Person


def residents(user, *, limit: int) -> list[dict]:
    prefixes = [g.prefix for g in user.grids.all()]
    if not prefixes:
        return []
    inside = Q()
    for prefix in prefixes:
        inside |= Q(region__code__startswith=prefix)
    qs = (Person.objects.visible_to(user).active().filter(inside).select_related("region")
          .order_by("region_id", "name", "pk")[: limit + 1])
    return [{"title": p.name, "subtitle": p.region.name if p.region_id else "", "url": p.get_absolute_url(),
             "value": p.pk} for p in qs]


def register() -> None:
    offline_sources.register("residents", OfflineSource("residents", _("本网格居民"), residents,
                                                        perm="people.view_person", order=20))
