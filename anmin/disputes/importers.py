"""The 矛盾纠纷排查化解台账 as an Excel ledger: export, and import with a dry run.

Files as offices keep them import too: the columns' other names are data
(``data/ledger_headers.json``), flat category names map to GB/T 31000 codes through
``data/category_synonyms.json`` (with "did you mean" for the rest), short and former village names
resolve within the row's township (or the importing unit's, or the one the title names), outcome
words (已化解, 正在化解, 未化解) map to the dispute's states, and each party's 住址 is the party's own.

A row whose 编号 names a dispute already in the platform is that dispute (exported earlier): it is
recognised and left alone, so exporting the ledger and dry-running the file reports nothing new and
no errors. Rows without a 编号 are new disputes, written per batch through the disputes' bulk action
``import_past_disputes`` (the case engine's ``import_cases`` underneath): open ones are opened now in
待受理, ones the ledger already shows as concluded get their history; nothing is written outside the
actions, and the number of queries does not grow with the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from anmin.core import ledgers
from anmin.core.codes import code_name, code_names
from anmin.core.i18n import source_text
from anmin.workflow.actions import PastCase, PastStep
from anmin.workflow.kit.case_ledger import CaseLedger

from . import actions
from .models import Dispute, DisputeSource, Outcome, PartyRole, RiskColour

MASK = "*"
DATA = Path(__file__).resolve().parent / "data"

#: Words offices write in 化解情况 / 调处结果, to the dispute's outcome ("" = still being mediated).
OUTCOME_WORDS = {
    "已化解": Outcome.SUCCESS, "化解成功": Outcome.SUCCESS, "调处成功": Outcome.SUCCESS, "已调解": Outcome.SUCCESS,
    "成功": Outcome.SUCCESS, "已办结": Outcome.SUCCESS, "是": Outcome.SUCCESS,
    "正在化解": Outcome.PENDING, "化解中": Outcome.PENDING, "调解中": Outcome.PENDING, "稳控中": Outcome.PENDING,
    "正在调处": Outcome.PENDING, "未办结": Outcome.PENDING,
    "未化解": Outcome.FAILED, "化解不成": Outcome.FAILED, "调解不成功": Outcome.FAILED, "调处不成": Outcome.FAILED,
    "否": Outcome.FAILED, "撤回": Outcome.WITHDRAWN, "撤销": Outcome.WITHDRAWN,
}


def category_synonyms() -> dict[str, str]:
    """Common category names → GB/T 31000 codes: the app's data file, then the city's additions."""
    import json

    table = dict(json.loads((DATA / "category_synonyms.json").read_text(encoding="utf-8"))["synonyms"])
    extra = getattr(settings, "ANMIN_DISPUTE_CATEGORY_SYNONYMS_FILE", None)
    if extra:
        table.update(json.loads(Path(extra).read_text(encoding="utf-8")).get("synonyms", {}))
    return table


def _category(obj) -> str:
    return f"{obj.category} {code_names('dispute_category').get(obj.category, '')}".strip()


def _party(role: str, attr: str):
    def get(obj):
        party = next((p for p in obj.parties.all() if p.role == role), None)
        return getattr(party, attr, "") if party is not None else ""

    return get


def _place(level: str):
    def get(obj):
        region = obj.case.region
        names = {"grid": "", "village": "", "township": ""}
        node = region
        while node is not None and node.level >= 2:
            names[{4: "grid", 3: "village", 2: "township"}[node.level]] = node.name
            node = node.parent
        return names[level]

    return get


_id_cell = ledgers.id_number(label="身份证号码")


def identity(value: Any) -> str:
    """A full ID number, or a masked one (from an export) kept as a marker — only valid on known rows."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _id_cell(value)  # a number cell: a legacy 15-digit number, or digits Excel already lost
    text = ledgers.text()(value)
    if MASK in text:
        return text
    return _id_cell(text)


def phone(value: Any) -> str:
    text = ledgers.text()(value)
    return text if MASK in text else ledgers.phone()(text)


class DisputeLedger(CaseLedger):
    key = "disputes.ledger"
    title = "矛盾纠纷排查化解台账"
    model = Dispute
    header_synonyms = DATA / "ledger_headers.json"
    person_fields = (("applicant", "applicant_id"), ("respondent", "respondent_id"))
    columns = (
        ledgers.Column("编号", "number", ledgers.text(max_length=32), export="case.number", width=18),
        ledgers.Column("纠纷名称", "title", ledgers.text(max_length=200), required=True, export="case.title",
                       width=30),
        ledgers.Column("纠纷类别", "category", "parse_category", required=True, export=_category, width=20,
                       help="GB/T 31000 二级代码，如 0902 或“0902 宅基地使用”"),
        ledgers.Column("事件规模", "scale", "parse_scale", default="01", width=16,
                       export=lambda d: code_name("event_scale", d.scale),
                       help="个体性事件、一般群体性事件、重大群体性事件（或代码 01–03）；不填为个体性事件"),
        ledgers.Column("乡镇(街道)", "township", ledgers.text(), export=_place("township")),
        ledgers.Column("村(社区)", "village", ledgers.text(), export=_place("village"), width=20,
                       help="村(社区)全称或简称（古城村、光明社区）；不填为标题所写或本单位所在的村(社区)"),
        ledgers.Column("网格", "grid", ledgers.text(), export=_place("grid")),
        ledgers.Column("登记日期", "found_on", ledgers.date(), required=True, width=12,
                       help="2020-03-05、2020/3/5、2020.3.5、2020年3月5日均可"),
        ledgers.Column("发生日期", "occurred_on", ledgers.date(), width=12),
        ledgers.Column("来源", "source", ledgers.choice(DisputeSource.choices), default=DisputeSource.SWEEP),
        ledgers.Column("涉及人数", "people_involved", ledgers.integer(min_value=1)),
        ledgers.Column("涉及金额(元)", "amount", ledgers.decimal(min_value=0)),
        ledgers.Column("风险等级", "assessed_colour", ledgers.choice(RiskColour.choices), default=RiskColour.BLUE,
                       export=lambda d: d.get_colour_display(),  # as on screen: raised by risk factors
                       help="研判的风险等级；风险因素会自动提升"),
        ledgers.Column("申请人", "applicant", ledgers.text(max_length=64), required=True,
                       export=_party(PartyRole.APPLICANT, "name")),
        ledgers.Column("申请人身份证号", "applicant_id", identity, export=_party(PartyRole.APPLICANT, "id_number"),
                       width=22),
        ledgers.Column("申请人电话", "applicant_phone", phone, export=_party(PartyRole.APPLICANT, "phone")),
        ledgers.Column("申请人住址", "applicant_address", ledgers.text(max_length=200),
                       export=_party(PartyRole.APPLICANT, "address"), width=24, help="当事人自己的住址（可在外乡镇）"),
        ledgers.Column("被申请人", "respondent", ledgers.text(max_length=64),
                       export=_party(PartyRole.RESPONDENT, "name")),
        ledgers.Column("被申请人身份证号", "respondent_id", identity,
                       export=_party(PartyRole.RESPONDENT, "id_number"), width=22),
        ledgers.Column("被申请人电话", "respondent_phone", phone, export=_party(PartyRole.RESPONDENT, "phone")),
        ledgers.Column("被申请人住址", "respondent_address", ledgers.text(max_length=200),
                       export=_party(PartyRole.RESPONDENT, "address"), width=24),
        ledgers.Column("调解结果", "outcome", ledgers.choice([c for c in Outcome.choices if c[0]],
                                                          synonyms=OUTCOME_WORDS),
                       export=lambda d: d.get_outcome_display() if d.outcome else "",
                       help="调解成功、调解不成、撤回；或已化解、正在化解、未化解"),
        ledgers.Column("调结日期", "concluded_on", ledgers.date(), width=12),
        ledgers.Column("调解协议", "agreement", ledgers.text(), width=30),
        ledgers.Column("化解时限", "deadline", ledgers.date(not_after_today=False), export=lambda d: None, width=12,
                       help="不早于登记日期；不填按规定时限"),
    )
    unique = ("number",)
    what = "纠纷"

    def prepare(self) -> None:
        super().prepare()  # places, the user's prefixes, the default place (the kit's CaseLedger)
        names = code_names("dispute_category")
        categories = {code: name for code, name in names.items() if len(code) == 4}  # GB/T 31000 二级
        by_name = {name: code for code, name in categories.items()}
        by_name.update({k: v for k, v in category_synonyms().items() if v in names})
        self.parse_category = ledgers.code(
            categories, by_name=by_name, suffixes=("纠纷", "类", "矛盾"),
            what="可识别的纠纷类别（GB/T 31000 二级类别）", examples="0902 或“宅基地使用”")
        self.scales = code_names("event_scale")
        self.scale_by_name = {name: code for code, name in self.scales.items()}

    def export_queryset(self, user=None):
        return (Dispute.objects.visible_to(user or self.user)
                .select_related("case__region__parent__parent").prefetch_related("parties").order_by("pk"))

    def parse_scale(self, value: Any) -> str:
        """事件规模 by its name (个体性事件), its code (01, or 1 from a number cell) or both (01 个体性事件)."""
        text = ledgers.text()(value)
        if text in self.scale_by_name:
            return self.scale_by_name[text]
        parts = text.split(maxsplit=1)
        code = parts[0] if parts else ""
        code = code.zfill(2) if code.isdigit() else code
        if code in self.scales and (len(parts) == 1 or parts[1] == self.scales[code]):
            return code
        choices = "、".join(f"{name}（{code}）" for code, name in self.scales.items())
        raise ValidationError(f"“{text}”不是 GB/T 31000 的事件规模（可选：{choices}）")

    def check_case_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        """The place is the kit's (``CaseLedger.check_row``); these are the dispute's own rules."""
        errors: dict[str, str] = {}
        found, concluded = values.get("found_on"), values.get("concluded_on")
        if values.get("occurred_on") and found and values["occurred_on"] > found:
            errors["occurred_on"] = "发生日期：不能晚于登记日期"
        if values.get("deadline") and found and values["deadline"] < found:
            errors["deadline"] = "化解时限：不能早于登记日期"
        if concluded and found and concluded < found:
            errors["concluded_on"] = "调结日期：不能早于登记日期"
        if values.get("outcome") and not concluded:
            if self.has_column("concluded_on"):
                errors["concluded_on"] = "调结日期：已填写调解结果时必填"
            elif found:  # the ledger has no such column: the deadline (or the day found) stands for it
                day = min(values.get("deadline") or found, ledgers.today_and_horizon()[0])
                values["concluded_on"] = max(day, found)
                row.warnings.append(self.row_error(row.row, "outcome", (
                    f"调解结果：台账没有调结日期列，按{'化解时限' if values.get('deadline') else '登记日期'}"
                    f"记为 {values['concluded_on']:%Y-%m-%d} 办结")))
        if concluded and not values.get("outcome") and "outcome" not in row.raw:  # a bad 调解结果 is its own error
            if self.has_column("outcome"):
                errors["outcome"] = "调解结果：已填写调结日期时必填"
            else:  # the ledger has no such column: an open dispute, the date is not kept
                values.pop("concluded_on", None)
                row.warnings.append(self.row_error(row.row, "concluded_on",
                                                   "调结日期：台账没有调解结果列，调结日期不导入，纠纷按未办结登记"))
        if (values.get("outcome") == Outcome.SUCCESS and not values.get("agreement") and self.has_column("agreement")
                and not values.get("number")):  # a new one; an exported row is the record as registered
            errors["agreement"] = "调解协议：调解成功时必填"
        if not values.get("number"):  # a new dispute: masked values from an export are not enough
            for f in ("applicant_id", "applicant_phone", "respondent_id", "respondent_phone"):
                if MASK in (values.get(f) or ""):
                    errors[f] = f"{self.header_of(f)}：是脱敏值，新增纠纷须填写完整号码"
        if errors:
            raise ValidationError(errors)

    def warn_rows(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
        """A party's ID number the person register holds under another name: shown before importing."""
        from anmin.core.protected import blind_index_value
        from anmin.people.models import Person

        wanted: dict[str, list[tuple[ledgers.LedgerRow, str, str]]] = {}
        for r in rows:
            for name_f, id_f in self.person_fields:
                number, name = r.values.get(id_f), r.values.get(name_f)
                if number and name and MASK not in number and not r.existing:
                    wanted.setdefault(blind_index_value(Person, "id_number", number), []).append((r, name, id_f))
        keys = list(wanted)
        for start in range(0, len(keys), 1000):
            for index, name in Person.objects.filter(id_number_index__in=keys[start:start + 1000]).values_list(
                    "id_number_index", "name"):
                for r, given, id_f in wanted[index]:
                    if given != name:
                        yield self.row_error(r.row, id_f, (
                            f"{self.header_of(id_f)}：人员库中该号码登记的姓名是“{name[:1]}*”，与“{given}”不同，"
                            "请核对；导入后当事人关联到库中该人员"), r.raw.get(id_f, ""))

    def find_existing(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
        """Besides a row's 编号 (the kit's): a row without one that is a dispute already registered —
        the same 纠纷名称, place, 登记日期 and 申请人 — is that dispute (an office's ledger imported
        again, or sent up twice), counted as 已存在 and not imported again; a second such row in the file
        is an error naming the first."""
        yield from super().find_existing(rows)
        new = [r for r in rows if r.ok and not r.existing and not r.values.get("number") and r.values.get("region")]
        if not new:
            return

        def key(v: dict[str, Any]) -> tuple:
            return v["region"], v.get("title"), v.get("found_on"), v.get("applicant")

        titles = sorted({r.values.get("title") for r in new})
        registered: set[tuple] = set()
        for start in range(0, len(titles), 1000):  # a 100,000-row ledger: within any database's parameter limit
            registered.update(Dispute.objects.visible_to(self.user)
                              .filter(case__title__in=titles[start:start + 1000], parties__role=PartyRole.APPLICANT)
                              .values_list("case__region_id", "case__title", "found_on", "parties__name"))
        first: dict[tuple, int] = {}
        for r in new:
            k = key(r.values)
            if k in registered:
                r.existing = True
            elif k in first:
                yield self.row_error(r.row, "title", (
                    f"纠纷名称：与{ledgers.where(first[k])}是同一纠纷（纠纷名称、村(社区)、登记日期、申请人均相同）"),
                    r.raw.get("title", ""))
            else:
                first[k] = r.row

    def is_new(self, row: ledgers.LedgerRow) -> bool:
        return not row.existing and not row.values.get("number")

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        """New rows, open and concluded, through the disputes' bulk import (the case engine's
        ``import_cases``): a batch of rows is a few queries, not a few per row."""
        new = [r for r in rows if self.is_new(r)]
        if new:
            self._import(new)
        return len(new)

    def _parties(self, v: dict[str, Any]) -> list[dict[str, Any]]:
        out = [{"role": PartyRole.APPLICANT, "name": v["applicant"], "id_number": v.get("applicant_id") or "",
                "phone": v.get("applicant_phone") or "", "address": v.get("applicant_address") or ""}]
        if v.get("respondent"):
            out.append({"role": PartyRole.RESPONDENT, "name": v["respondent"],
                        "id_number": v.get("respondent_id") or "", "phone": v.get("respondent_phone") or "",
                        "address": v.get("respondent_address") or ""})
        return out

    def _import(self, rows: Sequence[ledgers.LedgerRow]) -> None:
        """Open disputes are opened now, in 待受理, as ``report_dispute`` opens them; concluded ones
        from a paper ledger get their case history registered as it happened."""
        from anmin.core import clock

        tz = timezone.get_current_timezone()
        now = clock.now()

        def at(day: dt.date, hour: int) -> dt.datetime:
            return dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)

        items = []
        for r in rows:
            v = r.values
            if v.get("outcome"):
                steps = [PastStep("accept", at(v["found_on"], 9), self.user),  # the case engine replays these
                         PastStep("assign", at(v["found_on"], 10), self.user),
                         PastStep("feedback", at(v["concluded_on"], 17), self.user,
                                  data={"result": source_text(Outcome(v["outcome"]).label)}),
                         PastStep("verify_pass", at(v["concluded_on"], 18), self.user)]
                opened = at(v["found_on"], 8)
            else:
                steps, opened = [], now
            source = v.get("source") or DisputeSource.SWEEP
            case = PastCase(kind="MD", title=v["title"], region_id=v["region"], opened_at=opened, steps=steps,
                            reporter=self.user, source=source)
            items.append(actions.PastDispute(
                case=case, category=v["category"], found_on=v["found_on"], parties=self._parties(v),
                scale=v.get("scale") or "01", occurred_on=v.get("occurred_on"),
                people_involved=v.get("people_involved"), amount=v.get("amount"),
                assessed_colour=v.get("assessed_colour") or RiskColour.BLUE, outcome=v.get("outcome") or "",
                concluded_on=v.get("concluded_on") if v.get("outcome") else None,
                agreement=v.get("agreement") or ""))
        actions.import_past_disputes(items, actor=self.user, note=f"台账导入：{self.title}")
