"""A report as blocks of text runs, filled from KPIs: the one model the DOCX writer, the PDF and the
HTML preview read.

``render_report("annual", year=2020, user=None)`` walks the sections registered for that report
(``registry.report_sections``) and their paragraphs (``registry.report_paragraphs``), replaces each
``{{…}}`` placeholder by the figure (see ``ReportParagraph``) and records every figure used, with
the ledger link behind it. A placeholder whose KPI is not registered becomes a marked gap
(``Run.missing``) and is listed in ``Document.missing``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from anmin.core import clock, registry
from anmin.core.models import Region

from .. import figures as F

PLACEHOLDER = re.compile(r"\{\{(.+?)\}\}")
CN_NUMERALS = "一二三四五六七八九十"


@dataclass
class Run:
    text: str
    figure: F.Figure | None = None
    missing: bool = False


@dataclass
class Block:
    kind: str  # title | heading | subheading | para | signature | table
    runs: list[Run]
    number: str = ""  # "一、" for headings
    rows: list[list[str]] = field(default_factory=list)  # a table's rows, the first is the header

    @property
    def text(self) -> str:
        if self.kind == "table":
            return "\n".join(" ".join(row) for row in self.rows)
        return self.number + "".join(r.text for r in self.runs)


@dataclass
class Document:
    report: str
    title: str
    year: int
    as_of: dt.date
    blocks: list[Block] = field(default_factory=list)
    figures: list[F.Figure] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    issuer: str = ""

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def city_name(region: str | None) -> tuple[str, str]:
    """(full name, short name): 禹州市 → 禹州."""
    qs = Region.objects.filter(code=region) if region else Region.objects.filter(level=1).order_by("code")
    r = qs.first()
    full = r.name if r else ""
    short = full[:-1] if full.endswith(("市", "县", "区")) and len(full) > 2 else full
    return full, short


def as_of_phrase(day: dt.date, year: int) -> str:
    if day.year != year:
        return "全年"
    part = "上旬" if day.day <= 10 else "中旬" if day.day <= 20 else "下旬"
    return f"截至{day.month}月{part}"


class Filler:
    def __init__(self, figs: F.Figures, region: str | None, as_of: dt.date, city: str):
        self.figs, self.region, self.as_of, self.city = figs, region, as_of, city
        self.missing: list[str] = []

    def _miss(self, key: str) -> Run:
        label = key.split(",")[0]
        if label not in self.missing:
            self.missing.append(label)
        return Run(f"【{F.MISSING_TEXT}：{label}】", missing=True)

    def run(self, inner: str) -> Run:
        key, _, fmt = inner.strip().partition("|")
        key = key.strip()
        year = self.figs.year
        if key in ("year", "year-1"):
            return Run(str(year if key == "year" else year - 1))
        if key == "as_of":
            return Run(as_of_phrase(self.as_of, year))
        if key == "city":
            return Run(self.city)
        if "@" in key:
            key, _, offset = key.partition("@")
            year += int(offset)
        fig = self.figs.figure(key, self.region, year)
        if fig.missing:
            return self._miss(key)
        value = fig.value
        kind, _, arg = fmt.partition(":")
        if kind == "":
            text = F.number(value)
        elif kind == "余":
            text = F.approx(value)
        elif kind == "pct":
            text = F.percent(value)
        elif kind == "万元":
            text = F.wan(value)
        elif kind == "亿元":
            text = F.yi(value)
        elif kind == "yoy":
            prev = self.figs.figure(key, self.region, year - 1).value
            text = F.change(value, prev) or "上年无可比数据"
        elif kind == "none":
            zero, _, other = arg.partition("|")
            text = zero if not value else other.replace("{n}", F.number(value))
        elif kind == "streak":
            window, _, phrases = arg.partition(":")
            zero, _, other = phrases.partition("|")
            n = 0
            for y in range(year, year - int(window), -1):
                if self.figs.figure(key, self.region, y).value:
                    break
                n += 1
            text = zero.replace("{n}", str(n)) if n else other.replace("{n}", F.number(value))
        else:
            raise ValueError(f"unknown figure format {fmt!r} in {{{{{inner}}}}}")
        return Run(text, figure=fig)

    def runs(self, text: str) -> list[Run]:
        out, pos = [], 0
        for m in PLACEHOLDER.finditer(text):
            if m.start() > pos:
                out.append(Run(text[pos:m.start()]))
            out.append(self.run(m.group(1)))
            pos = m.end()
        if pos < len(text):
            out.append(Run(text[pos:]))
        return out


def default_title(report: str, city: str, year: int, period: str = "") -> str:
    if report == "annual":
        return f"以人民为中心 筑牢平安{city}铜墙铁壁"
    return f"关于{period or year}平安建设工作情况的通报"


def render_report(report: str = "annual", *, year: int, user=None, region: str | None = None,
                  as_of: dt.date | None = None, title: str | None = None, use_cache: bool = True,
                  issuer: str = "", extra=None) -> Document:
    """``extra(section_key, filler) -> list[Block]`` adds blocks at the end of a section (the
    通报's tables)."""
    full, city = city_name(region)
    today = clock.today()
    as_of = as_of or (today if today.year == year else dt.date(year, 12, 31))
    figs = F.Figures(user=user, year=year, use_cache=use_cache)
    filler = Filler(figs, region, as_of, city)
    doc = Document(report, title or default_title(report, city, year), year, as_of,
                   issuer=issuer or f"{full}委政法委")
    doc.blocks.append(Block("title", [Run(doc.title)]))
    sections = sorted((s for s in registry.report_sections if report in s.reports), key=lambda s: s.order)
    paragraphs = [p for p in registry.report_paragraphs if report in p.reports]
    n = 0
    for section in sections:
        body = sorted((p for p in paragraphs if p.section == section.key), key=lambda p: p.order)
        if section.heading:
            number = CN_NUMERALS[n] + "、" if n < len(CN_NUMERALS) else f"{n + 1}、"
            n += 1
            doc.blocks.append(Block("heading", filler.runs(section.heading), number=number))
            if section.subheading:
                doc.blocks.append(Block("subheading", filler.runs(section.subheading)))
        if section.intro:
            doc.blocks.append(Block("para", filler.runs(section.intro.replace("{city}", city))))
        for paragraph in body:
            doc.blocks.append(Block("para", filler.runs(paragraph.text)))
        if extra is not None:
            doc.blocks.extend(extra(section.key, filler))
    doc.blocks.append(Block("signature", [Run(doc.issuer)]))
    doc.blocks.append(Block("signature", [Run(f"{as_of.year}年{as_of.month}月{as_of.day}日")]))
    doc.figures = figs.used
    doc.missing = filler.missing
    return doc


def figure_rows(doc: Document) -> list[dict[str, Any]]:
    """The figures a report was made from, once each (key, region, year), for the kept version."""
    seen, rows = set(), []
    for fig in doc.figures:
        k = (fig.key, fig.region, fig.year)
        if k in seen:
            continue
        seen.add(k)
        rows.append(fig.as_dict())
    return rows
