"""Building a project: valid plans only, atomic files, safe names, and no writing through links."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from conftest import MINIMAL, REPO, require, snapshot, write_plan
from plangen.build import build, build_docx, output_path
from plangen.cli import main
from plangen.errors import PlangenError
from plangen.i18n import speaking
from plangen.settings import open_project

HOSTILE = "<script>alert(1)</script> | *x* [y](javascript:alert(1)) {{ 7*7 }}"


def texts(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_one_document_per_valid_plan_and_invalid_ones_are_reported(project: Path) -> None:
    write_plan(project, MINIMAL, "good.yml")
    write_plan(project, MINIMAL + "status: x\n", "bad.yml")
    result = build_docx(open_project(project))
    assert [p.name for p in result.documents] == ["good.docx"]
    assert len(result.load.errors) == 1
    assert sorted(os.listdir(project / "out" / "docx")) == ["good.docx"]


def test_a_plan_named_in_chinese_keeps_its_name_in_every_output(project: Path) -> None:
    write_plan(project, MINIMAL, "2027/王敏.yml")
    result = build(open_project(project), site=True)
    assert [p.name for p in result.documents] == ["王敏.docx"]
    page = (project / "site" / "plans" / "王敏" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../downloads/%E7%8E%8B%E6%95%8F.docx"' in page
    assert (project / "site" / "downloads" / "王敏.docx").read_bytes() == result.documents[0].read_bytes()
    listing = (project / "site" / "plans" / "index.html").read_text(encoding="utf-8")
    assert 'href="%E7%8E%8B%E6%95%8F/"' in listing


def test_user_text_stays_text(project: Path) -> None:
    write_plan(
        project,
        f"title: '{HOSTILE}'\nperiod: 2027\nowner: {{name: '{HOSTILE}'}}\n"
        f"clients:\n  segments:\n    - {{name: '{HOSTILE}', count: 1}}\n"
        f"sections:\n  - title: '{HOSTILE}'\n    body: '<b>raw</b> ::: toc'\n",
    )
    [path] = build_docx(open_project(project)).documents
    content = texts(path)
    assert content.count(HOSTILE) >= 4
    assert "<b>raw</b> ::: toc" in content


def test_the_title_block_shows_the_workflow_status_only_when_the_settings_ask(project: Path) -> None:
    write_plan(project, MINIMAL + "status: submitted\n")
    [path] = build_docx(open_project(project)).documents
    assert "已提交" not in texts(path)  # GB/T 9704 documents show no workflow status
    (project / "plangen.yml").write_text("docx:\n  show_status: true\n", encoding="utf-8")
    [path] = build_docx(open_project(project)).documents
    assert "状态：已提交" in texts(path).split("\n")


def test_a_failed_build_leaves_the_last_good_documents(project: Path) -> None:
    write_plan(project, MINIMAL)
    [path] = build_docx(open_project(project)).documents
    before = path.read_bytes()
    (project / "templates" / "docx").mkdir(parents=True)
    (project / "templates" / "docx" / "plan.md.j2").write_text("# ok\n\n{{ plan.titel }}\n", encoding="utf-8")
    with pytest.raises(PlangenError, match=r"^templates/docx/plan\.md\.j2:3: template error: .*'titel'"):
        build_docx(open_project(project))
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["plan.docx"]


@pytest.mark.parametrize("plan_id", ["../evil", "a/b", "/etc/passwd", "..", ".", "", "a\\b"])
def test_output_names_never_leave_the_folder(tmp_path: Path, plan_id: str) -> None:
    assert output_path(tmp_path, "a-b", ".docx") == tmp_path / "a-b.docx"
    with pytest.raises(PlangenError, match="cannot be used as a file name"):
        output_path(tmp_path, plan_id, ".docx")


def test_an_organisation_reference_from_the_settings(project: Path) -> None:
    letterhead = project / "letterhead.docx"
    document = docx.Document()
    document.sections[0].page_width = docx.shared.Mm(216)
    document.save(str(letterhead))
    (project / "plangen.yml").write_text("docx:\n  references: {zh-official: letterhead.docx}\n", encoding="utf-8")
    write_plan(project, MINIMAL)
    [path] = build_docx(open_project(project)).documents
    assert round(docx.Document(str(path)).sections[0].page_width.mm) == 216


def test_a_missing_configured_reference_is_an_error(project: Path) -> None:
    (project / "plangen.yml").write_text("docx:\n  references: {zh-official: nowhere.docx}\n", encoding="utf-8")
    write_plan(project, MINIMAL)
    with pytest.raises(PlangenError, match=r"nowhere\.docx: not a usable Word"):
        build_docx(open_project(project))


@pytest.mark.parametrize(
    ("settings", "planted", "why"),
    [
        (
            "docx:\n  references: {zh-official: ../letterhead.docx}\n",
            None,
            "it is outside the project; put it in the project",
        ),
        ("docx:\n  references: {zh-official: link.docx}\n", "link.docx", "it is a link to a file outside the project"),
        ("", "templates/reference/zh-official.docx", "it is a link to a file outside the project"),
    ],
)
def test_a_reference_document_must_be_the_projects_own(
    project: Path, settings: str, planted: str | None, why: str
) -> None:
    outside = project.parent / "letterhead.docx"
    docx.Document().save(str(outside))
    if planted:
        (project / planted).parent.mkdir(parents=True, exist_ok=True)
        (project / planted).symlink_to(outside)
    (project / "plangen.yml").write_text(settings, encoding="utf-8")
    write_plan(project, MINIMAL)
    with pytest.raises(PlangenError) as caught:
        build_docx(open_project(project))
    assert f"{planted or 'letterhead.docx'}: {why}" in caught.value.message


def test_cli_docx_shows_progress_and_exit_code(project: Path) -> None:
    write_plan(project, MINIMAL, "a.yml")
    write_plan(project, MINIMAL + "id: b\n", "b.yml")
    result = CliRunner().invoke(main, ["docx", "-o", "built"])
    assert result.exit_code == 0, result.output
    assert "[1/2] built/docx/a.docx\n[2/2] built/docx/b.docx\n" in result.output
    write_plan(project, "title: [\n", "c.yml")
    failed = CliRunner().invoke(main, ["build", "-o", "built"])
    assert failed.exit_code == 1
    assert "plans/c.yml:2:1: YAML syntax error" in failed.output
    assert "2 of 3 plans have a document (0 written, 2 up to date)" in failed.output


def test_pdf_export(project: Path) -> None:
    require("soffice")
    write_plan(project, MINIMAL)
    assert build_docx(open_project(project)).rendered == 1
    result = build_docx(open_project(project), pdf=True)
    assert [p.relative_to(project).as_posix() for p in result.pdfs] == ["out/pdf/plan.pdf"]
    assert result.pdfs[0].read_bytes().startswith(b"%PDF")
    assert result.rendered == 1, "a document without page numbers in its contents is not reused for a PDF build"
    made = result.pdfs[0].stat().st_mtime_ns
    assert build_docx(open_project(project), pdf=True).rendered == 0
    assert result.pdfs[0].stat().st_mtime_ns == made, "an up-to-date PDF is kept"
    result.pdfs[0].unlink()
    again = build_docx(open_project(project), pdf=True)
    assert again.rendered == 0 and again.pdfs[0].read_bytes().startswith(b"%PDF")


def test_pdfs_made_on_several_libreoffice_processes_match_their_documents(project: Path) -> None:
    require("soffice")
    require("pdftotext")
    for name in ("a", "b", "c"):
        write_plan(project, MINIMAL.replace("测试计划", f"计划{name}"), f"{name}.yml")
    result = build_docx(open_project(project), pdf=True, jobs=2)
    assert [p.stem for p in result.pdfs] == [d.stem for d in result.documents] == ["a", "b", "c"]
    for pdf in result.pdfs:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert f"计划{pdf.stem}" in "".join(text.split())


def test_contents_numbers_are_laid_out_again_until_the_headings_stay_put(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for LibreOffice whose layout moves the heading to page 4 once the
    # contents show a number (as when an entry wraps), and keeps it there.
    conversions = []

    def convert(documents: list[Path], target: str, folder: Path, jobs: int = 1, fonts: object = None) -> list[Path]:
        folder.mkdir(exist_ok=True)
        shown = [texts(document).split("\t")[1][:1] if "\t" in texts(document) else "" for document in documents]
        conversions.append(shown)
        for document, number in zip(documents, shown, strict=True):
            (folder / f"{document.stem}.pdf").write_text("4" if number else "3", encoding="utf-8")
        return [folder / f"{document.stem}.pdf" for document in documents]

    monkeypatch.setattr("plangen.build.convert", convert)
    monkeypatch.setattr("plangen.build.soffice", lambda from_settings: "soffice")
    monkeypatch.setattr("plangen.build.pdf_fonts", lambda project: None)
    monkeypatch.setattr("plangen.build.heading_pages", lambda pdf: {"_Toc00000001": int(pdf.read_text())})
    (project / "plangen.yml").write_text("docx: {contents: always}\n", encoding="utf-8")
    write_plan(project, MINIMAL + "summary: 概况\n")
    result = build_docx(open_project(project), pdf=True)
    assert conversions == [[""], ["3"], ["4"]]
    assert "\t4" in texts(result.documents[0])
    assert result.pdfs[0].read_text(encoding="utf-8") == "4"


def test_examples_build(example_docx: dict[str, Path]) -> None:
    assert sorted(example_docx) == sorted(p.stem for p in (REPO / "plans").rglob("*.yml"))


def test_pdf_without_libreoffice_says_what_to_install_before_writing_anything(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(project / "no-programs-here"))
    write_plan(project, MINIMAL)
    with pytest.raises(PlangenError, match="PDF export needs LibreOffice, which is not installed"):
        build_docx(open_project(project), pdf=True)
    assert not (project / "out").exists()


def test_the_pdf_setting_decides_unless_the_command_line_does(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(project / "no-programs-here"))  # so a PDF attempt stops at once
    write_plan(project, MINIMAL)
    (project / "plangen.yml").write_text("docx:\n  pdf: true\n", encoding="utf-8")
    with pytest.raises(
        PlangenError, match=r"needs LibreOffice.*; PDFs are on in plangen.yml \(docx.pdf\), and --no-pdf"
    ):
        build_docx(open_project(project))
    assert build_docx(open_project(project), pdf=False).pdfs == []
    (project / "plangen.yml").write_text("docx:\n  pdf: false\n", encoding="utf-8")
    assert build_docx(open_project(project)).pdfs == []


LINK = "{} is a symbolic link; plangen does not write through links: remove it"
NOT_A_FOLDER = "{} is not a folder; plangen writes a folder there: move it away"


@pytest.fixture
def apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A project with one plan (the working folder), and a folder outside it holding files
    named as plangen names its own, for planted links to point at."""
    root, away = tmp_path / "project", tmp_path / "outside"
    write_plan(root, MINIMAL)
    away.mkdir()
    for name in ("victim.txt", "plan.docx", "index.md", "mkdocs.yml", ".plangen.lock"):
        (away / name).write_text(f"the user's {name}", encoding="utf-8")
    monkeypatch.chdir(root)
    return root, away


@pytest.mark.parametrize("points_to", ["folder", "file"])
@pytest.mark.parametrize(
    ("planted", "refused"),
    [
        ("out", True),
        ("out/.plangen.lock", True),
        ("out/.plangen-cache.json", False),
        ("out/.plangen-plans.json", False),
        ("out/mkdocs.yml", False),
        ("out/docx", True),
        ("out/docx/plan.docx", False),
        ("out/site-src", True),
        ("out/site-src/plans", True),
        ("out/site-src/plans/plan.md", False),
        ("out/site-src/downloads/plan.docx", False),
        ("site", True),
        ("site/downloads", False),
    ],
)
def test_a_link_planted_in_the_outputs_is_never_followed(
    apart: tuple[Path, Path], planted: str, refused: bool, points_to: str
) -> None:
    root, away = apart
    before = snapshot(away)
    (root / planted).parent.mkdir(parents=True, exist_ok=True)
    (root / planted).symlink_to(away if points_to == "folder" else away / "victim.txt")
    if refused:
        with pytest.raises(PlangenError) as caught:
            build(open_project(root), site=True)
        assert caught.value.message == LINK.format(planted)
    else:
        result = build(open_project(root), site=True)
        assert not (root / planted).is_symlink()
        assert texts(result.documents[0]).startswith("测试计划")
        assert (root / "site" / "downloads" / "plan.docx").read_bytes() == result.documents[0].read_bytes()
    assert snapshot(away) == before


@pytest.mark.parametrize("planted", ["out/docx", "out/docx/plan.docx", "out/pdf", "out/pdf/plan.pdf"])
def test_the_site_never_publishes_a_file_through_a_link(apart: tuple[Path, Path], planted: str) -> None:
    root, away = apart
    (root / planted).parent.mkdir(parents=True, exist_ok=True)
    (root / planted).symlink_to(away / ("plan.docx" if planted.endswith("docx") else "victim.txt"))
    with pytest.raises(PlangenError) as caught:
        build(open_project(root), docx=False, site=True)
    assert caught.value.message == LINK.format(planted)
    assert not (root / "site").exists()


@pytest.mark.parametrize("planted", ["link", "file"])
def test_pdfs_are_never_written_through_a_link_nor_over_a_file(
    apart: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, planted: str
) -> None:
    root, away = apart
    before = snapshot(away)
    monkeypatch.setattr("plangen.build.soffice", lambda from_settings: "soffice")
    monkeypatch.setattr("plangen.build.pdf_fonts", lambda project: None)
    (root / "out").mkdir()
    if planted == "link":
        (root / "out" / "pdf").symlink_to(away)
    else:
        (root / "out" / "pdf").write_text("a user's notes", encoding="utf-8")
    with pytest.raises(PlangenError) as caught:
        build_docx(open_project(root), pdf=True)
    assert caught.value.message == (LINK if planted == "link" else NOT_A_FOLDER).format("out/pdf")
    assert snapshot(away) == before
    assert planted == "link" or (root / "out" / "pdf").read_text(encoding="utf-8") == "a user's notes"


@pytest.mark.parametrize("where", ["out", "out/docx", "out/site-src", "site"])
def test_a_file_where_plangen_keeps_a_folder_is_refused_and_kept(apart: tuple[Path, Path], where: str) -> None:
    root, _ = apart
    (root / where).parent.mkdir(parents=True, exist_ok=True)
    (root / where).write_text("a user's notes", encoding="utf-8")
    with pytest.raises(PlangenError) as caught:
        build(open_project(root), site=True)
    assert caught.value.message == NOT_A_FOLDER.format(where)
    assert (root / where).read_text(encoding="utf-8") == "a user's notes"
    again = CliRunner().invoke(main, ["build"])
    assert again.exit_code == 1 and again.output.endswith(f"Error: {NOT_A_FOLDER.format(where)}\n")
    assert (root / where).read_text(encoding="utf-8") == "a user's notes"
    assert not list(root.rglob(".*.plangen-*"))


@pytest.mark.parametrize(
    ("output", "shown"), [("plans/out", "plans/out"), ("plans", "plans"), ("plans/2027/../out", "plans/out")]
)
def test_an_output_folder_inside_the_plans_folder_is_refused(project: Path, output: str, shown: str) -> None:
    write_plan(project, MINIMAL)
    with pytest.raises(PlangenError) as caught:
        build(open_project(project), output=Path(output), site=True)
    assert caught.value.message == (
        f"the output folder {shown} is inside the plans folder plans, where plangen would read back what it "
        "writes as plans: choose a folder outside it"
    )
    assert sorted(p.name for p in (project / "plans").iterdir()) == ["plan.yml"]


def test_build_errors_are_in_chinese_for_a_chinese_reader(project: Path) -> None:
    with speaking("zh-CN"), pytest.raises(PlangenError) as caught:
        output_path(project, "..", ".docx")
    assert caught.value.message == "计划 id '..' 不能用作文件名"
