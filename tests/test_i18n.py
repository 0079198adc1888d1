"""Messages in the reader's language: which language is chosen, and that it is used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.i18n import choose_language, language, language_of


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
    assert os.environ.get("LANGUAGE") is None and language() == "en", "nothing is left changed after a command"
