"""The Excel ledgers centres keep today, on ``anmin.core.ledgers``: the resident list (实有人口) and
社区矫正人员台账 (care adds 严重精神障碍患者台账 on the same base). Import goes through
``people.actions``; export masks ID numbers and phones unless the user revealed them with a reason.

Every row is checked in the dry run: the ID number (GB 11643 with its check digit), a birth date or
sex that contradicts it, the 乡镇/村(社区)/网格 (must exist and lie in the user's jurisdiction), a
repeated ID number in the file, and an ID number the database already holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from anmin.core import ledgers
from anmin.core.bounds import MIN_BIRTH_DATE
from anmin.core.i18n import in_source_language
from anmin.core.models import Region
from anmin.core.models.regions import RegionLevel
from anmin.core.protected import Sex, blind_index_value, check_id_number_agrees
from anmin.core.regions_io import PlaceResolver

from . import actions
from .models import CommunityCorrection, Person
from .models.choices import ETHNICITY_CHOICES, CorrectionType, RecordStatus


def place_names(region: Region | None) -> tuple[str, str, str]:
    """(乡镇, 村(社区), 网格) names of a region, as the ledgers show them."""
    if region is None:
        return "", "", ""
    if region.level == RegionLevel.GRID:
        village = region.parent
        return (
            (village.parent.name if village and village.parent else ""),
            (village.name if village else ""),
            region.name,
        )
    if region.level == RegionLevel.VILLAGE:
        return (region.parent.name if region.parent else ""), region.name, ""
    if region.level == RegionLevel.TOWNSHIP:
        return region.name, "", ""
    return "", "", ""


def _person(path: str):
    """Export from the person a record belongs to (``path`` "" for a Person itself)."""

    def get(obj):
        return getattr(obj, path) if path else obj

    return get


def person_columns(via: str = "") -> tuple[ledgers.Column, ...]:
    """The identity and place columns every people ledger starts with."""
    p = _person(via)

    def attr(name):
        def get(obj):
            value = getattr(p(obj), name)
            display = getattr(p(obj), f"get_{name}_display", None)
            if callable(display) and value:
                with in_source_language():  # the file is read back in by the import: Chinese labels
                    return display()
            return value

        return get

    return (
        ledgers.Column("姓名", "name", ledgers.text(max_length=64), required=True, export=attr("name"), width=10),
        ledgers.Column(
            "公民身份号码",
            "id_number",
            ledgers.id_number(),
            required=True,
            aliases=("身份证号码", "身份证号", "身份证件号码", "身份号码"),
            export=attr("id_number"),
            width=22,
            help="18位，末位可为X；请设为文本格式",
        ),
        ledgers.Column(
            "性别",
            "sex",
            ledgers.choice({"男": Sex.MALE, "女": Sex.FEMALE}),
            export=attr("sex"),
            width=6,
            help="可不填，按身份证号码自动取得",
        ),
        ledgers.Column(
            "出生日期",
            "birth_date",
            ledgers.date(not_before=MIN_BIRTH_DATE),
            export=attr("birth_date"),
            width=12,
            help="可不填，按身份证号码自动取得",
        ),
        ledgers.Column(
            "联系电话", "phone", ledgers.phone(), aliases=("电话", "手机号码", "联系方式", "手机"),
            export=attr("phone"), width=14, help="手机号码或带区号的固定电话（0374-8123456）",
        ),
        ledgers.Column(
            "现住地详址",
            "current_address",
            ledgers.text(max_length=200),
            aliases=("现住址", "居住地址"),
            export=attr("current_address"),
            width=28,
        ),
        ledgers.Column(
            "乡镇(街道)",
            "township",
            ledgers.text(max_length=64),
            aliases=("乡镇", "街道"),
            export=lambda o: place_names(p(o).region)[0],
            width=12,
        ),
        ledgers.Column(
            "村(社区)",
            "village",
            ledgers.text(max_length=64),
            aliases=("村", "社区", "村居", "所属村(社区)", "所在村(社区)"),
            help="全称或简称（古城村、光明社区）；不填为标题所写或本单位所在的村(社区)",
            export=lambda o: place_names(p(o).region)[1],
            width=14,
        ),
        ledgers.Column(
            "网格",
            "grid",
            ledgers.text(max_length=64),
            aliases=("所属网格",),
            export=lambda o: place_names(p(o).region)[2],
            width=10,
        ),
    )


#: 汉 for 汉族, 回 for 回族 …: the short forms registers use.
ETHNICITY_SHORT = {str(label)[:-1]: value for value, label in ETHNICITY_CHOICES
                   if str(label).endswith("族") and len(str(label)) >= 2}

PERSON_KEYS = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "current_address",
    "former_name",
    "ethnicity",
    "hukou_address",
    "is_migrant",
    "is_left_behind",
    "registered_on",
)


class PeopleLedger(ledgers.Ledger):
    """What the three ledgers share: finding the place, checking the identity, the database check."""

    #: Whether an ID number already in the database is an error (the resident list) or the row
    #: attaches to that person (the special registers).
    existing_is_duplicate = True
    register_model: Any = None
    person_fields = (("name", "id_number"),)

    def prepare(self) -> None:
        self.places = PlaceResolver()
        self.prefixes = tuple(self.user.scope.prefixes) if self.user is not None else ("",)
        org = getattr(self.user, "org_unit", None) if self.user is not None else None
        # A register without a place column (a village's own): the place its title names, else the unit's.
        self.default_place = self.places.find_in_text(self.title_lines, within=self.prefixes) or (
            org.region_id if org is not None else "")

    def resolve_place(self, values: dict[str, Any]) -> str:
        if not values.get("village") and not self.default_place[:12].isdigit():
            raise ValidationError({"village": "村(社区)：必填（文件中没有村(社区)列，标题也没有写明村(社区)）"})
        code = self.places.resolve(
            township=values.get("township") or "", village=values.get("village") or "", grid=values.get("grid") or "",
            within=self.default_place,
        )
        if not any(code.startswith(p) for p in self.prefixes):
            village = self.places.village_names[code[:12]]  # a grid's code starts with its village's
            raise ValidationError({"village": f"村(社区)：“{village}”不在您的辖区内"})
        return code

    def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        errors: dict[str, list[str]] = {}
        try:
            values["region"] = self.resolve_place(values)
        except ValidationError as exc:
            for k, msgs in exc.message_dict.items():
                errors.setdefault(k, []).extend(msgs)
        if values.get("id_number"):
            try:
                check_id_number_agrees(
                    values["id_number"], birth_date=values.get("birth_date"), sex=values.get("sex"),
                    id_label="公民身份号码",
                )
            except ValidationError as exc:
                for k, msgs in exc.message_dict.items():
                    errors.setdefault(k, []).extend(msgs)
        if errors:
            raise ValidationError(errors)
        if not values.get("id_number"):
            return  # its own error is reported; nothing more to derive
        # The ID number is the authority for birth date and sex (they agree or were left blank).
        from anmin.core.protected import derive_birth_date_and_sex

        values["birth_date"], sex = derive_birth_date_and_sex(values["id_number"])
        values["sex"] = str(sex)
        self.check_record(values, row)

    def check_record(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        """Rules of the register's own columns."""

    def find_existing(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
        wanted: dict[str, list[ledgers.LedgerRow]] = defaultdict(list)
        for r in rows:
            number = r.values.get("id_number")
            if number and not any(e.field == "id_number" for e in r.errors):
                wanted[blind_index_value(Person, "id_number", number)].append(r)
        keys = list(wanted)
        found: dict[str, Person] = {}
        for start in range(0, len(keys), 1000):
            for p in Person.objects.filter(id_number_index__in=keys[start : start + 1000]):
                found[p.id_number_index] = p
        if not found:
            return
        visible = (
            set(
                Person.objects.visible_to(self.user)
                .filter(pk__in=[p.pk for p in found.values()])
                .values_list("pk", flat=True)
            )
            if self.user is not None
            else {p.pk for p in found.values()}
        )
        on_register = set()
        if self.register_model is not None:
            on_register = set(
                self.register_model.objects.filter(
                    person__in=list(found.values()), status=RecordStatus.ACTIVE
                ).values_list("person_id", flat=True)
            )
        for key, person in found.items():
            for r in wanted[key]:
                if self.existing_is_duplicate:
                    yield self.row_error(r.row, "id_number", "公民身份号码：已登记（与已有人员重复），请勿重复导入")
                elif person.pk not in visible:
                    yield self.row_error(r.row, "id_number", "公民身份号码：该人员已在其他辖区登记，请联系其所在辖区")
                elif person.pk in on_register:
                    yield self.row_error(
                        r.row,
                        "id_number",
                        f"公民身份号码：该人员已在{self.register_model._meta.verbose_name}台账中在册",
                    )
                elif person.name != r.values.get("name"):
                    yield self.row_error(r.row, "name", "姓名：与已登记的该身份证号码人员姓名不一致")
                else:
                    r.values["_person"] = person

    def person_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {k: values[k] for k in PERSON_KEYS if values.get(k) not in (None, "")} | {"region": values["region"]}


class ResidentLedger(PeopleLedger):
    key = "people.residents"
    title = "实有人口台账"
    model = Person
    columns = (
        *person_columns(),
        ledgers.Column("曾用名", "former_name", ledgers.text(max_length=64), export="former_name", width=10),
        ledgers.Column("民族", "ethnicity", ledgers.choice(ETHNICITY_CHOICES, synonyms=ETHNICITY_SHORT),
                       export="ethnicity", width=8, help="汉族，或简写“汉”"),
        ledgers.Column(
            "户籍地详址",
            "hukou_address",
            ledgers.text(max_length=200),
            aliases=("户籍地址",),
            export="hukou_address",
            width=28,
        ),
        ledgers.Column("流动人口", "is_migrant", ledgers.boolean(), default=False, export="is_migrant", width=8),
        ledgers.Column(
            "留守人员", "is_left_behind", ledgers.boolean(), default=False, export="is_left_behind", width=8
        ),
        ledgers.Column("登记日期", "registered_on", ledgers.date(), export="registered_on", width=12),
    )
    unique = ("id_number",)

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        people = actions.import_persons(
            actor=self.user, rows=[self.person_values(r.values) for r in rows], source=self.key, request=self.request
        )
        return len(people)


class CorrectionLedger(PeopleLedger):
    key = "people.corrections"
    title = "社区矫正人员台账"
    model = CommunityCorrection
    existing_is_duplicate = False
    register_model = CommunityCorrection
    columns = (
        *person_columns("person"),
        ledgers.Column(
            "社区矫正人员编号",
            "correction_no",
            ledgers.text(max_length=32),
            aliases=("矫正编号",),
            export="correction_no",
            width=14,
        ),
        ledgers.Column(
            "矫正类别",
            "correction_type",
            ledgers.choice(CorrectionType.choices),
            required=True,
            export="correction_type",
            width=12,
            help="管制、缓刑、假释、暂予监外执行",
        ),
        ledgers.Column(
            "具体罪名", "charge", ledgers.text(max_length=128), aliases=("罪名",), export="charge", width=14
        ),
        ledgers.Column("原判刑期", "sentence", ledgers.text(max_length=64), export="sentence", width=10),
        ledgers.Column("矫正开始日期", "starts_on", ledgers.date(), required=True, export="starts_on", width=12),
        ledgers.Column(
            "矫正结束日期", "ends_on", ledgers.date(not_after_today=False), required=True, export="ends_on", width=12
        ),
        ledgers.Column(
            "是否累惯犯", "is_recidivist", ledgers.boolean(), default=False, export="is_recidivist", width=8
        ),
    )
    unique = ("id_number",)

    def check_record(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        if values["ends_on"] <= values["starts_on"]:
            raise ValidationError({"ends_on": "矫正结束日期：须晚于矫正开始日期"})

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        items = []
        for r in rows:
            v = r.values
            record = {
                k: v[k]
                for k in (
                    "correction_no",
                    "correction_type",
                    "charge",
                    "sentence",
                    "starts_on",
                    "ends_on",
                    "is_recidivist",
                )
                if v.get(k) not in (None, "")
            }
            record.setdefault("registered_on", v["starts_on"])
            items.append({"_person": v.get("_person"), "person": self.person_values(v), "record": record})
        return actions.import_special(
            actor=self.user, model=CommunityCorrection, rows=items, source=self.key, request=self.request
        )


LEDGERS = {cls.key: cls for cls in (ResidentLedger, CorrectionLedger)}
