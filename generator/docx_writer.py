"""Write a work plan as a Word document.

The content arrives as Markdown rendered from the templates; the look comes
from a reference .docx whose styles, page setup, header and footer are kept.
All python-docx and raw WordprocessingML of plangen lives in this module.

python-docx prepares each reference once (styles, fonts); each plan's body is
then written as WordprocessingML text into a copy of that package, which is
about three times faster than building it from python-docx objects.

What Word needs that python-docx does not do by itself is done here: headings
numbered from the document structure (一、（一）1.（1） or 1 / 1.1), a table of
contents already filled in inside a real TOC field, East Asian fonts and
language on everything, and byte-identical files for identical input.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from lxml import etree  # type: ignore[import-untyped]  # python-docx's own XML library
from markdown_it.tree import SyntaxTreeNode

from .context import EAST_ASIAN, WIDE, WIDE_CHARACTERS, chinese_number, half_widths
from .errors import PlangenError
from .i18n import _
from .markdown_text import PARSER
from .yaml_source import NOT_IN_WORD

Contents = Literal["auto", "always", "never"]
PARAGRAPH_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Paragraph",
    "Quote", "Table Text", "Table Heading", "TOC Heading", "TOC 1", "TOC 2", "Closing",
)  # fmt: skip
TABLE_STYLE = "Plan Table"


def _zh_number(counters: list[int]) -> str:
    """一、（一）1.（1）, then ① for what lies deeper (a list under a fourth-level heading)."""
    n, level = counters[-1], len(counters)
    if level > 4:
        return chr(0x2460 + n - 1) if n <= 20 else f"（{n}）"
    return (f"{chinese_number(n)}、", f"（{chinese_number(n)}）", f"{n}.", f"（{n}）")[level - 1]


def _decimal_number(counters: list[int]) -> str:
    return ".".join(map(str, counters)) + " "


@dataclass(frozen=True)
class Layout:
    """What differs between plangen's two built-in document layouts besides styles."""

    name: str
    number: Callable[[list[int]], str]
    list_marks: tuple[Callable[[int], str], ...] | None
    """Marks of numbered lists by depth; None to number every list, bulleted ones too, on with the
    headings' numbering one level down, as Chinese documents do (a list under （一） is 1. 2.)."""
    east_asian_font: str
    """For styles of an organisation's reference document that name no East Asian font."""
    line_chars: int
    page_lines: int
    """Characters on a body line and lines on a page, for estimating a document's length."""
    toc_levels: int = 2
    coloured_links: bool = True
    """Links blue and underlined; a Chinese document prints them as text, their address after them."""
    parenthesised: Callable[[str], str] = lambda text: f" ({text})"
    spaced_closing: bool = False
    """Whether the closing's signer and date stand as GB/T 9704 places them (see :func:`_right_spaces`)."""


LAYOUTS = {
    "zh-official": Layout(
        "zh-official",
        _zh_number,
        None,
        "仿宋_GB2312",
        line_chars=28,
        page_lines=22,
        coloured_links=False,
        parenthesised=lambda text: f"（{text}）",
        spaced_closing=True,
    ),
    "business": Layout(
        "business",
        _decimal_number,
        (lambda n: f"{n}. ", lambda n: f"{chr(97 + (n - 1) % 26)}) "),
        "SimSun",
        line_chars=45,
        page_lines=40,
    ),
}
CONTENTS_FROM_PAGES = 5
"""A document this many pages long or longer gets a contents list when docx.contents is auto."""


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
    with zipfile.ZipFile(saved) as source:
        return _package((entry.filename, source.read(entry.filename)) for entry in source.infolist())


def _package(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of *parts* with nothing in it that depends on when or where it was made."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            fixed = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, data)
    return out.getvalue()


@dataclass(frozen=True)
class Template:
    """A reference document prepared for one layout, as the parts of its package; a
    plan's document is these parts with its body, links and properties put in."""

    parts: dict[str, bytes]
    document_part: str
    body_before: str
    """document.xml up to where the body's content goes; ``body_after`` is the rest."""
    body_after: str
    rels_part: str
    rels: str
    """The document's relationships, without the closing tag, so that links can be added."""
    next_rel: int
    core_part: str
    style_ids: dict[str, str]
    text_width: int
    """Between the margins of the last section, in EMU."""
    table_char: int
    """Half the font size of table text, in EMU."""
    cell_margins: int
    """A table cell's left and right margins together, in EMU."""
    closing_char: int
    """A character of the closing (its font size), in twips: the unit of its right spaces."""


class Reference:
    """A reference document, prepared once per layout and filled in for every plan.

    Preparing empties its body, adds the styles it lacks from plangen's own
    (*fallback*) and makes its fonts right for Chinese text.
    """

    def __init__(self, path: Path, fallback: Path | None = None) -> None:
        try:
            self.data = path.read_bytes()
            docx.Document(io.BytesIO(self.data))
        except Exception as exc:  # python-docx raises many kinds for a broken package
            raise _unusable(path, exc) from None
        self.path = path
        self.fallback = fallback
        self.prepared: dict[str, Template] = {}

    def template(self, layout: Layout) -> Template:
        if layout.name not in self.prepared:
            try:
                self.prepared[layout.name] = self._prepare(layout)
            except PlangenError:
                raise
            except Exception as exc:  # a package python-docx opens can still lack what a document needs
                raise _unusable(self.path, exc) from None
        return self.prepared[layout.name]

    def _prepare(self, layout: Layout) -> Template:
        document = docx.Document(io.BytesIO(self.data))
        _empty_body(document)
        have = {style.name for style in document.styles}
        missing = [name for name in (*PARAGRAPH_STYLES, TABLE_STYLE) if name not in have]
        if missing and self.fallback is None:
            message = _("{file}: the reference document lacks the styles {styles}")
            raise PlangenError(message.format(file=self.path, styles=", ".join(missing)))
        if missing and self.fallback is not None:
            source = docx.Document(str(self.fallback))
            for name in missing:
                document.styles.element.append(copy.deepcopy(source.styles[name].element))
        _east_asian(document, layout.east_asian_font)
        prefixes = document.element.nsmap
        if prefixes.get("w") != nsmap["w"] or prefixes.get("r") != nsmap["r"]:
            raise PlangenError(
                _(
                    "{file}: the reference document does not use Word's usual XML prefixes w: and r:; "
                    "open it in Word and save it again as .docx"
                ).format(file=self.path)
            )
        document.element.body.insert(0, etree.Comment(_BODY_MARK))
        document.core_properties.revision = 1  # makes sure the package has a core properties part
        if not document.sections:
            message = _(
                "{file}: the reference document has no page setup (no section); open it in Word and save it again"
            )
            raise PlangenError(message.format(file=self.path))
        section = document.sections[-1]
        width = int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)
        size = document.styles["Table Text"].font.size or Pt(10.5)
        part = document.part
        core = next(p for p in part.package.iter_parts() if p.content_type == CT.OPC_CORE_PROPERTIES)
        saved = io.BytesIO()
        document.save(saved)
        with zipfile.ZipFile(saved) as package:
            parts = {entry.filename: package.read(entry.filename) for entry in package.infolist()}
        before, after = parts[part.partname[1:]].decode("utf-8").split(f"<!--{_BODY_MARK}-->")
        rels = parts[part.partname.rels_uri[1:]].decode("utf-8")
        ids = [int(rel.rId[3:]) for rel in part.rels.values() if re.fullmatch(r"rId\d+", rel.rId)]
        return Template(
            parts=parts,
            document_part=part.partname[1:],
            body_before=before,
            body_after=after,
            rels_part=part.partname.rels_uri[1:],
            rels=rels[: rels.rindex("</Relationships>")],
            next_rel=max(ids, default=0) + 1,
            core_part=core.partname[1:],
            style_ids={style.name: style.style_id for style in document.styles if style.name},
            text_width=width,
            table_char=int(size) // 2,
            cell_margins=_cell_margins(document.styles[TABLE_STYLE].element),
            closing_char=(document.styles["Closing"].font.size or Pt(16)).twips,  # else GB/T 9704's 3号
        )


_BODY_MARK = "plangen: the body goes here"


def _unusable(path: Path, error: Exception) -> PlangenError:
    message = _("{file}: not a usable Word (.docx) reference document ({error})")
    return PlangenError(message.format(file=path, error=str(error) or type(error).__name__))


def _cell_margins(style: BaseOxmlElement) -> int:
    """The left and right cell margins a table style gives (Word's 0.19 cm each if none), in EMU."""
    twips = 0
    for sides in (("w:left", "w:start"), ("w:right", "w:end")):
        found = [style.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}/{qn(side)}") for side in sides]
        margin = next((m for m in found if m is not None and m.get(qn("w:type"), "dxa") == "dxa"), None)
        twips += int(margin.get(qn("w:w"), 108)) if margin is not None else 108
    return twips * 635


def _empty_body(document: Document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def write_docx(
    markdown: str,
    layout: Layout,
    reference: Reference,
    properties: Properties,
    pages: Mapping[str, int] | None = None,
    contents: Contents = "auto",
) -> bytes:
    """The Word document for *markdown* (as rendered from the plan template).

    *pages* gives the page each heading is on, by its bookmark (see
    :func:`heading_bookmark`), for the table of contents; without it the
    contents list has no page numbers until Word updates it. *contents* says
    whether the contents list is there: ``auto`` when the document runs to
    :data:`CONTENTS_FROM_PAGES` pages or more.

    The body is written as WordprocessingML text straight into the prepared
    reference's package: building it through python-docx's objects cost three
    times as long, and nothing else about the package changes per plan.
    """
    template = reference.template(layout)
    east_asian = EAST_ASIAN if properties.language == "zh-CN" else WIDE
    writer = _Writer(template, layout, pages=pages or {}, contents=contents, east_asian=east_asian)
    writer.blocks(SyntaxTreeNode(PARSER.parse(markdown)).children)
    body = "".join(writer.finish())
    links = "".join(
        f'<Relationship Id="{rid}" Type="{RT.HYPERLINK}" Target="{_attr(href)}" TargetMode="External"/>'
        for href, rid in writer.links.items()
    )
    changed = {
        template.document_part: template.body_before + body + template.body_after,
        template.rels_part: template.rels + links + "</Relationships>",
        template.core_part: _core_properties(properties),
    }
    return _package(
        (name, changed[name].encode("utf-8") if name in changed else data) for name, data in template.parts.items()
    )


def _core_properties(properties: Properties) -> str:
    when = properties.created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    dated = 'xsi:type="dcterms:W3CDTF"'
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(properties.title)}</dc:title><dc:subject>{_text(properties.subject)}</dc:subject>"
        f"<dc:creator>{_text(properties.author)}</dc:creator><cp:keywords>{_text(properties.keywords)}</cp:keywords>"
        "<dc:description></dc:description><cp:lastModifiedBy>plangen</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f"<dcterms:created {dated}>{when}</dcterms:created><dcterms:modified {dated}>{when}</dcterms:modified>"
        f"<cp:category>{_text(properties.category)}</cp:category><dc:language>{_text(properties.language)}</dc:language>"
        f"<cp:lastPrinted>{when}</cp:lastPrinted></cp:coreProperties>"
    )


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


# --- WordprocessingML as text -------------------------------------------------


def _text(value: str) -> str:
    """*value* as XML character data; characters XML cannot hold (which validation
    reports in plan text) are dropped."""
    return NOT_IN_WORD.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


_BREAKS = re.compile(r"(\t|\r\n|\n|\r)")


def _run(text: str, marks: frozenset[str] = frozenset(), east_asian: re.Pattern[str] = WIDE) -> str:
    """A run of *text* marked *marks*; tabs and line breaks in it become Word's own. A run holding
    what *east_asian* finds (Chinese characters; in a Chinese document also the punctuation it
    shares with Latin text, such as “”—…) is hinted East Asian, or Word would set that
    punctuation in the Latin font."""
    pieces = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            pieces.append("<w:tab/>")
        elif piece in ("\n", "\r\n", "\r"):
            pieces.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece.strip() != piece else ""
            pieces.append(f"<w:t{space}>{_text(piece)}</w:t>")
    return f"<w:r>{_run_properties(marks, east_asian.search(text) is not None)}{''.join(pieces)}</w:r>"


def _field_char(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def _field_start(instruction: str) -> str:
    """Open a field; what follows, up to ``_field_char("end")``, is its current result."""
    return (
        _field_char("begin")
        + f'<w:r><w:instrText xml:space="preserve"> {_text(instruction)} </w:instrText></w:r>'
        + _field_char("separate")
    )


def heading_bookmark(number: int) -> str:
    """The bookmark on the *number*-th heading (from 1), which the contents list links to."""
    return f"_Toc{number:08d}"


@dataclass
class _Heading:
    level: int
    text: str
    bookmark: str


_PROPERTY_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore")
"""The first paragraph properties, in the order the schema wants them."""


def _with_property(paragraph: str, name: str) -> str:
    """*paragraph* (as written by the writer) with the empty property ``w:name`` added in its place."""
    if f"<w:{name}/>" in paragraph:
        return paragraph
    at = paragraph.index("<w:pPr>") + len("<w:pPr>")
    for earlier in _PROPERTY_ORDER[: _PROPERTY_ORDER.index(name)]:
        found = re.compile(rf"<w:{earlier}\b[^>]*/>").search(paragraph, at)
        if found and found.start() == at:
            at = found.end()
    return f"{paragraph[:at]}<w:{name}/>{paragraph[at:]}"


def _ends_with_colon(text: str) -> bool:
    """An introduction to what follows (主要措施：), which must not end a page."""
    return text.rstrip().endswith(("：", ":"))


@dataclass
class _Writer:
    template: Template
    layout: Layout
    out: list[str] = field(default_factory=list)
    counters: list[int] = field(default_factory=list)
    headings: list[_Heading] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    """External link targets and the relationship id of each."""
    toc_at: int | None = None
    toc_title: str = ""
    pages: Mapping[str, int] = field(default_factory=dict)
    contents: Contents = "auto"
    lines: float = 0
    """Body lines written so far, roughly: how long the document is (see :meth:`_count`)."""
    east_asian: re.Pattern[str] = WIDE
    """What marks text as Chinese, which wants the East Asian font (see :func:`_run`)."""

    def _paragraph_start(
        self,
        style: str,
        *,
        tabs: str = "",
        indent: int = 0,
        align: str = "",
        keep_next: bool = False,
        right: tuple[int, int] | None = None,
    ) -> str:
        """The paragraph's start up to its content; *right* is a right indent in twips and in
        hundredths of a character (Word reads the characters, LibreOffice the twips)."""
        keep = "<w:keepNext/>" if keep_next else ""
        tabs = f"<w:tabs>{tabs}</w:tabs>" if tabs else ""
        left = f' w:left="{indent}"' if indent else ""
        right_ind = f' w:right="{right[0]}" w:rightChars="{right[1]}"' if right else ""
        ind = f"<w:ind{left}{right_ind}/>" if left or right_ind else ""
        jc = f'<w:jc w:val="{align}"/>' if align else ""
        style_id = _attr(self.template.style_ids[style])
        return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{keep}{tabs}{ind}{jc}</w:pPr>'

    def _add(self, style: str, content: str = "") -> None:
        self.out.append(f"{self._paragraph_start(style)}{content}</w:p>")

    def _count(self, text: str, share: float = 1.0) -> None:
        """Count the body lines *text* takes (at least one); *share* for smaller type."""
        self.lines += share * max(1, -(-_display_width(text) // (20 * self.layout.line_chars)))

    def blocks(self, nodes: Iterable[SyntaxTreeNode], list_depth: int = 0) -> None:
        nodes = list(nodes)
        for index, node in enumerate(nodes):
            handler = getattr(self, f"_{node.type}", None)
            if node.type == "heading":
                following = nodes[index + 1] if index + 1 < len(nodes) else None
                self._heading(node, empty=_ends_a_part(node, following))
            elif handler is None:
                self._paragraph(node, "Normal")
            else:
                handler(node, list_depth) if node.type.endswith("_list") else handler(node)

    # --- blocks -------------------------------------------------------------

    def _heading(self, node: SyntaxTreeNode, *, empty: bool = False) -> None:
        """A numbered heading; one with nothing under it (an item written as a plain string
        among items with details) is a numbered paragraph instead, still in the contents so
        that its numbering there has no gap."""
        level = min(int(node.tag[1]), 4)
        self.counters = (self.counters + [0] * level)[:level]
        self.counters[-1] += 1
        number = self.layout.number(self.counters)
        runs: list[str] = []
        text = number + self._inline(runs, node.children[0])
        self._count(text)
        ident = len(self.headings) + 1
        bookmark = heading_bookmark(ident)
        self._add(
            "List Paragraph" if empty else f"Heading {level}",
            f'<w:bookmarkStart w:id="{ident}" w:name="{bookmark}"/>{_run(number)}{"".join(runs)}'
            f'<w:bookmarkEnd w:id="{ident}"/>',
        )
        self.headings.append(_Heading(level, text.strip(), bookmark))

    def _paragraph(self, node: SyntaxTreeNode, style: str = "Normal", prefix: str = "", indent: int = 0) -> None:
        runs = [_run(prefix)] if prefix else []
        texts = [prefix]
        for child in node.children:
            if child.type == "inline":
                texts.append(self._inline(runs, child))
        text = "".join(texts)
        self._count(text)
        start = self._paragraph_start(style, indent=indent, keep_next=_ends_with_colon(text))
        self.out.append(f"{start}{''.join(runs)}</w:p>")

    def _blockquote(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self._paragraph(child, "Quote") if child.type == "paragraph" else self.blocks([child])

    def _fence(self, node: SyntaxTreeNode) -> None:
        for line in node.content.rstrip("\n").split("\n"):
            self._count(line)
            self._add("Quote", _run(line) if line else "")

    _code_block = _fence

    def _hr(self, node: SyntaxTreeNode) -> None:
        self._add("Normal")

    def _bullet_list(self, node: SyntaxTreeNode, depth: int) -> None:
        if self.layout.list_marks is None:  # no bullets in a Chinese document: its lists are numbered
            self._ordered_list(node, depth)
        else:
            self._list(node, depth, lambda n: "• " if depth == 0 else "◦ ")

    def _ordered_list(self, node: SyntaxTreeNode, depth: int) -> None:
        start = int(node.attrs.get("start", 1))
        if self.layout.list_marks is None:
            above = [0] * (len(self.counters) + depth)
            self._list(node, depth, lambda n: self.layout.number([*above, n + start - 1]))
        else:
            mark = self.layout.list_marks[min(depth, len(self.layout.list_marks) - 1)]
            self._list(node, depth, lambda n: mark(n + start - 1))

    def _list(self, node: SyntaxTreeNode, depth: int, mark: Callable[[int], str]) -> None:
        for number, item in enumerate(node.children, start=1):
            first = True
            for child in item.children:
                if child.type == "paragraph":
                    self._paragraph(child, "List Paragraph", mark(number) if first else "", indent=depth * 320)
                    first = False
                else:
                    self.blocks([child], depth + 1)

    def _table_start(self, widths: list[int]) -> list[str]:
        """A table's opening, with its columns *widths* wide; the line introducing it stays with it."""
        if self.out and self.out[-1].startswith("<w:p>"):
            self.out[-1] = _with_property(self.out[-1], "keepNext")
        style = _attr(self.template.style_ids[TABLE_STYLE])
        return [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:type="auto" w:w="0"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
            'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{round(w / 635)}"/>' for w in widths),
            "</w:tblGrid>",
        ]

    @property
    def _table_line(self) -> float:
        """A line of table text, in body lines: table type is smaller than body type."""
        return self.template.table_char * 2 / (self.template.text_width / self.layout.line_chars)

    def _table(self, node: SyntaxTreeNode) -> None:
        rows = [row for section in node.children for row in section.children]
        cells = [[cell.children[0].content if cell.children else "" for cell in row.children] for row in rows]
        header = [row.children[0].type == "th" for row in rows]
        columns = _filled_columns(cells, header)
        texts = [[row[c] if c < len(row) else "" for c in columns] for row in cells]
        widths = _column_widths(
            list(zip(header, texts, strict=True)),
            self.template.text_width,
            self.template.table_char,
            self.template.cell_margins,
        )
        out = self._table_start(widths)
        body_line = self._table_line
        heights = [
            max(
                -(-_emu(_display_width(text), self.template.table_char) // max(1, width - self.template.cell_margins))
                for text, width in zip(row_texts, widths, strict=True)
            )
            for row_texts in texts
        ]
        self.lines += sum(max(1, lines) for lines in heights) * body_line
        # A short table stays on one page: each row is kept with the next.
        together = len(rows) <= _TABLE_KEPT_ROWS and max(heights) <= _ROW_KEPT_LINES
        for index, (row, is_header, lines) in enumerate(zip(rows, header, heights, strict=True)):
            # A header row repeats on every page and stays with the first row; a row of a
            # few lines keeps together, a taller one may split rather than be clipped.
            properties = "<w:cantSplit/>" if lines <= _ROW_KEPT_LINES else ""
            out.append(
                f"<w:tr><w:trPr>{properties}<w:tblHeader/></w:trPr>"
                if is_header
                else f"<w:tr><w:trPr>{properties}</w:trPr>"
                if properties
                else "<w:tr>"
            )
            for c, width in zip(columns, widths, strict=True):
                out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{round(width / 635)}"/></w:tcPr>')
                cell = row.children[c] if c < len(row.children) else None
                align = str(cell.attrs.get("style", "")) if cell else ""
                runs: list[str] = []
                if cell and cell.children:
                    self._inline(runs, cell.children[0])
                start = self._paragraph_start(
                    "Table Heading" if is_header else "Table Text",
                    align="right" if "right" in align else "center" if "center" in align else "",
                    keep_next=is_header or (together and index < len(rows) - 1),
                )
                out.append(f"{start}{''.join(runs)}</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))

    # --- plangen's own blocks ------------------------------------------------

    def _container_title(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self._paragraph(child, "Title")

    def _container_meta(self, node: SyntaxTreeNode) -> None:
        """The lines under the title, then a blank line before the body, as GB/T 9704 leaves one."""
        for child in node.children:
            self._paragraph(child, "Subtitle")
        self._add("Normal")

    def _container_closing(self, node: SyntaxTreeNode) -> None:
        """The signer (the first paragraph, a line each for unit and name), then the date;
        paragraphs without text are left out."""
        contents, texts = [], []
        for child in node.children:
            runs: list[str] = []
            text = self._inline(runs, child.children[0]) if child.type == "paragraph" and child.children else ""
            if text.strip():
                contents.append("".join(runs))
                texts.append(text)
        spaces = _right_spaces(texts, self.east_asian) if self.layout.spaced_closing and texts else [None] * len(texts)
        # Signer and date stay together, and with the last lines of the body: never alone on a page.
        if contents and self.out and self.out[-1].startswith("<w:p>"):
            self.out[-1] = _with_property(self.out[-1], "keepNext")
        for index, (content, halves) in enumerate(zip(contents, spaces, strict=True)):
            right = None if halves is None else (halves * self.template.closing_char // 2, halves * 50)
            start = self._paragraph_start("Closing", right=right, keep_next=index < len(contents) - 1)
            self.out.append(f"{start}{content}</w:p>")

    def _container_chart(self, node: SyntaxTreeNode) -> None:
        """A bar chart drawn as a table (:meth:`_bar_table`): a paragraph before it is its title,
        centred as a table's title is, one after it its legend, in table type."""
        seen_table = False
        for child in node.children:
            if child.type == "table":
                self._bar_table(child)
                seen_table = True
            elif child.type == "paragraph":
                runs: list[str] = []
                text = "".join(self._inline(runs, c) for c in child.children if c.type == "inline")
                self._count(text)
                style = "Table Text" if seen_table else "Table Heading"
                start = self._paragraph_start(style, align="center", keep_next=not seen_table)
                self.out.append(f"{start}{''.join(runs)}</w:p>")
            else:
                self.blocks([child])

    def _bar_table(self, node: SyntaxTreeNode) -> None:
        """A table of three columns whose middle one holds bars: a label, a bar written
        ``reached/planned`` in thousandths of the bar (630/850, or 630/ with nothing
        planned), and a figure. A bar is a thin table of its own in the cell, its parts
        shaded: reached dark, planned but not reached light. Word and LibreOffice draw
        table shading alike, with no drawing or picture a document would have to embed."""
        rows = [row for section in node.children for row in section.children]
        header = [row.children[0].type == "th" for row in rows]
        total = self.template.text_width
        widths = [total * 32 // 100, total * 50 // 100]
        widths.append(total - sum(widths))
        out = self._table_start(widths)
        self.lines += len(rows) * self._table_line
        for index, (row, is_header) in enumerate(zip(rows, header, strict=True)):
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if is_header else "<w:tr>")
            for c, width in enumerate(widths):
                cell = row.children[c] if c < len(row.children) else None
                text = cell.children[0].content.strip() if cell and cell.children else ""
                bar = _BAR.fullmatch(text) if c == 1 and not is_header else None
                if bar:
                    out.append(_bar_cell(width, self.template.cell_margins, int(bar[1]), bar[2]))
                    continue
                runs: list[str] = []
                if cell and cell.children:
                    self._inline(runs, cell.children[0])
                align = str(cell.attrs.get("style", "")) if cell else ""
                start = self._paragraph_start(
                    "Table Heading" if is_header else "Table Text",
                    align="right" if "right" in align else "center" if "center" in align else "",
                    keep_next=index < len(rows) - 1,
                )
                out.append(
                    f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{round(width / 635)}"/><w:vAlign w:val="center"/>'
                    f"</w:tcPr>{start}{''.join(runs)}</w:p></w:tc>"
                )
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))

    def _container_pagebreak(self, node: SyntaxTreeNode) -> None:
        self._add("Normal", '<w:r><w:br w:type="page"/></w:r>')

    def _container_toc(self, node: SyntaxTreeNode) -> None:
        self.toc_title = " ".join(child.children[0].content for child in node.children if child.children)
        self.toc_at = len(self.out)
        self.out.append("")

    def finish(self) -> list[str]:
        """The body, with the table of contents filled in now that every heading is known
        (linked entries inside a real TOC field, which Word can update) on a page of its
        own, or taken out when the document is too short to need one."""
        if self.toc_at is None:
            return self.out
        pages = self.lines / self.layout.page_lines
        wanted = self.contents == "always" or (self.contents == "auto" and pages >= CONTENTS_FROM_PAGES)
        levels = self.layout.toc_levels
        entries = [h for h in self.headings if h.level <= levels]
        if not wanted or not entries:
            return self.out[: self.toc_at] + self.out[self.toc_at + 1 :]
        title = _run(self.toc_title) if self.toc_title else ""
        toc = [_with_property(f"{self._paragraph_start('TOC Heading')}{title}</w:p>", "pageBreakBefore")]
        # With page numbers, each entry ends in a dotted tab to the right margin and a
        # PAGEREF field, as in a contents list Word makes.
        tab = f'<w:tab w:val="right" w:leader="dot" w:pos="{self.template.text_width // 635}"/>'
        for index, heading in enumerate(entries):
            page = self.pages.get(heading.bookmark)
            number = ""
            if page is not None:
                pageref = _field_start(f"PAGEREF {heading.bookmark} \\h")
                number = f"<w:r><w:tab/></w:r>{pageref}{_run(str(page))}{_field_char('end')}"
            link = (
                f'<w:hyperlink w:anchor="{heading.bookmark}" w:history="1">{_run(heading.text)}{number}</w:hyperlink>'
            )
            toc.append(
                self._paragraph_start(f"TOC {heading.level}", tabs=tab if page is not None else "")
                + (_field_start(f'TOC \\o "1-{levels}" \\h \\z \\u') if index == 0 else "")
                + link
                + (_field_char("end") if index == len(entries) - 1 else "")
                + "</w:p>"
            )
        after = self.toc_at + 1
        if after < len(self.out) and self.out[after].startswith("<w:p>"):
            self.out[after] = _with_property(self.out[after], "pageBreakBefore")
        else:
            toc.append(self._paragraph_start("Normal") + '<w:r><w:br w:type="page"/></w:r></w:p>')
        self.out[self.toc_at] = "".join(toc)
        return self.out

    # --- inline text ---------------------------------------------------------

    def _inline(self, runs: list[str], node: SyntaxTreeNode) -> str:
        """Add the runs of an inline node to *runs*; returns the plain text added."""
        texts: list[str] = []
        self._runs(runs, node.children, frozenset(), texts)
        return "".join(texts)

    def _runs(self, runs: list[str], nodes: list[SyntaxTreeNode], marks: frozenset[str], texts: list[str]) -> None:
        for node in nodes:
            if node.type == "text":
                self._text(runs, node.content, marks, texts)
            elif node.type == "code_inline":
                self._text(runs, node.content, marks | {"code"}, texts)
            elif node.type == "softbreak":
                joined = "".join(texts)
                self._text(runs, "" if joined and WIDE.match(joined[-1]) else " ", marks, texts)
            elif node.type == "hardbreak":
                runs.append("<w:r><w:br/></w:r>")
                texts.append("\n")
            elif node.type in ("strong", "em", "s"):
                self._runs(runs, node.children, marks | {node.type}, texts)
            elif node.type == "link":
                href = str(node.attrs["href"])  # the parser made it a link only if it is safe
                rid = self.links.setdefault(href, f"rId{self.template.next_rel + len(self.links)}")
                inner: list[str] = []
                shown = len(texts)
                self._runs(inner, node.children, marks | ({"link"} if self.layout.coloured_links else set()), texts)
                runs.append(f'<w:hyperlink r:id="{rid}">{"".join(inner)}</w:hyperlink>')
                # On paper a link is its address: it follows the words unless they are the address.
                address = href.removeprefix("mailto:")
                if "".join(texts[shown:]).strip() != address:
                    self._text(runs, self.layout.parenthesised(address), marks, texts)
            elif node.type == "image":
                self._text(runs, str(node.attrs.get("alt", "")) or node.content, marks, texts)
            else:
                self._runs(runs, node.children, marks, texts)

    def _text(self, runs: list[str], text: str, marks: frozenset[str], texts: list[str]) -> None:
        if text:
            runs.append(_run(text, marks, self.east_asian))
            texts.append(text)


_BAR = re.compile(r"(\d{1,4})/(\d{1,4})?")
"""A bar in a chart's table: thousandths reached, then planned (if anything is)."""
_BAR_SHADES = ("404040", "BFBFBF")
"""The shading of what a bar has reached (dark grey) and of what was planned beyond it (light
grey): printed documents go out in black and white."""
_BAR_HEIGHT = 200
"""A bar's thickness in twips (10 points)."""
_TINY = (
    '<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr>'
)
"""A paragraph that takes no room: a table cell must end with one."""


def _bar_cell(width: int, margins: int, reached: int, planned: str | None) -> str:
    """A table cell *width* EMU wide (less its *margins*) holding a bar: *reached* thousandths
    dark, up to *planned* thousandths light, the rest within a thin frame."""
    inner = max(1, (width - margins) // 635)
    reached = min(reached, 1000)
    upto = max(reached, min(int(planned), 1000)) if planned else reached
    parts = [
        (share, shade)
        for share, shade in ((reached, _BAR_SHADES[0]), (upto - reached, _BAR_SHADES[1]), (1000 - upto, ""))
        if share > 0
    ] or [(1000, "")]
    twips = [inner * share // 1000 for share, _shade in parts]
    twips[-1] += inner - sum(twips)
    frame = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    borders = "".join(frame.format(side=side) for side in ("top", "left", "bottom", "right"))
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/>'
        + (f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else "")
        + f"</w:tcPr><w:p>{_TINY}</w:p></w:tc>"
        for w, (_share, shade) in zip(twips, parts, strict=True)
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{round(width / 635)}"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="{inner}"/><w:tblBorders>{borders}'
        '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in twips) + "</w:tblGrid>"
        f'<w:tr><w:trPr><w:trHeight w:val="{_BAR_HEIGHT}" w:hRule="exact"/></w:trPr>{cells}</w:tr></w:tbl>'
        f"<w:p>{_TINY}</w:p></w:tc>"
    )


@functools.cache
def _run_properties(marks: frozenset[str], east_asian: bool) -> str:
    """The ``w:rPr`` of text marked *marks*, its children in the order the schema wants (fonts first)."""
    code = ' w:ascii="Courier New" w:hAnsi="Courier New"' if "code" in marks else ""
    hint = ' w:hint="eastAsia"' if east_asian else ""
    properties = (f"<w:rFonts{code}{hint}/>" if code or hint else "") + "".join(
        xml
        for mark, xml in (
            ("strong", "<w:b/>"),
            ("em", "<w:i/>"),
            ("s", "<w:strike/>"),
            ("link", '<w:color w:val="0563C1"/><w:u w:val="single"/>'),
        )
        if mark in marks
    )
    return f"<w:rPr>{properties}</w:rPr>" if properties else ""


def _right_spaces(blocks: list[str], wide: re.Pattern[str]) -> list[int]:
    """The right space of each block of the closing, in half characters, as GB/T 9704 7.3.5.2
    places signer and date on a document without a seal: the signer (the first block) two
    characters from the right margin, each later block (the date) starting two characters right
    of where the signer starts, and when that would bring it nearer the margin than two
    characters, it keeps two and the signer moves left instead.

    Widths are counted from the text: a Chinese character or mark (what *wide* finds) is one
    character, a Latin letter or digit half of one, as in 仿宋 with Times New Roman; a block of
    several lines is as wide as its widest.
    """
    signer, *later = (max(half_widths(line, wide) for line in block.split("\n")) for block in blocks)
    space = max([4, *(width + 8 - signer for width in later)])
    return [space, *(space + signer - 4 - width for width in later)]


def _ends_a_part(heading: SyntaxTreeNode, following: SyntaxTreeNode | None) -> bool:
    """Whether nothing is written under *heading*: it is followed by a heading of its own
    level or higher, by one of plangen's blocks (the closing lines), or by nothing."""
    if following is None or following.type.startswith("container_"):
        return True
    return following.type == "heading" and int(following.tag[1]) <= int(heading.tag[1])


def _filled_columns(cells: list[list[str]], header: list[bool]) -> list[int]:
    """The columns that hold something in some row below the header; all if none does."""
    columns = max(len(row) for row in cells)
    body = [row for row, is_header in zip(cells, header, strict=True) if not is_header]
    filled = [c for c in range(columns) if any(c < len(row) and row[c].strip() for row in body)]
    return filled or list(range(columns))


_ROW_KEPT_LINES = 6
"""A table row of up to this many lines never splits across pages."""
_TABLE_KEPT_ROWS = 8
"""A table of up to this many rows, none of them tall, is kept on one page."""


def _display_width(text: str) -> int:
    """Width in tenths of half an em: a Chinese character is 20, a digit or figure mark 11
    (half an em in every text font, with room to spare), any other 13, which leaves room
    for the wider letters of the fonts LibreOffice puts in place of Calibri or Cambria;
    and 5 where Chinese meets Latin text, the quarter em word processors put there (2027年)."""
    widths = sum(20 if WIDE.match(ch) else 11 if ch in _FIGURES else 13 for ch in text)
    return widths + 5 * len(_SCRIPT_CHANGE.findall(text))


_FIGURES = frozenset("0123456789.,%+-")
_SCRIPT_CHANGE = re.compile(
    rf"(?<=[{WIDE_CHARACTERS}])(?=[^\s{WIDE_CHARACTERS}])|(?<=[^\s{WIDE_CHARACTERS}])(?=[{WIDE_CHARACTERS}])"
)


def _emu(width: int, char: int, bold: bool = False) -> int:
    """A :func:`_display_width` in table type of half-size *char* (EMU), in the same unit."""
    return width * (12 if bold else 10) * char // 100


_UNBREAKABLE = re.compile(
    rf"\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}日)?|\d{{1,2}}月\d{{1,2}}日"  # a date
    rf"|[^\s{WIDE_CHARACTERS}-]+"  # a Latin word or a number ...
    rf"(?:[{WIDE_CHARACTERS}]{{1,2}}(?=[\s\d\u3000-\u303f\uff00-\uffef]|$))?-?"  # ... with its unit: 600户
)
"""What a line must not break inside: a date, a number with the unit after it, a Latin
word (a line may break after a hyphen)."""
_SHORT = 6 * 20
"""A cell no wider than six Chinese characters (a short name, 住宅小区) stays on one line
where the table has room for all of them."""


def _unbreakable_width(text: str) -> int:
    """The widest piece a line cannot break inside: a date, a number with its unit or a
    Latin word, or else two Chinese characters."""
    words = _UNBREAKABLE.findall(text)
    return max([_display_width(word) for word in words] + [40 if WIDE.search(text) else 0])


def _column_widths(rows: list[tuple[bool, list[str]]], total: int, char: int, margins: int) -> list[int]:
    """Share the text width (EMU) as browsers lay out tables: every column gets at least its
    widest unbreakable piece (and its short cells whole, if all columns can have that), and
    the rest goes in proportion to how much more each holds.

    *rows* are (header?, cell texts); *char* is half the font size and *margins* a cell's
    side margins, in EMU.
    """
    columns = len(rows[0][1])
    least, short, most = ([margins + char] * columns for _ in range(3))
    for header, texts in rows:
        for c, text in enumerate(texts):  # header cells are bold, so wider
            width = _display_width(text)
            least[c] = max(least[c], margins + char + _emu(_unbreakable_width(text), char, header))
            short[c] = max(short[c], margins + char + _emu(width if width <= _SHORT else 0, char, header))
            most[c] = max(most[c], margins + char + _emu(width, char, header))
    if sum(most) <= total:
        return [w * total // sum(most) for w in most]
    least = [max(pair) for pair in zip(least, short, strict=True)] if sum(map(max, least, short)) <= total else least
    if sum(least) >= total:
        # Some word must break: let it be in the columns with the longest words, and
        # keep every other column wide enough for its own.
        cap = _cap(least, total)
        return [min(w, cap) for w in least]
    spare = total - sum(least)
    extra = sum(most) - sum(least)
    return [lo + (hi - lo) * spare // extra for lo, hi in zip(least, most, strict=True)]


def _cap(widths: list[int], total: int) -> int:
    """The largest width *c* such that the columns, none wider than *c*, fit in *total*."""
    remaining, left = total, len(widths)
    for width in sorted(widths):
        if width * left > remaining:
            return remaining // left
        remaining -= width
        left -= 1
    return max(widths)
