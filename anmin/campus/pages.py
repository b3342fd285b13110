"""Ledger pages of the campus records kept against schools (the kit's ``record_ledger``): incidents in
and around schools and the 五个100% checks per school and term. Rows link to the school's page. Both
import their Excel ledger on the page (the kit's ``record_import``; writes through ``actions.py``)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anmin.core import ledgers
from anmin.core.tables import Column, Table
from anmin.workflow.kit.record_create import record_create
from anmin.workflow.kit.record_edit import record_edit
from anmin.workflow.kit.record_ledgers import record_import
from anmin.workflow.kit.record_pages import RecordDetailView, record_ledger

from . import actions
from .coverage import five_items, item_name, term_label
from .models import CampusIncident, IncidentKind, SafetyCheck, School


def _yes_no(field):
    return lambda o: "是" if getattr(o, field) else "否"


def _bare(name: str) -> str:
    return re.sub(r"[“”\"‘’'\s]|100%|１００％", "", name)


def _item_of(part: str, codes: dict[str, str]) -> str | None:
    """An item by code, name, or the words of its name an office keeps (专职保安 for 专职保安配备率100%,
    视频监控联网 for 视频监控系统与公安机关联网率100%: the name's start, then the rest of the words in
    order, in one item's name only; 保安 alone names no item)."""
    if part in codes:
        return part
    bare = _bare(part)
    by_name = {_bare(n): c for c, n in codes.items()}
    if bare in by_name:
        return by_name[bare]
    if len(bare) < 3:
        return None

    def within(name: str) -> bool:
        rest = iter(name)
        return name[0] == bare[0] and all(ch in rest for ch in bare)

    found = [c for n, c in by_name.items() if within(n)]
    return found[0] if len(found) == 1 else None


def parse_items(value) -> list[str]:
    """The items met, by name, the words of a name offices write, or code, separated by 、, commas,
    semicolons or spaces (blank: none)."""
    text = ledgers.text()(value) if value not in (None, "") else ""
    codes = dict(five_items())
    out = []
    for part in [p.strip() for p in re.split(r"[、，,；;\s]+", text) if p.strip()]:
        code = _item_of(part, codes)
        if code is None:
            raise ValidationError(f"“{part}”不是五个100%项目（可填：{'、'.join(codes.values())}，或其代码）")
        out.append(code)
    return out


_TERM_WORDS = re.compile(r"(20\d\d)年?(?:度)?(春|秋)季?(?:学期)?")
_SCHOOL_YEAR = re.compile(r"(20\d\d)[-—–~至/](?:20)?(\d\d)学年(?:度)?第?([一二12])学期")


def parse_term(value) -> str:
    """A term as 2020-2, or as offices write it: 2020年秋季(学期), 2020秋, 2020-2021学年第一学期 (the
    autumn of 2020); anything else is kept as written, for the check to name."""
    text = re.sub(r"\s", "", ledgers.text(max_length=32)(value))
    if m := _TERM_WORDS.fullmatch(text):
        return f"{m[1]}-{'2' if m[2] == '秋' else '1'}"
    if m := _SCHOOL_YEAR.fullmatch(text):
        first = int(m[1])
        return f"{first}-2" if m[3] in ("一", "1") else f"{first + 1}-1"
    if len(text) > 8:
        raise ValidationError("格式为 2020-1（春季）或 2020-2（秋季），也可写 2020年秋季学期")
    return text


SCHOOL = ("学校名称", School, ("学校", "学校(幼儿园)名称", "学校(幼儿园)", "校名"))

#: What a police station writes for a kind of incident (the labels are the ledger's own).
INCIDENT_WORDS = {"打架斗殴": "violence", "校园欺凌": "violence", "欺凌": "violence", "打架": "violence",
                  "无证摊贩": "vendor", "三无食品": "vendor", "流动摊贩": "vendor", "违规接纳学生": "venue",
                  "滋扰": "intrusion", "滋扰学校": "intrusion", "校园滋扰": "intrusion", "交通": "traffic"}

IncidentImport = record_import(
    CampusIncident, key="campus.incident", title="校园周边案(事)件台账",
    refs={"school": SCHOOL}, natural_key=("school", "occurred_on", "kind", "description"),
    columns=(
        ledgers.Column("发生日期", "occurred_on", ledgers.date(), required=True),
        ledgers.Column("类型", "kind", ledgers.choice(IncidentKind.choices, synonyms=INCIDENT_WORDS), required=True,
                       export=lambda o: o.get_kind_display(),
                       aliases=("案(事)件类型", "案件类型", "事件类型", "案(事)件类别", "类别")),
        ledgers.Column("经过", "description", ledgers.text(max_length=1000), required=True, width=30,
                       aliases=("简要案情", "基本案情", "简要经过", "事件经过", "案(事)件经过", "基本情况")),
        ledgers.Column("处置情况", "handling", ledgers.text(max_length=500), width=30,
                       aliases=("处置结果", "处理情况", "处理结果", "处置措施")),
        ledgers.Column("已处置", "resolved", ledgers.boolean(), default=False, export=_yes_no("resolved"),
                       aliases=("是否办结", "已办结", "是否处置完毕", "是否化解")),
    ),
    save=actions.import_incidents, update=actions.update_campusincident)

CheckImport = record_import(
    SafetyCheck, key="campus.safety_check", title="五个100%检查台账",
    refs={"school": SCHOOL}, natural_key=("school", "term"),
    columns=(
        ledgers.Column("学期", "term", parse_term, required=True, help="如 2020-2（秋季）、2020年秋季学期",
                       aliases=("检查学期", "学年学期")),
        ledgers.Column("达标项目", "items", parse_items, width=40,
                       export=lambda o: "、".join(item_name(c) for c in o.items),
                       aliases=("达标情况", "已达标项目", "达标事项")),
        ledgers.Column("检查日期", "checked_on", ledgers.date(), required=True),
        ledgers.Column("检查人", "checked_by", ledgers.text(max_length=64)),
        ledgers.Column("备注", "note", ledgers.text(max_length=500)),
    ),
    save=actions.import_checks, check=actions.check_safety)

IncidentLedger = record_ledger(
    CampusIncident, title=_("校园周边案(事)件台账"), fields=("school", "occurred_on", "kind", "handling", "resolved"),
    filter_fields=("kind", "resolved"), search="description", date_field="occurred_on",
    select_related=("school", "region"), ledger=IncidentImport, create_url_name="campus:incident_new")

IncidentCreate = record_create(IncidentImport, title=_("登记校园周边案(事)件"), ledger_url_name="campus:incident_list",
                               fields=("school", "occurred_on", "kind", "description", "handling", "resolved"),
                               done=_("已登记校园周边案(事)件"))



class IncidentDetail(RecordDetailView):
    model = CampusIncident
    fields = ("school", "region", "occurred_on", "kind", "description", "handling", "resolved")
    ledger_url_name, edit_url_name, edit_label = "campus:incident_list", "campus:incident_edit", _("更新处置情况")


IncidentEdit = record_edit(CampusIncident, fields=("handling", "resolved"), action=actions.update_campusincident,
                           title=_("更新处置情况"), done=_("已更新处置情况"))

def _lacking(check: SafetyCheck) -> str:
    met = set(check.items or ())
    return "、".join(str(name) for code, name in five_items() if code not in met) or str(_("无"))


def _edit_link(check: SafetyCheck):
    """修改: the check's form opened on what was recorded (shown to who may record checks)."""
    if not getattr(check, "may_edit", False):
        return ""
    url = f"{reverse('campus:check_new')}?{urlencode({'school': check.school_id, 'term': check.term})}"
    return format_html('<a href="{}">{}</a>', url, _("修改"))


class CheckTable(Table):
    columns = (
        Column("school.name", _("学校(幼儿园)"), link=True),
        Column("term", _("学期"), value=lambda o: term_label(o.term), nowrap=True),
        Column("items", _("缺项"), value=_lacking, width=40),
        Column("checked_on", _("检查日期")),
        Column("checked_by", _("检查人")),
        Column("note", _("备注")),
        Column("region.name", _("所在区划"), value=lambda o: o.region.name if o.region_id else ""),
        Column("pk", _("操作"), value=lambda o: "", html=_edit_link),
    )


_CheckLedger = record_ledger(
    SafetyCheck, title=_("五个100%检查台账"), fields=("school", "term", "checked_on", "checked_by", "note"),
    filter_fields=("term",), search="checked_by", date_field="checked_on", select_related=("school", "region"),
    ledger=CheckImport, create_url_name="campus:check_new", create_label=_("登记检查"))


class CheckLedger(_CheckLedger):
    """The term by its name and the items lacking (the export keeps the ledger's own columns), and 修改
    for who may record checks: a check already recorded is changed there, not entered again."""

    table_class = CheckTable

    def prepare_rows(self, rows):
        rows = list(super().prepare_rows(rows))
        may = self.request.user.has_perm("campus.add_safetycheck")
        for row in rows:
            row.may_edit = may
        return rows
