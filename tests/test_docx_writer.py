"""The Word writer: structure, numbering, contents, fonts, page setup and reproducibility.

Documents are read back with python-docx and compared as text and XML, not
as zip bytes (except where byte identity is the point).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import get_args, get_origin

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.document import Document
from docx.oxml.ns import qn
from openxml_audit import OpenXmlValidator, ValidationSeverity

from conftest import MINIMAL, REPO, hostile_plan, write_plan
from plangen.build import DocxBuilder, build_docx
from plangen.cli import main
from plangen.docx_writer import (
    CONTENTS_FROM_PAGES,
    LAYOUTS,
    Contents,
    Properties,
    Reference,
    heading_bookmark,
    write_docx,
)
from plangen.errors import PlangenError
from plangen.i18n import speaking
from plangen.loading import load_plans
from plangen.model import Block, Plan
from plangen.settings import open_project

REFERENCES = REPO / "templates" / "reference"
PROPERTIES = Properties(
    "标题", "王敏", "某市电信分公司", "a, b", "draft", "zh-CN", dt.datetime(2027, 1, 5, tzinfo=dt.UTC)
)


def render(
    markdown: str,
    layout: str = "zh-official",
    reference: Reference | None = None,
    pages: dict[str, int] | None = None,
    contents: Contents = "auto",
) -> Document:
    reference = reference or Reference(REFERENCES / f"{layout}.docx")
    return docx.Document(io.BytesIO(write_docx(markdown, LAYOUTS[layout], reference, PROPERTIES, pages, contents)))


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


def with_text(*headings: str) -> str:
    """Markdown of *headings* (with their # marks), each with a line of text under it."""
    return "".join(f"{heading}\n\n正文\n\n" for heading in headings)


def test_headings_are_numbered_the_chinese_way_from_the_structure() -> None:
    document = render(with_text("# 甲", "## 乙", "### 丙", "#### 丁", "## 戊", "# 己", "## 庚"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["一、甲", "（一）乙", "1.丙", "（1）丁", "（二）戊", "二、己", "（一）庚"]


def test_a_heading_with_nothing_under_it_is_a_numbered_paragraph_in_the_same_sequence() -> None:
    # Items written as plain strings among items with details come out like this.
    document = render("# 甲\n\n## 乙\n\n细节\n\n## 丙\n\n## 丁\n\n细节\n\n## 戊\n\n::: closing\n单位\n:::\n")
    shown = [(p.style.name, p.text) for p in document.paragraphs if p.text != "细节"]
    assert shown[:5] == [
        ("Heading 1", "一、甲"),
        ("Heading 2", "（一）乙"),
        ("List Paragraph", "（二）丙"),
        ("Heading 2", "（三）丁"),
        ("List Paragraph", "（四）戊"),
    ]
    # Each is bookmarked, for the contents list to show the whole numbering.
    assert [b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))] == [
        heading_bookmark(n) for n in range(1, 6)
    ]
    toc = render("::: toc\n目录\n:::\n\n# 甲\n\n## 乙\n\n细节\n\n## 丙\n\n## 丁\n\n细节\n", contents="always")
    assert [p.text for p in toc.paragraphs if p.style.name in ("TOC 1", "TOC 2")] == [
        "一、甲", "（一）乙", "（二）丙", "（三）丁"
    ]  # fmt: skip


def test_numbered_lists_go_on_with_the_headings_hierarchy_in_chinese_documents() -> None:
    markdown = "# 甲\n\n1. 子\n2. 丑\n\n## 乙\n\n1. 寅\n   1. 卯\n\n### 丙\n\n3. 辰\n\n#### 丁\n\n1. 巳\n"
    lists = [p.text for p in render(markdown).paragraphs if p.style.name == "List Paragraph"]
    assert lists == ["（一）子", "（二）丑", "1.寅", "（1）卯", "（3）辰", "①巳"]
    english = [p.text for p in render(markdown, "business").paragraphs if p.style.name == "List Paragraph"]
    assert english == ["1. 子", "2. 丑", "1. 寅", "a) 卯", "3. 辰", "1. 巳"]


def test_business_headings_are_decimal() -> None:
    document = render(with_text("# A", "## B", "## C", "# D"), "business")
    assert [p.text for p in document.paragraphs if p.style.name.startswith("Heading")] == [
        "1 A", "1.1 B", "1.2 C", "2 D"
    ]  # fmt: skip


def test_table_of_contents_is_filled_in_inside_a_toc_field() -> None:
    document = render(
        "::: toc\n目　录\n:::\n\n" + with_text("# 甲", "## 乙", "### 不入目录", "# 丙"), contents="always"
    )
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
    # A Chinese document numbers every list, bulleted ones too, from its headings' hierarchy.
    assert [p.text for p in document.paragraphs[1:5]] == ["一、one", "二、two", "一、first", "二、second"]
    english = render(markdown, "business")
    assert [p.text for p in english.paragraphs[1:5]] == ["• one", "• two", "1. first", "2. second"]
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
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95)  # the grid's line pitch
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


@pytest.mark.parametrize("plan_id", ["qingyunxi-customer-managers", "bank-customer-managers", "harbor-sarah-jones"])
def test_example_documents_match_golden_text(example_docx: dict[str, Path], plan_id: str) -> None:
    golden = REPO / "tests" / "golden" / f"{plan_id}.docx.txt"
    assert dump(docx.Document(str(example_docx[plan_id]))) == golden.read_text(encoding="utf-8")


def ooxml_errors(document: Path) -> list[str]:
    """What openxml-audit, the Open XML SDK's validation in Python (the ECMA-376 schemas
    with Office's extensions, relationships, references between parts), and its check for
    dangerous link targets find wrong in *document*."""
    result = OpenXmlValidator(max_errors=0, security_validation=True).validate(document)
    return [
        f"{error.part_uri} {error.path}: {error.description}"
        for error in result.errors
        if error.severity == ValidationSeverity.ERROR
    ]


def test_documents_are_valid_office_open_xml(example_docx: dict[str, Path], project: Path) -> None:
    """Word repairs, or refuses, a document that breaks the schemas, and says so to its reader: neither
    the examples of both layouts nor a plan with every field full of hostile text, in either language, may."""
    hostile = json.loads(hostile_plan())
    write_plan(project, json.dumps(hostile, ensure_ascii=False), "hostile-zh.yml")
    write_plan(project, json.dumps({**hostile, "language": "en"}, ensure_ascii=False), "hostile-en.yml")
    documents = [*example_docx.values(), *build_docx(open_project(project)).documents]
    assert len(documents) == len(example_docx) + 2
    found = {document.name: ooxml_errors(document) for document in documents}
    assert {name: errors for name, errors in found.items() if errors} == {}


def test_the_ooxml_validator_finds_a_table_without_its_grid(tmp_path: Path) -> None:
    """The test above can fail: a table without its column grid, which Word cannot lay out, is found."""
    written = tmp_path / "written.docx"
    written.write_bytes(
        write_docx(
            "| a |\n| --- |\n| 1 |\n", LAYOUTS["zh-official"], Reference(REFERENCES / "zh-official.docx"), PROPERTIES
        )
    )
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(broken, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "word/document.xml":
                data = re.sub(rb"<w:tblGrid>.*?</w:tblGrid>", b"", data)
            target.writestr(entry, data)
    assert ooxml_errors(written) == []
    assert [error.split(": ", 1)[1] for error in ooxml_errors(broken)] == [
        "Required element 'tblGrid' is missing (minOccurs=1, found=0)"
    ]


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
    from plangen.docx_writer import _column_widths, _display_width

    link = "https://example.com/" + "x" * 120
    rows = [(True, ["Due", "Link", "Kind"]), (False, ["31 December", link, "Small-business"])]
    char, margins = 60325, 170 * 635  # half of 9.5 pt, and 85 twips a side, in EMU
    widths = _column_widths(rows, 9072 * 635, char, margins)
    assert sum(widths) <= 9072 * 635
    needed = [margins + _display_width(word) * char // 10 for word in ("December", "business")]
    assert widths[0] >= needed[0] and widths[2] >= needed[1]
    assert widths[1] < margins + _display_width(link) * char // 10


def test_contents_show_the_page_numbers_given_in_dotted_tabs_and_pageref_fields() -> None:
    markdown = "::: toc\n目录\n:::\n\n" + with_text("# 甲", "## 乙", "# 丙")
    document = render(markdown, pages={heading_bookmark(1): 3, heading_bookmark(3): 12}, contents="always")
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


# --- the plan template: every field shown, nothing invented ---------------------

EVERY_FIELD = REPO / "tests" / "fixtures" / "docx" / "every-field.yml"
SITE_ONLY = {
    "Plan.id": "names the files",
    "Plan.language": "chooses the words and the layout",
    "Plan.tags": "group plans on the site",
    "Plan.status": "printed only when docx.show_status asks for it",
    "Goal.id": "what activities name; the goal's title is printed for them",
    "Difference.amount": "what validate checks the figures against",
    "Member.email": "a member's contacts stay in the plan file; the owner's are printed",
    "Member.phone": "a member's contacts stay in the plan file; the owner's are printed",
    "Program.status": "printed in the review document",
    "Program.delivered": "printed in the review document",
    "Plan.reviews": "printed in the review document",
    "Review.achieved": "printed in the review document",
    "Review.problems": "printed in the review document",
    "Review.next_steps": "printed in the review document",
}
"""Fields the Word document does not print, each with the reason the README gives too."""
SHOWN_AS = {
    "Plan.period": ["2027年"],
    "Plan.date": ["2027年1月5日"],
    "Goal.due": ["2027年11月30日"],
    "Goal.direction": ["提升"],
    "Goal.baseline": ["111户"],
    "Goal.target": ["222户"],
    "Goal.milestones": ["一季度 133户", "上半年 155户"],
    "Goal.actuals": ["一季度 144户"],
    "Program.method": ["以老带新"],
    "Program.when": ["2027年3月"],
    "Activity.when": ["2027年4月"],
    "Activity.goal": ["目标戌标题"],
    "Criterion.weight": ["60%"],
    "Segment.unit": ["13栋"],
    "Segment.approximate": ["约501"],
    "Clients.approximate": ["约907"],
    "Difference.show": ["差额原因丁子。"],
    "Member.role": ["成员甲辛（职务乙壬、分工丙癸）"],
    "Measure.due": ["2027年10月31日"],
    "Measure.direction": ["降低"],
    "Measure.baseline": ["7次"],
    "Measure.target": ["3次"],
    "Measure.milestones": ["上半年 5次"],
    "Measure.actuals": ["一季度 6次"],
    "Activity.frequency": ["每周"],
    "Activity.status": ["已完成"],
}
"""How the fields that are not printed as written appear."""


def _blocks_in(annotation: object) -> list[type]:
    if isinstance(annotation, type) and issubclass(annotation, Block):
        return [annotation]
    return [block for arg in get_args(annotation) for block in _blocks_in(arg)]


def _model_fields(model: type) -> set[str]:
    found = set()
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        found.add(f"{model.__name__}.{name}")
        for block in _blocks_in(info.annotation):
            found |= _model_fields(block)
    return found


def _values(model: type, data: dict[str, object]) -> list[tuple[str, object]]:
    """(Model.field, value) for every field *data* sets, nested blocks walked into."""
    found: list[tuple[str, object]] = []
    for name, value in data.items():
        info = model.model_fields[name]  # type: ignore[attr-defined]
        blocks = _blocks_in(info.annotation)
        keyed = isinstance(value, dict) and get_origin(info.annotation) is dict  # reviews: {Q1: {…}}
        items = value if isinstance(value, list) else list(value.values()) if keyed else [value]
        if blocks:
            for item in items:
                block = blocks[0] if isinstance(item, dict) else None
                found += _values(block, item) if block else [(f"{blocks[0].__name__}.title", item)]
            found.append((f"{model.__name__}.{name}", None))
        else:
            found += [(f"{model.__name__}.{name}", item) for item in items]
    return found


def rendered(project: Path) -> Document:
    """The document of the one plan in *project*, as plangen's own templates word it."""
    [loaded] = load_plans(open_project(project)).plans
    return docx.Document(io.BytesIO(DocxBuilder(open_project(project)).render(loaded.plan)))


def test_every_field_of_the_format_is_in_the_document_or_documented_as_site_only(project: Path) -> None:
    data = yaml.safe_load(EVERY_FIELD.read_text(encoding="utf-8"))
    values = _values(Plan, data)
    assert {key for key, _ in values} == _model_fields(Plan), "the fixture sets every field of the format"
    write_plan(project, EVERY_FIELD.read_text(encoding="utf-8"), "every-field.yml")
    text = dump(rendered(project))
    missing = []
    for key, value in values:
        if key in SITE_ONLY or value is None:
            continue
        expected = SHOWN_AS.get(key) or ([str(v) for v in value.values()] if isinstance(value, dict) else [str(value)])
        missing += [f"{key}: {e}" for e in expected if e not in text]
    assert not missing, f"not in the document: {missing}\n{text}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"Site-only fields.*?\n\n", readme, re.S)
    assert documented, "the README says which fields only the site shows"
    for key in SITE_ONLY:
        assert f"`{key.split('.')[1]}`" in documented[0], f"{key} is not in the README's list of site-only fields"


def test_the_document_prints_only_words_the_plan_or_its_labels_hold(project: Path) -> None:
    # Stated total and segments differ, no programme has hours, a segment counts buildings.
    write_plan(
        project,
        MINIMAL
        + "clients:\n  total: 900\n  segments:\n    - {name: 住户, count: 700}\n    - {name: 商铺, count: 150}\n"
        "    - {name: 写字楼, count: 12, unit: 栋}\n"
        "training:\n  programs:\n    - {title: 入职培训}\n    - {title: 产品培训}\n",
    )
    text = dump(rendered(project))
    assert "重叠" not in text and "约数" not in text and "学时" not in text
    rows = [line for line in text.splitlines() if line.startswith("  | ")]
    assert "  | 写字楼 | 12栋 |  |" in rows  # no share: buildings are no clients
    assert "  | 各群体相加（不含写字楼） | 850 | 94.4% |" in rows
    assert "  | 客户总数 | 900 | 100.0% |" in rows
    assert "  | 住户 | 700 | 77.8% |" in rows  # of the stated total


def test_a_contents_list_only_for_long_documents_and_then_on_a_page_of_its_own() -> None:
    toc = "::: title\n标题\n:::\n\n::: toc\n目　录\n:::\n\n"
    short = toc + with_text("# 甲", "# 乙")
    page = "这是一段正文。" * 4 * LAYOUTS["zh-official"].page_lines  # about four lines a sentence: a page
    long = toc + "".join(f"# 第{n}部分\n\n{page}\n\n" for n in range(CONTENTS_FROM_PAGES))

    def contents(document: Document) -> list[str]:
        return [p.text for p in document.paragraphs if p.style.name.startswith("TOC")]

    assert contents(render(short)) == []
    assert contents(render(long, contents="never")) == []
    assert contents(render(short, contents="always")) == ["目　录", "一、甲", "二、乙"]
    document = render(long)
    assert contents(document)[:3] == ["目　录", "一、第0部分", "二、第1部分"]
    starts_page = [p.text for p in document.paragraphs if p._p.pPr.find(qn("w:pageBreakBefore")) is not None]
    assert starts_page == ["目　录", "一、第0部分"]


def test_table_columns_empty_in_every_row_are_left_out() -> None:
    document = render("| 活动 | 地点 | 产品 |\n| --- | --- | --- |\n| 宣传 |  | 宽带 |\n| 走访 |  |  |\n")
    [table] = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["活动", "产品"], ["宣传", "宽带"], ["走访", ""]]
    assert len(table._tbl.tblGrid.findall(qn("w:gridCol"))) == 2


def test_an_introducing_line_and_the_header_row_stay_with_what_follows() -> None:
    document = render("正文。\n\n本期目标如下。\n\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n\n主要措施：\n\n1. 走访\n")
    kept = [p.text for p in document.paragraphs if p._p.pPr.find(qn("w:keepNext")) is not None]
    assert kept == ["本期目标如下。", "主要措施："]
    [table] = document.tables
    assert [c.paragraphs[0]._p.pPr.find(qn("w:keepNext")) is not None for c in table.rows[0].cells] == [True, True]
    assert table.rows[1].cells[0].paragraphs[0]._p.pPr.find(qn("w:keepNext")) is None


def kept_rows(table: docx.table.Table) -> list[bool]:
    return [all(c.paragraphs[0]._p.pPr.find(qn("w:keepNext")) is not None for c in row.cells) for row in table.rows]


def test_a_short_table_stays_on_one_page_and_a_long_one_may_break_between_rows() -> None:
    def table(rows: int) -> str:
        return "| 甲 | 乙 |\n| --- | --- |\n" + "".join(f"| {n} | 行 |\n" for n in range(rows))

    assert kept_rows(render(table(7)).tables[0]) == [True] * 7 + [False]
    assert kept_rows(render(table(8)).tables[0]) == [True] + [False] * 8


def test_short_rows_keep_together_and_tall_ones_may_split_across_pages() -> None:
    tall = "很长的说明文字。" * 60
    document = render(f"| 项目 | 说明 |\n| --- | --- |\n| 短 | 一句话 |\n| 长 | {tall} |\n")
    [table] = document.tables
    cant_split = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows]
    assert cant_split == [True, True, False]


def test_dates_numbers_with_units_and_short_names_never_break_inside_a_cell() -> None:
    from plangen.docx_writer import _column_widths, _display_width, _emu

    header = ["指标", "基数", "目标", "完成时间", "负责人", "备注"]
    row = ["新增优质对公客户", "1,200户", "2,400户", "2027年12月31日", "住宅小区", "说明" * 40]
    char, margins, total = 76200, 170 * 635, 8844 * 635  # 12 pt type, the zh-official text width
    widths = _column_widths([(True, header), (False, row)], total, char, margins)
    assert sum(widths) <= total
    for text in ("1,200户", "2,400户", "2027年12月31日", "住宅小区"):
        column = row.index(text)
        assert widths[column] >= margins + _emu(_display_width(text), char), text
    assert widths[5] > widths[0], "the long note takes most of the room the others do not need"


CLOSING = "::: closing\n{signer}\n\n{date}\n:::\n"


def closing_indents(document: Document) -> list[tuple[str, str | None, str | None]]:
    """Each closing paragraph's text with its right indent in twips and in hundredths of a character."""
    found = []
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Closing":
            ind = paragraph._p.pPr.find(qn("w:ind"))
            right = (None, None) if ind is None else (ind.get(qn("w:right")), ind.get(qn("w:rightChars")))
            found.append((paragraph.text, *right))
    return found


@pytest.mark.parametrize(
    ("signer", "date", "expected"),
    [
        # The date (6 characters: 3 Chinese, 6 digits) is longer than the signer could hold it two characters
        # to the right: it keeps 2 characters to the margin, the signer 5 (starting 2 characters left of it).
        ("青云西区域\\\n王敏", "2027年1月5日", [("青云西区域\n王敏", "1600", "500"), ("2027年1月5日", "640", "200")]),
        # A long signer keeps 2; the date starts 2 characters right of it: 2 + 12 - 2 - 6 = 6 to the margin.
        (
            "某市电信分公司青云西区域",
            "2027年1月5日",
            [("某市电信分公司青云西区域", "640", "200"), ("2027年1月5日", "1920", "600")],
        ),
        # Latin letters, digits and spaces are half a character: "ABC 12" is 3, the date 7; 2 + 7 + 2 - 3 = 8.
        ("ABC 12", "2027年10月15日", [("ABC 12", "2560", "800"), ("2027年10月15日", "640", "200")]),
        # In a Chinese document “” are Chinese marks, a character each: the signer is 6.5, 2 + 6 + 2 - 6.5 = 3.5.
        ("“e家”营业部", "2027年1月5日", [("“e家”营业部", "1120", "350"), ("2027年1月5日", "640", "200")]),
        # Without a date the signer is 2 characters from the margin.
        ("王敏", "", [("王敏", "640", "200")]),
    ],
)
def test_signer_and_date_stand_where_gb_t_9704_puts_them(
    signer: str, date: str, expected: list[tuple[str, str, str]]
) -> None:
    document = render(CLOSING.format(signer=signer, date=date))
    assert closing_indents(document) == expected


def test_the_closing_leaves_out_empty_lines_and_the_business_layout_keeps_it_plain() -> None:
    markdown = "::: closing\nCommercial Lines North\\\nSarah Jones\n\n \n\n12 January 2026\n:::\n"
    document = render(markdown, "business")
    assert closing_indents(document) == [
        ("Commercial Lines North\nSarah Jones", None, None),
        ("12 January 2026", None, None),
    ]
    assert [p.text for p in render("::: closing\n\n\n王敏\n\n\n:::\n").paragraphs] == ["王敏"]


def test_chinese_text_and_its_punctuation_are_hinted_to_the_east_asian_font() -> None:
    markdown = "English “quoted” text 中文，**“重点”**——`代码`…\n"
    chinese = render(markdown)
    english = docx.Document(
        io.BytesIO(write_docx(markdown, LAYOUTS["zh-official"], Reference(REFERENCES / "zh-official.docx"),
                              dataclasses.replace(PROPERTIES, language="en")))
    )  # fmt: skip

    def hints(document: Document) -> list[tuple[str, str | None]]:
        runs = document.paragraphs[0].runs
        return [(r.text, None if r._r.rPr is None else r._r.rPr[0].get(qn("w:hint"))) for r in runs]

    # In a Chinese document the punctuation it shares with Latin text is Chinese too, even in a run of its own.
    assert hints(chinese) == [("English “quoted” text 中文，", "eastAsia"), ("“重点”", "eastAsia"),
                              ("——", "eastAsia"), ("代码", "eastAsia"), ("…", "eastAsia")]  # fmt: skip
    # In an English one, only runs holding Chinese characters are.
    assert hints(english) == [("English “quoted” text 中文，", "eastAsia"), ("“重点”", "eastAsia"), ("——", None),
                              ("代码", "eastAsia"), ("…", None)]  # fmt: skip
    code = chinese.paragraphs[0].runs[3]._r.rPr
    assert code[0].tag == qn("w:rFonts")  # fonts first, as the schema wants, in one element with the hint
    assert (code[0].get(qn("w:ascii")), code[0].get(qn("w:hint"))) == ("Courier New", "eastAsia")
    assert render("plain *text*\n").element.body.find(f".//{qn('w:rPr')}/{qn('w:rFonts')}") is None


def test_the_signature_block_stays_together_and_with_the_end_of_the_body() -> None:
    document = render("正文第一段。\n\n正文最后一段。\n\n::: closing\n青云西区域\\\n王敏\n\n2027年1月5日\n:::\n")
    kept = [p._p.pPr.find(qn("w:keepNext")) is not None for p in document.paragraphs]
    assert kept == [False, True, True, False]


def test_a_link_prints_its_address_and_in_chinese_documents_is_plain_text() -> None:
    markdown = "见[总行通知](https://intranet.example/notice)与<https://a.example>。\n"
    chinese = render(markdown).paragraphs[0]
    assert chinese.text == "见总行通知（https://intranet.example/notice）与https://a.example。"
    assert not any(run.font.underline or run.font.color.rgb for run in chinese.runs)
    english = render(markdown, "business").paragraphs[0]
    assert english.text == "见总行通知 (https://intranet.example/notice)与https://a.example。"
