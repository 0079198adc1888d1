"""The shipped reference documents: exactly what tools/make_reference_docx.py makes, laid out as
GB/T 9704 asks (zh-official), and holding nothing of the blank document they start from."""

from __future__ import annotations

import importlib.util
import sys
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from lxml import etree

from conftest import REPO
from plangen.docx_writer import deterministic_bytes


@pytest.mark.parametrize("layout", ["zh-official", "business"])
def test_committed_reference_documents_are_current(layout: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("make_reference_docx", REPO / "tools" / "make_reference_docx.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, tool)  # dataclasses look their module up
    spec.loader.exec_module(tool)
    document = {"zh-official": tool.zh_official, "business": tool.business}[layout]()
    document.core_properties.title = f"plangen reference document: {layout}"
    committed = (REPO / "templates" / "reference" / f"{layout}.docx").read_bytes()
    assert deterministic_bytes(document) == committed, "run: python tools/make_reference_docx.py"


REFERENCES = REPO / "templates" / "reference"
GRID_STYLES = ("Normal", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Paragraph", "Quote",
               "TOC Heading", "TOC 1", "TOC 2")  # fmt: skip
"""The zh-official styles at the body's size, which follow the document grid; the others do not."""


def test_zh_official_pages_hold_22_lines_of_28_characters() -> None:
    document = docx.Document(str(REFERENCES / "zh-official.docx"))
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch")), grid.get(qn("w:charSpace"))) == ("lines", "579", None)
    width = (section.page_width - section.left_margin - section.right_margin) // Twips(1)
    height = (section.page_height - section.top_margin - section.bottom_margin) // Twips(1)
    line = int(grid.get(qn("w:linePitch")))
    assert 22 * line <= height < 23 * line
    for name in GRID_STYLES:
        style = document.styles[name]
        assert style.paragraph_format.line_spacing == Twips(line), name
        # 28 characters of 16 pt are wider than the type area: they are narrowed so that 28, not 29, fit.
        scale = int(style.element.rPr.find(qn("w:w")).get(qn("w:val")))
        character = style.font.size.pt * scale / 100 * 20  # twips
        assert (style.font.size.pt, 28 * character <= width < 29 * character) == (16, True), name
        assert style.element.pPr.find(qn("w:snapToGrid")) is None, name
    for style in document.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH and style.name not in GRID_STYLES:
            assert style.element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0", style.name
            assert style.element.rPr.find(qn("w:w")) is None, style.name


def test_zh_official_page_numbers_are_4hao_songti_one_character_in_from_the_outer_edge() -> None:
    document = docx.Document(str(REFERENCES / "zh-official.docx"))
    section = document.sections[0]
    odd, even = section.footer.paragraphs, section.even_page_footer.paragraphs
    assert [p.text for p in odd + even] == ["— 1 —", "— 1 —"]
    assert (odd[0].alignment, odd[0].paragraph_format.right_indent, odd[0].paragraph_format.left_indent) == (
        WD_ALIGN_PARAGRAPH.RIGHT, Pt(16), None
    )  # fmt: skip
    assert (even[0].alignment, even[0].paragraph_format.left_indent, even[0].paragraph_format.right_indent) == (
        WD_ALIGN_PARAGRAPH.LEFT, Pt(16), None
    )  # fmt: skip
    style = document.styles["Footer"]
    assert style.font.size == Pt(14)
    fonts = style.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"宋体"}


PARTS = [
    "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "word/_rels/document.xml.rels",
    "word/document.xml", "word/fontTable.xml", "word/footer1.xml", "word/settings.xml", "word/styles.xml",
    "word/theme/theme1.xml", "word/webSettings.xml",
]  # fmt: skip


@pytest.mark.parametrize(("layout", "more_parts"), [("zh-official", ["word/footer2.xml"]), ("business", [])])
def test_reference_documents_keep_nothing_of_the_blank_document_they_start_from(
    layout: str, more_parts: list[str]
) -> None:
    path = REFERENCES / f"{layout}.docx"
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name).decode("utf-8") for name in package.namelist()}
    # No thumbnail, second copy of the styles, bibliography or list definitions.
    assert sorted(parts) == sorted(PARTS + more_parts)
    leftovers = ["ja-JP", "Jpan", "ＭＳ", "Macintosh", "python-docx", "Normal.dotm", "rsid", "docId", "proofState",
                 "xmlns:mo=", "xmlns:mv=", "2013-12-23", " Char"]  # fmt: skip
    assert [(name, word) for name, text in parts.items() for word in leftovers if word in text] == []
    assert parts["docProps/app.xml"].endswith(
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>plangen</Application></Properties>"
    )
    document = docx.Document(str(path))
    lang = document.settings.element.find(qn("w:themeFontLang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    named = {value for fonts in document.styles.element.iter(qn("w:rFonts")) for value in fonts.attrib.values()}
    fonts = etree.fromstring(parts["word/fontTable.xml"].encode())
    assert {font.get(qn("w:name")) for font in fonts.iter(qn("w:font"))} <= named  # no font nothing uses
