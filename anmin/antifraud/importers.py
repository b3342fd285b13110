"""The 预警线索台账 as an Excel ledger (``anmin.core.ledgers``): import with a dry run. A row whose
上游线索编号 or 平台线索编号 (the case's number, written by the export) names a lead the user sees is
that lead (counted as 已存在, skipped; its masked phone and ID number are fine); an 上游线索编号
repeated in the file is an error on the later row. The export writes the region's code, so an
exported file imports again as nothing new and no errors. The others are checked as the API checks them
(``actions.intake.clean_lead``) and taken in through ``intake_leads``.

Files as offices keep them import too: the columns' other names are data (``data/ledger_headers.json``);
ID numbers and phones are read as every ledger reads them (a number cell that lost an ID number's
last digits says so); 线索来源, 诈骗类型 and 预警等级 take the code, the Chinese label or the words
offices write (红色, 一级; a number cell's 4 for 04); the place is a region code or a village's name,
short or former (大北村), within the row's 乡镇 or the importing unit's area."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from anmin.core import clock, ledgers
from anmin.core.actors import is_system
from anmin.core.codes import code_names
from anmin.core.errors import Invalid
from anmin.core.guards import require_area
from anmin.core.ledgers.parsers import moment

from . import actions
from .actions.intake import clean_lead
from .models import Grade, Lead, LeadSource
from .rules import intake_rules

C = ledgers.Column
DATA = Path(__file__).resolve().parent / "data"
id_number_or_mask = ledgers.id_number_or_mask(label="身份证号码")  # a masked number only on a known row
phone_or_mask = ledgers.phone_or_mask(label="联系电话")


def _township(lead: Lead) -> str:
    node = lead.case.region
    while node is not None and node.level > 2:
        node = node.parent
    return node.name if node is not None and node.level == 2 else ""

#: Words offices write in 线索来源, to the lead's source.
SOURCE_WORDS = {
    "推送": LeadSource.PUSHED, "上级下发": LeadSource.PUSHED, "上级推送": LeadSource.PUSHED,
    "反诈中心推送": LeadSource.PUSHED, "反诈中心": LeadSource.PUSHED, "公安推送": LeadSource.PUSHED,
    "银行预警": LeadSource.BANK, "银行推送": LeadSource.BANK,
    "运营商预警": LeadSource.CARRIER, "运营商推送": LeadSource.CARRIER,
    "群众举报": LeadSource.PUBLIC, "举报": LeadSource.PUBLIC, "群众报警": LeadSource.PUBLIC,
    "自主研判": LeadSource.OWN, "自查": LeadSource.OWN, "排查发现": LeadSource.OWN,
}

#: Words offices write in 预警等级: colours and levels (一级 the highest), to the grade.
GRADE_WORDS = {
    **dict.fromkeys(("红色", "红", "一级", "1级", "Ⅰ级", "I级", "特高风险", "极高"), Grade.CRITICAL),
    **dict.fromkeys(("橙色", "橙", "二级", "2级", "Ⅱ级", "II级", "高风险"), Grade.HIGH),
    **dict.fromkeys(("黄色", "黄", "三级", "3级", "Ⅲ级", "III级", "中风险"), Grade.MEDIUM),
    **dict.fromkeys(("蓝色", "蓝", "四级", "4级", "Ⅳ级", "IV级", "低风险"), Grade.LOW),
}

#: Fraud-type names offices write that are not the code table's own (by code).
FRAUD_TYPE_WORDS = {
    "刷单": "01", "网络刷单": "01", "投资理财": "02", "虚假投资": "02", "冒充电商物流客服": "03",
    "冒充客服退款": "03", "冒充公检法机关": "04", "网络贷款": "05", "虚假贷款": "05", "贷款诈骗": "05",
    "网络交友": "06", "网恋": "06", "游戏": "07", "网络游戏交易": "07", "虚假游戏交易": "07",
}


class LeadLedger(ledgers.Ledger):
    key = "antifraud_leads"
    title = "预警线索台账"
    model = Lead
    header_synonyms = DATA / "ledger_headers.json"
    columns = (
        C("上游线索编号", "upstream_id", ledgers.text(max_length=64), aliases=("线索编号",)),
        C("乡镇(街道)", "township", ledgers.text(max_length=64), export=_township,
          help="填写村(社区)名称时可写所在乡镇，以区分重名的村"),
        C("受害人所在区划代码", "region", ledgers.text(max_length=64), required=True, aliases=("区划代码",),
          export="case.region_id",
          help="12位村(社区)或14位网格代码；也可写村(社区)名称（大北村、光明社区）"),
        C("潜在受害人姓名", "victim_name", ledgers.text(max_length=64), required=True, aliases=("姓名",)),
        C("联系电话", "victim_phone", phone_or_mask),
        C("身份证号码", "victim_id_number", id_number_or_mask, width=22),
        C("诈骗类型代码", "fraud_type", "parse_fraud_type", required=True, aliases=("诈骗类型",),
          help="代码或名称：04 或“冒充公检法”"),
        C("线索来源", "source", ledgers.choice(LeadSource.choices, synonyms=SOURCE_WORDS),
          help="上级推送、银行、运营商、群众、自主发现；不填为上级推送"),
        C("涉及金额(元)", "amount_at_risk", ledgers.decimal(min_value=0)),
        C("涉诈电话", "suspect_number", ledgers.text(max_length=40)),
        C("涉诈账户", "suspect_account", ledgers.text(max_length=40)),
        C("涉诈网址", "suspect_url", ledgers.text(max_length=2000)),
        C("预警等级", "grade", ledgers.choice(Grade.choices, synonyms=GRADE_WORDS),
          export=lambda lead: str(lead.grade_label),
          help="空：按规则研判；特高、高、中、低（或红色、橙色、黄色、蓝色）"),
        C("调整等级理由", "grade_reason", ledgers.text(max_length=200)),
        C("线索下发时间", "received_at", moment(), width=18, help="不填为导入时；如 2020-12-10 09:30"),
        C("平台线索编号", "number", ledgers.text(max_length=32), export="case.number", width=18,
          help="导出后再导入时用于识别已登记的线索（没有上游线索编号的也能识别）；新增留空"),
    )
    unique = ("upstream_id", "number")  # a repeat within the file is an error on the later row

    def prepare(self) -> None:
        self.rules, self.fraud_types = intake_rules(), code_names("fraud_type")
        self.now = clock.now()
        by_name = {name: code for code, name in self.fraud_types.items()}
        by_name.update({k: v for k, v in FRAUD_TYPE_WORDS.items() if v in self.fraud_types})
        self.parse_fraud_type = ledgers.code(
            self.fraud_types, by_name=by_name, suffixes=("诈骗", "类", "类诈骗"), what="诈骗类型代码表中的类型",
            examples="04 或“冒充公检法”")
        self._places = None

    def places(self):
        """The place resolver and the area a village name is looked for in, built at the first name."""
        if self._places is None:
            from anmin.core.regions_io import PlaceResolver

            resolver = PlaceResolver()
            org = getattr(self.user, "org_unit", None) if self.user is not None else None
            prefixes = tuple(self.user.scope.prefixes) if self.user is not None and not is_system(self.user) else ("",)
            within = resolver.find_in_text(self.title_lines, within=prefixes) or (org.region_id if org else "")
            self._places = (resolver, within)
        return self._places

    def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        # A masked number (from an export) is a marker, not a number: kept apart until find_existing
        # knows whether the row is a registered lead (then it is fine) or a new one (then it is not).
        ledgers.set_aside_masks(values, ("victim_phone", "victim_id_number"))
        region = values.get("region")
        if region and not region.isdigit():  # a village by its name (大北村), within the row's township
            resolver, within = self.places()
            try:
                values["region"] = resolver.resolve(township=values.get("township") or "", village=region,
                                                    within=within)
            except ValidationError as exc:
                raise ValidationError({
                    "township" if k == "township" else "region": m[0].removeprefix("村(社区)：")
                    for k, m in exc.message_dict.items()}) from exc
        if values.get("upstream_id") or values.get("number"):
            return  # perhaps a registered lead (an export), left as it is: checked in find_existing if new
        self.check_lead(values)

    def check_lead(self, values: dict[str, Any]) -> None:
        """A new lead's values as the API checks them (``clean_lead``) and the importer's area."""
        errors = {f: f"{self.header_of(f)}：是脱敏值，新增线索须填写完整号码"
                  for f in ("victim_phone", "victim_id_number") if values.get(f"masked_{f}")}
        try:
            item = clean_lead({k: v for k, v in values.items() if v not in (None, "")}, rules=self.rules,
                              now=self.now, fraud_types=self.fraud_types)
            if self.user is not None:  # as intake_leads will check it: an error now, not a row lost later
                require_area(self.user, item.region, field="region", label="受害人所在区划")
        except Invalid as exc:
            # "one of the two" while one of them failed or was masked: that cell's own error says it
            if not (exc.field == "victim_phone" and (
                    errors or not {"victim_phone", "victim_id_number"} <= values.keys())):
                errors.setdefault(exc.field or "region", exc.message)
        if errors:
            raise ValidationError(errors)

    def find_existing(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
        """A row whose 上游线索编号 or 平台线索编号 names a lead the user sees is that lead (已存在,
        left alone, masked numbers and all); a new row is then checked in full."""
        ids = {r.values.get("upstream_id") for r in rows if r.values.get("upstream_id")}
        numbers = {r.values.get("number") for r in rows if r.values.get("number")}
        known = dict(Lead.objects.filter(upstream_id__in=ids).values_list("upstream_id", "pk"))
        visible = set(known) if not known or self.user is None or is_system(self.user) else set(
            Lead.objects.visible_to(self.user).filter(pk__in=known.values()).values_list("upstream_id", flat=True))
        scope = Lead.objects.all() if self.user is None or is_system(self.user) else Lead.objects.visible_to(self.user)
        by_number = dict(scope.filter(case__number__in=numbers).values_list("case__number", "upstream_id")) \
            if numbers else {}
        for r in rows:
            up, number = r.values.get("upstream_id"), r.values.get("number")
            if not (up or number):
                continue  # checked in full by check_row
            if any(e.field in ("upstream_id", "number") for e in r.errors):
                pass  # a repeat in the file: its own error says so; the rest is checked below
            elif number and number not in by_number:
                yield self.row_error(r.row, "number",
                                     f"平台线索编号：“{number}”不是您辖区内已登记的线索；新增线索请留空")
                continue
            elif number and up and by_number[number] != up:
                yield self.row_error(r.row, "upstream_id", "上游线索编号：与平台线索编号登记的线索不一致")
                continue
            elif number or up in visible:
                r.existing = True
                continue
            elif up in known:  # as intake_leads refuses it
                yield self.row_error(r.row, "upstream_id", f"上游线索编号 {up} 已由其他单位登记")
                continue
            try:  # a new lead with its upstream id: the checks check_row left for now
                self.check_lead(dict(r.values))
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    if not any(e.field == field for e in r.errors):
                        yield self.row_error(r.row, field, messages[0], r.raw.get(field, ""))

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        new = [r for r in rows if r.is_new]
        items = [{k: v for k, v in self.given(r.values).items() if k != "township"} for r in new]
        result = actions.intake_leads(actor=self.user, items=items)
        if result.errors:  # the dry run checks what intake checks: a row refused now undoes the import
            raise ValidationError([f"{ledgers.where(new[e['index']].row)}：{e['message']}" for e in result.errors])
        return len(result.created)
