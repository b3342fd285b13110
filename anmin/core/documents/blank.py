"""The default template of a document, built in the official layout with Jinja tags in it.

A document's ``blocks`` describe its default template; the office's own Word file replaces it. Tags
are docxtpl's (Jinja): ``{{ case.number }}``, and a table row repeated with ``{%tr for … %}``.

    Title("人民调解协议书")
    Line("编号：{{ number }}", align="right")
    Para("{{ agreement }}")                  # a body paragraph, two characters indented
    Heading("一、纠纷事实")
    Fields([("当事人", "{{ name }}"), …])      # a bordered two-column form
    Rows(("序号", "时间", "内容"), "e in events", ("{{ e.seq }}", "{{ e.at }}", "{{ e.label }}"))
    Signatures(("当事人（签名）", "调解员（签名）"))
    Line("{{ today }}", align="right")
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from .layout import SIZE, exact_lines, fonts, page_number, page_setup, set_font

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
SMALL = Pt(12)  # 小四, for the text in form tables


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Line:
    text: str
    align: str = "left"


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Fields:
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Rows:
    headers: tuple[str, ...]
    loop: str  # "e in events"
    cells: tuple[str, ...]
    empty: str = ""  # what the table says when the list is empty (a Jinja condition row)


@dataclass(frozen=True)
class Signatures:
    labels: tuple[str, ...]


def _para(out, text: str, *, font: str, size=SIZE["3号"], align="left", indent=False, bold=False):
    p = out.add_paragraph()
    exact_lines(p)
    p.alignment = ALIGN[align]
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    set_font(p.add_run(text), font, size, bold)
    return p


def _cell(cell, text: str, font: str, *, bold=False, align="left") -> None:
    p = cell.paragraphs[0]
    p.alignment = ALIGN[align]
    set_font(p.add_run(text), font, SMALL, bold)


def _fields(out, rows) -> None:
    f = fonts()
    table = out.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (label, value) in enumerate(rows):
        table.cell(i, 0).width, table.cell(i, 1).width = Mm(36), Mm(120)
        _cell(table.cell(i, 0), label, f["heading"], align="center")
        _cell(table.cell(i, 1), value, f["body"])


def _rows(out, block: Rows) -> None:
    f = fonts()
    n = len(block.headers)
    table = out.add_table(rows=4, cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, h in enumerate(block.headers):
        _cell(table.cell(0, j), h, f["heading"], align="center")
    loop_var = block.loop.split(" in ")[1].strip()
    _cell(table.cell(1, 0), f"{{%tr for {block.loop} %}}", f["body"])
    for j, c in enumerate(block.cells):
        _cell(table.cell(2, j), c, f["body"])
    _cell(table.cell(3, 0), "{%tr endfor %}", f["body"])
    if block.empty:
        _para(out, f"{{% if not {loop_var} %}}{block.empty}{{% endif %}}", font=f["body"], size=SMALL)


def build(title_for_properties: str, blocks) -> bytes:
    """The DOCX of a default template."""
    f = fonts()
    out = Docx()
    section = out.sections[0]
    page_setup(section)
    page_number(section.footer, WD_ALIGN_PARAGRAPH.CENTER)
    out.styles["Normal"].font.size = SIZE["3号"]
    out.styles["Normal"].font.name = f["latin"]
    out.core_properties.title = title_for_properties
    out.core_properties.author = "安民 · 平安建设综合治理平台"
    for empty in list(out.paragraphs):  # some python-docx templates start with an empty paragraph
        empty._element.getparent().remove(empty._element)
    for block in blocks:
        if isinstance(block, Title):
            p = _para(out, block.text, font=f["title"], size=SIZE["2号"], align="center")
            p.paragraph_format.line_spacing = Pt(36)
        elif isinstance(block, Heading):
            _para(out, block.text, font=f["heading"], indent=True)
        elif isinstance(block, Line):
            _para(out, block.text, font=f["body"], align=block.align)
        elif isinstance(block, Para):
            _para(out, block.text, font=f["body"], align="justify", indent=True)
        elif isinstance(block, Fields):
            _fields(out, block.rows)
        elif isinstance(block, Rows):
            _rows(out, block)
        elif isinstance(block, Signatures):
            _para(out, "", font=f["body"])
            for label in block.labels:
                _para(out, f"{label}：＿＿＿＿＿＿＿＿", font=f["body"], align="right")
        else:  # pragma: no cover — a programming error in a registration
            raise TypeError(f"unknown block {block!r}")
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
