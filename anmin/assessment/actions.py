"""Every write of the assessment. A published (frozen) scheme refuses changes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from anmin.core import audit, clock
from anmin.core.actors import as_user
from anmin.core.errors import Conflict, Invalid, changed_meanwhile
from anmin.core.guards import action

from . import engine, explain
from .models import (
    Adjustment,
    Appeal,
    AppealStatus,
    Commendation,
    Designation,
    Indicator,
    IndicatorKind,
    ManualScore,
    Result,
    Scheme,
    SchemeStatus,
    Target,
    UnitType,
    Veto,
    VetoStatus,
)

MANAGE = "assessment.change_scheme"


def _open(scheme: Scheme) -> None:
    if scheme.status == SchemeStatus.PUBLISHED:
        raise Invalid(f"{scheme.name}已发布，考核结果已冻结，不能再修改")


def _points(value, field: str, label: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise Invalid(f"{label}应为数字", field=field) from exc
    if d.is_nan() or abs(d) > 1000:
        raise Invalid(f"{label}应为 -1000 到 1000 之间的数字", field=field)
    return d


@action(perm="assessment.add_scheme", region="region", what="新建考核方案")
def create_scheme(*, actor, year: int, unit_type: str, name: str, region, grades=None, excellent_quota=None) -> Scheme:
    with transaction.atomic():
        if Scheme.objects.filter(year=year, unit_type=unit_type, region=region).exists():
            raise Invalid(f"{year}年度该类对象的考核方案已存在", field="year")
        scheme = Scheme.objects.create(year=year, unit_type=unit_type, name=name,
                                       region_id=getattr(region, "pk", region),
                                       grades=grades or {}, excellent_quota=excellent_quota)
        audit.record(actor=actor, action="create", obj=scheme, after={"year": year, "unit_type": unit_type})
    return scheme


@action(perm=MANAGE, target="scheme", model=Scheme, what="设置考核指标")
def add_indicator(*, actor, scheme: Scheme, code: str, name: str, kind: str, max_score=0,
                  parent: Indicator | None = None,
                  kpi: str = "", rule: dict | None = None, description: str = "", order: int = 0) -> Indicator:
    _open(scheme)
    if kind not in IndicatorKind.values:
        raise Invalid("指标类型无效", field="kind")
    if kind in (IndicatorKind.KPI, IndicatorKind.VETO) and not kpi:
        raise Invalid("数据指标和一票否决项须绑定指标键", field="kpi")
    if rule and kind == IndicatorKind.KPI:
        try:
            engine.rule_score(rule, 0.0, Decimal(1), [0.0])
        except (ValueError, TypeError, KeyError) as exc:
            raise Invalid(f"计分规则无效：{exc}", field="rule") from exc
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        raise Invalid("请填写指标编号", field="code")
    if not name:
        raise Invalid("请填写指标名称", field="name")
    if parent is not None and (parent.scheme_id != scheme.pk or parent.kind != IndicatorKind.GROUP):
        raise Invalid("上级指标应为本方案的指标类别", field="parent")
    with transaction.atomic():
        Scheme.objects.select_for_update().filter(pk=scheme.pk).first()  # two adds of one code find each other
        if scheme.indicators.filter(code=code).exists():
            raise Invalid(f"编号 {code} 已被本方案的其他指标使用", field="code")
        ind = Indicator.objects.create(scheme=scheme, parent=parent, code=code, name=name, kind=kind,
                                       max_score=_points(max_score, "max_score", "分值"), kpi=kpi, rule=rule or {},
                                       description=description, order=order)
        audit.record(actor=actor, action="create", obj=ind, object_type="assessment.indicator",
                     region_code=scheme.region_id, after={"code": code, "kind": kind, "kpi": kpi})
    return ind


@action(perm=MANAGE, target="scheme", model=Scheme, what="确定考核对象")
def add_target(*, actor, scheme: Scheme, name: str, region, org_unit=None, order: int = 0) -> Target:
    _open(scheme)
    name = (name or "").strip()
    if not name:
        raise Invalid("请填写单位名称", field="name")
    with transaction.atomic():
        Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
        if scheme.targets.filter(name=name).exists():
            raise Invalid(f"{name}已是本方案的考核对象", field="name")
        t = Target.objects.create(scheme=scheme, name=name, region_id=getattr(region, "pk", region),
                                  org_unit=org_unit, order=order)
        audit.record(actor=actor, action="create", obj=t, after={"name": name})
    return t


@action(perm=MANAGE, target="scheme", model=Scheme, what="确定考核对象")
def add_townships(*, actor, scheme: Scheme) -> list[Target]:
    """Every 乡镇(街道) of the scheme's area that is not yet a unit of it, in the order of their codes."""
    from anmin.core.models import Region

    _open(scheme)
    if scheme.unit_type != UnitType.TOWNSHIP:
        raise Invalid("只有乡镇(街道)考核方案可以按区划添加考核对象", field="unit_type")
    made = []
    with transaction.atomic():
        Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
        have = {*scheme.targets.values_list("region_id", flat=True), *scheme.targets.values_list("name", flat=True)}
        order = scheme.targets.count()
        for t in Region.objects.townships().inside(scheme.region).order_by("code"):
            if t.code in have or t.name in have:
                continue
            made.append(Target.objects.create(scheme=scheme, name=t.name, region=t, order=order))
            order += 1
        if made:
            audit.record(actor=actor, action="create", obj=scheme, object_type="assessment.target",
                         after={"units": [t.name for t in made]})
    return made


def _unused(model, where, what: str) -> None:
    if model.objects.filter(**where).exists():
        raise Invalid(f"{what}，不能删除", field="item")


@action(perm=MANAGE, target="scheme", model=Scheme, what="设置考核指标")
def remove_indicator(*, actor, scheme: Scheme, indicator: Indicator) -> None:
    """A draft's item set up by mistake; not one a unit has been scored, adjusted or appealed on."""
    _open(scheme)
    if indicator.scheme_id != scheme.pk:
        raise Invalid("指标不属于该考核方案", field="item")
    with transaction.atomic():
        if indicator.children.exists():
            raise Invalid(f"{indicator.code} 下还有指标，请先删除其下的指标", field="item")
        _unused(ManualScore, {"indicator": indicator}, f"{indicator.code} 已有评分")
        _unused(Adjustment, {"indicator": indicator}, f"{indicator.code} 已登记扣分或加分")
        _unused(Appeal, {"indicator": indicator}, f"{indicator.code} 有申诉")
        _unused(Veto, {"indicator": indicator}, f"{indicator.code} 有一票否决记录")
        audit.record(actor=actor, action="delete", obj=indicator, object_type="assessment.indicator",
                     region_code=indicator.scheme.region_id, before={"code": indicator.code, "name": indicator.name})
        indicator.delete()


@action(perm=MANAGE, target="target", model=Target, what="确定考核对象")
def remove_target(*, actor, target: Target) -> None:
    """A unit added by mistake to a draft; not one that has scores, adjustments, appeals or vetoes."""
    _open(target.scheme)
    with transaction.atomic():
        for model, what in ((ManualScore, "已有评分"), (Adjustment, "已登记扣分或加分"), (Appeal, "有申诉"),
                            (Veto, "有一票否决记录")):
            _unused(model, {"target": target}, f"{target.name}{what}")
        audit.record(actor=actor, action="delete", obj=target, region_code=target.region_id,
                     before={"name": target.name})
        target.delete()


@action(perm="assessment.add_scheme", target="source", model=Scheme, what="新建考核方案")
def copy_scheme(*, actor, source: Scheme, year: int, name: str, excellent_quota=None, grades=None) -> Scheme:
    """A new year's scheme from an earlier one: its indicator tree (codes, points, data items and
    rules), grade lines and units; nothing scored. The usual way a year begins."""
    with transaction.atomic():
        scheme = create_scheme(actor=actor, year=year, unit_type=source.unit_type, name=name, region=source.region,
                               grades=grades if grades is not None else dict(source.grades or {}),
                               excellent_quota=excellent_quota if excellent_quota is not None
                               else source.excellent_quota)
        new_of: dict[int, Indicator] = {}
        # Parents before children: a group's row is written before the items under it.
        pending = list(source.indicators.order_by("order", "code"))
        while pending:
            later = []
            for ind in pending:
                if ind.parent_id and ind.parent_id not in new_of:
                    later.append(ind)
                    continue
                new_of[ind.pk] = Indicator.objects.create(
                    scheme=scheme, parent=new_of.get(ind.parent_id), code=ind.code, name=ind.name, kind=ind.kind,
                    max_score=ind.max_score, kpi=ind.kpi, rule=ind.rule, description=ind.description,
                    order=ind.order)
            if len(later) == len(pending):  # a parent outside the scheme: kept at the top
                for ind in later:
                    ind.parent_id = None
            pending = later
        Target.objects.bulk_create([Target(scheme=scheme, name=t.name, region_id=t.region_id,
                                           org_unit_id=t.org_unit_id, order=t.order)
                                    for t in source.targets.order_by("order", "name")])
        audit.record(actor=actor, action="create", obj=scheme,
                     after={"copied_from": source.name, "indicators": len(new_of), "units": scheme.targets.count()})
    return scheme


@action(perm="assessment.score_scheme", target="target", model=Target, what="考核评分")
def score_item(*, actor, target: Target, indicator: Indicator, score, note: str = "",
               expected_version: int | None = None) -> ManualScore:
    _open(target.scheme)
    if indicator.scheme_id != target.scheme_id or indicator.kind not in (IndicatorKind.MANUAL, IndicatorKind.KPI):
        raise Invalid("该指标不能人工评分", field="indicator")
    value = _points(score, "score", "得分")
    if value < 0 or value > indicator.max_score:
        raise Invalid(f"得分应在 0 到 {explain.num(indicator.max_score)} 之间", field="score")
    with transaction.atomic():
        current = ManualScore.objects.select_for_update().filter(target=target, indicator=indicator).first()
        if current and expected_version is not None and current.version != expected_version:
            raise changed_meanwhile("该项评分", current={"score": str(current.score), "version": current.version},
                                   field="score")
        if current:
            before = {"score": str(current.score)}
            current.score, current.note, current.scored_by = value, note, as_user(actor)
            current.scored_at, current.version = clock.now(), current.version + 1
            current.save()
        else:
            before = None
            current = ManualScore.objects.create(target=target, indicator=indicator, score=value, note=note,
                                                 scored_by=as_user(actor), scored_at=clock.now())
        audit.record(actor=actor, action="update" if before else "create", obj=current,
                     region_code=target.region_id, before=before, after={"score": str(value), "item": indicator.code})
    return current


@action(perm="assessment.score_scheme", target="target", model=Target, what="登记扣分或加分")
def add_adjustment(*, actor, target: Target, indicator: Indicator, points, reason: str,
                   reference: str = "") -> Adjustment:
    _open(target.scheme)
    if indicator.scheme_id != target.scheme_id or indicator.kind not in (IndicatorKind.DEDUCTION, IndicatorKind.BONUS):
        raise Invalid("该指标不是扣分或加分项", field="indicator")
    if not reason.strip():
        raise Invalid("请填写扣分或加分事由", field="reason")
    value = abs(_points(points, "points", "分值"))
    with transaction.atomic():
        adj = Adjustment.objects.create(target=target, indicator=indicator, points=value, reason=reason.strip(),
                                        reference=reference, created_by=as_user(actor), created_at=clock.now())
        audit.record(actor=actor, action="create", obj=adj, region_code=target.region_id,
                     after={"points": str(value), "item": indicator.code})
    return adj


@action(perm=MANAGE, target="scheme", model=Scheme, what="提出一票否决")
def propose_vetoes(*, actor, scheme: Scheme) -> list[Veto]:
    """Turn every veto trigger found in the records into a proposal (once per unit and item)."""
    _open(scheme)
    made = []
    with transaction.atomic():
        for r in engine.compute(scheme):
            for p in r.proposed_vetoes:
                if Veto.objects.filter(target=r.target, indicator_id=p["indicator"]).exists():
                    continue
                v = Veto.objects.create(target=r.target, indicator_id=p["indicator"], value=p["value"],
                                        link=p["link"][:300], proposed_at=clock.now(),
                                        reason=f"{p['name']}：记录显示 {p['value']:g}")
                audit.record(actor=actor, action="create", obj=v, region_code=r.target.region_id,
                             after={"item": p["code"], "value": p["value"]})
                made.append(v)
    return made


@action(perm="assessment.decide_veto", target="veto", model=Veto, what="认定一票否决")
def decide_veto(*, actor, veto: Veto, confirm: bool, note: str = "") -> Veto:
    _open(veto.target.scheme)
    if not note.strip():
        raise Invalid("请填写认定意见", field="note")
    with transaction.atomic():
        locked = Veto.objects.select_for_update().get(pk=veto.pk)
        if locked.status != VetoStatus.PROPOSED:
            raise Conflict("该一票否决已认定", current={"status": locked.status})
        locked.status = VetoStatus.CONFIRMED if confirm else VetoStatus.DISMISSED
        locked.decided_by, locked.decided_at, locked.decision_note = as_user(actor), clock.now(), note.strip()
        locked.save()
        audit.record(actor=actor, action="update", obj=locked, region_code=locked.target.region_id,
                     after={"status": locked.status})
    return locked


@action(perm="assessment.appeal_scheme", target="target", model=Target, what="提出考核申诉")
def file_appeal(*, actor, target: Target, reason: str, indicator: Indicator | None = None) -> Appeal:
    _open(target.scheme)
    if not reason.strip():
        raise Invalid("请填写申诉理由", field="reason")
    if indicator is not None and indicator.scheme_id != target.scheme_id:
        raise Invalid("指标不属于该考核方案", field="indicator")
    with transaction.atomic():
        # The same appeal sent again (back and 提交 once more, a retried request) is the one already
        # filed, not a second one: the unit's row is locked so that two at once find each other.
        Target.objects.select_for_update().filter(pk=target.pk).first()
        same = Appeal.objects.filter(target=target, indicator=indicator, reason=reason.strip(),
                                     status=AppealStatus.OPEN).first()
        if same is not None:
            return same
        appeal = Appeal.objects.create(target=target, indicator=indicator, reason=reason.strip(),
                                       filed_by=as_user(actor), filed_at=clock.now())
        audit.record(actor=actor, action="create", obj=appeal, region_code=target.region_id)
    return appeal


@action(perm="assessment.score_scheme", target="appeal", model=Appeal, what="复核考核申诉")
def decide_appeal(*, actor, appeal: Appeal, accept: bool, decision: str, new_score=None) -> Appeal:
    _open(appeal.target.scheme)
    if not decision.strip():
        raise Invalid("请填写复核意见", field="decision")
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.status != AppealStatus.OPEN:
            raise Conflict("该申诉已复核", current={"status": locked.status})
        if accept and new_score is not None and locked.indicator is not None:
            score_item(actor=actor, target=locked.target, indicator=locked.indicator, score=new_score,
                       note=f"申诉复核：{decision.strip()}")
            locked.new_score = _points(new_score, "new_score", "复核后得分")
        locked.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
        locked.decision, locked.decided_by, locked.decided_at = decision.strip(), as_user(actor), clock.now()
        locked.save()
        audit.record(actor=actor, action="update", obj=locked, region_code=locked.target.region_id,
                     after={"status": locked.status})
    return locked


@action(perm="assessment.publish_scheme", target="scheme", model=Scheme, what="发布考核结果")
def publish_scheme(*, actor, scheme: Scheme) -> Scheme:
    """Compute once more, keep every unit's result with its explanation, and freeze the year."""
    with transaction.atomic():
        locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
        _open(locked)
        if Veto.objects.filter(target__scheme=locked, status=VetoStatus.PROPOSED).exists():
            raise Invalid("仍有待认定的一票否决，请先认定", field="vetoes")
        if Appeal.objects.filter(target__scheme=locked, status=AppealStatus.OPEN).exists():
            raise Invalid("仍有待复核的申诉，请先复核", field="appeals")
        now = clock.now()
        for r in engine.compute(locked):
            Result.objects.create(target=r.target, total=r.total, rank=r.rank, grade=r.grade, excellent=r.excellent,
                                  explanation={"items": r.items, "vetoes": r.vetoes,
                                               "proposed_vetoes": r.proposed_vetoes}, computed_at=now)
        locked.status, locked.published_at, locked.published_by = SchemeStatus.PUBLISHED, now, as_user(actor)
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="update", obj=locked, after={"status": "published"})
    return locked


@action(perm=MANAGE, target="scheme", model=Scheme, what="评定先进个人")
def add_designation(*, actor, scheme: Scheme, person_name: str, org_name: str, target: Target | None = None,
                    title: str = "平安建设先进个人") -> Designation:
    _open(scheme)
    if not person_name.strip():
        raise Invalid("请填写姓名", field="person_name")
    with transaction.atomic():
        d = Designation.objects.create(scheme=scheme, target=target, person_name=person_name.strip(),
                                       org_name=org_name, title=title)
        audit.record(actor=actor, action="create", obj=d, region_code=scheme.region_id)
    return d


@action(perm="assessment.add_commendation", region="region", what="登记上级表彰")
def add_commendation(*, actor, year: int, level: str, kind: str, name: str, title: str, region,
                     org_name: str = "", awarded_on=None) -> Commendation:
    with transaction.atomic():
        c = Commendation.objects.create(year=year, level=level, kind=kind, name=name, title=title,
                                        region_id=getattr(region, "pk", region), org_name=org_name,
                                        awarded_on=awarded_on)
        audit.record(actor=actor, action="create", obj=c)
    return c
