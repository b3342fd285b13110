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
    with transaction.atomic():
        ind = Indicator.objects.create(scheme=scheme, parent=parent, code=code, name=name, kind=kind,
                                       max_score=_points(max_score, "max_score", "分值"), kpi=kpi, rule=rule or {},
                                       description=description, order=order)
        audit.record(actor=actor, action="create", obj=ind, object_type="assessment.indicator",
                     region_code=scheme.region_id, after={"code": code, "kind": kind, "kpi": kpi})
    return ind


@action(perm=MANAGE, target="scheme", model=Scheme, what="确定考核对象")
def add_target(*, actor, scheme: Scheme, name: str, region, org_unit=None, order: int = 0) -> Target:
    _open(scheme)
    with transaction.atomic():
        t = Target.objects.create(scheme=scheme, name=name, region_id=getattr(region, "pk", region),
                                  org_unit=org_unit, order=order)
        audit.record(actor=actor, action="create", obj=t, after={"name": name})
    return t


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
