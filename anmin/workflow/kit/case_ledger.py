"""The Excel ledger of a case domain, the parts every one repeats (on ``anmin.core.ledgers``):

* ``编号``: a row naming a case of the domain the user sees (an earlier export) is that case —
  counted as 已存在 and left alone; a number the user does not see is an error; new rows leave it empty;
* ``乡镇(街道)`` / ``村(社区)`` / ``网格``: resolved by official, short or former names within the row's
  township, else the place the title rows name (inside the user's area), else the importing unit's
  own; outside the user's jurisdiction is an error on the row; the code lands in ``values["region"]``;
* the same four columns exported from the case (re-importable as they are).

A domain's ledger subclasses ``CaseLedger``, puts ``*CaseLedger.place_columns()`` among its columns,
and writes its own columns, checks (``check_case_row``) and ``save`` (through its actions)::

    class GridEventLedger(CaseLedger):
        key, title, model = "grid.events", "网格事件台账", GridEvent
        columns = (*CaseLedger.place_columns(), ledgers.Column("事件类别", "category", ...), ...)
        def save(self, rows): ...   # actions.report_event(actor=self.user, region=r.values["region"], ...)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from anmin.core import ledgers


def _place(level: int):
    def get(obj):
        node = obj.case.region
        while node is not None and node.level > level:
            node = node.parent
        return node.name if node is not None and node.level == level else ""

    return get


#: What offices write in 紧急程度 for a workflow's default priorities (``Workflow.priorities``: 紧急 / 一般 /
#: 疑难复杂), each to the label it means.
PRIORITY_WORDS = {
    **dict.fromkeys(("普通", "正常", "常规", "不急", "一般事项"), "一般"),
    **dict.fromkeys(("特急", "加急", "急", "紧急事项", "特别紧急", "很急"), "紧急"),
    **dict.fromkeys(("疑难", "复杂", "疑难事项", "复杂疑难"), "疑难复杂"),
}


class CaseLedger(ledgers.Ledger):
    what = "事项"  # what the domain calls its records, for the messages ("纠纷")

    @staticmethod
    def place_columns() -> tuple[ledgers.Column, ...]:
        return (
            ledgers.Column("编号", "number", ledgers.text(max_length=32), export="case.number", width=18,
                           help="导出后再导入时用于识别已登记的事项；新增留空"),
            ledgers.Column("乡镇(街道)", "township", ledgers.text(), export=_place(2)),
            ledgers.Column("村(社区)", "village", ledgers.text(), export=_place(3), width=20,
                           help="村(社区)全称或简称（古城村、光明社区）；不填为标题所写或本单位所在的村(社区)"),
            ledgers.Column("网格", "grid", ledgers.text(), export=_place(4)),
        )

    @staticmethod
    def priority_column(workflow) -> ledgers.Column:
        """紧急程度 in the workflow's priorities, by label or code, and the words offices write for them
        (普通 for 一般, 特急 for 紧急: ``PRIORITY_WORDS``, those whose label the workflow has)."""
        labels = {label for _code, label in workflow.priorities}
        words = {w: label for w, label in PRIORITY_WORDS.items() if label in labels}
        return ledgers.Column("紧急程度", "priority", ledgers.choice(workflow.priorities, synonyms=words),
                              default="normal", export="case.priority", aliases=("缓急程度", "紧急情况", "紧急度"))

    def prepare(self) -> None:
        from anmin.core.regions_io import PlaceResolver

        self.places = PlaceResolver()
        org = getattr(self.user, "org_unit", None) if self.user is not None else None
        own = org.region_id if org is not None else ""
        self.prefixes = tuple(self.user.scope.prefixes) if self.user is not None else ("",)
        self.default_place = self.places.find_in_text(self.title_lines, within=self.prefixes) or own
        super().prepare()

    def export_queryset(self, user=None):
        return self.model.objects.visible_to(user or self.user).select_related(
            "case__region__parent__parent").order_by("pk")

    def find_existing(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
        numbers = [r.values.get("number") for r in rows if r.values.get("number")]
        found = set(self.model.objects.visible_to(self.user).filter(case__number__in=numbers)
                    .values_list("case__number", flat=True))
        for r in rows:
            number = r.values.get("number")
            if number and number in found:
                r.existing = True
            elif number:
                yield self.row_error(r.row, "number",
                                     f"编号“{number}”不是您辖区内已登记的{self.what}；新增{self.what}请留空编号")

    def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        errors: dict[str, str] = {}
        try:
            values["region"] = self.places.resolve(
                township=values.get("township") or "", village=values.get("village") or "",
                grid=values.get("grid") or "", within=self.default_place)
            if not any(values["region"].startswith(p) for p in self.prefixes):
                errors["village"] = "村(社区)：不在您的辖区内"
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
        try:
            self.check_case_row(values, row)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
        if errors:
            raise ValidationError(errors)

    def check_case_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        """The domain's own cross-field rules: raise ``ValidationError({field: message})``."""
