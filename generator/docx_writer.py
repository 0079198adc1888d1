"""Write a work plan as a Word document.

The content arrives as Markdown rendered from the templates; the look comes
from a reference .docx whose styles, page setup, header and footer are kept.
All python-docx and raw WordprocessingML of plangen lives in this module.

What Word needs that python-docx does not do by itself is done here: headings
numbered from the document structure (一、（一）1.（1） or 1 / 1.1), a table of
contents already filled in inside a real TOC field, East Asian fonts and
language on everything, and byte-identical files for identical input.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from .context import chinese_number
from .errors import PlangenError
from .markdown_text import PARSER

PARAGRAPH_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Paragraph",
    "Quote", "Table Text", "Table Heading", "TOC Heading", "TOC 1", "TOC 2", "Closing",
)  # fmt: skip
TABLE_STYLE = "Plan Table"
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def _zh_number(counters: list[int]) -> str:
    n, level = counters[-1], len(counters)
    return (f"{chinese_number(n)}、", f"（{chinese_number(n)}）", f"{n}.", f"（{n}）")[level - 1]


def _decimal_number(counters: list[int]) -> str:
    return ".".join(map(str, counters)) + " "


@dataclass(frozen=True)
class Layout:
    """What differs between plangen's two built-in document layouts besides styles."""

    name: str
    number: Callable[[list[int]], str]
    list_marks: tuple[Callable[[int], str], ...]
    east_asian_font: str
    """For styles of an organisation's reference document that name no East Asian font."""
    toc_levels: int = 2


LAYOUTS = {
    "zh-official": Layout("zh-official", _zh_number, (lambda n: f"{n}.", lambda n: f"（{n}）"), "仿宋_GB2312"),
    "business": Layout(
        "business", _decimal_number, (lambda n: f"{n}.", lambda n: f"{chr(97 + (n - 1) % 26)})"), "SimSun"
    ),
}


@dataclass(frozen=True)
class Properties:
    """Document properties; taken from the plan, never from the clock."""

    title: str
    author: str
    subject: str
    keywords: str
    category: str
    language: str
    created: dt.datetime


def set_fonts(rpr: CT_RPr, latin: str, east_asian: str) -> None:
    """Fonts for every script slot; theme fonts would override them, so they go."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr, font in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asian), ("cs", latin)):
        fonts.set(qn(f"w:{attr}"), font)


def deterministic_bytes(document: Document) -> bytes:
    """The saved document with fixed zip timestamps, so equal input gives equal bytes."""
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()


class Reference:
    """A reference document, prepared once per layout and copied for every plan.

    Preparing empties its body, adds the styles it lacks from plangen's own
    (*fallback*) and makes its fonts right for Chinese text.
    """

    def __init__(self, path: Path, fallback: Path | None = None) -> None:
        try:
            self.data = path.read_bytes()
            docx.Document(io.BytesIO(self.data))
        except Exception as exc:  # python-docx raises many kinds for a broken package
            raise PlangenError(f"{path}: not a usable Word (.docx) reference document ({exc})") from None
        self.path = path
        self.fallback = fallback
        self.prepared: dict[str, bytes] = {}

    def document(self, layout: Layout) -> Document:
        if layout.name not in self.prepared:
            self.prepared[layout.name] = self._prepare(layout)
        return docx.Document(io.BytesIO(self.prepared[layout.name]))

    def _prepare(self, layout: Layout) -> bytes:
        document = docx.Document(io.BytesIO(self.data))
        _empty_body(document)
        have = {style.name for style in document.styles}
        missing = [name for name in (*PARAGRAPH_STYLES, TABLE_STYLE) if name not in have]
        if missing and self.fallback is None:
            raise PlangenError(f"{self.path}: the reference document lacks the styles {', '.join(missing)}")
        if missing and self.fallback is not None:
            source = docx.Document(str(self.fallback))
            for name in missing:
                document.styles.element.append(copy.deepcopy(source.styles[name].element))
        _east_asian(document, layout.east_asian_font)
        saved = io.BytesIO()
        document.save(saved)
        return saved.getvalue()


def _empty_body(document: Document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def write_docx(markdown: str, layout: Layout, reference: Reference, properties: Properties) -> bytes:
    """The Word document for *markdown* (as rendered from the plan template)."""
    document = reference.document(layout)
    writer = _Writer(document, layout)
    writer.blocks(SyntaxTreeNode(PARSER.parse(markdown)).children)
    writer.finish()
    _set_properties(document, properties)
    return deterministic_bytes(document)


def _set_properties(document: Document, properties: Properties) -> None:
    core = document.core_properties
    core.title, core.author, core.subject = properties.title, properties.author, properties.subject
    core.keywords, core.category, core.language = properties.keywords, properties.category, properties.language
    core.last_modified_by, core.revision = "plangen", 1
    core.created = core.modified = core.last_printed = properties.created
    core.comments = ""


def _east_asian(document: Document, fallback: str) -> None:
    """Chinese text in a Chinese font everywhere: document defaults and every style.

    A theme's East Asian font (Japanese in many templates) would win over the
    named one, so theme references go; East Asian language is set to zh-CN.
    """
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rprs = [] if defaults is None else defaults.findall(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    rprs += [style.element.get_or_add_rPr() for style in document.styles if style.type != WD_STYLE_TYPE.LIST]
    for rpr in rprs:
        fonts = rpr.get_or_add_rFonts()
        theme = fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        if theme is not None or rpr.getparent().tag == qn("w:rPrDefault"):
            fonts.set(qn("w:eastAsia"), fonts.get(qn("w:eastAsia")) or fallback)
        _lang(rpr).set(qn("w:eastAsia"), "zh-CN")


def _lang(rpr: CT_RPr) -> BaseOxmlElement:
    """The run properties' ``w:lang``, added in the place the schema wants it."""
    lang: BaseOxmlElement | None = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        later = [rpr.find(qn(tag)) for tag in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
        following = next((e for e in later if e is not None), None)
        if following is None:
            rpr.append(lang)
        else:
            following.addprevious(lang)
    return lang


@dataclass
class _Heading:
    level: int
    text: str
    bookmark: str


@dataclass
class _Writer:
    document: Document
    layout: Layout
    counters: list[int] = field(default_factory=list)
    headings: list[_Heading] = field(default_factory=list)
    toc: Paragraph | None = None
    toc_title: str = ""
    style_ids: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # python-docx looks a style name up by scanning all styles; plans set thousands.
        self.style_ids = {style.name: style.style_id for style in self.document.styles if style.name}

    def _add(self, style: str, text: str = "") -> Paragraph:
        paragraph = self.document.add_paragraph(text)
        self._style(paragraph, style)
        return paragraph

    def _style(self, paragraph: Paragraph, style: str) -> None:
        paragraph._p.style = self.style_ids[style]

    def blocks(self, nodes: Iterable[SyntaxTreeNode], list_depth: int = 0) -> None:
        for node in nodes:
            handler = getattr(self, f"_{node.type}", None)
            if handler is None:
                self._paragraph(node, "Normal")
            else:
                handler(node, list_depth) if node.type.endswith("_list") else handler(node)

    # --- blocks -------------------------------------------------------------

    def _heading(self, node: SyntaxTreeNode) -> None:
        level = min(int(node.tag[1]), 4)
        self.counters = (self.counters + [0] * level)[:level]
        self.counters[-1] += 1
        number = self.layout.number(self.counters)
        paragraph = self._add(f"Heading {level}")
        ident = len(self.headings) + 1
        bookmark = f"_Toc{ident:08d}"
        paragraph._p.append(_bookmark("w:bookmarkStart", ident, bookmark))
        paragraph.add_run(number)
        text = number + self._inline(paragraph, node.children[0])
        paragraph._p.append(_bookmark("w:bookmarkEnd", ident))
        self.headings.append(_Heading(level, text.strip(), bookmark))

    def _paragraph(self, node: SyntaxTreeNode, style: str = "Normal", prefix: str = "") -> Paragraph:
        paragraph = self._add(style)
        if prefix:
            paragraph.add_run(prefix)
        for child in node.children:
            if child.type == "inline":
                self._inline(paragraph, child)
        return paragraph

    def _blockquote(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self._paragraph(child, "Quote") if child.type == "paragraph" else self.blocks([child])

    def _fence(self, node: SyntaxTreeNode) -> None:
        for line in node.content.rstrip("\n").split("\n"):
            self._add("Quote", line)

    _code_block = _fence

    def _hr(self, node: SyntaxTreeNode) -> None:
        self._add("Normal")

    def _bullet_list(self, node: SyntaxTreeNode, depth: int) -> None:
        self._list(node, depth, lambda n: "•" if depth == 0 else "◦")

    def _ordered_list(self, node: SyntaxTreeNode, depth: int) -> None:
        start = int(node.attrs.get("start", 1))
        mark = self.layout.list_marks[min(depth, len(self.layout.list_marks) - 1)]
        self._list(node, depth, lambda n: mark(n + start - 1))

    def _list(self, node: SyntaxTreeNode, depth: int, mark: Callable[[int], str]) -> None:
        for number, item in enumerate(node.children, start=1):
            first = True
            for child in item.children:
                if child.type == "paragraph":
                    paragraph = self._paragraph(child, "List Paragraph", f"{mark(number)} " if first else "")
                    if depth:
                        paragraph.paragraph_format.left_indent = Emu(depth * 203200)
                    first = False
                else:
                    self.blocks([child], depth + 1)

    def _table(self, node: SyntaxTreeNode) -> None:
        rows = [row for section in node.children for row in section.children]
        width = max(len(row.children) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = TABLE_STYLE
        for row, word_row in zip(rows, table.rows, strict=True):
            header = row.children[0].type == "th"
            _keep_row_together(word_row, header)
            for cell_node, cell in zip(row.children, word_row.cells, strict=False):
                paragraph = cell.paragraphs[0]
                self._style(paragraph, "Table Heading" if header else "Table Text")
                align = str(cell_node.attrs.get("style", ""))
                if "right" in align:
                    paragraph.paragraph_format.alignment = 2
                elif "center" in align:
                    paragraph.paragraph_format.alignment = 1
                if cell_node.children:
                    self._inline(paragraph, cell_node.children[0])
        size = self.document.styles["Table Text"].font.size or Pt(10.5)
        _column_widths(table, rows, self._text_width(), int(size) // 2)

    def _text_width(self) -> int:
        section = self.document.sections[-1]
        return int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)

    # --- plangen's own blocks ------------------------------------------------

    def _container_title(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self._paragraph(child, "Title")

    def _container_meta(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self._paragraph(child, "Subtitle")

    def _container_closing(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self._paragraph(child, "Closing")

    def _container_pagebreak(self, node: SyntaxTreeNode) -> None:
        self._add("Normal").add_run().add_break(WD_BREAK.PAGE)

    def _container_toc(self, node: SyntaxTreeNode) -> None:
        self.toc_title = " ".join(child.children[0].content for child in node.children if child.children)
        self.toc = self._add("TOC Heading")

    def finish(self) -> None:
        """Fill in the table of contents now that every heading is known."""
        if self.toc is None:
            return
        self.toc.add_run(self.toc_title)
        entries = [h for h in self.headings if h.level <= self.layout.toc_levels]
        anchor = self.toc
        paragraphs = []
        for heading in entries or [_Heading(1, "", "")]:
            paragraph = Paragraph(OxmlElement("w:p"), self.toc._parent)
            anchor._p.addnext(paragraph._p)
            anchor = paragraph
            self._style(paragraph, f"TOC {heading.level}")
            if heading.bookmark:
                paragraph._p.append(_internal_link(heading.bookmark, heading.text))
            paragraphs.append(paragraph)
        _field_start(paragraphs[0], f'TOC \\o "1-{self.layout.toc_levels}" \\h \\z \\u')
        _field_end(paragraphs[-1])

    # --- inline text ---------------------------------------------------------

    def _inline(self, paragraph: Paragraph, node: SyntaxTreeNode) -> str:
        """Add the runs of an inline node; returns the plain text added."""
        texts: list[str] = []
        self._runs(paragraph, node.children, set(), texts)
        return "".join(texts)

    def _runs(self, paragraph: Paragraph, nodes: list[SyntaxTreeNode], marks: set[str], texts: list[str]) -> None:
        for node in nodes:
            if node.type in ("text", "code_inline"):
                self._run(paragraph, node.content, marks | ({"code"} if node.type == "code_inline" else set()), texts)
            elif node.type == "softbreak":
                joined = "".join(texts)
                self._run(paragraph, "" if joined and _CJK.match(joined[-1]) else " ", marks, texts)
            elif node.type == "hardbreak":
                paragraph.add_run().add_break()
            elif node.type in ("strong", "em", "s"):
                self._runs(paragraph, node.children, marks | {node.type}, texts)
            elif node.type == "link":
                href = str(node.attrs.get("href", ""))
                if _SAFE_LINK.match(href):
                    link = _external_link(paragraph, href)
                    inner = Paragraph(OxmlElement("w:p"), paragraph._parent)
                    self._runs(inner, node.children, marks, texts)
                    for run in list(inner._p.iterchildren(qn("w:r"))):
                        _style_as_link(run)
                        link.append(run)
                    paragraph._p.append(link)
                else:
                    self._runs(paragraph, node.children, marks, texts)
            elif node.type == "image":
                self._run(paragraph, str(node.attrs.get("alt", "")) or node.content, marks, texts)
            else:
                self._runs(paragraph, node.children, marks, texts)

    def _run(self, paragraph: Paragraph, text: str, marks: set[str], texts: list[str]) -> None:
        if not text:
            return
        run = paragraph.add_run(text)
        run.bold = True if "strong" in marks else None
        run.italic = True if "em" in marks else None
        if "s" in marks:
            run.font.strike = True
        if "code" in marks:
            run.font.name = "Courier New"
        texts.append(text)


def _bookmark(tag: str, number: int, name: str | None = None) -> BaseOxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:id"), str(number))
    if name:
        element.set(qn("w:name"), name)
    return element


def _internal_link(bookmark: str, text: str) -> BaseOxmlElement:
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    link.append(run)
    return link


def _external_link(paragraph: Paragraph, href: str) -> BaseOxmlElement:
    rid = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    return link


def _style_as_link(run: BaseOxmlElement) -> None:
    rpr = run.get_or_add_rPr()
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    rpr.append(color)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(underline)


def _field_char(kind: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _field_start(paragraph: Paragraph, instruction: str) -> None:
    """Open a field at the start of *paragraph*; what follows is its current result."""
    ppr = paragraph._p.pPr
    at = 1 if ppr is not None else 0
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    for offset, element in enumerate((_field_char("begin"), instr_run, _field_char("separate"))):
        paragraph._p.insert(at + offset, element)


def _field_end(paragraph: Paragraph) -> None:
    paragraph._p.append(_field_char("end"))


def _keep_row_together(row: _Row, header: bool) -> None:
    """A row never splits across pages; a header row repeats on every page."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _display_width(text: str) -> int:
    """Width in tenths of half an em: a Chinese character is 20, any other about 12."""
    return sum(20 if _CJK.match(ch) else 12 for ch in text)


def _unbreakable_width(text: str) -> int:
    """The widest piece a line cannot break inside: a Latin word or number, or two Chinese characters."""
    words = re.findall(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+", text)
    return max([_display_width(word) for word in words] + [40 if _CJK.search(text) else 0])


def _column_widths(table: Table, rows: list[SyntaxTreeNode], total: int, char: int) -> None:
    """Share the text width as browsers lay out tables: every column gets at least its
    widest unbreakable piece, and the rest goes in proportion to how much more each holds."""
    columns = len(table.columns)
    padding = 30  # cell margins, in the same tenths of half an em
    least, most = [padding * char // 10] * columns, [padding * char // 10] * columns
    for row in rows:
        bold = 12 if row.children[0].type == "th" else 10  # header cells are bold, so wider
        for c, cell in enumerate(row.children):
            text = cell.children[0].content if cell.children else ""
            least[c] = max(least[c], (_unbreakable_width(text) * bold // 10 + padding) * char // 10)
            most[c] = max(most[c], (_display_width(text) * bold // 10 + padding) * char // 10)
    if sum(most) <= total or sum(least) >= total:
        basis = most if sum(most) <= total else least
        widths = [w * total // sum(basis) for w in basis]
    else:
        spare = total - sum(least)
        extra = sum(most) - sum(least)
        widths = [lo + (hi - lo) * spare // extra for lo, hi in zip(least, most, strict=True)]
    table.autofit = False
    for c, col in enumerate(table._tbl.tblGrid.iterchildren(qn("w:gridCol"))):
        col.set(qn("w:w"), str(widths[c] // 635))
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = Emu(widths[c])
