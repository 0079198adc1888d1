"""Real clients read what plangen writes: LibreOffice converts every example document
to PDF, pdftotext finds the plan's content in it, and pandoc's Word reader finds the
same tables with the same cell values as the Markdown they were written from. In the
PDF LibreOffice makes, the Chinese layout is measured against GB/T 9704: characters per
line, lines per page, where page numbers, signer and date stand.


to PDF, pdftotext finds the plan's content in it, pdffonts the fonts each part of it is
set in, and pandoc's Word reader finds the same tables with the same cell values as the
Markdown they were written from.

In CI these programs must be there (.ci/run installs them); elsewhere the tests skip.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import docx
import pytest
from docx.shared import Length
from markdown_it.tree import SyntaxTreeNode

from conftest import MINIMAL, REPO, posix_only, require, write_plan
from plangen.build import DocxBuilder, build_docx
from plangen.docx_writer import LAYOUTS, Properties, Reference, write_docx
from plangen.errors import InvalidFile, PlangenError
from plangen.i18n import speaking
from plangen.loading import load_plans
from plangen.markdown_text import parser
from plangen.office import FONT_PACKAGES, TEX_FONTS, Fonts, convert, pdf_fonts, soffice
from plangen.settings import BOLD, DEFAULT_FONTS, open_project


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def plans() -> dict[str, Any]:
    return {p.plan.id: p.plan for p in load_plans(open_project(REPO)).plans}


@pytest.fixture(scope="module")
def pdfs(example_docx: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require("soffice")
    fonts = pdf_fonts(open_project(REPO))
    assert fonts is not None and fonts.warnings == (), "the open fonts are installed (.ci/run installs them)"
    written = convert(sorted(example_docx.values()), "pdf", tmp_path_factory.mktemp("pdf"), fonts=fonts)
    return {path.stem: path for path in written}


class _Blocks(HTMLParser):
    """The text blocks of ``pdftotext -bbox-layout``: a table cell's wrapped lines stay together."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.words: list[str] | None = None
        self.in_word = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "block":
            self.words = []
        self.in_word = self.in_word or tag == "word"

    def handle_endtag(self, tag: str) -> None:
        if tag == "block" and self.words is not None:
            self.blocks.append(squeeze("".join(self.words)))
            self.words = None
        if tag == "word":
            self.in_word = False

    def handle_data(self, data: str) -> None:
        if self.in_word and self.words is not None:
            self.words.append(data)


def pdf_text(pdf: Path) -> list[str]:
    """The PDF's text as pdftotext reads it: the whole, then block by block."""
    whole = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    reader = _Blocks()
    reader.feed(layout.stdout)
    return [squeeze(whole), *reader.blocks]


def markdown_of(plan: Any) -> str:
    return DocxBuilder(open_project(REPO)).markdown(plan)


def test_libreoffice_converts_every_example_and_the_pdf_holds_the_plan(
    pdfs: dict[str, Path], plans: dict[str, Any]
) -> None:
    require("pdftotext")
    assert sorted(pdfs) == sorted(plans)
    for plan_id, pdf in pdfs.items():
        texts = pdf_text(pdf)
        plan = plans[plan_id]
        tree = SyntaxTreeNode(parser().parse(markdown_of(plan)))
        headings = [node.children[0].content for node in tree.walk() if node.type == "heading"]
        expected = [plan.title, *headings]
        expected += [s.name for s in plan.clients.segments] if plan.clients else []
        expected += [m.metric for g in plan.goals for m in g.measured] + [g.title for g in plan.goals]
        missing = [item for item in expected if not any(squeeze(item.replace("\\", "")) in t for t in texts)]
        assert not missing, f"{plan_id}: not in the PDF: {missing}"


def _text(inlines: list[Any]) -> str:
    out = []
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Strong", "Emph", "Strikeout", "Underline", "SmallCaps"):
            out.append(_text(content))
        elif kind in ("Link", "Span"):
            out.append(_text(content[1]))
        elif kind == "Quoted":
            out.append("“" + _text(content[1]) + "”")
    return "".join(out)


def _cell(blocks: list[Any]) -> str:
    return " ".join(_text(block["c"]) for block in blocks if block["t"] in ("Plain", "Para"))


def _pandoc_tables(path: Path) -> list[list[list[str]]]:
    document = json.loads(
        subprocess.run(
            ["pandoc", "-f", "docx", "-t", "json", str(path)], capture_output=True, text=True, check=True
        ).stdout
    )
    tables = []
    for block in document["blocks"]:
        if block["t"] != "Table":
            continue
        _, _, _, head, bodies, _ = block["c"]
        rows = head[1] + [row for body in bodies for row in body[2] + body[3]]
        tables.append([[_cell(cell[4]) for cell in row[1]] for row in rows])
    return tables


def _markdown_tables(markdown: str) -> list[list[list[str]]]:
    """The tables of *markdown* as the document should show them: without the columns
    that are empty below the header."""
    tree = SyntaxTreeNode(parser().parse(markdown))
    tables = []
    for table in (n for n in tree.walk() if n.type == "table"):
        rows = [row for section in table.children for row in section.children]
        cells = [["".join(t.content for t in cell.walk() if t.type == "text") for cell in row.children] for row in rows]
        filled = [c for c in range(len(cells[0])) if any(row[c].strip() for row in cells[1:])]
        tables.append([[row[c] for c in filled] for row in cells])
    return tables


def test_pandoc_reads_the_same_tables_and_cells(example_docx: dict[str, Path], plans: dict[str, Any]) -> None:
    require("pandoc")
    tables = 0
    for plan_id, path in example_docx.items():
        expected = _markdown_tables(markdown_of(plans[plan_id]))
        found = _pandoc_tables(path)
        assert [[[squeeze(c) for c in row] for row in t] for t in found] == [
            [[squeeze(c) for c in row] for row in t] for t in expected
        ], plan_id
        tables += len(expected)
    assert tables > 5, "the examples have tables to compare"


def test_a_pdf_build_puts_each_headings_page_in_the_contents(tmp_path: Path) -> None:
    require("soffice")
    require("pdftotext")
    result = build_docx(open_project(REPO), output=tmp_path, pdf=True)
    assert len(result.pdfs) == len(result.documents) > 0
    with_contents = []
    for document, pdf in zip(sorted(result.documents), sorted(result.pdfs), strict=True):
        contents = [p.text for p in docx.Document(str(document)).paragraphs if p.style.name in ("TOC 1", "TOC 2")]
        entries = [entry.rsplit("\t", 1) for entry in contents]
        assert all(len(entry) == 2 for entry in entries), contents
        with_contents += [document.stem] if entries else []
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        pages = [squeeze(page) for page in text.split("\f")]
        for title, page in entries:
            # On its page as a heading, not as a contents line (which goes on in dots).
            assert re.search(re.escape(squeeze(title)) + r"(?!\.)", pages[int(page) - 1]), (pdf.name, title, page)
    assert with_contents == ["bank-customer-managers"], "only the long example needs a contents list"


ROLES = {
    "zh-official": {
        "Title": "NotoSerifCJK??-Bold*",  # 方正小标宋简体: Noto Serif CJK SC, bold
        "Subtitle": "UKaiCN",  # 楷体_GB2312: AR PL UKai CN
        "Heading 1": "NotoSansCJK??-Regular*",  # 黑体: Noto Sans CJK SC
        "Heading 2": "UKaiCN",
        "Table Heading": "NotoSansCJK??-Regular*",
        "Normal": "FandolFang-Regular",  # 仿宋_GB2312: FandolFang
    },
    "business": {
        "Title": "Carlito-Bold",  # Calibri
        "Heading 1": "Carlito-Bold",
        "Heading 2": "Carlito-Bold",
        "Normal": "Caladea-Regular",  # Cambria
    },
}
"""The font each style of a layout is set in, as pdffonts names it (without its subset tag): pdffonts
names every face of a Noto CJK collection after the Japanese one (…CJKjp…), whose outline table
they share; test_noto_text_is_set_in_the_simplified_chinese_faces tells the faces apart."""
OTHERS = {
    "zh-official": ["LiberationSerif", "LiberationSerif-Bold", "NotoSerifCJK??-Regular*"],  # Times New Roman; 宋体
    "business": ["Carlito", "Caladea-Bold"],
}
"""The other fonts a PDF of the layout may hold: Latin text, bold runs, the header and footer."""


def layout_of(plan_id: str) -> str:
    return "business" if plan_id == "harbor-sarah-jones" else "zh-official"


def embedded_fonts(pdf: Path) -> set[str]:
    """The fonts pdffonts finds in *pdf*, without their subset tags (ABCDEF+)."""
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in listed.splitlines()[2:]}


def words(text: str) -> str:
    """*text* without spaces or punctuation, which pypdf may leave out at the end of a line."""
    return re.sub(r"\W", "", text)


def font_runs(pdf: Path) -> list[tuple[str, str]]:
    """The PDF's text as it is drawn, in runs of one font each (a run may take in several lines,
    or be one character of a justified line), with that font."""
    from pypdf import PdfReader

    runs: list[tuple[str, str]] = []

    def add(text: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
        name = font["/BaseFont"].split("+")[-1] if font and text.strip() else None
        if name and runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + squeeze(text))
        elif name:
            runs.append((name, squeeze(text)))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=add)
    return runs


def paragraphs(path: Path, *, tables: str = "all") -> Iterator[Any]:
    """The document's paragraphs, then those of its tables' cells (with ``tables="heads"``, of
    their first rows alone: narrow cells break text into pieces too small to tell a font by)."""
    document = docx.Document(str(path))
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows[: 1 if tables == "heads" else None]:
            for cell in row.cells:
                yield from cell.paragraphs


def test_each_part_of_a_document_is_set_in_its_intended_font(
    pdfs: dict[str, Path], example_docx: dict[str, Path]
) -> None:
    require("pdffonts")
    for plan_id, pdf in pdfs.items():
        roles = ROLES[layout_of(plan_id)]
        embedded = embedded_fonts(pdf)
        allowed = [*roles.values(), *OTHERS[layout_of(plan_id)]]
        assert all(any(fnmatch(font, pattern) for pattern in allowed) for font in embedded), (plan_id, embedded)
        runs = [(font, words(drawn)) for font, drawn in font_runs(pdf)]
        for paragraph in paragraphs(example_docx[plan_id], tables="heads"):
            pattern = roles.get(paragraph.style.name)
            text = words(paragraph.text)
            # Chinese text, where Latin letters and figures are in the Latin font.
            pieces = re.findall(r"[^\x00-\x7f]+", text) if layout_of(plan_id) == "zh-official" else [text]
            for piece in pieces if pattern else []:
                assert any(
                    fnmatch(font, pattern) and (piece in drawn or drawn in piece)
                    for font, drawn in runs
                    if len(drawn) >= min(2, len(piece))
                ), (plan_id, paragraph.style.name, piece, pattern)


def test_noto_text_is_set_in_the_simplified_chinese_faces(pdfs: dict[str, Path], tmp_path: Path) -> None:
    """The glyphs tell: where a character's Simplified Chinese and Japanese forms differ, each Noto
    CJK face maps it to its own glyph, and the PDF holds the SC face's, never the JP face's."""
    require("fc-list")
    from fontTools.t1Lib import T1Font
    from fontTools.ttLib import TTCollection
    from pypdf import PdfReader

    collections = {
        path
        for family in ("Noto Sans CJK SC", "Noto Serif CJK SC")
        for path in subprocess.run(
            ["fc-list", "--format", "%{file}\n", family], capture_output=True, text=True, check=True
        ).stdout.split()
    }
    faces = {
        face["name"].getDebugName(6): face.getBestCmap() for path in collections for face in TTCollection(path).fonts
    }
    checked = 0
    for pdf in pdfs.values():
        for page in PdfReader(pdf).pages:
            for font in (ref.get_object() for ref in page["/Resources"]["/Font"].values()):
                found = re.search(r"\+(NotoS\w+CJK)[a-z]{2}-(\w+?)(-|$)", font["/BaseFont"])
                if not found:
                    continue
                program = tmp_path / "font.pfa"  # LibreOffice embeds these as Type 1, named by CID
                program.write_bytes(font["/FontDescriptor"]["/FontFile"].get_object().get_data())
                t1 = T1Font(str(program))
                t1.parse()
                mapped = font["/ToUnicode"].get_object().get_data().decode()
                drawn = {
                    chr(int(u, 16)): t1.font["Encoding"][int(c, 16)]
                    for c, u in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4})>", mapped)
                }
                sc, jp = (faces[f"{found[1]}{region}-{found[2]}"] for region in ("sc", "jp"))
                japanese = [c for c, glyph in drawn.items() if glyph == jp.get(ord(c)) != sc.get(ord(c))]
                chinese = [c for c, glyph in drawn.items() if glyph == sc.get(ord(c)) != jp.get(ord(c))]
                assert not japanese, (pdf.name, font["/BaseFont"], japanese)
                checked += len(chinese)
    assert checked, "some characters whose SC and JP forms differ were drawn, each in its SC form"


def unshown(pdf: Path, fonts: Fonts, folder: Path) -> set[str]:
    """The characters *pdf* draws in a font that lacks them (as an empty box, though pdftotext reads them):
    each embedded font's characters (its ToUnicode map) against what fontconfig says the font has. The
    empty box is mapped to one of the characters it stands for, so one of them at least is found."""
    from pypdf import PdfReader

    config = folder / "fonts.conf"
    config.write_text(fonts.config, encoding="utf-8")
    lacking = set()
    for page in PdfReader(pdf).pages:
        for font in (ref.get_object() for ref in page["/Resources"]["/Font"].values()):
            mapped = font["/ToUnicode"].get_object().get_data().decode()
            drawn = {
                char
                for u in re.findall(r"<[0-9A-F]{2}> <([0-9A-F]{4,})>", mapped)
                for char in bytes.fromhex(u).decode("utf-16-be")
            }
            name = font["/BaseFont"].split("+")[-1].removesuffix("-VKana")
            charset = subprocess.run(
                ["fc-list", "--format", "%{charset}", f":postscriptname={name}"],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "FONTCONFIG_FILE": str(config)},
            ).stdout.split()
            assert charset, f"fontconfig does not know {name}"
            has = set()
            for span in charset:
                first, _, last = span.partition("-")
                has.update(range(int(first, 16), int(last or first, 16) + 1))
            lacking |= {char for char in drawn if ord(char) not in has and not char.isspace()}
    return lacking


def test_every_character_of_the_examples_is_in_the_font_it_is_drawn_in(pdfs: dict[str, Path], tmp_path: Path) -> None:
    require("fc-list")
    fonts = pdf_fonts(open_project(REPO))
    assert fonts is not None
    for plan_id, pdf in pdfs.items():
        assert unshown(pdf, fonts, tmp_path) == set(), plan_id


def test_fonts_named_in_the_settings_take_the_place_of_the_default_ones(project: Path) -> None:
    require("soffice")
    require("pdffonts")
    shutil.copy(REPO / "plans" / "2027" / "qingyunxi-liqiang.yml", project / "plans")
    (project / "plangen.yml").write_text("docx:\n  fonts:\n    黑体: AR PL UKai CN\n", encoding="utf-8")
    [pdf] = build_docx(open_project(project), pdf=True).pdfs
    embedded = embedded_fonts(pdf)
    assert "UKaiCN" in embedded and not any(fnmatch(font, ROLES["zh-official"]["Heading 1"]) for font in embedded)
    assert any(font == "UKaiCN" and "一、基本情况" in drawn for font, drawn in font_runs(pdf))


def test_a_font_in_a_folder_of_the_project_is_used_and_missing_open_fonts_are_a_warning(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require("soffice")
    require("pdffonts")
    monkeypatch.setattr("plangen.office.TEX_FONTS", str(project / "no-tex-live"))
    write_plan(project, MINIMAL + "summary: 概况\n")
    assert pdf_fonts(open_project(project)).warnings == (  # type: ignore[union-attr]
        "PDFs: plangen's open fonts FandolFang (for 仿宋_GB2312) are not installed, so LibreOffice sets that text in "
        "others (Debian/Ubuntu: apt-get install texlive-lang-chinese; or name installed fonts in plangen.yml, docx.fonts)",
    )
    (project / "fonts").mkdir()
    shutil.copy(Path(TEX_FONTS) / "FandolFang-Regular.otf", project / "fonts")
    (project / "plangen.yml").write_text("docx:\n  font_dirs: [fonts]\n", encoding="utf-8")
    result = build_docx(open_project(project), pdf=True)
    assert result.warnings == ()
    assert "FandolFang-Regular" in embedded_fonts(result.pdfs[0])


def test_characters_no_installed_font_has_are_a_warning_naming_the_plan(project: Path) -> None:
    require("soffice")
    require("pdftotext")
    write_plan(project, MINIMAL + "summary: 表情😀，勾号✅，扩展B区的𠀀\n")
    result = build_docx(open_project(project), pdf=True)
    assert result.warnings == ("plans/plan.yml: no installed font has ✅ 𠀀, so its PDF cannot show them",)
    fonts = pdf_fonts(open_project(project))
    assert fonts is not None
    # Every such character is drawn as the font's empty box, which the PDF maps to one of them.
    assert unshown(result.pdfs[0], fonts, project) & {"✅", "𠀀"}
    assert "😀" not in unshown(result.pdfs[0], fonts, project)  # DejaVu Sans, LibreOffice's, has it


def test_a_font_the_settings_name_that_is_not_installed_stops_before_anything_is_written(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require("fc-list")
    monkeypatch.setattr("plangen.build.soffice", lambda from_settings: "soffice")
    write_plan(project, MINIMAL)
    (project / "plangen.yml").write_text(
        "docx:\n  fonts:\n    仿宋_GB2312: 方正仿宋_GBK\n    黑体: [Noto Sans CJK SC, 方正黑体_GBK]\n", encoding="utf-8"
    )
    with pytest.raises(InvalidFile) as caught:
        build_docx(open_project(project), pdf=True)
    then = "is not installed; install it, put its files in a folder of docx.font_dirs, or build without PDFs (--no-pdf)"
    assert caught.value.message == (
        f"plangen.yml:3:16: docx.fonts.仿宋_GB2312: 方正仿宋_GBK, to set 仿宋_GB2312 in PDFs, {then}\n"
        f"plangen.yml:4:9: docx.fonts.黑体: 方正黑体_GBK, to set 黑体 in PDFs, {then}"
    )
    assert not (project / "out").exists()


def test_libreoffice_is_found_where_its_windows_installer_puts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    with pytest.raises(PlangenError):
        soffice()
    program = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"MZ")
    assert soffice() == str(program)


def test_pdf_export_without_the_pdf_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)  # not installed
    with speaking("zh-CN"), pytest.raises(PlangenError) as missing:
        soffice()
    assert missing.value.message == '导出 PDF 需要 pypdf，但没有安装：pip install "plangen[pdf]"'


def test_how_to_install_libreoffice_is_told_for_the_readers_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("ProgramFiles", raising=False)
    monkeypatch.delenv("ProgramFiles(x86)", raising=False)
    monkeypatch.setattr("plangen.office.sys.platform", "win32")
    with speaking("zh-CN"), pytest.raises(PlangenError) as missing:
        soffice()
    assert missing.value.message == (
        "导出 PDF 需要 LibreOffice，但这台电脑没有安装（Windows 上的安装命令：winget install TheDocumentFoundation.LibreOffice）"
    )


@posix_only
def test_libreoffice_trouble_is_told_in_chinese_to_a_chinese_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    missing = "导出 PDF 需要 LibreOffice，但这台电脑没有安装（Debian/Ubuntu 上的安装命令：apt-get install libreoffice-writer-nogui）"
    with speaking("zh-CN"):
        with pytest.raises(PlangenError) as asked:
            soffice()
        with pytest.raises(PlangenError) as configured:
            soffice(from_settings=True)
        program = tmp_path / "soffice"
        program.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n", encoding="utf-8")
        program.chmod(0o755)
        with pytest.raises(PlangenError) as failed:
            convert([tmp_path / "plan.docx"], "pdf", tmp_path / "pdf")
    assert asked.value.message == missing
    assert configured.value.message == (
        f"{missing}；PDF 导出是在 plangen.yml 中开启的（docx.pdf），加 --no-pdf 可以不导出 PDF"
    )
    assert failed.value.message == (
        f"LibreOffice 无法转换 {tmp_path / 'plan.docx'}：Error: source file could not be loaded"
    )


def test_a_long_table_and_a_tall_cell_are_laid_out_whole(project: Path) -> None:
    require("soffice")
    require("pdftotext")
    long_note = "".join(f"第{n}句说明，客户回访与资费介绍。" for n in range(1, 120))  # about 1,700 characters
    activities = "".join(f"  - {{title: 走访第{n}家, when: 2027-03, where: [地点{n}]}}\n" for n in range(1, 61))
    text = (
        "title: 长表计划\nperiod: 2027\nowner: {name: 王敏}\nactivities:\n" + activities
        + f"clients:\n  key_accounts:\n    - {{name: 长备注客户, notes: {long_note}}}\n"
    )  # fmt: skip
    (project / "plans" / "long.yml").write_text(text, encoding="utf-8")
    [document] = build_docx(open_project(project)).documents
    [pdf] = convert([document], "pdf", project / "pdf")
    found = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert all(f"走访第{n}家" in found for n in range(1, 61)), "every row of a 60-row table is on some page"
    # All of a cell taller than a page is laid out, over two pages (Word would clip a row that may not
    # split: test_docx_writer checks that such a row may).
    # Without the page numbers, the header row repeated on each page, and the row's first cell:
    unbroken = re.sub(r"—\d+—(客户备注)?", "", found).replace("长备注客户", "")
    assert squeeze(long_note) in unbroken


# --- GB/T 9704 as LibreOffice lays it out --------------------------------------------------

REFERENCE = REPO / "templates" / "reference" / "zh-official.docx"
CHARACTERS = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈"
"""Text without punctuation, which would move characters between lines (no line starts with ，)."""
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')


class Line(NamedTuple):
    left: float
    right: float
    text: str
    """Without the spaces between the words."""
    widths: float
    """The words' widths together, without the spaces between them."""


def pdf_lines(pdf: Path) -> list[list[Line]]:
    """Each page's lines of text with where they start and end, in points, from ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        rows: dict[int, list[tuple[float, float, str]]] = {}
        for left, top, right, text in _WORD.findall(page):
            rows.setdefault(round(float(top)), []).append((float(left), float(right), text))
        lines = []
        for _top, words in sorted(rows.items()):
            words.sort()
            text = "".join(word[2] for word in words)
            lines.append(Line(words[0][0], words[-1][1], text, sum(right - left for left, right, _ in words)))
        pages.append(lines)
    return pages


class TypeArea(NamedTuple):
    """Where the text of a page may go, in points."""

    left: float
    right: float


@pytest.fixture(scope="module")
def type_area() -> TypeArea:
    section = docx.Document(str(REFERENCE)).sections[0]
    return TypeArea(Length(section.left_margin).pt, Length(section.page_width - section.right_margin).pt)


@pytest.fixture(scope="module")
def gbt_pages(tmp_path_factory: pytest.TempPathFactory) -> list[list[Line]]:
    """Nine paragraphs of 6 full lines each (26 characters after the indent, then 5 × 28), which fill
    two pages and a half, and a closing; as LibreOffice lays them out."""
    require("soffice")
    require("pdftotext")
    text = (CHARACTERS * 4)[: 26 + 5 * 28]
    markdown = "\n\n".join([text] * 9) + "\n\n::: closing\n青云西区域\\\n王敏\n\n2027年1月5日\n:::\n"
    folder = tmp_path_factory.mktemp("gbt")
    properties = Properties("标题", "王敏", "", "", "", "zh-CN", dt.datetime(2027, 1, 5, tzinfo=dt.UTC))
    document = folder / "gbt.docx"
    document.write_bytes(write_docx(markdown, LAYOUTS["zh-official"], Reference(REFERENCE), properties))
    [pdf] = convert([document], "pdf", folder)
    return pdf_lines(pdf)


def test_libreoffice_puts_28_characters_on_a_line_and_22_lines_on_a_page(
    gbt_pages: list[list[Line]], type_area: TypeArea
) -> None:
    body = [[line for line in page if line.text[0] in CHARACTERS] for page in gbt_pages]
    assert [len(page) for page in body[:2]] == [22, 22]
    lengths = [len(line.text) for page in body for line in page]
    assert lengths == [26, 28, 28, 28, 28, 28] * 9
    # The lines fill the type area, to a quarter of a character.
    full = [line for page in body for line in page if len(line.text) == 28]
    assert all(abs(line.left - type_area.left) < 4 and abs(line.right - type_area.right) < 4 for line in full)


def test_page_numbers_stand_one_3hao_character_from_the_outer_edge(
    gbt_pages: list[list[Line]], type_area: TypeArea
) -> None:
    odd, even = (page[-1] for page in gbt_pages[:2])
    assert (odd.text, even.text) == ("—1—", "—2—")
    character = 16  # 3号, the body's
    assert odd.right == pytest.approx(type_area.right - character, abs=0.5)
    assert even.left == pytest.approx(type_area.left + character, abs=0.5)


def test_the_date_starts_two_characters_right_of_the_signer(gbt_pages: list[list[Line]], type_area: TypeArea) -> None:
    lines = {line.text: line for line in gbt_pages[-1]}
    signer, name, date = lines["青云西区域"], lines["王敏"], lines["2027年1月5日"]
    character = 16
    # The signer five characters from the margin (the date, 6 characters, keeps two and starts two
    # characters right of the signer), the name under it, aligned right.
    assert signer.right == pytest.approx(type_area.right - 5 * character, abs=0.5)
    assert name.right == pytest.approx(signer.right, abs=0.5)
    assert date.right == pytest.approx(type_area.right - 2 * character, abs=0.5)
    # LibreOffice widens the space between Chinese and digits (it ignores w:autoSpaceDE, which Word
    # reads): set as Word sets it, without that space, the date starts two characters right of the signer.
    assert date.right - date.widths - signer.left == pytest.approx(2 * character, abs=0.5)


def test_ci_the_init_pipelines_and_the_readme_install_the_default_fonts() -> None:
    assert set(FONT_PACKAGES) == {
        family.removesuffix(BOLD) for families in DEFAULT_FONTS.values() for family in families
    }
    for path in (".ci/run", "README.md", "templates/init/plans.yml", "templates/init/gitlab-ci.yml"):
        text = " ".join((REPO / path).read_text(encoding="utf-8").split())
        assert all(package in text for package in FONT_PACKAGES.values()), path


def test_font_trouble_is_told_in_chinese_to_a_chinese_reader(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require("fc-list")
    monkeypatch.setattr("plangen.office.TEX_FONTS", str(project / "no-tex-live"))
    with speaking("zh-CN"):
        fonts = pdf_fonts(open_project(project))
        (project / "plangen.yml").write_text("docx:\n  fonts: {黑体: 方正黑体_GBK}\n", encoding="utf-8")
        with pytest.raises(InvalidFile) as caught:
            pdf_fonts(open_project(project))
    assert fonts is not None and fonts.warnings == (
        "PDF：plangen 使用的开源字体 FandolFang（代替 仿宋_GB2312）没有安装，LibreOffice 会用其他字体排这些文字"
        "（Debian/Ubuntu 上的安装命令：apt-get install texlive-lang-chinese；"
        "也可以在 plangen.yml 的 docx.fonts 中指定已安装的字体）",
    )
    assert caught.value.message == (
        "plangen.yml:2:15: docx.fonts.黑体: 用来在 PDF 中代替 黑体 的 方正黑体_GBK 没有安装：请安装它，"
        "或把字体文件放进 docx.font_dirs 中的文件夹，或不导出 PDF（--no-pdf）"
    )
