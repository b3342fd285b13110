"""The 扫黑办's registers as the Excel ledgers it keeps (the kit's ``record_import``): 涉黑涉恶组织台账
(placed by 乡镇(街道), the area where it was active) and 处理公职人员台账 (the organisation by name among
those the user sees, or placed by 乡镇/村 — both left empty for the city's own). Imported on the
registers' pages (dry run naming every bad row and column, then confirm), written through
``actions.import_orgs`` / ``import_officials`` (each row checked as the page's form is, the user's area,
one audit entry); their exports import again as 已存在."""

from __future__ import annotations

from anmin.core import ledgers
from anmin.workflow.kit.record_ledgers import record_import

from . import actions
from .models import CrimeOrg, Official, OfficialKind, OfficialMeasure, OrgStage, OrgType

C = ledgers.Column

OrgImport = record_import(
    CrimeOrg, key="crackdown.orgs", title="涉黑涉恶组织台账", place=True, natural_key=("name", "broken_on"),
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
    Official, key="crackdown.officials", title="处理公职人员台账", place=True,
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
