"""实有人口: persons, houses and who lives where (GB/T 31000 area 2).

A person's ID number and phone are protected (encrypted, blind-indexed, shown masked); sex and birth
date are derived from the ID number and must agree with it. ``region`` is the finest known place —
the grid where known — and is the scoping key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.links import pk_url
from anmin.core.models.regions import level_of, prefix_for
from anmin.core.protected import ProtectedField, ProtectedModelMixin, Sex
from anmin.core.scoping import ScopedQuerySet, ScopePolicy

from .choices import (
    ETHNICITY_CHOICES,
    HouseUse,
    LeftBehindType,
    MigrantReason,
    PersonStatus,
    ResidenceRelation,
)

_ID_LIKE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
_PHONE_LIKE = re.compile(r"^\+?[\d\s\-]{7,16}$")
_INITIALS_LIKE = re.compile(r"^[A-Za-z]{1,40}$")


def is_protected_query(text: str) -> bool:
    """Whether a search text is an ID number or a phone (to be looked up, never put in a URL)."""
    text = (text or "").strip()
    compact = re.sub(r"[\s\-]", "", text)
    return bool(_ID_LIKE.match(compact) or (_PHONE_LIKE.match(text) and sum(c.isdigit() for c in text) >= 7))


@lru_cache(maxsize=65536)
def name_initials(name: str) -> str:
    """Pinyin initials of a Chinese name, lower case (张伟 → "zw"), for search by initials."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors=lambda chars: [c for c in chars if c.isalnum()])
    return "".join(letters).lower()[:32]


def region_prefix(region) -> str:
    """The code prefix of a region given as a Region or a code (a subtree matches ``startswith``)."""
    if region is None or region == "":
        return ""
    if hasattr(region, "prefix"):
        return region.prefix
    code = str(region)
    return prefix_for(code, level_of(code))


class PersonQuerySet(ScopedQuerySet):
    def active(self) -> PersonQuerySet:
        return self.filter(status=PersonStatus.ACTIVE)

    def inside(self, region) -> PersonQuerySet:
        prefix = region_prefix(region)
        return self.filter(region__code__startswith=prefix) if prefix else self

    def search(self, text: str) -> PersonQuerySet:
        """Name (or former name), pinyin initials, exact ID number or exact phone.

        ID numbers and phones match through the blind index only (never a pattern search over
        ciphertext); names match by substring; a run of Latin letters matches the initials.
        """
        text = (text or "").strip()
        if not text:
            return self
        if is_protected_query(text):
            return self.lookup(text)
        return self.by_name(text)

    def by_name(self, text: str) -> PersonQuerySet:
        """Name or former name (substring), pinyin initials or full pinyin (a run of Latin letters)."""
        text = (text or "").strip()
        if not text:
            return self
        if _INITIALS_LIKE.match(text.replace(" ", "")):
            from ..pinyin import matching_pks

            letters = text.replace(" ", "").lower()
            # Initials ("hxq") or full pinyin ("hexuqiang", "he xu qiang"), through the initials index.
            return self.filter(Q(name_initials__startswith=letters) | Q(pk__in=matching_pks(self, letters)))
        return self.filter(Q(name__contains=text) | Q(former_name__contains=text))

    def lookup(self, value: str) -> PersonQuerySet:
        """Exact ID number (18 or 15 digits) or phone, through the blind index; anything else: none."""
        text = (value or "").strip()
        compact = re.sub(r"[\s\-]", "", text)
        if _ID_LIKE.match(compact):
            return self.filter(id_number=compact)
        if _PHONE_LIKE.match(text) and sum(c.isdigit() for c in text) >= 7:
            return self.filter(phone=text)
        return self.none()


class Person(ProtectedModelMixin, models.Model):
    """A resident (实有人口): registered, migrant, left-behind or foreign."""

    # Names are searched by substring, which no b-tree index serves; initials by prefix, which one does.
    name = models.CharField(_("姓名"), max_length=64)
    former_name = models.CharField(_("曾用名"), max_length=64, blank=True)
    name_initials = models.CharField(
        _("姓名拼音首字母"), max_length=32, db_index=True, editable=False, help_text=_("用于按首字母查找，如 zw")
    )
    id_number = ProtectedField(
        _("公民身份号码"),
        kind="id_number",
        index=True,
        unique=True,
        blank=True,
        null=True,
        help_text=_("境外人员可不填，填写证件信息"),
    )
    phone = ProtectedField(_("联系电话"), kind="phone", index=True, blank=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=16, choices=ETHNICITY_CHOICES, default="汉族", blank=True)
    native_place = models.CharField(_("籍贯"), max_length=64, blank=True)
    marital_status = models.CharField(_("婚姻状况"), max_length=16, blank=True)
    education = models.CharField(_("学历"), max_length=16, blank=True)
    occupation = models.CharField(_("职业"), max_length=64, blank=True)
    workplace = models.CharField(_("服务处所"), max_length=128, blank=True)
    hukou_address = models.CharField(_("户籍地详址"), max_length=200, blank=True)
    current_address = models.CharField(_("现住地详址"), max_length=200, blank=True)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("最细到网格"),
    )
    grid_worker = models.ForeignKey(
        "core.User", verbose_name=_("责任网格员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)
    registered_on = models.DateField(_("登记日期"), default=clock.today)  # the business date (a demo world of 2020)

    # 流动人口 (GB/T 31000 2.x): why and since when they live here.
    is_migrant = models.BooleanField(_("流动人口"), default=False)
    migrant_reason = models.CharField(_("流入原因"), max_length=16, choices=MigrantReason.choices, blank=True)
    migrant_since = models.DateField(_("流入日期"), null=True, blank=True)
    migrant_residence_kind = models.CharField(_("住所类型"), max_length=32, blank=True)
    # 留守人员
    is_left_behind = models.BooleanField(_("留守人员"), default=False)
    left_behind_type = models.CharField(_("留守人员类型"), max_length=16, choices=LeftBehindType.choices, blank=True)
    left_behind_health = models.CharField(_("健康状况"), max_length=32, blank=True)
    left_behind_family = models.CharField(_("家庭主要成员"), max_length=128, blank=True)
    left_behind_needs = models.CharField(_("困难及诉求"), max_length=200, blank=True)
    # 境外人员
    is_foreign = models.BooleanField(_("境外人员"), default=False)
    foreign_surname = models.CharField(_("外文姓"), max_length=64, blank=True)
    foreign_given_name = models.CharField(_("外文名"), max_length=64, blank=True)
    nationality = models.CharField(_("国籍(地区)"), max_length=64, blank=True)
    foreign_document_type = models.CharField(_("证件种类"), max_length=32, blank=True)
    foreign_document_no = ProtectedField(_("证件号码"), kind="text", index=True, blank=True)
    visit_purpose = models.CharField(_("来华目的"), max_length=64, blank=True)
    arrived_on = models.DateField(_("抵达日期"), null=True, blank=True)
    expected_departure_on = models.DateField(_("预计离开日期"), null=True, blank=True)

    notes = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now, editable=False)

    objects = PersonQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("实有人口")
        verbose_name_plural = _("实有人口")
        ordering = ["region_id", "name", "pk"]
        permissions = [
            ("reveal_person", "查看完整身份证号码和电话（须填写事由）"),
            ("view_special_population", "查看特殊人群、重点青少年和严重精神障碍患者台账"),
            ("import_ledger", "导入人口与特殊人群台账"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = name_initials(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields and "name_initials" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "name_initials"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return pk_url("people:person_detail", self.pk)

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = clock.today()  # the business date: born 1996 is 24 in the demo's 2020
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))

    @property
    def categories(self) -> list[str]:
        out = []
        if self.is_migrant:
            out.append(str(_("流动人口")))
        if self.is_left_behind:
            out.append(str(_("留守人员")))
        if self.is_foreign:
            out.append(str(_("境外人员")))
        return out


class HouseQuerySet(ScopedQuerySet):
    def inside(self, region) -> HouseQuerySet:
        prefix = region_prefix(region)
        return self.filter(region__code__startswith=prefix) if prefix else self

    def rented(self) -> HouseQuerySet:
        return self.filter(is_rented=True)


class House(models.Model):
    """A house or flat (实有房屋), possibly rented out."""

    address = models.CharField(_("房屋地址"), max_length=200)
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    use = models.CharField(_("房屋用途"), max_length=16, choices=HouseUse.choices, default=HouseUse.HOME)
    is_rented = models.BooleanField(_("出租房屋"), default=False, db_index=True)
    owner = models.ForeignKey(
        Person, verbose_name=_("产权人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_houses"
    )
    owner_name = models.CharField(_("产权人姓名"), max_length=64, blank=True, help_text=_("产权人不在本平台登记时填写"))
    floor_area = models.DecimalField(_("建筑面积(㎡)"), max_digits=9, decimal_places=2, null=True, blank=True)
    rental_use = models.CharField(_("出租用途"), max_length=32, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now, editable=False)

    objects = HouseQuerySet.as_manager()
    scope = ScopePolicy(region_field="region")

    class Meta:
        verbose_name = _("实有房屋")
        verbose_name_plural = _("实有房屋")
        ordering = ["region_id", "address", "pk"]

    def __str__(self) -> str:
        return self.address

    def get_absolute_url(self) -> str:
        return pk_url("people:house_detail", self.pk)


class ResidenceQuerySet(ScopedQuerySet):
    def current(self) -> ResidenceQuerySet:
        return self.filter(until__isnull=True)


class Residence(models.Model):
    """Who lives in which house, since when (and until when)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="residences")
    house = models.ForeignKey(House, verbose_name=_("房屋"), on_delete=models.CASCADE, related_name="residences")
    relation = models.CharField(
        _("居住关系"), max_length=16, choices=ResidenceRelation.choices, default=ResidenceRelation.MEMBER
    )
    since = models.DateField(_("入住日期"), null=True, blank=True)
    until = models.DateField(_("迁出日期"), null=True, blank=True)

    objects = ResidenceQuerySet.as_manager()
    scope = ScopePolicy(region_field="house__region")

    class Meta:
        verbose_name = _("居住关系")
        verbose_name_plural = _("居住关系")
        ordering = ["house_id", "relation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "house"], condition=Q(until__isnull=True), name="residence_one_current_per_house"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.house}"

    def get_absolute_url(self) -> str:
        return self.house.get_absolute_url()
