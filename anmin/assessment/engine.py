"""Scoring a scheme: every unit's points traced to where they came from.

For each unit (``Target``) and each leaf indicator:

* ``kpi`` — the KPI's value for the unit's region and the year (``anmin.core.registry.kpis``, read by
  key), scored by the item's rule: ``proportional`` (full marks at ``full_at``), ``thresholds``
  (``steps`` of [value, share of the points]; ``lower_is_better`` for counts such as overdue
  cases), ``ranking`` (the best unit gets full marks, the last ``floor`` of them, linearly between).
  A reviewer's score on a data item overrides it (a year the records do not cover).
* ``manual`` — the reviewer's score (``ManualScore``), at most the item's points; none yet: 0.
* ``deduction`` / ``bonus`` — the occurrences registered (``Adjustment``) plus, when the item is
  bound to a KPI with ``{"type": "per_item", "points": p}``, p per unit of the KPI; capped at the
  item's points.
* ``veto`` — a KPI above ``rule["above"]`` (default 0) proposes a 一票否决; a confirmed ``Veto``
  makes the unit 不达标 whatever its total.

Total = score items + bonuses − deductions (never below 0); rank by total (ties share a rank);
grade by the scheme's lines; 优秀单位 = grade 优秀 within ``excellent_quota`` by rank. A published
scheme returns its frozen results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from anmin.core import areas, registry

from .explain import kpi_label, kpi_unit, num
from .models import (
    Adjustment,
    Grade,
    Indicator,
    IndicatorKind,
    ManualScore,
    Scheme,
    Target,
    Veto,
    VetoStatus,
)

TWO = Decimal("0.01")


def q(value) -> Decimal:
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def kpi_values(key: str, *, year: int, regions) -> dict[str | None, float | None]:
    """The KPI's value for each of ``regions`` (the units assessed; None when no KPI of that key — or of
    its alternatives "a,b" — is registered), in one grouped statement when the KPI has a by-area form and
    the regions are of one level (``Kpi.by_area``)."""
    regions = list(dict.fromkeys(regions))
    codes = [code for code in regions if code]
    for k in key.split(","):
        k = k.strip()
        if k in registry.kpis:
            kpi = registry.kpis.get(k)
            grouped = kpi.by_area(year=year, region=None, codes=codes, user=None) \
                if kpi.by_area is not None and len(codes) > 1 and areas.digits(codes) else {}
            return {code: _number(grouped[code] if code in grouped else
                                  kpi.compute(year=year, region=code, user=None)) for code in regions}
    return dict.fromkeys(regions)


def _number(value) -> float | None:
    return float(value) if value is not None and not isinstance(value, dict) else None


def drill(key: str, region: str | None, year: int) -> str:
    for k in key.split(","):
        if k.strip() in registry.drill_links:
            try:
                return registry.drill_links.get(k.strip()).url(region=region, year=year) or ""
            except Exception:
                return ""
    return ""


def rule_score(rule: dict, value: float, max_score: Decimal, values: list[float],
               unit: str = "") -> tuple[Decimal, str]:
    kind = rule.get("type", "proportional")
    if kind == "proportional":
        full = float(rule.get("full_at", 100))
        share = min(max(value / full, 0.0), 1.0) if full else 0.0
        return q(float(max_score) * share), f"按比例计分，达到{num(full)}{unit}得满分，得分值的{share:.0%}"
    if kind == "thresholds":
        lower = rule.get("lower_is_better", False)
        for limit, share in rule.get("steps", []):
            if (value <= limit) if lower else (value >= limit):
                cmp = "≤" if lower else "≥"
                return q(float(max_score) * share), f"分档计分：{cmp}{num(limit)}{unit}，得分值的{share:.0%}"
        return q(0), "分档计分：未达最低档，不得分"
    if kind == "ranking":
        floor = float(rule.get("floor", 0.6))
        lower = rule.get("lower_is_better", False)
        ordered = sorted(set(values), reverse=not lower)
        n = len(ordered)
        pos = ordered.index(value) if value in ordered else n - 1
        share = 1.0 if n <= 1 else 1.0 - pos / (n - 1) * (1.0 - floor)
        return q(float(max_score) * share), f"按排名计分：第 {pos + 1} / {n} 位，得分值的{share:.0%}"
    raise ValueError(f"unknown rule {kind!r}")


@dataclass
class UnitResult:
    target: Target
    total: Decimal = Decimal(0)
    rank: int = 0
    grade: str = ""
    excellent: bool = False
    items: list[dict] = field(default_factory=list)
    vetoes: list[dict] = field(default_factory=list)
    proposed_vetoes: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.target.name, "region": self.target.region_id, "total": float(self.total),
                "rank": self.rank, "grade": self.grade, "excellent": self.excellent, "items": self.items,
                "vetoes": self.vetoes, "proposed_vetoes": self.proposed_vetoes}


def leaves(scheme: Scheme) -> list[Indicator]:
    return [i for i in scheme.indicators.order_by("order", "code") if i.kind != IndicatorKind.GROUP]


def compute(scheme: Scheme) -> list[UnitResult]:
    if scheme.is_frozen:
        return frozen(scheme)
    targets = list(scheme.targets.select_related("region").order_by("order", "name"))
    items = leaves(scheme)
    manual = {(s.target_id, s.indicator_id): s for s in ManualScore.objects.filter(target__scheme=scheme)}
    adjustments: dict[tuple[int, int], list[Adjustment]] = {}
    for a in Adjustment.objects.filter(target__scheme=scheme).order_by("created_at"):
        adjustments.setdefault((a.target_id, a.indicator_id), []).append(a)
    vetoes: dict[int, list[Veto]] = {}
    for v in Veto.objects.filter(target__scheme=scheme):
        vetoes.setdefault(v.target_id, []).append(v)
    year = scheme.year
    # KPI values per item and unit, once (ranking rules need every unit's value).
    values: dict[int, dict[int, float | None]] = {}
    for item in items:
        if item.kpi:
            by_region = kpi_values(item.kpi, year=year, regions=[t.region_id for t in targets])
            values[item.id] = {t.id: by_region[t.region_id] for t in targets}
    results = []
    for t in targets:
        r = UnitResult(t)
        score_sum, minus, plus = Decimal(0), Decimal(0), Decimal(0)
        for item in items:
            row = {"code": item.code, "name": item.name, "kind": item.kind, "max": float(item.max_score)}
            own = manual.get((t.id, item.id))
            value = values.get(item.id, {}).get(t.id)
            link = drill(item.kpi, t.region_id, year) if item.kpi else ""
            if item.kind in (IndicatorKind.KPI, IndicatorKind.MANUAL):
                if own is not None:
                    pts = min(q(own.score), q(item.max_score))
                    row.update(score=float(pts), source="manual", detail=f"评分：{own.note}" if own.note else "评分")
                elif item.kind == IndicatorKind.KPI and value is not None:
                    pool = [v for v in values[item.id].values() if v is not None]
                    pts, text = rule_score(item.rule or {}, value, item.max_score, pool, kpi_unit(item.kpi))
                    row.update(score=float(pts), value=value, source="kpi", detail=text, kpi=item.kpi, link=link)
                else:
                    pts = Decimal(0)
                    row.update(score=0.0, source="none",
                               detail="暂无数据（指标未登记）" if item.kind == IndicatorKind.KPI else "尚未评分")
                score_sum += pts
            elif item.kind in (IndicatorKind.DEDUCTION, IndicatorKind.BONUS):
                occ = adjustments.get((t.id, item.id), [])
                raw = sum((abs(a.points) for a in occ), Decimal(0))
                entries = [{"points": float(a.points), "reason": a.reason, "reference": a.reference} for a in occ]
                rule = item.rule or {}
                if item.kpi and rule.get("type") == "per_item" and value:
                    pts = q(value * float(rule.get("points", 1)))
                    raw += pts
                    entries.append({"points": float(pts), "kpi": item.kpi, "value": value, "link": link,
                                    "reason": f"{kpi_label(item.kpi)} {num(value)}{kpi_unit(item.kpi)}"})
                capped = min(raw, q(item.max_score)) if item.max_score else raw
                row.update(score=float(-capped if item.kind == IndicatorKind.DEDUCTION else capped),
                           entries=entries, detail=f"合计 {num(raw)} 分，封顶 {num(item.max_score)} 分")
                if item.kind == IndicatorKind.DEDUCTION:
                    minus += capped
                else:
                    plus += capped
            elif item.kind == IndicatorKind.VETO:
                above = float((item.rule or {}).get("above", 0))
                triggered = value is not None and value > above
                measured = f"{kpi_label(item.kpi)} {num(value)}{kpi_unit(item.kpi)}" if value is not None else ""
                row.update(score=0.0, value=value, kpi=item.kpi, link=link, triggered=triggered, detail=measured)
                if triggered:
                    r.proposed_vetoes.append({"indicator": item.id, "code": item.code, "name": item.name,
                                              "value": value, "link": link})
            r.items.append(row)
        for v in vetoes.get(t.id, []):
            r.vetoes.append({"id": v.id, "status": v.status, "reason": v.reason, "link": v.link,
                             "indicator": v.indicator_id})
        r.total = max(score_sum + plus - minus, Decimal(0)).quantize(TWO)
        results.append(r)
    rank_and_grade(scheme, results)
    return results


def rank_and_grade(scheme: Scheme, results: list[UnitResult]) -> None:
    ordered = sorted(results, key=lambda r: -r.total)
    lines = scheme.grade_lines()
    rank, previous = 0, None
    for i, r in enumerate(ordered, start=1):
        if r.total != previous:
            rank, previous = i, r.total
        r.rank = rank
        vetoed = any(v["status"] == VetoStatus.CONFIRMED for v in r.vetoes)
        if vetoed:
            r.grade = Grade.FAIL
        elif r.total >= Decimal(str(lines["优秀"])):
            r.grade = Grade.EXCELLENT
        elif r.total >= Decimal(str(lines["良好"])):
            r.grade = Grade.GOOD
        elif r.total >= Decimal(str(lines["达标"])):
            r.grade = Grade.PASS
        else:
            r.grade = Grade.FAIL
    excellent = [r for r in ordered if r.grade == Grade.EXCELLENT]
    quota = scheme.excellent_quota
    for n, r in enumerate(excellent, start=1):
        r.excellent = quota is None or n <= quota


def frozen(scheme: Scheme) -> list[UnitResult]:
    out = []
    for t in scheme.targets.select_related("result", "region").order_by("result__rank", "name"):
        res = getattr(t, "result", None)
        if res is None:
            continue
        data = res.explanation or {}
        out.append(UnitResult(t, total=res.total, rank=res.rank, grade=res.grade, excellent=res.excellent,
                              items=data.get("items", []), vetoes=data.get("vetoes", []),
                              proposed_vetoes=data.get("proposed_vetoes", [])))
    return out


def summary(scheme: Scheme, results: list[UnitResult] | None = None) -> dict:
    results = compute(scheme) if results is None else results
    return {
        "year": scheme.year, "unit_type": scheme.unit_type, "scheme": scheme.name, "status": scheme.status,
        "units": len(results), "excellent_units": sum(r.excellent for r in results),
        "grades": {g: sum(r.grade == g for r in results) for g in Grade.values},
        "individuals": scheme.designations.count(),
        "results": [r.as_dict() for r in sorted(results, key=lambda r: (r.rank, r.target.name))],
    }
