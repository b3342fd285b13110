"""通报 (monthly and quarterly bulletins): the same machinery as the year-end report — sections from
``registry.report_sections`` with ``reports`` containing "monthly"/"quarterly" and their paragraphs —
plus the tables a 通报 is read for: the ranking of areas, the overdue and supervised cases, and the
units to be named (most overdue cases).

Figures from KPIs are year-to-date ("今年以来"); what happened in the period itself (cases opened,
督办 issued) comes from the case engine by date.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from anmin.core import clock
from anmin.core.models import Region
from anmin.core.registry import ReportParagraph, ReportSection, report_paragraphs, report_sections
from anmin.workflow.models import Case, Supervision

from .. import figures as F
from ..cases import kind_labels
from .render import Block, Document, Run, render_report

REPORTS = ("monthly", "quarterly")
RANKING_KPIS = (
    ("disputes.found", "排查纠纷"),
    ("disputes.success_rate", "调成率(%)"),
    ("grid.reported", "网格事件"),
    ("grid.on_time_rate", "按期办结率(%)"),
    ("cases.overdue", "超期未办结"),
)

SECTIONS = (
    ReportSection("b.overview", "总体情况", "", 10,
                  "{{as_of}}，今年以来全市共登记各类事项{{cases.opened}}件，排查矛盾纠纷{{disputes.found}}件，"
                  "调成率{{disputes.success_rate|pct}}；网格员上报网格事件{{grid.reported}}件，按期办结率{{grid.on_time_rate|pct}}。",
                  reports=REPORTS),
    ReportSection("b.ranking", "各乡镇(街道)工作排名", "", 20, "", reports=REPORTS),
    ReportSection("b.overdue", "超期和督办事项", "", 30,
                  "目前全市超期未办结事项{{cases.overdue}}件，今年以来督办{{cases.supervised}}件。", reports=REPORTS),
    ReportSection("b.named", "通报点名", "", 40, "", reports=REPORTS),
    ReportSection("b.requirements", "工作要求", "", 50,
                  "各乡镇(街道)要对照本通报，逐件核查超期事项，限期办结并书面反馈；被点名的单位要认真分析原因，"
                  "制定整改措施，确保下期排名有明显提升。", reports=REPORTS),
)


def period_range(kind: str, period: str) -> tuple[dt.date, dt.date, str]:
    """("2020-11") → 2020-11-01 … 2020-11-30, "2020年11月"; ("2020-Q4") → the quarter."""
    year, _, part = period.partition("-")
    y = int(year)
    if kind == "quarterly":
        q = int(part.lstrip("Qq"))
        if not 1 <= q <= 4:
            raise ValueError("季度应为 1-4")
        first, last = dt.date(y, 3 * q - 2, 1), dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        return first, last, f"{y}年第{'一二三四'[q - 1]}季度"
    m = int(part)
    if not 1 <= m <= 12:
        raise ValueError("月份应为 1-12")
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]), f"{y}年{m}月"


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def render_bulletin(kind: str, *, period: str, user=None, region: str | None = None,
                    use_cache: bool = True) -> Document:
    first, last, label = period_range(kind, period)
    year = first.year
    root = region or Region.objects.filter(level=1).order_by("code").values_list("code", flat=True).first()
    areas = list(Region.objects.filter(parent_id=root).order_by("code").values_list("code", "name"))
    start, end = _aware(first), _aware(last + dt.timedelta(days=1))
    cases = Case.objects.visible_to(user) if user is not None else Case.objects.all()
    sups = Supervision.objects.visible_to(user) if user is not None else Supervision.objects.all()

    def extra(section: str, filler) -> list[Block]:
        figs: F.Figures = filler.figs
        if section == "b.overview":
            opened = cases.filter(opened_at__gte=start, opened_at__lt=end)
            labels = kind_labels()
            parts = [f"{labels.get(k, k)}{n}件" for k, n in sorted(
                {k: opened.filter(kind=k).count() for k in labels}.items()) if n]
            issued = sups.filter(issued_at__gte=start, issued_at__lt=end).count()
            text = f"本期（{label}）新登记事项{opened.count()}件" + (f"，其中{'、'.join(parts)}" if parts else "") + \
                   f"；本期督办{issued}件。"
            return [Block("para", [Run(text)])]
        if section == "b.ranking":
            present = [(k, h) for k, h in RANKING_KPIS if F.resolve(k) is not None]
            rows = []
            for k, _ in present:
                figs.prefetch(k, [code for code, _name in areas], root, year)
            for code, name in areas:
                rows.append([name] + [F.number(figs.value(k, code)) for k, _ in present])
            key = present[0][0] if present else None
            if key:
                rows.sort(key=lambda r: -float(r[1]) if r[1] != F.MISSING_TEXT else 0)
            header = ["名次", "乡镇(街道)"] + [h for _, h in present]
            table = [header] + [[str(i + 1), *r] for i, r in enumerate(rows)]
            missing = [k for k, _ in RANKING_KPIS if F.resolve(k) is None]
            blocks = [Block("para", [Run("按今年以来排查矛盾纠纷数量排序，各乡镇(街道)主要指标如下：")]),
                      Block("table", [], rows=table)]
            if missing:
                blocks.append(Block("para", [Run(f"【{F.MISSING_TEXT}：{'、'.join(missing)}】", missing=True)]))
            return blocks
        if section == "b.overdue":
            overdue = list(cases.overdue().select_related("region").order_by("due_at")[:15])
            if not overdue:
                return [Block("para", [Run("目前无超期未办结事项。")])]
            labels = kind_labels()
            rows = [["编号", "类型", "标题", "所在区划", "办理期限"]] + [
                [c.number, labels.get(c.kind, c.kind), c.title[:20], c.region.name,
                 timezone.localtime(c.due_at).strftime("%Y-%m-%d")] for c in overdue]
            return [Block("para", [Run("超期时间最长的事项如下：")]), Block("table", [], rows=rows)]
        if section == "b.named":
            counts = []
            figs.prefetch("cases.overdue", [code for code, _name in areas], root, year)
            for code, name in areas:
                n = figs.value("cases.overdue", code)
                counts.append((n or 0, name))
            worst = [f"{name}（{n}件）" for n, name in sorted(counts, reverse=True)[:3] if n]
            text = ("超期未办结事项较多的单位：" + "、".join(worst) + "，予以通报点名，限期整改。") if worst else \
                "本期无超期未办结事项较多的单位。"
            return [Block("para", [Run(text)])]
        return []

    doc = render_report(kind, year=year, user=user, region=region, as_of=min(last, clock.today()),
                        title=f"关于{label}平安建设工作情况的通报", use_cache=use_cache, extra=extra)
    return doc


def register() -> None:
    for section in SECTIONS:
        report_sections.register(section.key, section)
    # No paragraphs of its own: domains may add theirs with reports=("monthly", "quarterly").
    _ = report_paragraphs, ReportParagraph
