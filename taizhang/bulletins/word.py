"""A bulletin as a Word document in the layout of GB/T 9704-2012: A4, top margin 37 mm, left
28 mm, a text block of 156 × 225 mm; body in 仿宋_GB2312 三号 (16 pt), 22 lines of 28
characters; the title in 方正小标宋简体 二号; headings 一、 in 黑体 and （一） in 楷体_GB2312;
page numbers "— 1 —" in 四号 宋体, right on odd pages and left on even ones.

python-docx's `font.name` sets only the Latin fonts: every run and style here sets the East
Asian font (`w:eastAsia`) too, or Chinese text falls back to the default font. Fonts are
named, not embedded."""

import io

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from taizhang.bulletins.text import issue_line, sections, to_traditional

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
TEXT_WIDTH = Mm(156)


def set_font(run_or_style, name, size=None, *, bold=None, color=None):
    """The Latin and the East Asian font of a run or style, with its size and colour."""
    font = run_or_style.font
    font.name = name
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def _rule(paragraph, color="E60012", size=12, where="bottom"):
    """A rule across the text block under (or over) a paragraph; `size` in eighths of a point."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{where}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def _page_number(paragraph, alignment):
    """ "— N —" with N the PAGE field."""
    paragraph.alignment = alignment
    for text, field in (("— ", False), ("PAGE", True), (" —", False)):
        if not field:
            set_font(paragraph.add_run(text), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            continue
        for kind in ("begin", None, "end"):
            run = paragraph.add_run()
            set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            if kind is None:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = " PAGE "
                run._r.append(instr)
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)


def _grid(section):
    """22 lines of 28 characters: the document grid of the text block."""
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.twips)))
    grid.set(qn("w:charSpace"), "0")


def _setup(document):
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)
    _grid(section)
    normal = document.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _paragraph(document, text, font=BODY_FONT, size=BODY_SIZE, *, align=None, indent=True,
               bold=None, color=None):  # fmt: skip
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
    set_font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def document(bulletin, traditional=False) -> bytes:
    convert = to_traditional if traditional else (lambda text: text)
    doc = Document()
    _setup(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    # 报头: the name large and red, the issue, the office and the date, a red rule.
    name = _paragraph(doc, convert(bulletin.name), TITLE_FONT, Pt(42), align=center,
                      indent=False, color=RED)  # fmt: skip
    name.paragraph_format.line_spacing = Pt(60)
    _paragraph(doc, convert(issue_line(bulletin)), align=center, indent=False)
    date = bulletin.issued_on or bulletin.created_at.date()
    office = doc.add_paragraph()
    office.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    set_font(office.add_run(convert(bulletin.office)), BODY_FONT, BODY_SIZE)
    set_font(office.add_run(f"\t{date.year}年{date.month}月{date.day}日"), BODY_FONT, BODY_SIZE)
    _rule(office, size=18)
    doc.add_paragraph()
    _paragraph(doc, convert(bulletin.title), TITLE_FONT, TITLE_SIZE, align=center, indent=False)
    doc.add_paragraph()
    for heading, paragraphs in sections(bulletin):
        _paragraph(doc, convert(heading), HEADING_FONT).paragraph_format.keep_with_next = True
        for subheading, text in paragraphs:
            if subheading:
                sub = _paragraph(doc, convert(text), SUBHEADING_FONT)
                sub.paragraph_format.keep_with_next = True
            else:
                _paragraph(doc, convert(text))
    # 报尾: rules, the recipients, the copies printed.
    doc.add_paragraph()
    first = True
    for label, recipients in bulletin.footer:
        line = _paragraph(doc, convert(f"{label}：{recipients}"), size=Pt(14), indent=False)
        if first:
            _rule(line, color="000000", size=6, where="top")
            first = False
    copies = _paragraph(doc, convert(f"共印{bulletin.copies}份"), size=Pt(14), indent=False,
                        align=WD_ALIGN_PARAGRAPH.RIGHT)  # fmt: skip
    _rule(copies, color="000000", size=6)
    if first:
        _rule(copies, color="000000", size=6, where="top")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
