"""The Excel ledgers centres keep today, on ``anmin.core.ledgers``: the resident list (实有人口) and
社区矫正人员台账 (care adds 严重精神障碍患者台账 on the same base). Import goes through
``people.actions``; export masks ID numbers and phones unless the user revealed them with a reason.

Every row is checked in the dry run: the ID number (GB 11643 with its check digit), a birth date or
sex that contradicts it, the 乡镇/村(社区)/网格 (must exist and lie in the user's jurisdiction), a
repeated ID number in the file, and an ID number the database already holds. The resident list's
export writes each resident's 平台人员编号, so the file imports again as nothing new and no errors
(masked numbers are accepted on such rows only; see ``ResidentLedger``).
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


masked_id_number = ledgers.id_number_or_mask()  # a masked number only on a known row
masked_phone = ledgers.phone_or_mask()



def person_columns(via: str = "", *, masked: bool = False) -> tuple[ledgers.Column, ...]:
    """The identity and place columns every people ledger starts with. ``masked``: the ID number
    and phone columns also take the masked values of an export (the ledger decides on which rows)."""
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
            masked_id_number if masked else ledgers.id_number(),
            required=True,
            aliases=("身份证号码", "身份证号", "身份证件号码", "身份号码", "公民身份证号码", "证件号码"),
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
            "联系电话", "phone", masked_phone if masked else ledgers.phone(),
            aliases=("电话", "手机号码", "联系方式", "手机", "手机号", "电话号码"), export=attr("phone"), width=14,
            help="手机号码或带区号的固定电话（0374-8123456）",
        ),
        ledgers.Column(
            "现住地详址",
            "current_address",
            ledgers.text(max_length=200),
            aliases=("现住址", "居住地址", "现住地址", "现居住地址", "现住地", "住址", "家庭住址"),
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


RECORD_PREFIX = "RK"


def record_no(person: Person) -> str:
    """The resident's 平台人员编号 as exports write it: what recognises the row when it comes back."""
    return f"{RECORD_PREFIX}{person.pk:08d}"


def parse_record_no(value: Any) -> int:
    text = ledgers.text()(value).upper()
    digits = text.removeprefix(RECORD_PREFIX)
    if not text.startswith(RECORD_PREFIX) or not digits.isdigit() or len(digits) > 18:
        raise ValidationError(f"“{text}”不是本平台导出的人员编号（如 {RECORD_PREFIX}00000123）；新增人员请留空")
    return int(digits)


class ResidentLedger(PeopleLedger):
    """实有人口台账. A row is a resident already registered (已存在, left alone) when its 平台人员编号
    (written by the export) names a resident the user sees with the same name and ID number (masked
    as exported, or full) — or, in a file without that column, when its masked ID number, name and
    place are those of exactly one such resident. Masked ID numbers and phones are accepted on such
    rows only; a new resident needs the full numbers, and a full ID number already registered is an
    error as before."""

    key = "people.residents"
    title = "实有人口台账"
    model = Person
    columns = (
        *person_columns(masked=True),
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
        ledgers.Column("平台人员编号", "record_no", parse_record_no, export=record_no, width=14,
                       help="导出后再导入时用于识别已登记的人员；新增人员留空"),
    )
    unique = ("id_number", "record_no")

    def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        # A masked value is a marker, not a number: kept apart (not checked against the birth date,
        # not a repeat of another row's masked number) until find_existing knows whose row it is.
        ledgers.set_aside_masks(values, ("id_number", "phone"))
        super().check_row(values, row)

    def find_existing(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
        visible = Person.objects.visible_to(self.user) if self.user is not None else Person.objects.all()
        known: dict[int, Person] = {}
        numbers = sorted({r.values["record_no"] for r in rows if r.values.get("record_no")})
        for start in range(0, len(numbers), 1000):
            known.update((p.pk, p) for p in visible.filter(pk__in=numbers[start : start + 1000]))
        rest: list[ledgers.LedgerRow] = []
        for r in rows:
            pk = r.values.get("record_no")
            if any(e.field == "record_no" for e in r.errors):
                continue  # not a number this platform wrote, or a repeat: its own error says so
            if not pk:
                rest.append(r)
            elif pk not in known:
                yield self.row_error(r.row, "record_no", (
                    f"平台人员编号：{RECORD_PREFIX}{pk:08d} 不是您辖区内已登记的人员；新增人员请留空编号"))
            else:
                yield from self._recognise(r, known[pk])
        self._by_masked_number([r for r in rest if r.values.get("masked_id_number")])
        yield from super().find_existing([r for r in rest if not r.existing])
        for r in rest:
            if r.existing:
                continue
            for f in ("id_number", "phone"):
                if r.values.get(f"masked_{f}"):
                    yield self.row_error(r.row, f, f"{self.header_of(f)}：是脱敏值，新增人员须填写完整号码")

    def _recognise(self, r: ledgers.LedgerRow, person: Person) -> Iterable[ledgers.RowError]:
        """The row names ``person`` by its 平台人员编号: it is that resident if name and ID number agree."""
        v = r.values
        if any(e.field == "name" for e in r.errors):
            return
        if v.get("name") != person.name:
            yield self.row_error(r.row, "name", "姓名：与该平台人员编号登记的姓名不一致")
            return
        stored = person.id_number
        if v.get("masked_id_number"):
            agrees = bool(stored) and stored.masked == v["masked_id_number"]
        elif v.get("id_number"):
            agrees = person.id_number_index == blind_index_value(Person, "id_number", v["id_number"])
        elif not stored:  # registered without one (a foreigner): the exported cell is empty
            agrees = True
            r.errors[:] = [e for e in r.errors if e.field != "id_number"]
        else:
            return  # its own error (必填) is reported
        if not agrees:
            if not any(e.field == "id_number" for e in r.errors):
                yield self.row_error(r.row, "id_number", "公民身份号码：与该平台人员编号登记的号码不一致")
            return
        r.existing = True

    def _by_masked_number(self, rows: Sequence[ledgers.LedgerRow]) -> None:
        """A file exported before the 平台人员编号 column: a masked ID number with the name and place
        of exactly one resident the user sees is that resident."""
        rows = [r for r in rows if r.ok and r.values.get("region") and r.values.get("name")]
        if not rows:
            return
        visible = Person.objects.visible_to(self.user) if self.user is not None else Person.objects.all()
        names = sorted({r.values["name"] for r in rows})
        found: dict[tuple, list[int]] = defaultdict(list)
        for start in range(0, len(names), 1000):
            for p in visible.filter(name__in=names[start : start + 1000]).exclude(id_number=None).only(
                    "pk", "name", "region_id", "id_number"):
                found[(p.name, p.region_id, p.id_number.masked)].append(p.pk)
        for r in rows:
            match = found.get((r.values["name"], r.values["region"], r.values["masked_id_number"]), [])
            if len(match) == 1:
                r.existing = True

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
            aliases=("矫正编号", "矫正人员编号"),
            export="correction_no",
            width=14,
        ),
        ledgers.Column(
            "矫正类别",
            "correction_type",
            ledgers.choice(CorrectionType.choices),
            required=True,
            aliases=("矫正类型", "社区矫正类别"),
            export="correction_type",
            width=12,
            help="管制、缓刑、假释、暂予监外执行",
        ),
        ledgers.Column(
            "具体罪名", "charge", ledgers.text(max_length=128), aliases=("罪名",), export="charge", width=14
        ),
        ledgers.Column("原判刑期", "sentence", ledgers.text(max_length=64), aliases=("刑期", "原判刑罚"),
                       export="sentence", width=10),
        ledgers.Column("矫正开始日期", "starts_on", ledgers.date(), required=True, export="starts_on", width=12,
                       aliases=("矫正起始日期", "矫正起始时间", "矫正起日", "入矫日期", "矫正期限起", "矫正起止日期起",
                                "矫正起止时间起", "社区矫正起止日期起", "社区矫正起止时间起", "矫正期起", "起始日期")),
        ledgers.Column(
            "矫正结束日期", "ends_on", ledgers.date(not_after_today=False), required=True, export="ends_on", width=12,
            aliases=("矫正期满日期", "矫正终止日期", "矫正截止日期", "矫正止日", "期满日期", "矫正期限止",
                     "矫正起止日期止", "矫正起止时间止", "社区矫正起止日期止", "社区矫正起止时间止", "矫正期止",
                     "终止日期"),
        ),
        ledgers.Column(
            "是否累惯犯", "is_recidivist", ledgers.boolean(), default=False, export="is_recidivist", width=8,
            aliases=("是否累犯", "累犯惯犯", "是否累犯惯犯"),
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
