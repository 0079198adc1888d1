"""The Word writer: structure, numbering, contents, fonts, page setup and reproducibility.

Documents are read back with python-docx and compared as text and XML, not
as zip bytes (except where byte identity is the point).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.document import Document
from docx.oxml.ns import qn
from markdown_it.tree import SyntaxTreeNode

from conftest import MINIMAL, REPO, write_plan
from generator.cli import main
from generator.docx_writer import LAYOUTS, Properties, Reference, heading_bookmark, write_docx
from generator.errors import PlangenError
from generator.i18n import speaking
from generator.markdown_text import parser

REFERENCES = REPO / "templates" / "reference"
PROPERTIES = Properties(
    "标题", "王敏", "某市电信分公司", "a, b", "draft", "zh-CN", dt.datetime(2027, 1, 5, tzinfo=dt.UTC)
)


def render(
    markdown: str, layout: str = "zh-official", reference: Reference | None = None, pages: dict[str, int] | None = None
) -> Document:
    reference = reference or Reference(REFERENCES / f"{layout}.docx")
    return docx.Document(io.BytesIO(write_docx(markdown, LAYOUTS[layout], reference, PROPERTIES, pages)))


def dump(document: Document) -> str:
    """The body as 'style: text' lines, tables as rows of cells: what golden files hold."""
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines.append(f"[table {block.style.name if block.style else ''}]")
            lines += ["  | " + " | ".join(cell.text for cell in row.cells) + " |" for row in block.rows]
        else:
            lines.append(f"{block.style.name if block.style else ''}: {block.text}")
    return "\n".join(lines) + "\n"


def test_headings_are_numbered_the_chinese_way_from_the_structure() -> None:
    document = render("# 甲\n\n## 乙\n\n### 丙\n\n#### 丁\n\n## 戊\n\n# 己\n\n## 庚\n")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["一、甲", "（一）乙", "1.丙", "（1）丁", "（二）戊", "二、己", "（一）庚"]


def test_business_headings_are_decimal() -> None:
    document = render("# A\n\n## B\n\n## C\n\n# D\n", "business")
    assert [p.text for p in document.paragraphs if p.style.name.startswith("Heading")] == [
        "1 A", "1.1 B", "1.2 C", "2 D"
    ]  # fmt: skip


def test_table_of_contents_is_filled_in_inside_a_toc_field() -> None:
    document = render("::: toc\n目　录\n:::\n\n# 甲\n\n## 乙\n\n### 不入目录\n\n# 丙\n")
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert instructions == [' TOC \\o "1-2" \\h \\z \\u ']
    entries = [p for p in document.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    assert [(p.style.name, p.text) for p in entries] == [
        ("TOC 1", "一、甲"),
        ("TOC 2", "（一）乙"),
        ("TOC 1", "二、丙"),
    ]
    anchors = [link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink"))]
    bookmarks = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    assert anchors == bookmarks[:2] + bookmarks[3:]
    kinds = [c.get(qn("w:fldCharType")) for c in body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]


def test_markdown_becomes_real_word_structure() -> None:
    markdown = (
        "Some **bold**, *italic* and [a link](https://example.com) and [bad](javascript:alert(1)).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n| a | b |\n| --- | ---: |\n| 1 | 2 |\n"
    )
    document = render(markdown)
    first = document.paragraphs[0]
    assert [r.text for r in first.runs if r.bold] == ["bold"]
    assert [r.text for r in first.runs if r.italic] == ["italic"]
    assert "[bad](javascript:alert(1))" in first.text
    links = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert links == ["https://example.com"]
    assert [p.text for p in document.paragraphs[1:5]] == ["• one", "• two", "1. first", "2. second"]
    [table] = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["a", "b"], ["1", "2"]]
    assert table.style.name == "Plan Table"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_chinese_soft_line_breaks_join_without_a_space() -> None:
    document = render("第一行\n第二行 and\nEnglish\n")
    assert document.paragraphs[0].text == "第一行第二行 and English"


def test_zh_official_page_and_fonts() -> None:
    document = render("# 甲\n\n正文\n\n| a |\n| --- |\n| 1 |\n")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [
        round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    assert margins == [37, 35, 28, 26]
    assert document.settings.odd_and_even_pages_header_footer
    assert [p.text for p in section.footer.paragraphs] == ["— 1 —"]
    expected = {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading 1": "黑体", "Heading 2": "楷体_GB2312",
                "Heading 3": "仿宋_GB2312", "Table Text": "仿宋_GB2312", "Footer": "宋体"}  # fmt: skip
    for name, font in expected.items():
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.9)
    assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    # Latin text (digits too) stays English, as in Word: with zh-CN, LibreOffice breaks 9月30日 as 3|0.
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-US"
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_same_input_gives_identical_bytes() -> None:
    reference = Reference(REFERENCES / "zh-official.docx")
    markdown = "::: toc\n目录\n:::\n\n# 甲\n\n正文 [x](https://e.com)\n"
    first = write_docx(markdown, LAYOUTS["zh-official"], reference, PROPERTIES)
    assert write_docx(markdown, LAYOUTS["zh-official"], reference, PROPERTIES) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2027-01-05T00:00:00Z" in core and "王敏" in core


def test_an_organisations_reference_lacking_styles_gets_plangens(tmp_path: Path) -> None:
    plain = tmp_path / "letterhead.docx"
    docx.Document().save(str(plain))
    reference = Reference(plain, fallback=REFERENCES / "zh-official.docx")
    document = render("# 甲\n\n| a |\n| --- |\n| 1 |\n", reference=reference)
    assert document.tables[0].style.name == "Plan Table"
    assert document.styles["Closing"] is not None
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_a_reference_without_fallback_names_missing_styles(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    with pytest.raises(PlangenError, match=r"plain\.docx: the reference document lacks the styles Table Text, "):
        Reference(plain).template(LAYOUTS["zh-official"])


def test_a_broken_reference_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(PlangenError, match=r"broken\.docx: not a usable Word \(\.docx\) reference document"):
        Reference(broken)


@pytest.mark.parametrize("plan_id", ["qingyunxi-wangmin", "harbor-sarah-jones"])
def test_example_documents_match_golden_text(example_docx: dict[str, Path], plan_id: str) -> None:
    golden = REPO / "tests" / "golden" / f"{plan_id}.docx.txt"
    assert dump(docx.Document(str(example_docx[plan_id]))) == golden.read_text(encoding="utf-8")


def test_links_share_a_relationship_per_target_and_never_reuse_the_references_ids() -> None:
    document = render("[a](https://a.example) [b](https://b.example) [again](https://a.example)\n")
    links = {rel.rId: rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert sorted(links.values()) == ["https://a.example", "https://b.example"]
    used = [link.get(qn("r:id")) for link in document.element.body.iter(qn("w:hyperlink"))]
    assert [links[rid] for rid in used] == ["https://a.example", "https://b.example", "https://a.example"]
    assert len(document.part.rels) == len(set(document.part.rels))


def test_text_keeps_tabs_and_markup_characters_and_drops_what_xml_cannot_hold() -> None:
    document = render('`a\tb` 1 < 2 & "q" \x0b end\n')
    assert document.paragraphs[0].text == 'a\tb 1 < 2 & "q"  end'


def test_a_reference_with_unusual_xml_prefixes_is_an_error(tmp_path: Path) -> None:
    odd = tmp_path / "odd.docx"
    with zipfile.ZipFile(REFERENCES / "zh-official.docx") as source, zipfile.ZipFile(odd, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "word/document.xml":
                data = data.replace(b"xmlns:w=", b"xmlns:ww=").replace(b"<w:", b"<ww:").replace(b"</w:", b"</ww:")
                data = data.replace(b" w:", b" ww:")
            target.writestr(entry, data)
    with pytest.raises(PlangenError, match=r"odd\.docx: the reference document does not use Word's usual XML prefixes"):
        Reference(odd).template(LAYOUTS["zh-official"])


def test_when_a_table_cannot_fit_only_its_longest_words_break() -> None:
    from generator.docx_writer import _column_widths, _display_width

    link = "https://example.com/" + "x" * 120
    rows = SyntaxTreeNode(
        parser().parse(f"| Due | Link | Kind |\n| --- | --- | --- |\n| 31 December | {link} | Small-business |\n")
    )
    cells = [row for section in rows.children[0].children for row in section.children]
    char, margins = 60325, 170 * 635  # half of 9.5 pt, and 85 twips a side, in EMU
    widths = _column_widths(cells, 3, 9072 * 635, char, margins)
    assert sum(widths) <= 9072 * 635
    needed = [margins + _display_width(word) * char // 10 for word in ("December", "business")]
    assert widths[0] >= needed[0] and widths[2] >= needed[1]
    assert widths[1] < margins + _display_width(link) * char // 10


def test_contents_show_the_page_numbers_given_in_dotted_tabs_and_pageref_fields() -> None:
    markdown = "::: toc\n目录\n:::\n\n# 甲\n\n## 乙\n\n# 丙\n"
    document = render(markdown, pages={heading_bookmark(1): 3, heading_bookmark(3): 12})
    entries = [p for p in document.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    assert [p.text for p in entries] == ["一、甲\t3", "（一）乙", "二、丙\t12"]
    instructions = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert instructions == [' TOC \\o "1-2" \\h \\z \\u ', " PAGEREF _Toc00000001 \\h ", " PAGEREF _Toc00000003 \\h "]
    tab = entries[0]._p.pPr.find(f"{qn('w:tabs')}/{qn('w:tab')}")
    assert (tab.get(qn("w:val")), tab.get(qn("w:leader"))) == ("right", "dot")
    kinds = [c.get(qn("w:fldCharType")) for c in document.element.body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", *["begin", "separate", "end"] * 2, "end"]


def test_reference_errors_are_in_chinese_for_a_chinese_reader(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    with speaking("zh-CN"), pytest.raises(PlangenError) as caught:
        Reference(plain).template(LAYOUTS["zh-official"])
    assert caught.value.message.startswith(f"{plain}: 参考文档缺少这些样式：Table Text, ")


def edited_reference(folder: Path, edit: Callable[[bytes], bytes], name: str = "edited.docx") -> Path:
    """plangen's Chinese reference document with its document.xml edited."""
    edited = folder / name
    with zipfile.ZipFile(REFERENCES / "zh-official.docx") as source, zipfile.ZipFile(edited, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            target.writestr(entry, edit(data) if entry.filename == "word/document.xml" else data)
    return edited


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda xml: re.sub(rb"<w:sectPr.*</w:sectPr>", b"", xml, flags=re.DOTALL),
            "{file}: the reference document has no page setup (no section); open it in Word and save it again",
        ),
        (
            lambda xml: re.sub(rb"<w:body>.*</w:body>", b"", xml, flags=re.DOTALL),
            "{file}: not a usable Word (.docx) reference document (",
        ),
    ],
    ids=["no-section", "no-body"],
)
def test_a_reference_python_docx_opens_but_plangen_cannot_use_is_an_error(
    tmp_path: Path, edit: Callable[[bytes], bytes], message: str
) -> None:
    reference = edited_reference(tmp_path, edit)
    with pytest.raises(PlangenError) as caught:
        Reference(reference).template(LAYOUTS["zh-official"])
    assert caught.value.message.startswith(message.format(file=reference))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unusable_reference_of_the_settings_stops_the_build_with_a_message(project: Path, jobs: str) -> None:
    edited_reference(project, lambda xml: re.sub(rb"<w:sectPr.*</w:sectPr>", b"", xml, flags=re.DOTALL), "own.docx")
    (project / "plangen.yml").write_text("docx:\n  references:\n    zh-official: own.docx\n", encoding="utf-8")
    write_plan(project, MINIMAL, "a.yml")
    write_plan(project, MINIMAL, "b.yml")
    result = CliRunner().invoke(main, ["docx", "-j", jobs])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {project / 'own.docx'}: the reference document has no page setup (no section); open it in Word and "
        "save it again\n",
    )
