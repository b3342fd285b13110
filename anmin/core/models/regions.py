"""The jurisdiction tree: city → 乡镇(街道) → 村(社区) → 网格, keyed by statistical division codes.

A region's primary key is its code, so every foreign key to a region stores the code itself and
"inside this township" is a prefix match on the referencing column (no join, indexable on both
SQLite and PostgreSQL).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedQuerySet, ScopePolicy


class RegionLevel(models.IntegerChoices):
    CITY = 1, _("市(县)")
    TOWNSHIP = 2, _("乡镇(街道)")
    VILLAGE = 3, _("村(社区)")
    GRID = 4, _("网格")


TOWNSHIP_DIGITS = 9  # a township's prefix: the first nine digits of every code inside it


def prefix_for(code: str, level: int) -> str:
    """The code prefix shared by a region and everything inside it."""
    if level == RegionLevel.CITY:
        return code[:6]
    if level == RegionLevel.TOWNSHIP:
        return code[:TOWNSHIP_DIGITS]
    return code


class InTownship(models.Lookup):
    """``…region__code__township="411081106"``: the code's first nine digits are the township's — the
    rows of ``__startswith`` a township's prefix, written as an expression an index can hold ahead of
    another column. A township's newest cases are then one range of ``case_township_opened`` read
    backwards, where the region prefix's range (``LIKE '411081106%'``) holds them village by village and
    grid by grid and has to be read whole and sorted (decision 0024)."""

    lookup_name = "township"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"LEFT({lhs}, {TOWNSHIP_DIGITS}) = {rhs}", (*lhs_params, *rhs_params)

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"SUBSTR({lhs}, 1, {TOWNSHIP_DIGITS}) = {rhs}", (*lhs_params, *rhs_params)


def level_of(code: str) -> int:
    """Level from the shape of a statistical division code (12 digits; grids add a suffix)."""
    if len(code) > 12:
        return RegionLevel.GRID
    if code[6:] == "000000":
        return RegionLevel.CITY
    if code[9:] == "000":
        return RegionLevel.TOWNSHIP
    return RegionLevel.VILLAGE


class RegionQuerySet(ScopedQuerySet):
    def inside(self, region: Region | str) -> RegionQuerySet:
        prefix = region.prefix if isinstance(region, Region) else region
        return self.filter(code__startswith=prefix)

    def townships(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.TOWNSHIP)

    def villages(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.VILLAGE)

    def reportable_by(self, user, *, finest_first: bool = False, min_level: int = 3) -> RegionQuerySet:
        """Where ``user`` may register something new: the villages and grids (levels from
        ``min_level`` down) inside their business jurisdiction — a grid worker's own grids, a centre's
        area. The one answer to "where may I report" for every domain's form, API and action."""
        prefixes = getattr(getattr(user, "scope", None), "prefixes", ())
        if not prefixes:
            return self.none()
        q = models.Q()
        for prefix in prefixes:
            q |= models.Q(code__startswith=prefix)
        return self.filter(q, level__gte=min_level).select_related("parent__parent").order_by("code")

    def grids(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.GRID)


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=16, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("层级"), choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(
        _("类型"),
        max_length=16,
        blank=True,
        help_text=_("填写代码：city（市）、town（镇、乡）、subdistrict（街道）、village（村）、community（社区）、grid（网格）"),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    prefix = models.CharField(_("辖区前缀"), max_length=16, db_index=True, editable=False)

    objects = RegionQuerySet.as_manager()
    scope = ScopePolicy(region_field="code", reference_data=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.level:
            self.level = level_of(self.code)
        self.prefix = prefix_for(self.code, self.level)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("core:region_detail", args=[self.code])

    def contains(self, other: Region | str) -> bool:
        code = other.code if isinstance(other, Region) else other
        return code.startswith(self.prefix)

    @property
    def full_name(self) -> str:
        names = [self.name]
        node = self
        while node.parent_id and node.level > RegionLevel.TOWNSHIP:
            node = node.parent
            names.insert(0, node.name)
        return " / ".join(names)

    def ancestor_codes(self) -> list[str]:
        """Codes of the enclosing regions (city, township, village), derived from the code itself."""
        out = []
        if self.level > RegionLevel.CITY:
            out.append(self.code[:6] + "000000")
        if self.level > RegionLevel.TOWNSHIP:
            out.append(self.code[:9] + "000")
        if self.level > RegionLevel.VILLAGE:
            out.append(self.code[:12])
        return out

    @property
    def township_code(self) -> str | None:
        return self.code[:9] + "000" if self.level >= RegionLevel.TOWNSHIP else None


# Only on the code (every foreign key to a region compares its own column: ``case__region__code__township``).
Region._meta.get_field("code").register_lookup(InTownship)
