"""Make plangen's built-in reference documents, templates/reference/*.docx.

The reference documents decide how a work plan looks: page setup, fonts,
sizes, spacing, header and footer, and the styles the writer uses. They are
ordinary Word files an organisation can open, restyle and point its settings
at; this script only makes plangen's own two, reproducibly:

    python tools/make_reference_docx.py

zh-official follows GB/T 9704-2012 (A4, 37/35/28/26 mm margins, 仿宋 3号
body on a 28.9 pt line, 小标宋 2号 title, 黑体 / 楷体 headings, "— 1 —" page
numbers outside on odd and even pages); business is a plain A4 English
document with "Page 1 of N".
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.docx_writer import PARAGRAPH_STYLES, TABLE_STYLE, deterministic_bytes, set_fonts

OUT = Path(__file__).resolve().parent.parent / "templates" / "reference"
ALIGN = {"left": 0, "center": 1, "right": 2, "both": 3}


@dataclass(frozen=True)
class Look:
    """How one paragraph style looks; sizes in points, spacing in twips."""

    latin: str
    east_asian: str
    size: float
    bold: bool = False
    color: str = "000000"
    align: str = "both"
    first_line_chars: int = 0
    line: int | None = None  # exact line height in twips; None for 1.15 lines
    before: int = 0
    after: int = 0
    indent_right_chars: int = 0
    outline: int | None = None
    keep_next: bool = False


def _child(parent: OxmlElement, tag: str) -> OxmlElement:
    """The first child *tag* of *parent*, made if missing (appended; Word reads either order here)."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def _replace(parent: OxmlElement, tag: str, **attrs: str) -> None:
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    parent.append(element)


def style_paragraph(style: docx.styles.style.ParagraphStyle, look: Look) -> None:
    element = style.element
    for old in element.findall(qn("w:pPr")) + element.findall(qn("w:rPr")):
        element.remove(old)
    fmt = style.paragraph_format
    fmt.keep_with_next = look.keep_next or None
    fmt.space_before, fmt.space_after = Twips(look.before), Twips(look.after)
    if look.line:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Twips(look.line)
    else:
        fmt.line_spacing = 1.15
    fmt.alignment = ALIGN[look.align]
    ind = element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(look.first_line_chars * 100))
    ind.set(qn("w:firstLine"), str(int(look.first_line_chars * look.size * 20)))
    if look.indent_right_chars:
        ind.set(qn("w:rightChars"), str(look.indent_right_chars * 100))
        ind.set(qn("w:right"), str(int(look.indent_right_chars * look.size * 20)))
    if look.outline is not None:
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(look.outline))
        element.pPr.append(outline)
    font = style.font
    font.size, font.bold, font.color.rgb = Pt(look.size), look.bold, RGBColor.from_string(look.color)
    set_fonts(element.get_or_add_rPr(), look.latin, look.east_asian)


def paragraph_style(document: docx.document.Document, name: str, look: Look) -> None:
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = None
    style.hidden = False
    style.quick_style = True
    style_paragraph(style, look)


def table_style(document: docx.document.Document, name: str, border: str, header_fill: str | None) -> None:
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.TABLE)
    element = style.element
    for old in element.findall(qn("w:tblPr")) + element.findall(qn("w:tblStylePr")):
        element.remove(old)
    tblpr = _child(element, "w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _replace(borders, f"w:{edge}", val="single", sz="4", space="0", color=border)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        _replace(margins, f"w:{edge}", w="85", type="dxa")
    tblpr.append(margins)
    if header_fill:
        header = OxmlElement("w:tblStylePr")
        header.set(qn("w:type"), "firstRow")
        tcpr = OxmlElement("w:tcPr")
        _replace(tcpr, "w:shd", val="clear", color="auto", fill=header_fill)
        header.append(tcpr)
        element.append(header)


def page(document: docx.document.Document, margins: tuple[int, int, int, int], header: int, footer: int) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (Mm(m) for m in margins)
    section.header_distance, section.footer_distance = Mm(header), Mm(footer)


def field(paragraph: docx.text.paragraph.Paragraph, instruction: str, shown: str) -> None:
    """A field such as PAGE, showing *shown* until Word or LibreOffice updates it."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def footer(paragraph: docx.text.paragraph.Paragraph, parts: list[str], align: str) -> None:
    paragraph.style = "Footer"
    paragraph.paragraph_format.alignment = ALIGN[align]
    for part in parts:
        if part.isupper():
            field(paragraph, part, "1")
        else:
            paragraph.add_run(part)


KEEP = {*PARAGRAPH_STYLES, TABLE_STYLE, "Header", "Footer", "Default Paragraph Font", "Normal Table", "No List"}
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
# Fonts a Chinese office has; altName is what Word and WPS use where the first is missing.
FONT_FALLBACKS = {
    "方正小标宋简体": "宋体",
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "宋体": "SimSun",
}


def new_document() -> docx.document.Document:
    """python-docx's blank document without its thumbnail, extra style copy and unused styles."""
    document = docx.Document()
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            document.part.rels.pop(rid)
    for style in list(document.styles):
        linked = style.name.removesuffix(" Char")
        if style.name not in KEEP and linked not in KEEP:
            style.element.getparent().remove(style.element)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def defaults(document: docx.document.Document, latin: str, east_asian: str, size: float, language: str) -> None:
    """Fonts, size and languages of all text. *language* is that of Latin-script text, digits
    included; a Chinese document keeps it English, as Word does, since LibreOffice breaks
    lines inside numbers (9月3|0日) when it is zh-CN."""
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, latin, east_asian)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(int(size * 2)))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(int(size * 2)))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), "zh-CN")


def zh_official() -> docx.document.Document:
    document = new_document()
    fang, hei, kai, song = "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
    tnr = "Times New Roman"
    line = 578  # 28.9 pt: 22 lines on the 225 mm type area
    defaults(document, tnr, fang, 16, "en-US")
    body = Look(tnr, fang, 16, first_line_chars=2, line=line)
    paragraph_style(document, "Normal", body)
    paragraph_style(document, "Title", Look(tnr, "方正小标宋简体", 22, align="center", before=0, after=line))
    paragraph_style(document, "Subtitle", Look(tnr, kai, 16, align="center", line=line))
    paragraph_style(document, "Heading 1", Look(tnr, hei, 16, first_line_chars=2, line=line, outline=0, keep_next=True))
    paragraph_style(document, "Heading 2", Look(tnr, kai, 16, first_line_chars=2, line=line, outline=1, keep_next=True))
    paragraph_style(
        document, "Heading 3", Look(tnr, fang, 16, first_line_chars=2, line=line, outline=2, keep_next=True)
    )
    paragraph_style(
        document, "Heading 4", Look(tnr, fang, 16, first_line_chars=2, line=line, outline=3, keep_next=True)
    )
    paragraph_style(document, "List Paragraph", body)
    paragraph_style(document, "Quote", Look(tnr, kai, 16, first_line_chars=2, line=line))
    paragraph_style(document, "Table Text", Look(tnr, fang, 12, align="left"))
    paragraph_style(document, "Table Heading", Look(tnr, hei, 12, align="center"))
    paragraph_style(document, "TOC Heading", Look(tnr, hei, 16, align="center", line=line))
    paragraph_style(document, "TOC 1", Look(tnr, fang, 16, align="left", line=line))
    paragraph_style(document, "TOC 2", Look(tnr, fang, 16, align="left", line=line, first_line_chars=2))
    paragraph_style(document, "Closing", Look(tnr, fang, 16, align="right", line=line, indent_right_chars=4))
    paragraph_style(document, "Footer", Look(tnr, song, 14, align="right"))
    paragraph_style(document, "Header", Look(tnr, song, 10.5, align="center"))
    table_style(document, "Plan Table", "000000", None)
    font_fallbacks(document)
    page(document, (37, 35, 28, 26), header=15, footer=23)
    section = document.sections[0]
    document.settings.odd_and_even_pages_header_footer = True
    footer(section.footer.paragraphs[0], ["— ", "PAGE", " —"], "right")
    footer(section.even_page_footer.paragraphs[0], ["— ", "PAGE", " —"], "left")
    return document


def business() -> docx.document.Document:
    document = new_document()
    serif, sans, cjk = "Cambria", "Calibri", "SimSun"
    navy = "1F3864"
    defaults(document, serif, cjk, 11, "en-GB")
    body = Look(serif, cjk, 11, align="left", after=120)
    paragraph_style(document, "Normal", body)
    paragraph_style(document, "Title", Look(sans, cjk, 24, bold=True, color=navy, align="left", after=120))
    paragraph_style(document, "Subtitle", Look(sans, cjk, 12, color="595959", align="left", after=60))
    heading = {"latin": sans, "east_asian": cjk, "bold": True, "color": navy, "align": "left", "keep_next": True}
    paragraph_style(document, "Heading 1", Look(size=16, before=360, after=120, outline=0, **heading))
    paragraph_style(document, "Heading 2", Look(size=13, before=240, after=80, outline=1, **heading))
    paragraph_style(document, "Heading 3", Look(size=11.5, before=200, after=60, outline=2, **heading))
    paragraph_style(document, "Heading 4", Look(size=11, before=160, after=40, outline=3, **heading))
    paragraph_style(document, "List Paragraph", Look(serif, cjk, 11, after=60))
    paragraph_style(document, "Quote", Look(serif, cjk, 11, color="404040", after=120))
    paragraph_style(document, "Table Text", Look(sans, cjk, 9.5, align="left"))
    paragraph_style(document, "Table Heading", Look(sans, cjk, 9.5, bold=True, align="left"))
    paragraph_style(document, "TOC Heading", Look(sans, cjk, 14, bold=True, color=navy, align="left", after=120))
    paragraph_style(document, "TOC 1", Look(serif, cjk, 11, align="left", after=60))
    paragraph_style(document, "TOC 2", Look(serif, cjk, 11, align="left", after=40, first_line_chars=2))
    paragraph_style(document, "Closing", Look(serif, cjk, 11, align="left", before=240))
    paragraph_style(document, "Footer", Look(sans, cjk, 9, color="595959", align="center"))
    paragraph_style(document, "Header", Look(sans, cjk, 9, color="595959", align="right"))
    table_style(document, "Plan Table", "BFBFBF", "D9E2F3")
    page(document, (25, 25, 25, 25), header=12, footer=12)
    footer(document.sections[0].footer.paragraphs[0], ["Page ", "PAGE", " of ", "NUMPAGES"], "center")
    return document


def font_fallbacks(document: docx.document.Document) -> None:
    part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(part.blob)
    for name, alternative in FONT_FALLBACKS.items():
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (
            ("w:altName", alternative),
            ("w:charset", "86"),
            ("w:family", "auto"),
            ("w:pitch", "variable"),
        ):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in (("zh-official", zh_official), ("business", business)):
        document = make()
        document.core_properties.title = f"plangen reference document: {name}"
        (OUT / f"{name}.docx").write_bytes(deterministic_bytes(document))
        print(f"wrote {OUT / f'{name}.docx'}")


if __name__ == "__main__":
    main()
