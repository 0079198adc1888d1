"""The command line: help, exit codes and output, run through Click's test runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, MINIMAL, REPO, write_plan
from generator.cli import main

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


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.output) == (0, "plangen, version 0.1.0\n")


def test_bad_usage_exits_2() -> None:
    assert run("validate", "--format", "xml").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_validate_examples_passes_with_the_intended_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("0 errors, 1 warning in 4 plan files\n")
    strict = run("validate", "--strict")
    assert strict.exit_code == 1


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


def test_unwritable_output_is_a_message_not_a_traceback(project: Path) -> None:
    (project / "blocker").write_text("a file, not a folder", encoding="utf-8")
    result = run("schema", "-o", "blocker/schema.json")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
