"""Messages in the reader's language: which language is chosen, and that it is used."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

import click
import pytest
from click.testing import CliRunner

from conftest import MINIMAL, REPO, write_plan
from plangen.cli import main
from plangen.context import WIDE
from plangen.i18n import choose_language, language, language_of
from plangen.importing import HEADERS
from plangen.reporting import FORMATS
from plangen.settings import SETTINGS_BLOCKS, Publish


@pytest.mark.parametrize(
    ("value", "expected"),
    [("zh-CN", "zh-CN"), ("zh_CN.UTF-8", "zh-CN"), ("zh-Hans", "zh-CN"), ("en_US.UTF-8", "en"), ("en", "en"),
     ("fr_FR:en_GB:en", "en"), ("C", None), ("POSIX", None), ("", None), (None, None), ("de_DE", None)],
)  # fmt: skip
def test_language_of_locale_names(value: str | None, expected: str | None) -> None:
    assert language_of(value) == expected


@pytest.mark.parametrize(
    ("option", "project", "environ", "expected"),
    [
        (None, None, {}, "zh-CN"),
        (None, "en", {}, "en"),
        (None, "en", {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "en"),  # machine-wide: not a choice
        (None, "en", {"LC_MESSAGES": "zh_CN.UTF-8"}, "zh-CN"),
        (None, "zh-CN", {"LANGUAGE": "en_US:en", "LC_MESSAGES": "zh_CN"}, "en"),
        (None, "zh-CN", {"LANGUAGE": "C"}, "zh-CN"),
        ("en", "zh-CN", {"LANGUAGE": "zh_CN"}, "en"),
        ("zh-CN", "en", {}, "zh-CN"),
    ],
)
def test_the_option_then_the_environment_then_the_project_choose(
    option: str | None, project: str | None, environ: dict[str, str], expected: str
) -> None:
    assert choose_language(option, project, environ) == expected  # type: ignore[arg-type]


def _help(project: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_MESSAGES", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)


def test_help_follows_the_projects_language_and_the_option(project: Path, plain_environment: None) -> None:
    (project / "plangen.yml").write_text("language: en\n", encoding="utf-8")
    assert "Usage:" in _help(project) and "Check plan files" in _help(project, "validate")
    (project / "plangen.yml").write_text("language: zh-CN\n", encoding="utf-8")
    chinese = _help(project)
    assert "Usage:" not in chinese and "用法" in chinese
    assert "Usage:" in _help(project, "--lang", "en")
    assert "Usage:" in _help(project, "-C", str(project), "--lang", "en"), "--lang after another option"
    assert os.environ.get("LANGUAGE") is None and language() == "en", "nothing is left changed after a command"


_STAYS_ENGLISH = re.compile(
    r"'[^'\n]*'"  # what the user typed, as Click quotes it: 'nothere.yml', '--stirct'
    r"|\[[^\]\s]*\]"  # choices and formats: [zh-CN|en], [%Y-%m-%d]
    r"|(?<![A-Za-z0-9])--?[A-Za-z][\w-]*"  # option names
    r"|[\w~<>%-]*(?:[/.][\w~<>%-]+)+/?|[\w-]+/"  # file paths and dotted keys: plans/x.yml, docx.pdf, site/
    r"|\b[A-Z][A-Z_]+(?: [A-Z]{2,})*\b"  # placeholders and variables: PATHS, INTEGER RANGE, LC_MESSAGES
    r"|\b[a-z_]+:(?: [\w-]+)?"  # YAML keys and values: output:, language: zh
    r"|apt-get install [\w-]+",
    re.ASCII,
)
_NAMES = {
    *("YAML", "JSON", "Schema", "PDF", "Word", "Markdown", "MkDocs", "LibreOffice", "GitHub", "GitLab", "Actions"),
    *("Pages", "pip", "git", *get_args(Publish)),  # GitHub Pages; the programs; the values of site.publish
    *("Debian", "Ubuntu", "Ctrl", "CPU", "CI", "URL", "id", "docx", "pre-commit", "plangen", *main.commands),
    *(name for command in main.commands.values() if isinstance(command, click.Group) for name in command.commands),
    *(name for name in HEADERS if name),  # the fields of plan entries an import fills, as plans write them
    *("Python", "Material", "Pagefind", "pypdf", "Windows", "macOS"),
    "Settings",  # the menu GitHub and GitLab show in English
    *("true", "false", "null", *FORMATS, *(key for block in SETTINGS_BLOCKS for key in block.model_fields)),
}
"""Words that are the same in Chinese text: names of programs, formats and commands, values in
JSON and of --format, and the keys of plangen.yml."""


def english_words(text: str, typed: Sequence[str] = ()) -> set[str]:
    """The English words in *text* besides the ones that stay English for every reader: paths,
    option and command names, placeholders, YAML keys, names, and what the user *typed*."""
    return set(re.findall(r"[A-Za-z][A-Za-z-]{2,}", _STAYS_ENGLISH.sub(" ", text))) - _NAMES - set(typed)


def test_english_words_finds_what_a_translation_missed() -> None:
    assert english_words("用法： plangen docx [OPTIONS] [PLANS]...\n  -o, --output DIRECTORY  输出文件夹") == set()
    assert english_words("错误：'-j' / '--jobs' 的值无效：'abc' 不是有效的整数。") == set()
    assert english_words("plangen.yml:2:9: output: 输出文件夹 plans/built 在 out/docx/<计划 id>.docx") == set()
    assert english_words("Error: No such option '--stirct'. Did you mean '--strict'?") == {"Error", "such", "option", "Did", "you", "mean"}  # fmt: skip
    assert english_words("[默认：(number of CPUs)] 已写入 x.json; site built in site") == {"number", "CPUs", "built"}


CASES = [
    pytest.param(["--help"], "", id="help"),
    *(pytest.param([command, "--help"], "", id=f"{command}-help") for command in sorted(main.commands)),
    pytest.param(["--version"], "", id="version"),
    pytest.param(["validate", "--stirct"], "", id="unknown-option"),
    pytest.param(["nonsense"], "", id="unknown-command"),
    pytest.param(["setting"], "", id="missing-argument"),
    pytest.param(["setting", "docx", "pdf"], "", id="extra-argument"),
    pytest.param(["docx", "-o"], "", id="option-without-its-value"),
    pytest.param(["docx", "nothere.yml"], "", id="missing-path"),
    pytest.param(["-C", "nowhere", "validate"], "", id="missing-folder"),
    pytest.param(["validate", "--format", "xml"], "", id="invalid-choice"),
    pytest.param(["--lang", "fr", "validate"], "", id="unknown-language"),
    pytest.param(["docx", "-j", "many"], "", id="not-a-number"),
    pytest.param(["docx", "-j", "0"], "", id="out-of-range"),
    pytest.param(["site", "--today", "2027"], "", id="not-a-date"),
    pytest.param(["setting", "nonsense"], "", id="no-such-setting"),
    pytest.param(["validate"], "output: plans/built\n", id="invalid-settings"),
    pytest.param(["docx", "-o", "plans/out"], "", id="output-among-the-plans"),
    pytest.param(["docx", "--pdf"], "", id="no-libreoffice"),
    pytest.param(["docx"], "docx: {pdf: true}\n", id="no-libreoffice-for-the-setting"),
    pytest.param(["schema", "-o", "plangen.yml/plan.schema.json"], "", id="cannot-write"),
    pytest.param(["docx"], "", id="docx"),
    pytest.param(["schema", "-o", "plan.schema.json"], "", id="schema"),
    pytest.param(["init", "starter"], "", id="init"),
    pytest.param(["init", "starter", "--publish", "github-pages"], "", id="init-github-pages"),
    pytest.param(["init", "starter", "--publish", "gitlab-pages"], "", id="init-gitlab-pages"),
    pytest.param(["init", "starter", "--plangen-spec", "plangen=1.2"], "", id="init-not-a-requirement"),
    pytest.param(["changes", "plans/plan.yml"], "", id="changes-without-git"),
    pytest.param(["docx", "--changes-since", "HEAD"], "", id="revision-notes-without-git"),
    pytest.param(["import", "clients", "--help"], "", id="import-clients-help"),
    pytest.param(["import", "clients", "nothere.xlsx", "--plan", "plans/plan.yml"], "", id="import-missing-file"),
    pytest.param(["import", "clients", "plangen.yml", "--plan", "plans/plan.yml"], "", id="import-not-a-sheet"),
    pytest.param(["import", "clients", "x.csv", "--plan", "plans/plan.yml", "--columns", "a"], "", id="import-columns"),
]
"""Every command's help, what goes wrong on a command line and in a project, and what commands
report when they work: a command line with what plangen.yml holds besides the language."""


def _run(project: Path, language: str, settings: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """What a command prints in a project with one plan, whose plangen.yml says *language*,
    on a machine without LibreOffice."""
    monkeypatch.setenv("PATH", str(project / "no-programs-here"))
    (project / "plangen.yml").write_text(f"language: {language}\n{settings}", encoding="utf-8")
    write_plan(project, MINIMAL)
    result = CliRunner().invoke(main, args, prog_name="plangen")
    assert result.output and (result.exception is None or isinstance(result.exception, SystemExit)), result.output
    return result.output


@pytest.mark.parametrize(("args", "settings"), CASES)
def test_a_chinese_project_reads_no_english(
    project: Path, plain_environment: None, monkeypatch: pytest.MonkeyPatch, args: list[str], settings: str
) -> None:
    output = _run(project, "zh-CN", settings, args, monkeypatch)
    assert not english_words(output, args), output


@pytest.mark.parametrize(("args", "settings"), CASES)
def test_an_english_project_reads_no_chinese(
    project: Path, plain_environment: None, monkeypatch: pytest.MonkeyPatch, args: list[str], settings: str
) -> None:
    output = _run(project, "en", settings, args, monkeypatch)
    assert not WIDE.search(output), output


def test_an_english_project_reads_chinese_only_where_its_plans_wrote_it(project: Path, plain_environment: None) -> None:
    (project / "plangen.yml").write_text("language: en\n", encoding="utf-8")
    write_plan(project, MINIMAL + "goals: 目标\nstatus: 待定\n")
    for command in ("validate", "docx"):
        output = CliRunner().invoke(main, [command]).output
        assert '"目标"' in output and '"待定"' in output
        assert not WIDE.search(re.sub(r'"[^"\n]*"', "", output)), output


def test_every_message_has_a_chinese_translation_and_the_catalog_is_compiled() -> None:
    """tools/messages.py extracts every message a person may read (plangen's, the commands' help,
    the schema's words and Click's); each must be translated and the .mo compiled from the .po."""
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "messages.py"), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_translations_keep_their_placeholders() -> None:
    """A translation that drops or renames a {placeholder} would fail at the moment it is shown."""
    from babel.messages.pofile import read_po

    with (REPO / "generator" / "locale" / "zh_CN" / "LC_MESSAGES" / "plangen.po").open("rb") as stream:
        catalog = read_po(stream, locale="zh_CN")
    wrong = []
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        wanted, given = (
            sorted(set(re.findall(r"\{(\w+)(?:[:!][^{}]*)?\}", text.replace("{{", "").replace("}}", ""))))
            for text in (message.id, message.string)
        )
        if wanted != given and not re.search(r"%\(", message.id):
            wrong.append((message.id, message.string))
    assert wrong == []
