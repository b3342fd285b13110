"""Ledger tables of the people pages. ID numbers and phones print masked (``str(Protected)``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.tables import Column, Table

from .importers import place_names


def place(obj_region):
    township, village, grid = place_names(obj_region)
    return " ".join(x for x in (township, village, grid) if x)


def date(value):
    return value.strftime("%Y-%m-%d") if value else ""


def yes_no(value) -> str:
    return _("是") if value else _("否")


class PersonTable(Table):
    columns = (
        Column("name", _("姓名"), link=True, width=10),
        Column("id_number", _("公民身份号码"), value=lambda p: str(p.id_number or ""), width=22),
        Column("sex", _("性别"), width=6),
        Column("birth_date", _("出生日期"), value=lambda p: date(p.birth_date), width=12),
        Column("phone", _("联系电话"), value=lambda p: str(p.phone or ""), width=14),
        Column("region", _("所属区划"), value=lambda p: place(p.region), width=28),
        Column("categories", _("类别"), value=lambda p: "、".join(p.categories), width=12),
        Column("status", _("状态"), width=8),
    )


class HouseTable(Table):
    columns = (
        Column("address", _("房屋地址"), link=True, width=30),
        Column("region", _("所属区划"), value=lambda h: place(h.region), width=28),
        Column("use", _("房屋用途")),
        Column("is_rented", _("出租"), value=lambda h: yes_no(h.is_rented), width=6),
        Column("owner", _("产权人"), value=lambda h: str(h.owner or h.owner_name or ""), width=10),
    )


def person_cols():
    return (
        Column("person.name", _("姓名"), link=True, width=10),
        Column("person.id_number", _("公民身份号码"), value=lambda r: str(r.person.id_number or ""), width=22),
        Column("region", _("所属区划"), value=lambda r: place(r.person.region), width=28),
    )


class SpecialTable(Table):
    columns = (
        *person_cols(),
        Column("registered_on", _("列管日期"), value=lambda r: date(r.registered_on)),
        Column("status", _("状态"), width=8),
    )


class ReleasedTable(Table):
    columns = (
        *person_cols(),
        Column("charge", _("原罪名")),
        Column("released_on", _("释放日期"), value=lambda r: date(r.released_on)),
        Column("is_resettled", _("已安置"), value=lambda r: yes_no(r.is_resettled), width=8),
        Column("status", _("状态"), width=8),
    )


class CorrectionTable(Table):
    columns = (
        *person_cols(),
        Column("correction_type", _("矫正类别")),
        Column("ends_on", _("矫正结束日期"), value=lambda r: date(r.ends_on)),
        Column("status", _("状态"), width=8),
    )


class DrugTable(Table):
    columns = (*person_cols(), Column("control", _("管控现状")), Column("status", _("状态"), width=8))


class HivTable(Table):
    columns = (*person_cols(), Column("risk_degree", _("危险程度"), width=8), Column("status", _("状态"), width=8))


class YouthTable(Table):
    columns = (
        *person_cols(),
        Column("youth_type_name", _("人员类型"), width=20),
        Column("concern_level_name", _("关注程度"), width=8),
        Column("status", _("状态"), width=8),
    )
