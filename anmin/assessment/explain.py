"""How the assessment reads to a person: each data indicator by its name (not its KPI key), values
and points without floating-point noise, rules in words.

The pages build their rows here from the structured part of a unit's explanation (KPI key, value,
points), so a published year's frozen explanation reads the same way as a live one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from anmin.core import registry

from .models import IndicatorKind, Scheme, Target, VetoStatus


def num(value: Any) -> str:
    """92.5 → "92.5", 1.4000000000000001 → "1.4", Decimal("15.00") → "15", None → "—"."""
    if value is None or value == "":
        return "—"
    v = round(float(value), 2)
    if v == 0:
        return "0"
    return str(int(v)) if v.is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


def kpi_of(key: str) -> registry.Kpi | None:
    """The registered KPI for ``key`` (``"a,b"``: the first registered)."""
    for k in (key or "").split(","):
        if k.strip() in registry.kpis:
            return registry.kpis.get(k.strip())
    return None


def kpi_label(key: str, default: str = "") -> str:
    kpi = kpi_of(key)
    if kpi is not None:
        return str(kpi.label)
    return default or (_("未登记的数据指标") if key else "")


def kpi_unit(key: str) -> str:
    kpi = kpi_of(key)
    return kpi.unit if kpi is not None else ""


def _pct(share: float) -> str:
    return f"{num(float(share) * 100)}%"


def describe_rule(kind: str, rule: dict | None, max_score: Any, kpi: str = "", description: str = "") -> str:
    """The rule of an indicator in words, e.g. "按比例计分，达到85%得满分"."""
    rule = rule or {}
    unit = kpi_unit(kpi)
    if kind == IndicatorKind.KPI:
        kind_ = rule.get("type", "proportional")
        if kind_ == "proportional":
            return _("按比例计分，达到%(full)s得满分") % {"full": num(rule.get("full_at", 100)) + unit}
        if kind_ == "thresholds":
            cmp = "≤" if rule.get("lower_is_better") else "≥"
            steps = [(_("%(cmp)s%(limit)s得满分") if float(share) >= 1 else _("%(cmp)s%(limit)s得分值的%(share)s"))
                     % {"cmp": cmp, "limit": num(limit) + unit, "share": _pct(share)}
                     for limit, share in rule.get("steps", [])]
            return _("分档计分：%(steps)s；其余不得分") % {"steps": "；".join(steps)}
        if kind_ == "ranking":
            text = _("按排名计分：第一名得满分，最后一名得分值的%(floor)s，其间按名次递减") % {
                "floor": _pct(rule.get("floor", 0.6))}
            return text + (_("（数值越低排名越前）") if rule.get("lower_is_better") else "")
        return str(kind_)
    if kind in (IndicatorKind.DEDUCTION, IndicatorKind.BONUS):
        minus = kind == IndicatorKind.DEDUCTION
        cap = (_("最多扣%(max)s分") if minus else _("最多加%(max)s分")) % {"max": num(max_score)}
        if rule.get("type") == "per_item":
            each = (_("每%(unit)s扣%(points)s分") if minus else _("每%(unit)s加%(points)s分")) % {
                "unit": unit or _("项"), "points": num(rule.get("points", 1))}
            return f"{each}，{cap}"
        registered = _("逐项登记扣分") if minus else _("逐项登记加分")  # not inside the f-string: xgettext
        return f"{registered}，{cap}"
    if kind == IndicatorKind.VETO:
        above = float(rule.get("above", 0))
        if above == 0:
            return _("发生即提出一票否决建议，经认定后为不达标")
        return _("超过%(above)s即提出一票否决建议，经认定后为不达标") % {"above": num(above) + unit}
    return description


def indicator_rows(scheme: Scheme) -> list[dict]:
    """The scheme's indicator tree as the page lists it."""
    return [{"code": i.code, "name": i.name, "kind": i.get_kind_display(), "max": num(i.max_score),
             "kpi": kpi_label(i.kpi) if i.kpi else "",
             "rule": describe_rule(i.kind, i.rule, i.max_score, i.kpi, i.description)}
            for i in scheme.indicators.order_by("order", "code")]


def _measured(key: str, value: Any) -> str:
    """"排查矛盾纠纷 3件"."""
    return f"{kpi_label(key)} {num(value)}{kpi_unit(key)}"


def item_rows(target: Target, items: list[dict]) -> list[dict]:
    """A unit's explanation (``engine.UnitResult.items``) as the page shows it."""
    rules = {i.code: i for i in target.scheme.indicators.all()}
    rows = []
    for row in items:
        ind = rules.get(row.get("code"))
        kind = row.get("kind") or (ind.kind if ind else "")
        key = row.get("kpi") or (ind.kpi if ind else "")
        detail = row.get("detail", "")
        entries = []
        if kind == IndicatorKind.VETO:
            value = row.get("value")
            detail = _measured(key, value) if value is not None else (_("暂无数据") if key else "")
            if value is not None and row.get("triggered"):
                detail += _("，已触发一票否决建议")
        elif row.get("source") == "kpi" and row.get("value") is not None:
            detail = f"{_measured(key, row['value'])}；{detail}"
        elif kind in (IndicatorKind.DEDUCTION, IndicatorKind.BONUS):
            minus = kind == IndicatorKind.DEDUCTION
            per = (ind.rule or {}).get("points", 1) if ind else 1
            for e in row.get("entries", []):
                reason = e.get("reason", "")
                if e.get("kpi"):
                    each = (_("每%(unit)s扣%(points)s分") if minus else _("每%(unit)s加%(points)s分")) % {
                        "unit": kpi_unit(e["kpi"]) or _("项"), "points": num(per)}
                    reason = f"{_measured(e['kpi'], e.get('value'))}，{each}"
                entries.append({"reason": reason, "points": num(e.get("points")), "link": e.get("link", "")})
            total = sum(abs(Decimal(str(e.get("points") or 0))) for e in row.get("entries", []))
            if not entries:
                detail = _("无扣分事项") if minus else _("无加分事项")
            else:
                text = _("合计扣%(total)s分，最多扣%(max)s分") if minus else _("合计加%(total)s分，最多加%(max)s分")
                detail = text % {"total": num(total), "max": num(row.get("max"))}
        rows.append({"code": row.get("code"), "name": row.get("name"), "max": num(row.get("max")),
                     "score": num(row.get("score")), "detail": detail, "link": row.get("link", ""),
                     "entries": entries})
    return rows


def veto_rows(vetoes: list[dict]) -> list[dict]:
    labels = dict(VetoStatus.choices)
    return [{**v, "status_label": labels.get(v.get("status"), v.get("status"))} for v in vetoes]
