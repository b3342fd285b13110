"""The report as a DOCX in the official document layout (GB/T 9704-2012 《党政机关公文格式》):
A4, type area 156 × 225 mm (top 37 mm, left 28 mm), body in 3号 仿宋 at 22 lines × 28 characters
(a document grid Word honours), title in 2号 小标宋 centred, "一、" headings in 黑体, the seed's
second heading line in 楷体, page numbers "— 1 —" in 4号 宋体 at the outside edge (right on odd
pages, left on even), dates in Arabic numerals.

Font names come from ``settings.ANMIN_REPORT_FONTS`` (the official names by default, so Word on an
office machine renders them; the PDF step maps them to free CJK fonts when they are absent).
A figure that is missing is highlighted yellow for the editor.
"""

from __future__ import annotations

import io

from docx import Document as Docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Pt

from anmin.core.documents.layout import SIZE, exact_lines, fonts, grid_table, page_number, page_setup, set_font

from .render import Document


def write_docx(doc: Document) -> bytes:
    f = fonts()
    out = Docx()
    section = out.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    page_setup(section)
    out.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    normal = out.styles["Normal"]
    normal.font.size = SIZE["3号"]
    normal.font.name = f["latin"]
    normal.element.get_or_add_rPr()
    out.core_properties.title = doc.title
    out.core_properties.author = doc.issuer

    first = True
    for block in doc.blocks:
        if block.kind == "table":
            grid_table(out, block.rows)
            continue
        p = out.paragraphs[0] if first and out.paragraphs else out.add_paragraph()
        first = False
        exact_lines(p)
        if block.kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.line_spacing = Pt(36)
            set_font(p.add_run(block.text), f["title"], SIZE["2号"])
            blank = out.add_paragraph()  # one empty line under the title
            exact_lines(blank)
            continue
        if block.kind == "signature":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(64)  # 4 characters in from the right
            set_font(p.add_run(block.text), f["body"], SIZE["3号"])
            continue
        p.paragraph_format.first_line_indent = Pt(32)  # two characters
        if block.kind == "heading":
            set_font(p.add_run(block.text), f["heading"], SIZE["3号"])
            continue
        if block.kind == "subheading":
            set_font(p.add_run(block.text), f["subheading"], SIZE["3号"])
            continue
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for r in block.runs:
            run = p.add_run(r.text)
            set_font(run, f["body"], SIZE["3号"])
            if r.missing:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def docx_text(data: bytes) -> str:
    """The text of a DOCX, one paragraph a line (tests, the HTML preview of a kept version)."""
    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)
