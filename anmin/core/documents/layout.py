"""The official document layout (GB/T 9704-2012 《党政机关公文格式》) for every DOCX Anmin writes:
A4, type area 156 × 225 mm (top 37 mm, left 28 mm), body in 3号 仿宋 at 22 lines a page, title in 2号
小标宋 centred, "一、" headings in 黑体, page numbers "— 1 —" in 4号 宋体 at the outside edge.

Font names come from ``settings.ANMIN_REPORT_FONTS`` (the official names by default, so Word on an
office machine renders them; the PDF step maps them to free CJK fonts when they are absent). The
year-end report (analytics) and the printed 文书 of every domain (``anmin.core.documents``) use these.
"""

from __future__ import annotations

from django.conf import settings
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

DEFAULT_FONTS = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "heading": "黑体",
    "subheading": "楷体_GB2312",
    "page_number": "宋体",
    "latin": "Times New Roman",
}
SIZE = {"2号": Pt(22), "3号": Pt(16), "4号": Pt(14)}
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines


def fonts() -> dict[str, str]:
    return {**DEFAULT_FONTS, **getattr(settings, "ANMIN_REPORT_FONTS", {})}


def set_font(run, east_asian: str, size, bold: bool = False) -> None:
    run.font.size = size
    run.font.bold = bold
    run.font.name = fonts()["latin"]
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")


def exact_lines(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def page_setup(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.bottom_margin, section.right_margin = Mm(35), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28)
    # No document grid (文档网格): LibreOffice spreads CJK text over a grid Word reads differently. The
    # exact line pitch gives the 22 lines, and 3号 characters on the 156 mm line about 27–28 a line.


def page_number(footer, align) -> None:
    p = footer.paragraphs[0]
    p.alignment = align
    for text in ("— ", None, " —"):
        run = p.add_run()
        set_font(run, fonts()["page_number"], SIZE["4号"])
        if text is not None:
            run.text = text
            continue
        for tag, attr in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "end")):
            el = OxmlElement(tag)
            if attr:
                el.set(qn("w:fldCharType"), attr)
            else:
                el.set(qn("xml:space"), "preserve")
                el.text = " PAGE "
            run._element.append(el)


def grid_table(out, rows: list[list[str]]) -> None:
    if not rows:
        return
    table = out.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(p.add_run(str(value)), fonts()["heading"] if i == 0 else fonts()["body"], Pt(12))
