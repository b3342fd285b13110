"""The 扫黑办's registers as the Excel ledgers it keeps (the kit's ``record_import``), imported on the
registers' pages (dry run naming every bad row and column, then confirm), each row checked as the page's
form checks it (``actions.check_*``), written through the app's bulk action (``actions.import_*``:
permission, the user's area, one audit entry); their exports import again as 已存在.

* 涉黑涉恶组织台账: placed by 乡镇(街道), the area where it was active.
* 处理公职人员台账: the organisation by name among those the user sees, or placed by 乡镇/村 (both
  left empty for the city's own).
* 涉黑涉恶成员/犯罪嫌疑人台账: the organisation by name among those the user sees (its area is the
  suspect's, unless the row names 乡镇/村: a suspect of no organisation is placed by them). The ID
  number is the protected field: checked (a bad check digit refused at its column), stored encrypted,
  linked to the person register, exported masked; a masked number (the export's) is accepted only on a
  row that is a suspect already kept (name, organisation, place), a new row needs the full number.
  Sent again later, a kept suspect's row whose 诉讼状态 or 抓获日期 moved on brings the record up to date
  (``actions.update_suspect``; shown before the import as 将更新); so does an asset's 措施 or 价值.
* 涉案资产台账: the organisation by name; 资产类型 (房产, 车辆 …) is kept in front of 资产名称 (the
  register has one description); the value in 元, or in 万元 as offices often write it (价值(万元),
  converted; both given must agree); 处置状态 as 冻结 / 查封扣押 / 没收 and the words offices use.
* 换届候选人联审汇总表: the review is one answer per department per candidate, given as each department
  replies; what an office keeps as a sheet is the summary once the answers are in — a row per candidate
  with a column per department (无异议, or 有异议 and why). That is what imports: the candidate is
  disqualified when any department objects (the first objection is the reason), and a 审查结论 given
  must agree. A department's answer arriving later for a candidate already kept is not an import (the
  row is 已存在 and left as it is): a single answer is not a sheet, and this import only adds records.
  换届年份 may be left to the title (“2021年……联审汇总表”); the place must be a 村(社区).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from anmin.core import ledgers
from anmin.workflow.kit.record_ledgers import record_import

from . import actions
from .models import (
    Asset,
    AssetMeasure,
    Candidate,
    CrimeOrg,
    Official,
    OfficialKind,
    OfficialMeasure,
    OrgStage,
    OrgType,
    Suspect,
    SuspectStatus,
)

C = ledgers.Column

OrgImport = record_import(
    CrimeOrg, key="crackdown.orgs", title=gettext_noop("涉黑涉恶组织台账"), place=True,
    natural_key=("name", "broken_on"),
    columns=(
        C("组织名称", "name", ledgers.text(max_length=100), required=True, width=30,
          aliases=("名称", "团伙名称", "犯罪组织名称", "涉黑涉恶组织名称", "组织(团伙)名称")),
        C("组织类型", "org_type", ledgers.choice(OrgType.choices), required=True,
          export=lambda o: o.get_org_type_display(), aliases=("类型", "组织性质", "性质", "定性"),
          help="黑社会性质组织 / 恶势力犯罪集团 / 恶势力犯罪团伙"),
        C("诉讼阶段", "stage", ledgers.choice(OrgStage.choices), default=OrgStage.INVESTIGATION,
          export=lambda o: o.get_stage_display(), aliases=("办理阶段", "所处阶段", "案件进展"),
          help="侦查 / 起诉 / 审判 / 判决"),
        C("打掉日期", "broken_on", ledgers.date(), required=True, aliases=("打掉时间", "摧毁日期", "打掉时间(年月日)")),
        C("主要违法犯罪事实", "summary", ledgers.text(max_length=5000), width=40,
          aliases=("主要犯罪事实", "简要案情", "主要违法犯罪事实及情节")),
    ),
    save=actions.import_orgs, check=actions.check_org)

OfficialImport = record_import(
    Official, key="crackdown.officials", title=gettext_noop("处理公职人员台账"), place=True,
    refs={"org": ("涉及组织", CrimeOrg, ("所涉组织", "涉及黑恶组织", "关联组织"))},
    natural_key=("name", "unit", "handled_on"),
    columns=(
        C("姓名", "name", ledgers.text(max_length=64), required=True),
        C("工作单位及职务", "unit", ledgers.text(max_length=100), required=True, width=30,
          aliases=("工作单位", "单位及职务", "单位职务", "职务")),
        C("问题类型", "kind", ledgers.choice(OfficialKind.choices), required=True,
          export=lambda o: o.get_kind_display(), aliases=("问题性质", "类型"), help="腐败 / 保护伞 / 失职失责"),
        C("处理方式", "measure", ledgers.choice(OfficialMeasure.choices), required=True,
          export=lambda o: o.get_measure_display(), aliases=("处理情况", "处理结果", "处分类型"),
          help="党纪政务处分 / 组织处理 / 移送司法"),
        C("处理日期", "handled_on", ledgers.date(), required=True, aliases=("处理时间", "处分日期")),
    ),
    save=actions.import_officials, check=actions.check_official)


# -- members and suspects, assets, candidates --------------------------------------------------------------

#: Other headers an office gives the column naming the organisation.
ORG_ALIASES = ("涉及组织", "所涉组织", "所属组织名称", "所属黑恶组织", "所属涉黑涉恶组织", "涉黑涉恶组织",
               "组织名称", "组织(团伙)名称", "所属团伙", "涉案组织")
ID_ALIASES = ("身份证号", "公民身份号码", "身份证", "居民身份证号码", "身份证件号码", "证件号码")
id_number_or_mask = ledgers.id_number_or_mask(label="身份证号码")


class MaskedIds:
    """A masked ID number (as the register's export writes it) set aside as a marker: fine on a row that
    is a record already kept, refused at its column on a new one (which needs the full number)."""

    def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        ledgers.set_aside_masks(values, ("id_number",))
        super().check_row(values, row)

    def find_existing(self, rows):
        yield from super().find_existing(rows)  # marks the rows kept already
        for r in rows:
            if r.ok and not r.existing and r.values.get("masked_id_number"):
                yield self.row_error(r.row, "id_number", f"{self.header_of('id_number')}：是脱敏的号码，"
                                                         "新登记的须填写完整号码", r.values["masked_id_number"])


#: What offices write for a suspect's status (诉讼状态).
SUSPECT_WORDS = {
    **dict.fromkeys(("在逃", "未到案", "上网追逃", "网上追逃", "负案在逃"), SuspectStatus.AT_LARGE),
    **dict.fromkeys(("抓获", "已到案", "到案", "刑拘", "刑事拘留", "已刑拘", "逮捕", "已逮捕", "取保候审",
                     "监视居住", "指定居所监视居住", "侦查"), SuspectStatus.CAUGHT),
    **dict.fromkeys(("起诉", "移送起诉", "已移送起诉", "审查起诉", "提起公诉", "已提起公诉", "审判", "一审"),
                    SuspectStatus.PROSECUTED),
    **dict.fromkeys(("判决", "已判刑", "判刑", "已宣判", "宣判", "判处", "生效判决", "已生效判决"),
                    SuspectStatus.SENTENCED),
}

SuspectBase = record_import(
    Suspect, key="crackdown.suspects", title=gettext_noop("涉黑涉恶成员/犯罪嫌疑人台账"), place=True,
    refs={"org": ("所属组织", CrimeOrg, ORG_ALIASES)},
    natural_key=("name", "org", "region_id"),
    columns=(
        C("姓名", "name", ledgers.text(max_length=64), required=True,
          aliases=("犯罪嫌疑人姓名", "嫌疑人姓名", "成员姓名", "犯罪嫌疑人", "嫌疑人")),
        C("身份证号码", "id_number", id_number_or_mask, width=22, aliases=ID_ALIASES,
          help="加密保存；导出为脱敏号码"),
        C("组织地位", "role_in_org", ledgers.text(max_length=32),
          aliases=("在组织中地位", "在组织中的地位", "在组织中角色", "组织中地位", "角色", "地位作用", "地位",
                   "成员类别", "层级"), help="如：组织者、骨干成员"),
        C("诉讼状态", "status", ledgers.choice(SuspectStatus.choices, synonyms=SUSPECT_WORDS),
          default=SuspectStatus.CAUGHT, export=lambda s: s.get_status_display(),
          aliases=("目前状态", "当前状态", "诉讼阶段", "到案情况", "处理情况", "状态"),
          help="在逃 / 已抓获 / 已起诉 / 已判决"),
        C("抓获日期", "caught_on", ledgers.date(), aliases=("抓获时间", "到案日期", "到案时间", "归案日期", "抓捕日期"),
          help="在逃的不填"),
    ),
    save=actions.import_suspects, check=actions.check_suspect, update=actions.update_suspect)


class SuspectImport(MaskedIds, SuspectBase):
    person_fields = (("name", "id_number"),)  # one ID number under two names: a warning before the import


#: What offices write for an asset's 处置状态 (措施).
ASSET_WORDS = {
    **dict.fromkeys(("冻结", "已冻结", "冻结存款", "查询冻结"), AssetMeasure.FROZEN),
    **dict.fromkeys(("查封", "已查封", "扣押", "已扣押", "查扣", "已查扣", "查封、扣押", "查封扣押冻结"),
                    AssetMeasure.SEIZED),
    **dict.fromkeys(("已没收", "判决没收", "追缴", "罚没", "依法没收", "没收上缴"), AssetMeasure.CONFISCATED),
}
WAN = Decimal(10000)

AssetBase = record_import(
    Asset, key="crackdown.assets", title=gettext_noop("涉案资产台账"),
    refs={"org": ("所属组织", CrimeOrg, ORG_ALIASES)},
    natural_key=("description", "org", "on"),
    columns=(
        C("资产类型", "kind", ledgers.text(max_length=20), export=lambda a: "",
          aliases=("资产类别", "资产种类", "财产类型", "财产类别"), help="如：房产、车辆、银行存款；写在资产名称前"),
        C("资产名称", "description", ledgers.text(max_length=200), required=True, width=30,
          aliases=("资产", "涉案资产", "资产名称及数量", "资产情况", "财产名称", "涉案财产", "名称"),
          help="如：砂场及设备"),
        C("措施", "measure", ledgers.choice(AssetMeasure.choices, synonyms=ASSET_WORDS), required=True,
          export=lambda a: a.get_measure_display(),
          aliases=("处置状态", "处置措施", "处置情况", "采取措施", "查控措施", "措施类型"),
          help="冻结 / 查封扣押 / 没收"),
        C("价值(元)", "value", ledgers.decimal(min_value=0), aliases=("金额(元)", "涉案金额(元)", "估值(元)"),
          help="或填价值(万元)"),
        C("价值(万元)", "value_wan", ledgers.decimal(min_value=0), export=lambda a: a.value / WAN,
          aliases=("金额(万元)", "涉案金额(万元)", "估值(万元)", "评估价值(万元)")),
        C("日期", "on", ledgers.date(), required=True,
          aliases=("处置日期", "措施日期", "查封扣押日期", "查封日期", "扣押日期", "冻结日期", "采取措施日期",
                   "查控日期", "时间"), help="冻结、查封扣押或没收的日期"),
    ),
    save=actions.import_assets, check=actions.check_asset, update=actions.update_asset)


class AssetImport(AssetBase):
    def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        kind, name = values.pop("kind", None) or "", values.get("description") or ""
        values["kind"] = None  # not a field of the record: folded into its description
        if kind and name and not name.startswith(kind):
            values["description"] = f"{kind}：{name}"
        yuan, wan = values.get("value"), values.pop("value_wan", None)
        values["value_wan"] = None
        if yuan is None and wan is not None and row.raw.get("value") in (None, ""):
            row.raw["value"] = row.raw.get("value_wan")  # the value is given, in 万元
        if wan is not None:
            if yuan is None:
                values["value"] = wan * WAN
            elif (wan * WAN).quantize(Decimal("0.01")) != Decimal(yuan).quantize(Decimal("0.01")):
                raise ValidationError({"value_wan": f"{self.header_of('value_wan')}：与价值(元)不一致"})
        if values.get("value") is None and not {"value", "value_wan"} & {e.field for e in row.errors}:
            raise ValidationError({"value": f"{self.header_of('value')}：必填（或填价值(万元)）"})
        super().check_row(values, row)


# The candidates' joint review: one column per department (REVIEW_DEPARTMENTS), in the office's words.
DEPARTMENTS = (
    ("police", "公安", ("公安意见", "公安机关", "公安机关意见", "公安局", "公安局意见")),
    ("procuratorate", "检察", ("检察院", "检察院意见", "检察意见", "检察机关", "人民检察院")),
    ("court", "法院", ("法院意见", "人民法院", "法院审查意见")),
    ("discipline", "纪委监委", ("纪委监委意见", "纪委", "纪委意见", "纪检监察", "纪检监察机关", "监委")),
    ("petition", "信访", ("信访意见", "信访局", "信访局意见", "信访部门")),
)
AGREE = {"无异议", "没有异议", "通过", "审查通过", "同意", "合格", "符合", "符合条件", "无", "无问题", "未发现问题",
         "无违法犯罪记录", "无不良记录", "√", "✓", "✔"}
OBJECT = re.compile(r"^(有异议|不通过|不同意|不合格|不符合(?:条件)?|×|✗)(.*)$")
PASSED = {"通过", "合格", "符合", "符合条件", "资格审查通过", "无异议"}
REFUSED = {"取消资格", "不通过", "不合格", "不符合", "不符合条件", "取消", "取消候选人资格"}


def answer(value: Any) -> dict[str, Any]:
    """One department's cell: 无异议 (and the like), or 有异议 with its reason (有异议：……)."""
    s = ledgers.text(max_length=220)(value).strip()
    if s in AGREE:
        return {"ok": True, "reason": ""}
    m = OBJECT.match(s)
    if m is None:
        raise ValidationError("应填“无异议”，或“有异议：原因”")
    reason = m.group(2).strip()
    if reason[:1] in ("(", "（") and reason[-1:] in (")", "）"):
        reason = reason[1:-1]  # 有异议（……）
    reason = reason.strip(" :：,，;；、")
    if not reason:
        raise ValidationError("有异议的须写明原因，如：有异议：涉黑涉恶受过刑事处罚")
    return {"ok": False, "reason": reason[:200]}


answer.options = ["无异议", "有异议："]


def verdict(value: Any) -> bool:
    s = ledgers.text()(value)
    if s in PASSED:
        return False
    if s in REFUSED:
        return True
    raise ValidationError("应填“通过”或“取消资格”")


verdict.options = ["通过", "取消资格"]


def shown_answer(code: str):
    def export(c: Candidate) -> str:
        a = (c.checks or {}).get(code)
        return "" if a is None else "无异议" if a.get("ok") else f"有异议：{a.get('reason') or ''}"
    return export


CandidateBase = record_import(
    Candidate, key="crackdown.candidates", title=gettext_noop("换届候选人联审汇总表"), place=True,
    natural_key=("name", "region_id", "election_year"),
    columns=(
        C("姓名", "name", ledgers.text(max_length=64), required=True,
          aliases=("候选人姓名", "人选姓名", "候选人", "拟提名人选", "初步人选")),
        C("身份证号码", "id_number", id_number_or_mask, width=22, aliases=ID_ALIASES,
          help="加密保存；导出为脱敏号码"),
        C("换届年份", "election_year", ledgers.integer(min_value=2000, max_value=2100),
          aliases=("换届年度", "年度"), help="不填按标题中的年份（如“2021年……”）"),
        *(C(label, f"dept_{code}", answer, export=shown_answer(code), width=20, aliases=aliases,
            help="无异议；或 有异议：原因；未反馈的留空") for code, label, aliases in DEPARTMENTS),
        C("审查结论", "verdict", verdict, export=lambda c: "取消资格" if c.disqualified else "通过",
          aliases=("联审结论", "联审意见", "资格审查结论", "审查结果", "联审结果"),
          help="可不填；填写的须与各部门意见一致"),
        C("联审日期", "reviewed_on", ledgers.date(), aliases=("联审时间", "审查日期"), help="不填为今天"),
    ),
    save=actions.import_candidates)
TITLE_YEAR = re.compile(r"(20\d{2})\s*年(?!\s*\d{1,2}\s*月)")


class CandidateImport(MaskedIds, CandidateBase):
    person_fields = (("name", "id_number"),)

    def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        super().check_row(values, row)  # the mask set aside, the place resolved
        failed = {e.field for e in row.errors}
        if not values.get("village") and not failed & {"township", "village"}:
            raise ValidationError({"village": "村(社区)：必填（联审的候选人在村(社区)）"})
        if values.get("election_year") is None and "election_year" not in failed:
            year = self.title_year()
            if year is None:
                raise ValidationError({"election_year": "换届年份：必填（或在表格标题中写明，如“2021年……换届……”）"})
            values["election_year"] = year
        values["checks"] = {code: values[f"dept_{code}"] for code, _l, _a in DEPARTMENTS
                            if values.get(f"dept_{code}") is not None}
        if failed:
            return
        candidate = self.candidate(values)
        try:
            actions.check_candidate(candidate)
        except ValidationError as exc:
            fields = {c.field for c in self.columns}
            raise ValidationError({k if k in fields else "dept_police": v[0]
                                   for k, v in exc.message_dict.items()}) from None
        if values.get("verdict") is not None and values["verdict"] != candidate.disqualified:
            raise ValidationError({"verdict": "审查结论：与各部门意见不一致（有部门有异议的应为取消资格）"})

    def title_year(self) -> int | None:
        """The year of a title naming the election (2021年……“两委”换届……), not a 填报日期 line's."""
        for line in self.title_lines:
            found = TITLE_YEAR.search(line)
            if found and any(w in line for w in ("换届", "两委", "联审")):
                return int(found.group(1))
        return None

    @staticmethod
    def candidate(values: dict[str, Any]) -> Candidate:
        return Candidate(region_id=values.get("region_id"), name=values.get("name"),
                         id_number=values.get("id_number") or "", election_year=values.get("election_year"),
                         checks=values.get("checks") or {}, reviewed_on=values.get("reviewed_on"))

    def save(self, rows) -> int:
        return actions.import_candidates([self.candidate(r.values) for r in rows], actor=self.user,
                                         note=f"Excel 导入：{self.title}")
