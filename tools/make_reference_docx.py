"""Make plangen's built-in reference documents, templates/reference/*.docx.

The reference documents decide how a work plan looks: page setup, fonts,
sizes, spacing, header and footer, and the styles the writer uses. They are
ordinary Word files an organisation can open, restyle and point its settings
at; this script only makes plangen's own two, reproducibly:

    python tools/make_reference_docx.py

zh-official follows GB/T 9704-2012 (A4, 37/35/28/26 mm margins, a document
grid of 22 lines of 28 仿宋 3号 characters, 小标宋 2号 title, 黑体 / 楷体
headings, "— 1 —" page numbers in 宋体 4号 one character in from the outer
edge of odd and even pages); business is a plain A4 English document with
"Page 1 of N". Both start from python-docx's blank document, made with Word
for Mac, and keep nothing of it that plangen has no use for (see
:func:`new_document`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Length, Mm, Pt, RGBColor, Twips
from lxml import etree

from plangen.docx_writer import PARAGRAPH_STYLES, TABLE_STYLE, deterministic_bytes, set_fonts

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
    outline: int | None = None
    keep_next: bool = False
    scale: int = 100
    """Width of the characters in percent (w:w): see :func:`document_grid`."""
    snap: bool = True
    """Whether the paragraphs follow the document grid; text of another size than the body's does not."""
    autospace: bool = True
    """Whether Word and LibreOffice widen the space between Chinese and Latin text or digits."""
    contextual: bool = False
    """Whether the space before and after is left out between two paragraphs of the style."""


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
    # Word reads the characters; LibreOffice the twips, and on the grid it starts the text in the cell after
    # the indent, so the characters are counted as wide as they are set.
    ind.set(qn("w:firstLine"), str(int(look.first_line_chars * look.size * look.scale / 100 * 20)))
    off = [] if look.autospace else ["w:autoSpaceDE", "w:autoSpaceDN"]
    off += [] if look.snap else ["w:snapToGrid"]
    spacing = element.pPr.find(qn("w:spacing"))
    for tag in off:  # in the schema's order, before w:spacing
        flag = OxmlElement(tag)
        flag.set(qn("w:val"), "0")
        spacing.addprevious(flag)
    if look.contextual:
        element.pPr.find(qn("w:jc")).addprevious(OxmlElement("w:contextualSpacing"))
    if look.outline is not None:
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(look.outline))
        element.pPr.append(outline)
    font = style.font
    font.size, font.bold, font.color.rgb = Pt(look.size), look.bold, RGBColor.from_string(look.color)
    set_fonts(element.get_or_add_rPr(), look.latin, look.east_asian)
    if look.scale != 100:
        width = OxmlElement("w:w")
        width.set(qn("w:val"), str(look.scale))
        element.rPr.find(qn("w:sz")).addprevious(width)


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


def document_grid(document: docx.document.Document, size: float, chars: int, lines: int) -> tuple[int, int]:
    """A line grid (w:docGrid lines) of *lines* lines on the type area, and characters of *size*
    points narrowed (w:w) to the whole percent that puts *chars* of them on a line.

    The grid of a Word page setup (linesAndChars, with a character pitch) would fit 28 characters
    in Word, but LibreOffice, which makes the PDFs, pads Latin text and digits out to whole cells of
    it (gaps in 我的e 家, 3% ，), and gives a character wider than the pitch two cells. Narrowed
    characters on a line grid give 28 a line in both, without gaps.

    Returns the line pitch in twips and that percent.
    """
    section = document.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin) // Twips(1)
    height = (section.page_height - section.top_margin - section.bottom_margin) // Twips(1)
    line_pitch = height // lines
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch))
    return line_pitch, math.floor(100 * width / chars / 20 / size)


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


def footer(
    paragraph: docx.text.paragraph.Paragraph, parts: list[str], align: str, outside: Length | None = None
) -> None:
    """A footer of *parts* (text, or fields in capitals), *outside* in from the margin it is aligned to."""
    paragraph.style = "Footer"
    fmt = paragraph.paragraph_format
    fmt.alignment = ALIGN[align]
    if outside is not None and align == "right":
        fmt.right_indent = outside
    elif outside is not None:
        fmt.left_indent = outside
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
UNUSED_RELATIONSHIPS = {
    RT.THUMBNAIL,  # a picture of the blank page
    STYLES_WITH_EFFECTS,  # a second copy of the styles, for Word 2010
    RT.CUSTOM_XML,  # an empty bibliography
    RT.NUMBERING,  # list definitions no style or paragraph refers to: plangen numbers as text
}
UNUSED_SETTINGS = ("w:zoom", "w:proofState", "w:savePreviewPicture", "w:rsids", "w:shapeDefaults", "w14:docId")
"""The blank document's window zoom, "spelling checked" mark, preview picture, editing session ids,
drawing defaults and document id, which every document made from it would share."""
APP_PROPERTIES = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>plangen</Application></Properties>"
)
"""docProps/app.xml: the application that made the document, and no counts of pages or words,
which would be those of the blank document in every plan."""


def new_document() -> docx.document.Document:
    """python-docx's blank document without what it keeps of the Word for Mac that made it and
    plangen has no use for: unused parts, styles and settings, its application, author and dates,
    and Japanese theme fonts (see also :func:`finish`)."""
    document = docx.Document()
    package = document.part.package
    for rels in (package.rels, document.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype in UNUSED_RELATIONSHIPS:
                rels.pop(rid)
    for style in list(document.styles):
        if style.name not in KEEP:  # the linked " Char" styles too, with theme fonts and colours of their own
            style.element.getparent().remove(style.element)
    _remove(document.styles.element, "w:link", "w:rsid")
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for name in ("rsidR", "rsidRPr", "rsidSect"):
        document.sections[0]._sectPr.attrib.pop(qn(f"w:{name}"), None)
    _remove(document.settings.element, *UNUSED_SETTINGS)
    parts = {part.content_type: part for part in package.iter_parts()}
    parts[CT.OFC_EXTENDED_PROPERTIES]._blob = APP_PROPERTIES.encode()
    theme = etree.fromstring(parts[CT.OFC_THEME].blob)
    for font in [f for f in theme.iter(f"{{{nsmap['a']}}}font") if f.get("script") == "Jpan"]:
        font.getparent().remove(font)
    parts[CT.OFC_THEME]._blob = _xml(theme)
    core = document.core_properties
    core.author, core.comments = "plangen", ""
    _remove(core._element, "dcterms:created", "dcterms:modified")  # the blank document's, of 2013
    return document


def _remove(parent: etree._Element, *tags: str) -> None:
    """Remove the elements *tags* anywhere in *parent*."""
    for element in [e for tag in tags for e in parent.iter(qn(tag))]:
        element.getparent().remove(element)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def defaults(document: docx.document.Document, latin: str, east_asian: str, size: float, language: str) -> None:
    """Fonts, size and languages of all text. *language* is that of Latin-script text, digits
    included; a Chinese document keeps it English, as Word does, since LibreOffice breaks
    lines inside numbers (9月3|0日) when it is zh-CN. The theme's fonts follow the same
    languages (the blank document's were Japanese)."""
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, latin, east_asian)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(int(size * 2)))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(int(size * 2)))
    for lang in (rpr.find(qn("w:lang")), document.settings.element.find(qn("w:themeFontLang"))):
        lang.set(qn("w:val"), language)
        lang.set(qn("w:eastAsia"), "zh-CN")


def zh_official() -> docx.document.Document:
    document = new_document()
    fang, hei, kai, song = "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
    tnr = "Times New Roman"
    size = 16  # 3号
    page(document, (37, 35, 28, 26), header=15, footer=23)
    line, scale = document_grid(document, size, chars=28, lines=22)
    defaults(document, tnr, fang, size, "en-US")
    body = Look(tnr, fang, size, first_line_chars=2, line=line, scale=scale)
    heading = {"size": size, "first_line_chars": 2, "line": line, "keep_next": True, "scale": scale}
    paragraph_style(document, "Normal", body)
    paragraph_style(document, "Title", Look(tnr, "方正小标宋简体", 22, align="center", after=line, snap=False))
    paragraph_style(document, "Subtitle", Look(tnr, kai, size, align="center", line=line, scale=scale))
    paragraph_style(document, "Heading 1", Look(tnr, hei, outline=0, **heading))
    paragraph_style(document, "Heading 2", Look(tnr, kai, outline=1, **heading))
    paragraph_style(document, "Heading 3", Look(tnr, fang, outline=2, **heading))
    paragraph_style(document, "Heading 4", Look(tnr, fang, outline=3, **heading))
    paragraph_style(document, "List Paragraph", body)
    paragraph_style(document, "Quote", Look(tnr, kai, size, first_line_chars=2, line=line, scale=scale))
    paragraph_style(document, "Table Text", Look(tnr, fang, 12, align="left", snap=False))
    paragraph_style(document, "Table Heading", Look(tnr, hei, 12, align="center", snap=False))
    paragraph_style(document, "TOC Heading", Look(tnr, hei, size, align="center", line=line, scale=scale))
    paragraph_style(document, "TOC 1", Look(tnr, fang, size, align="left", line=line, scale=scale))
    paragraph_style(document, "TOC 2", Look(tnr, fang, size, align="left", line=line, first_line_chars=2, scale=scale))
    # The signer and date after a blank line, as wide as the writer counts them for their right spaces.
    closing = Look(tnr, fang, size, align="right", line=line, before=line, snap=False, autospace=False, contextual=True)
    paragraph_style(document, "Closing", closing)
    # Page numbers in 4号 宋体, digits included (GB/T 9704 7.5).
    paragraph_style(document, "Footer", Look(song, song, 14, align="right", snap=False))
    paragraph_style(document, "Header", Look(tnr, song, 10.5, align="center", snap=False))
    table_style(document, "Plan Table", "000000", None)
    section = document.sections[0]
    document.settings.odd_and_even_pages_header_footer = True
    # One 3号 character in from the outer edge: right on odd pages, left on even ones.
    footer(section.footer.paragraphs[0], ["— ", "PAGE", " —"], "right", Pt(size))
    footer(section.even_page_footer.paragraphs[0], ["— ", "PAGE", " —"], "left", Pt(size))
    finish(document, FONT_FALLBACKS)
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
    finish(document, {})
    return document


def finish(document: docx.document.Document, fallbacks: dict[str, str]) -> None:
    """The font table with just the fonts the styles name (the blank document's listed Japanese
    and other fonts nothing uses), those in *fallbacks* with the font Word and WPS use where
    they are missing; and no Word for Mac XML namespaces (mo, mv) in the parts it wrote."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(part.blob)
    named = {value for fonts in document.styles.element.iter(qn("w:rFonts")) for value in fonts.attrib.values()}
    for font in table.findall(qn("w:font")):
        if font.get(qn("w:name")) not in named:
            table.remove(font)
    for name, alternative in fallbacks.items():
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (
            ("w:altName", alternative),
            ("w:charset", "86"),
            ("w:family", "auto"),
            ("w:pitch", "variable"),
        ):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = _xml(table)
    footers = [p for p in document.part.package.iter_parts() if p.content_type == CT.WML_FOOTER]
    for element in (document.element, *(part.element for part in footers)):
        etree.cleanup_namespaces(element, keep_ns_prefixes=[p for p in element.nsmap if p not in ("mo", "mv")])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in (("zh-official", zh_official), ("business", business)):
        document = make()
        document.core_properties.title = f"plangen reference document: {name}"
        (OUT / f"{name}.docx").write_bytes(deterministic_bytes(document))
        print(f"wrote {OUT / f'{name}.docx'}")


if __name__ == "__main__":
    main()
