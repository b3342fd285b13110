"""The assessment's part of the demo world.

* 2019 (published, frozen): the 26 乡镇(街道) and 48 市直单位 as the city office scored them by hand
  that year — the records of 2019 predate the platform, so every item carries the office's score —
  giving the seed's 11 + 31 优秀单位; 56 先进个人; the 许昌市 commendations (the city, 6 乡镇(街道),
  14 individuals) in the external register.
* 2020 (考核中): the same tree for the 乡镇(街道), its data items scored from the 2020 records as
  they stand; manual items wait for the year-end check.

Deterministic and idempotent (a scheme that exists is left alone).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from anmin.core.actors import SYSTEM
from anmin.core.models import OrgUnit, Region
from anmin.core.registry import assessment_indicators

from . import actions
from .models import Commendation, CommendationKind, IndicatorKind, Scheme, UnitType

EXCELLENT_TOWNSHIPS = 11
EXCELLENT_DEPARTMENTS = 31
INDIVIDUALS = 56
FAVOURED = ("神垕镇", "火龙镇", "方山镇", "古城镇", "郭连镇", "文殊镇", "颍川街道", "韩城街道", "褚河街道")
DEPARTMENTS = (
    "市委办公室", "市政府办公室", "市纪委监委", "市委组织部", "市委宣传部", "市委统战部", "市委政法委", "市委编办",
    "市人民法院", "市人民检察院", "市公安局", "市司法局", "市信访局", "市教育局", "市民政局", "市财政局",
    "市人力资源和社会保障局", "市自然资源和规划局", "市生态环境局", "市住房和城乡建设局", "市城市管理局", "市交通运输局",
    "市水利局", "市农业农村局", "市商务局", "市文化广电和旅游局", "市卫生健康委员会", "市退役军人事务局", "市应急管理局",
    "市审计局", "市市场监督管理局", "市统计局", "市医疗保障局", "市林业局", "市发展和改革委员会", "市工业和信息化局",
    "市科学技术局", "市总工会", "团市委", "市妇联", "市残联", "市消防救援大队", "市气象局", "国网禹州市供电公司",
    "市税务局", "市烟草专卖局", "市邮政分公司", "市人民武装部",
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强海燕晓东玉兰春雷鹏辉俊峰"


def _u(text: str) -> float:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0x100000000


def _tree(scheme: Scheme, *, with_data: bool) -> list:
    """The indicator tree; returns the leaves that take a score."""
    add = actions.add_indicator
    leaves = []
    g = add(actor=SYSTEM, scheme=scheme, code="A", name="组织领导与责任落实", kind=IndicatorKind.GROUP, max_score=20, order=1)
    leaves.append(add(actor=SYSTEM, scheme=scheme, parent=g, code="A1", name="平时督导检查", kind=IndicatorKind.MANUAL,
                      max_score=10, order=2, description="季度督导、述职、反馈通报的落实"))
    leaves.append(add(actor=SYSTEM, scheme=scheme, parent=g, code="A2", name="年终考核检查", kind=IndicatorKind.MANUAL,
                      max_score=10, order=3))
    if with_data:
        offered = {i.key: i for i in assessment_indicators}
        g = add(actor=SYSTEM, scheme=scheme, code="B", name="基层治理数据指标", kind=IndicatorKind.GROUP, max_score=55,
                order=10)
        points = {"disputes.mediation_rate": 15, "disputes.success_rate": 15, "grid.on_time_rate": 15, "followup": 10}
        n = 11
        for key, pts in points.items():
            if key in offered:
                item = offered[key]
                leaves.append(add(actor=SYSTEM, scheme=scheme, parent=g, code=f"B{n - 10}", name=str(item.label),
                                  kind=IndicatorKind.KPI, max_score=pts, kpi=item.kpi, rule=item.rule, order=n))
                n += 1
        g = add(actor=SYSTEM, scheme=scheme, code="C", name="群众安全感测评", kind=IndicatorKind.GROUP, max_score=25,
                order=20)
        leaves.append(add(actor=SYSTEM, scheme=scheme, parent=g, code="C1", name="群众安全感满意度测评",
                          kind=IndicatorKind.MANUAL, max_score=25, order=21, description="≥96% 得满分"))
        if "cases.overdue" in offered:
            o = offered["cases.overdue"]
            add(actor=SYSTEM, scheme=scheme, code="D1", name="超期督办扣分", kind=IndicatorKind.DEDUCTION, max_score=5,
                kpi=o.kpi, rule=o.rule, order=30, description="每件督办扣 0.1 分，最多扣 5 分")
        add(actor=SYSTEM, scheme=scheme, code="E1", name="经验做法被上级刊发", kind=IndicatorKind.BONUS, max_score=3,
            order=40, description="每篇加 1 分，最多加 3 分")
        for n, key in enumerate(("veto.criminal", "veto.mental"), start=1):
            if key in offered:
                v = offered[key]
                add(actor=SYSTEM, scheme=scheme, code=f"V{n}", name=str(v.label), kind=IndicatorKind.VETO, kpi=v.kpi,
                    rule=v.rule, order=50 + n)
    else:
        g = add(actor=SYSTEM, scheme=scheme, code="B", name="平安建设职责任务", kind=IndicatorKind.GROUP, max_score=60,
                order=10)
        leaves.append(add(actor=SYSTEM, scheme=scheme, parent=g, code="B1", name="行业平安创建与专项治理",
                          kind=IndicatorKind.MANUAL, max_score=40, order=11))
        leaves.append(add(actor=SYSTEM, scheme=scheme, parent=g, code="B2", name="交办事项办理与矛盾化解",
                          kind=IndicatorKind.MANUAL, max_score=20, order=12))
        g = add(actor=SYSTEM, scheme=scheme, code="C", name="服务对象满意度", kind=IndicatorKind.GROUP, max_score=20,
                order=20)
        leaves.append(add(actor=SYSTEM, scheme=scheme, parent=g, code="C1", name="群众和服务对象满意度测评",
                          kind=IndicatorKind.MANUAL, max_score=20, order=21))
    return leaves


def _scores(scheme: Scheme, leaves, excellent: set[str]) -> None:
    """The office's 2019 scores: a unit's share of each item around its own level."""
    for t in scheme.targets.all():
        base = 0.915 + 0.06 * _u(t.name) if t.name in excellent else 0.70 + 0.18 * _u(t.name)
        for item in leaves:
            share = min(base + 0.02 * (_u(t.name + item.code) - 0.5), 1.0)
            score = (Decimal(str(float(item.max_score) * share)) * 2).quantize(Decimal("1")) / 2
            actions.score_item(actor=SYSTEM, target=t, indicator=item, score=min(score, item.max_score),
                               note="2019年度考核组核查台账评定" if item.kind == IndicatorKind.KPI else "考核组评定")


def _pick(names: list[str], favoured: tuple[str, ...], n: int) -> set[str]:
    chosen = [x for x in favoured if x in names][:n]
    for x in sorted(names, key=lambda s: _u("pick" + s)):
        if len(chosen) >= n:
            break
        if x not in chosen:
            chosen.append(x)
    return set(chosen)


def _name(i: int) -> str:
    return SURNAMES[int(_u(f"s{i}") * len(SURNAMES))] + GIVEN[int(_u(f"g{i}") * len(GIVEN))] + \
        ("" if _u(f"l{i}") < 0.4 else GIVEN[int(_u(f"h{i}") * len(GIVEN))])


def build(scale: int = 1, **_kwargs) -> dict:
    city = Region.objects.filter(level=1).order_by("code").first()
    if city is None or Scheme.objects.filter(year=2019).exists():
        return {"created": 0}
    townships = list(Region.objects.townships().order_by("code"))
    # 2019, 乡镇(街道)
    s1 = actions.create_scheme(actor=SYSTEM, year=2019, unit_type=UnitType.TOWNSHIP, region=city,
                               name="2019年度乡镇(街道)平安建设综合考评", excellent_quota=EXCELLENT_TOWNSHIPS)
    leaves = _tree(s1, with_data=True)
    for i, t in enumerate(townships):
        actions.add_target(actor=SYSTEM, scheme=s1, name=t.name, region=t, order=i)
    good_t = _pick([t.name for t in townships], FAVOURED, EXCELLENT_TOWNSHIPS)
    _scores(s1, leaves, good_t)
    bonus = s1.indicators.get(code="E1")
    for t in s1.targets.filter(name__in=("颍川街道", "神垕镇")):
        actions.add_adjustment(actor=SYSTEM, target=t, indicator=bonus, points=1,
                               reason="经验做法被《政法工作专报》刊发", reference="政法工作专报")
    # 2019, 市直单位
    s2 = actions.create_scheme(actor=SYSTEM, year=2019, unit_type=UnitType.DEPARTMENT, region=city,
                               name="2019年度市直单位平安建设综合考评", excellent_quota=EXCELLENT_DEPARTMENTS)
    leaves2 = _tree(s2, with_data=False)
    orgs = {o.name.replace("禹州", ""): o for o in OrgUnit.objects.filter(region=city)}
    for i, name in enumerate(DEPARTMENTS):
        actions.add_target(actor=SYSTEM, scheme=s2, name=name, region=city, org_unit=orgs.get(name), order=i)
    good_d = _pick(list(DEPARTMENTS), ("市公安局", "市司法局", "市人民法院", "市人民检察院", "市委政法委"),
                   EXCELLENT_DEPARTMENTS)
    _scores(s2, leaves2, good_d)
    # 先进个人: from the excellent units, a few each.
    units = list(s1.targets.filter(name__in=good_t)) + list(s2.targets.filter(name__in=good_d))
    for i in range(INDIVIDUALS):
        t = units[i % len(units)]
        actions.add_designation(actor=SYSTEM, scheme=s1 if t.scheme_id == s1.pk else s2, target=t,
                                person_name=_name(i), org_name=t.name)
    actions.publish_scheme(actor=SYSTEM, scheme=s1)
    actions.publish_scheme(actor=SYSTEM, scheme=s2)
    # 许昌市 commendations for 2019 (awarded in 2020).
    level, day = "许昌市平安建设领导小组", dt.date(2020, 4, 20)
    if not Commendation.objects.filter(year=2019).exists():
        actions.add_commendation(actor=SYSTEM, year=2019, level=level, kind=CommendationKind.UNIT, name=city.name,
                                 title="平安建设工作优秀县(市)", region=city, awarded_on=day)
        for t in sorted(good_t)[:6]:
            region = next(r for r in townships if r.name == t)
            actions.add_commendation(actor=SYSTEM, year=2019, level=level, kind=CommendationKind.UNIT, name=t,
                                     title="平安建设优秀单位", region=region, awarded_on=day)
        for i in range(14):
            region = townships[int(_u(f"x{i}") * len(townships))]
            actions.add_commendation(actor=SYSTEM, year=2019, level=level, kind=CommendationKind.INDIVIDUAL,
                                     name=_name(100 + i), org_name=f"{region.name}党委", title="平安建设优秀个人",
                                     region=region, awarded_on=day)
    # 2020, 乡镇(街道): in progress, data items from the records.
    s3 = actions.create_scheme(actor=SYSTEM, year=2020, unit_type=UnitType.TOWNSHIP, region=city,
                               name="2020年度乡镇(街道)平安建设综合考评", excellent_quota=EXCELLENT_TOWNSHIPS)
    _tree(s3, with_data=True)
    for i, t in enumerate(townships):
        actions.add_target(actor=SYSTEM, scheme=s3, name=t.name, region=t, order=i)
    return {"schemes": 3, "excellent_townships": len(good_t), "excellent_departments": len(good_d)}
