"""The command line: help, exit codes and output, run through Click's test runner."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from filelock import lock_descriptor, unlock_descriptor

from conftest import FIXTURES, MINIMAL, REPO, load, posix_only, require, write_plan
from plangen.cli import main
from plangen.context import WIDE
from plangen.reporting import FORMATS

COMMANDS = sorted(main.commands)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.mark.parametrize("args", [["--help"], *([c, "--help"] for c in COMMANDS)])
def test_help_everywhere(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")


def test_setting_prints_one_setting(project: Path) -> None:
    result = run("-C", str(project), "setting", "docx.pdf")
    assert (result.exit_code, result.output) == (0, "false\n")
    result = run("-C", str(project), "setting", "nonsense")
    assert result.exit_code == 1 and result.output.startswith("Error: no setting 'nonsense'; the settings are:")


def test_version_names_what_plangen_found_to_work_with(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no LibreOffice
    monkeypatch.delenv("ProgramFiles", raising=False)
    real = importlib.metadata.version
    monkeypatch.setattr("plangen.cli.version", lambda name: real(name) if name != "pypdf" else missing(name))
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.split("\n") == [
        "plangen, version 0.1.0",
        f"Python {sys.version.split()[0]} ({sys.executable})",
        f"MkDocs {real('mkdocs')}, Material {real('mkdocs-material')}, Pagefind {real('pagefind')}",
        "LibreOffice: not found (only PDF export needs it)",
        'pypdf: not installed (only PDF export needs it: pip install "plangen[pdf]")',
        "",
    ]


def missing(name: str) -> str:
    raise importlib.metadata.PackageNotFoundError(name)


def test_version_names_the_libreoffice_it_found() -> None:
    program = require("soffice")
    said = subprocess.run([program, "--version"], capture_output=True, text=True, check=True).stdout.split("\n")[0]
    lines = run("--version").output.split("\n")
    assert lines[3] == f"{said} ({program})"
    assert said.startswith("LibreOffice ")
    assert lines[4] == f"pypdf {importlib.metadata.version('pypdf')}"


def test_bad_usage_exits_2() -> None:
    assert run("validate", "--format", "xml").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_validate_examples_passes_strictly_until_a_milestone_passes_without_an_actual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    result = run("validate", "--strict", "--today", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("0 errors, 0 warnings in 4 plan files\n")
    later = run("validate", "--strict", "--today", "2028-01-01")
    assert later.exit_code == 1
    assert "plans/2027/qingyunxi-liqiang.yml" in later.output and "no actual is recorded" in later.output
    assert run("validate", "--strict", "--today", "2028年1月1日").output == later.output, "a date as a plan writes it"
    wrong = run("validate", "--today", "2027.7.15")
    assert wrong.exit_code == 2
    assert (
        "Invalid value for '--today': expected a real date written YYYY-MM-DD, e.g. 2027-03-31, got \"2027.7.15\""
        in (wrong.output)
    )


def test_validate_reports_and_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "broken")
    result = run("validate")
    assert result.exit_code == 1
    assert result.output == (FIXTURES / "broken" / "expected.text").read_text(encoding="utf-8")


def test_validate_given_paths_and_project_option(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "broken", tmp_path / "broken")
    result = run("-C", str(tmp_path / "broken"), "validate", str(tmp_path / "broken" / "plans" / "2027" / "east.yml"))
    assert result.exit_code == 1
    assert "2 errors, 1 warning in 1 plan file" in result.output


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00\x00",
        "a: &a [1,1,1,1,1,1,1,1,1]\n"
        + "".join(f"b{i}: &b{i} [{', '.join(['*a' if i == 0 else f'*b{i - 1}'] * 9)}]\n" for i in range(9)),
        "x: " + "[" * 3000 + "\n",
        "title: !!python/object/apply:os.system [ls]\n",
        "title: 计划\x00\n",
        "\t- tab\n",
        "- just a list\n",
    ],
    ids=["utf16", "billion-laughs", "deep", "python-tag", "nul", "tab", "list"],
)
def test_hostile_input_gives_a_located_error_not_a_traceback(project: Path, content: str | bytes) -> None:
    path = project / "plans" / "bad.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.startswith("Errors:\nplans/bad.yml:")


def test_broken_settings_file_is_an_error_with_location(project: Path) -> None:
    (project / "plangen.yml").write_text("plans: [x]\n", encoding="utf-8")
    write_plan(project, MINIMAL)
    result = run("validate")
    assert (result.exit_code, result.output) == (1, "Error: plangen.yml:1:8: plans: expected text, got a list\n")


def test_json_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "broken")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["errors"] == 3


def test_schema_to_stdout_and_file(project: Path) -> None:
    result = run("schema")
    assert result.exit_code == 0 and json.loads(result.output)["title"] == "Plan"
    result = run("schema", "-o", "plans/plan.schema.json")
    assert result.exit_code == 0
    assert json.loads((project / "plans" / "plan.schema.json").read_text(encoding="utf-8"))["title"] == "Plan"
    assert run("schema", "--markdown").output.startswith("#### Plan\n")


def test_new_prompts_for_what_is_missing(project: Path) -> None:
    result = run("new", "plans/2027/wangmin.yml", "--unit", "青云西区域", input="王敏\n2027\n")
    assert result.exit_code == 0, result.output
    assert "wrote plans/2027/wangmin.yml\nwrote plans/plan.schema.json\n" in result.output
    assert run("validate").exit_code == 0
    again = run("new", "plans/2027/wangmin.yml", "--owner", "x", "--period", "2027")
    assert (again.exit_code, again.output) == (
        1,
        "Error: plans/2027/wangmin.yml already exists; plangen new never overwrites a file\n",
    )


def test_new_asks_again_after_an_answer_it_cannot_use(project: Path) -> None:
    answers = ["plans/2027/王 敏.yml", "plans/2027/王敏.yml", "", " ", "王敏", "明年", "2027年上半年"]
    result = run("new", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    asked = "Plan file, e.g. plans/2027/wangmin.yml: "
    assert result.output.splitlines()[:6] == [
        f"{asked}plans/2027/王 敏.yml",
        "Error: plans/2027/王 敏.yml: the file name is the plan id (an id is Chinese characters, lowercase letters, "
        "digits, '-' and '_'); use a name such as plans/2027/wangmin.yml",
        f"{asked}plans/2027/王敏.yml",
        "Owner's name: ",
        "Owner's name:  ",
        "Error: write the owner's name, e.g. 王敏",
    ]
    assert (
        "Error: expected a year (2027年), half (2027年上半年), quarter (2027年第二季度), month (2027年3月), date "
        in (result.output)
    )
    assert result.output.endswith("2027年上半年\nwrote plans/2027/王敏.yml\nwrote plans/plan.schema.json\n")
    [loaded] = load(project).plans
    assert (loaded.id, loaded.plan.owner.name, loaded.plan.period.text) == ("王敏", "王敏", "2027-H1")
    again = run("new", input="plans/2027/王敏.yml\nplans/2027/陈静.yml\n陈静\n2027\n")
    assert "\nError: plans/2027/王敏.yml already exists; plangen new never overwrites a file\n" in again.output
    assert again.exit_code == 0 and (project / "plans" / "2027" / "陈静.yml").is_file()


def test_new_refuses_bad_options_without_asking(project: Path) -> None:
    result = run("new", "plans/a.yml", "--owner", "x", "--period", "明年")
    assert result.exit_code == 2 and "Error: Invalid value for '--period': expected a year (2027年)" in result.output
    result = run("new", "plans/a.yml", "--owner", " ", "--period", "2027")
    assert result.exit_code == 2 and "Error: Invalid value for '--owner': write the owner's name" in result.output
    result = run("new", "plans/a b.yml", "--owner", "x", "--period", "2027")
    assert result.exit_code == 1 and result.output.startswith("Error: plans/a b.yml: the file name is the plan id")
    assert not (project / "plans" / "a.yml").exists()


def test_new_asks_in_chinese(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    result = run("new", "--period", "2027年上半年", input="a.txt\n王敏.yml\n \n王敏\n")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [lines[0], lines[2], lines[3], lines[5], lines[6], lines[7]] == [
        "计划文件，例如 plans/2027/王敏.yml: a.txt",
        "计划文件，例如 plans/2027/王敏.yml: 王敏.yml",
        "负责人姓名:  ",
        "负责人姓名: 王敏",
        "已写入 王敏.yml",
        "已写入 plans/plan.schema.json",
    ]
    assert lines[1].endswith("a.txt：计划文件名必须以 .yml 结尾") and lines[4].endswith("请写计划人的姓名，例如 王敏")
    result = run("new", "陈静.yml", "--owner", "陈静", input="明年\n2027\n")
    assert result.output.startswith("计划期间（如 2027年、2027年上半年、2027年第二季度、2027年3月） [")
    assert "应填年份（2027年）、半年（2027年上半年）、季度（2027年第二季度）" in result.output


def test_unwritable_output_is_a_message_not_a_traceback(project: Path) -> None:
    (project / "blocker").write_text("a file, not a folder", encoding="utf-8")
    result = run("schema", "-o", "blocker/schema.json")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output


def hostile_project(project: Path, secret: Path) -> None:
    """One of each kind of plan file that must be refused or questioned, beside a good one."""
    secret.write_text("password: hunter2\n", encoding="utf-8")
    plans = project / "plans"
    write_plan(project, MINIMAL, "good.yml")
    write_plan(project, MINIMAL + "goals:\n  - {id: g, title: t, metric: m, target: 1" + "0" * 400 + "}\n", "big.yml")
    write_plan(project, MINIMAL + "clients:\n  total: 0700\n  segments: [{name: a, count: 1e400}]\n", "octal.yml")
    write_plan(project, MINIMAL + "training:\n  programs: [{title: p, hours: .inf}]\n", "inf.yml")
    write_plan(project, "id: shared\n" + MINIMAL, "one.yml")
    write_plan(project, "id: shared\n" + MINIMAL, "two.yml")
    write_plan(project, "id:\n" + MINIMAL, "empty-id.yml")
    write_plan(project, MINIMAL, "index.yml")
    write_plan(project, "id: con\n" + MINIMAL, "device.yml")
    (plans / "leak.yml").symlink_to(secret)
    os.mkfifo(plans / "pipe.yml")
    (plans / "out").symlink_to(secret.parent)
    with open(os.fsencode(plans) + b"/\xff.yml", "w", encoding="utf-8") as stream:
        stream.write("id: ff\n" + MINIMAL)


HOSTILE_FILES = ["\\xff", "big", "device", "empty-id", "index", "inf", "leak", "octal", "one", "pipe", "two"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_plans_give_located_errors_in_every_format(project: Path, tmp_path: Path, fmt: str) -> None:
    hostile_project(project, tmp_path.parent / f"{tmp_path.name}-secret.yml")
    result = run("validate", "--format", fmt)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "hunter2" not in result.output
    for name in HOSTILE_FILES:  # JSON doubles the backslash of \xff
        assert f"plans/{name}.yml" in result.output.replace("\\\\", "\\"), name
    assert "plans/good.yml" not in result.output


def test_hostile_plans_in_a_real_process_and_a_report_file(project: Path, tmp_path: Path) -> None:
    hostile_project(project, tmp_path.parent / f"{tmp_path.name}-secret.yml")
    plangen = Path(sys.executable).parent / "plangen"
    done = subprocess.run(
        [plangen, "validate", "--format", "json", "--report", "report.json"],
        cwd=project, capture_output=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (1, b"")
    assert done.stdout.decode("utf-8") == HOSTILE_REPORT
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert sorted({p["file"] for p in report["problems"]}) == [f"plans/{name}.yml" for name in HOSTILE_FILES]


HOSTILE_REPORT = """\
Errors:
plans/\\xff.yml:1:1: the file name is not UTF-8 text (byte 0xFF); names made on a system using GBK look like this: rename the file
plans/big.yml:5:42: goals[0].target: expected a number with at most 15 digits before the decimal point, got 1000000000000000000000000000000000000…
plans/device.yml:1:5: id: 'con' cannot be a plan id: Windows keeps that name for a device; choose another, e.g. qingyunxi-wangmin-2027
plans/empty-id.yml:1:4: id: the plan id is empty; write one, such as 'id: qingyunxi-wangmin-2027', or leave the line out to use the file name
plans/index.yml:1:1: id: the file name 'index' cannot serve as the plan id (the site has a page or folder of that name); add a line such as 'id: qingyunxi-wangmin-2027'
plans/inf.yml:5:32: training.programs[0].hours: expected a number, got ".inf" (infinity and NaN are not figures)
plans/leak.yml:1:1: cannot read the file: it is a link to a file outside the project; put the file itself in the project
plans/octal.yml:5:10: clients.total: expected a whole number, got "0700" (write 700: a number does not start with 0)
plans/octal.yml:6:31: clients.segments[0].count: expected a whole number with at most 15 digits before the decimal point, got "1e400"
plans/one.yml:1:5: id: plan id 'shared' is also used by plans/two.yml; ids must be unique, and plans that share one are not built: give one of them an id of its own (for example id: shared-2027) or another file name
plans/pipe.yml:1:1: cannot read the file: it is a named pipe (FIFO), not an ordinary file; only ordinary files are read
plans/two.yml:1:5: id: plan id 'shared' is also used by plans/one.yml; ids must be unique, and plans that share one are not built: give one of them an id of its own (for example id: shared-2027) or another file name
12 errors, 0 warnings in 12 plan files
Parts with format errors are not yet cross-checked (client totals, goal references, dates in the period) in 7 files; fix them and validate again.
"""


def test_plans_sharing_an_id_get_no_document(project: Path) -> None:
    write_plan(project, "id: shared\n" + MINIMAL, "2027/wangmin.yml")
    write_plan(project, "id: shared\n" + MINIMAL, "2027/liqiang.yml")
    write_plan(project, MINIMAL, "2027/good.yml")
    result = run("docx", "-j", "1")
    assert result.exit_code == 1
    assert "plans/2027/liqiang.yml:1:5: id: plan id 'shared' is also used by plans/2027/wangmin.yml" in result.output
    assert "plans/2027/wangmin.yml:1:5: id: plan id 'shared' is also used by plans/2027/liqiang.yml" in result.output
    assert sorted(p.name for p in (project / "out" / "docx").iterdir()) == ["good.docx"]


def assert_fails_cleanly(result, message: str) -> None:  # type: ignore[no-untyped-def]
    """Exit code 1, the message as the last line, and no Python traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.endswith(f"Error: {message}\n"), result.output


@pytest.mark.parametrize(
    ("command", "template", "text", "line", "message"),
    [
        ("docx", "docx/plan.md.j2", "# {{ plan.title }}\n\n{{ 1 / 0 }}\n", 3, "division by zero"),
        ("docx", "parts/plan-body.md.j2", "{{ plan.title + 1 }}\n", 1, 'can only concatenate str (not "int") to str'),
        ("site", "site/index.md.j2", "a\n{% for i in range(10**12) %}{% endfor %}\n", 2,
         "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
        ("site", "site/plan.md.j2", "{{ plan.owner.name.x.y }}\n", 1, "'str object' has no attribute 'x'"),
        ("build", "docx/plan.md.j2", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n", 1,
         "maximum recursion depth exceeded"),
    ],
)  # fmt: skip
def test_a_project_template_failing_as_it_runs_names_its_file_and_line(
    project: Path, command: str, template: str, text: str, line: int, message: str
) -> None:
    write_plan(project, MINIMAL, "a.yml")
    write_plan(project, MINIMAL, "b.yml")
    (project / "templates" / template).parent.mkdir(parents=True)
    (project / "templates" / template).write_text(text, encoding="utf-8")
    result = run(command, "-j", "2") if command != "site" else run(command)
    assert_fails_cleanly(result, f"templates/{template}:{line}: template error: {message}")


def test_extreme_settings_and_dates_are_located_errors_or_taken(project: Path) -> None:
    write_plan(project, MINIMAL + "activities:\n  - {title: 年终, when: 2027-12-31}\n")
    (project / "plangen.yml").write_text("site:\n  upcoming_weeks: -5\n", encoding="utf-8")
    assert_fails_cleanly(run("site"), "plangen.yml:2:19: site.upcoming_weeks: expected a number of 0 or more, got -5")
    (project / "plangen.yml").write_text("site:\n  upcoming_weeks: 1.0e+308\n", encoding="utf-8")
    assert_fails_cleanly(
        run("site"),
        "plangen.yml:2:19: site.upcoming_weeks: expected a whole number with at most 15 digits before the decimal "
        'point, got "1.0e+308"',
    )
    for weeks in ("999999999999999", "8"):
        (project / "plangen.yml").write_text(f"site:\n  upcoming_weeks: {weeks}\n", encoding="utf-8")
        for today in ("9999-12-31", "2027-12-30", "0001-01-01"):
            result = run("site", "--today", today)
            assert result.exit_code == 0, result.output
            home = (project / "out" / "site-src" / "index.md").read_text(encoding="utf-8")
            assert ("年终" in home) == (today == "2027-12-30" or (today == "0001-01-01" and weeks != "8"))


@pytest.mark.parametrize("planted", ["out/docx", "out/.plangen.lock", "out/site-src", "site"])
def test_a_planted_link_is_a_message_and_its_target_is_untouched(project: Path, planted: str) -> None:
    write_plan(project, MINIMAL)
    victim = project.parent / f"{project.name}-victim"
    victim.mkdir()
    (victim / "plan.docx").write_text("the user's own", encoding="utf-8")
    (project / planted).parent.mkdir(parents=True, exist_ok=True)
    (project / planted).symlink_to(victim if planted != "out/.plangen.lock" else victim / "plan.docx")
    assert_fails_cleanly(run("build"), f"{planted} is a symbolic link; plangen does not write through links: remove it")
    assert [(p.name, p.read_text(encoding="utf-8")) for p in victim.iterdir()] == [("plan.docx", "the user's own")]


def test_an_output_folder_inside_the_plans_folder_is_refused(project: Path) -> None:
    write_plan(project, MINIMAL)
    inside = "is inside the plans folder plans, where plangen would read back what it writes as plans: choose a folder outside it"
    assert_fails_cleanly(run("build", "-o", "plans/out"), f"the output folder plans/out {inside}")
    (project / "plangen.yml").write_text("output: plans/built\n", encoding="utf-8")
    assert_fails_cleanly(run("validate"), f"plangen.yml:1:9: output: the output folder plans/built {inside}")
    assert sorted(p.name for p in (project / "plans").iterdir()) == ["plan.yml"]


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ("when_with_frequency: 于{when}{oops}\n", "1:22: when_with_frequency: unknown placeholder {oops}; this label can use {frequency}, {when}"),
        ("statuses: 已提交\n", '1:11: statuses: expected a mapping of draft, submitted, approved, got "已提交"'),
    ],
)  # fmt: skip
def test_a_projects_labels_file_is_checked_before_anything_is_built(project: Path, labels: str, message: str) -> None:
    write_plan(project, MINIMAL + "clients:\n  total: 5\n  segments:\n    - {name: a, count: 3}\n")
    (project / "templates" / "labels").mkdir(parents=True)
    (project / "templates" / "labels" / "zh-CN.yml").write_text(labels, encoding="utf-8")
    assert_fails_cleanly(run("build"), f"templates/labels/zh-CN.yml:{message}")
    assert not list(project.rglob("*.docx"))


@pytest.fixture
def chinese_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose plangen.yml asks for Chinese, and no language asked for otherwise."""
    for name in ("LANGUAGE", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    (project / "plangen.yml").write_text("language: zh-CN\n", encoding="utf-8")
    write_plan(project, MINIMAL)
    return project


def _fake_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in for LibreOffice that makes a PDF of every document at once."""

    def convert(documents: list[Path], target: str, folder: Path, jobs: int = 1, fonts: object = None) -> list[Path]:
        folder.mkdir(exist_ok=True)
        for document in documents:
            (folder / f"{document.stem}.pdf").write_bytes(b"%PDF")
        return [folder / f"{document.stem}.pdf" for document in documents]

    monkeypatch.setattr("plangen.build.soffice", lambda from_settings: "soffice")
    monkeypatch.setattr("plangen.build.convert", convert)
    monkeypatch.setattr("plangen.build.pdf_fonts", lambda project: None)
    monkeypatch.setattr("plangen.build.heading_pages", lambda pdf: {})


def test_a_build_says_what_it_did_in_chinese(chinese_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_libreoffice(monkeypatch)
    (chinese_project / "out").mkdir()
    with (chinese_project / "out" / ".plangen.lock").open("w") as held:
        lock_descriptor(held)  # another build, which ends a moment later
        threading.Timer(1, unlock_descriptor, (held,)).start()
        result = run("docx", "--pdf")
    assert (result.exit_code, result.output) == (
        0,
        "另一个 plangen 正在写入输出文件，等它完成后再继续……\n"
        "[1/1] out/docx/plan.docx\n"
        "out/pdf 中有 1 个 PDF 文件\n"
        "1 份计划中有 1 份已有文档（本次生成 1 份，0 份无需更新）\n",
    )
    assert run("site").output == "网站已生成到 site（收入 1 份计划中的 1 份）\n"
    assert run("schema", "-o", "plan.schema.json").output == "已写入 plan.schema.json\n"
    assert run("--version").output.startswith("plangen，版本 0.1.0\nPython ")


def test_one_pdf_is_one_pdf_in_english(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_libreoffice(monkeypatch)
    write_plan(project, MINIMAL)
    assert "\n1 PDF in out/pdf\n" in run("docx", "--pdf").output


def test_usage_errors_are_in_chinese(chinese_project: Path) -> None:
    for args, message in [
        (["validate", "--stirct"], "错误：没有 '--stirct' 这个选项。 （是不是要写：'--strict'？）"),
        (["docx", "nothere.yml"], "错误：'[PLANS]...' 的值无效：路径 'nothere.yml' 不存在。"),
        (["-C", "nowhere", "validate"], "错误：'-C' / '--project' 的值无效：文件夹 'nowhere' 不存在。"),
        (["validate", "--format", "xml"], "错误：'--format' 的值无效：'xml' 不在可选值 'text', 'github', 'gitlab', 'json' 之中。"),
        (["docx", "-j", "many"], "错误：'-j' / '--jobs' 的值无效：'many' 不是有效的整数。"),
    ]:  # fmt: skip
        result = run(*args)
        assert result.exit_code == 2 and result.output.endswith(f"{message}\n"), result.output
        assert f"运行 'main {args[0] if args[0] != '-C' else ''}".rstrip() in result.output


def test_what_the_system_says_about_a_file_is_in_chinese(chinese_project: Path) -> None:
    chinese = run("schema", "-o", "plangen.yml/plan.schema.json")
    assert (chinese.exit_code, chinese.output) == (1, "错误：plangen.yml: 已经有同名的文件或文件夹\n")
    english = CliRunner().invoke(main, ["--lang", "en", "schema", "-o", "plangen.yml/plan.schema.json"])
    assert english.output.endswith("Error: plangen.yml: something of that name is already there\n")


@pytest.mark.parametrize("args", [["--help"], *([c, "--help"] for c in COMMANDS)])
def test_chinese_help_fits_the_screen_as_english_does(chinese_project: Path, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0 and result.output.startswith("用法：")
    lines = result.output.splitlines()
    assert max(len(line) + len(WIDE.findall(line)) for line in lines) <= 80, result.output
    assert not [line for line in lines if line.lstrip().startswith(("，", "。", "；", "：", "）"))], result.output


@posix_only
def test_a_report_or_schema_written_to_a_device_or_a_fifo_leaves_it_in_place(project: Path) -> None:
    write_plan(project, MINIMAL)
    result = run("validate", "--format", "json", "--report", "/dev/null")
    assert result.exit_code == 0 and stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    fifo = project / "schema.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("schema", "-o", str(fifo))
    reader.join(timeout=10)
    assert result.exit_code == 0 and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["title"]
    full = run("schema", "-o", "/dev/full")
    assert (full.exit_code, full.output) == (1, "Error: the disk is full\n")
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


@posix_only
def test_a_report_to_dev_stdout_goes_to_the_output(project: Path) -> None:
    write_plan(project, MINIMAL)
    plangen = Path(sys.executable).parent / "plangen"
    done = subprocess.run(
        [plangen, "validate", "--format", "json", "--report", "/dev/stdout"],
        cwd=project,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report, text = done.stdout.decode("utf-8").split("\n}\n")
    assert json.loads(report + "}")["problems"] == [] and text == "0 errors, 0 warnings in 1 plan file\n"


def test_with_a_project_folder_paths_on_the_command_line_are_the_projects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-C works as git -C does: the command runs in the project folder, so a plan path, a folder
    to validate or an output folder typed after it is the project's; the working folder is
    the same afterwards."""
    team = tmp_path / "team"
    (team / "plans").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    made = run("-C", str(team), "new", "plans/2027/lisi.yml", "--owner", "李四", "--period", "2027")
    assert (made.exit_code, made.output) == (0, "wrote plans/2027/lisi.yml\nwrote plans/plan.schema.json\n")
    assert (team / "plans" / "2027" / "lisi.yml").is_file() and not (elsewhere / "plans").exists()
    assert run("-C", "../team", "validate", "plans/2027").output == "0 errors, 0 warnings in 1 plan file\n"
    assert run("-C", "../team", "docx", "-o", "drafts").exit_code == 0
    assert (team / "drafts" / "docx" / "lisi.docx").is_file()
    assert Path.cwd() == elsewhere
