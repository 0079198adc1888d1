"""Project settings: defaults, discovery, and a broken settings file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangen.cli import main
from plangen.errors import InvalidFile, PlangenError
from plangen.i18n import speaking
from plangen.settings import DEFAULT_FONTS, Settings, find_root, open_project, setting_text


def test_no_settings_file_means_defaults(project: Path) -> None:
    opened = open_project(project)
    assert opened.settings == Settings()
    assert (opened.plans_dir, opened.output_dir) == (project / "plans", project / "out")


def test_the_root_is_found_from_a_subfolder(project: Path) -> None:
    (project / "plangen.yml").write_text("language: en\n", encoding="utf-8")
    (project / "plans" / "2027").mkdir()
    assert find_root(project / "plans" / "2027") == project.resolve()


def test_without_settings_the_start_folder_is_the_root(project: Path) -> None:
    assert find_root(project / "plans") == (project / "plans").resolve()


def test_a_broken_settings_file_names_every_problem(project: Path) -> None:
    (project / "plangen.yml").write_text("langauge: en\noutput: [a]\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        open_project(project)
    assert caught.value.message == (
        "plangen.yml:1:1: langauge: unknown key 'langauge' (did you mean 'language'?)\n"
        "plangen.yml:2:9: output: expected text, got a list"
    )


def test_one_setting_reads_as_a_shell_script_needs_it(project: Path) -> None:
    (project / "plangen.yml").write_text("organization: 某市电信分公司\ndocx:\n  pdf: true\n", encoding="utf-8")
    settings = open_project(project).settings
    assert setting_text(settings, "docx.pdf") == "true"
    assert setting_text(settings, "organization") == "某市电信分公司"
    assert setting_text(settings, "site.upcoming_weeks") == "8"
    assert setting_text(settings, "site.source_url") == "null"
    assert setting_text(settings, "site.publish") == "artifact", "private unless a team chooses to publish"
    assert setting_text(settings, "docx.layouts") == '{"zh-CN": "zh-official", "en": "business"}'
    with pytest.raises(
        PlangenError,
        match=r"^no setting 'docx.pfd' \(did you mean 'docx.pdf'\?\); the settings are: "
        r"organization, language, plans, output, docx, docx.layouts, .*site.upcoming_weeks, site.redact, site.publish$",
    ):
        setting_text(settings, "docx.pfd")
    with pytest.raises(PlangenError, match=r"no setting 'language\.x'"):
        setting_text(settings, "language.x")


INSIDE = "the output folder {} is inside the plans folder {}, where plangen would read back what it writes as plans: choose a folder outside it"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("plans: plans\noutput: plans/out\n", "plangen.yml:2:9: output: " + INSIDE.format("plans/out", "plans")),
        ("output: plans\n", "plangen.yml:1:9: output: " + INSIDE.format("plans", "plans")),
        ("plans: .\n", "plangen.yml:1:8: plans: " + INSIDE.format("out", ".")),
        ("plans: x/..\noutput: ./out\n", "plangen.yml:2:9: output: " + INSIDE.format("out", ".")),
    ],
)
def test_an_output_folder_inside_the_plans_folder_is_a_located_error(project: Path, text: str, message: str) -> None:
    (project / "plangen.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        open_project(project)
    assert caught.value.message == message


OWN = "plangen empties and replaces it, so it must be a folder of its own inside the project, such as out or site"


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("..", f"the output folder .. is outside the project; {OWN}"),
        ("../victim", f"the output folder ../victim is outside the project; {OWN}"),
        ("out/../../victim", f"the output folder ../victim is outside the project; {OWN}"),
        ("/tmp", "the output folder {tmp} is outside the project; " + OWN),
        (".", f"the output folder . is the project folder itself; {OWN}"),
        ("out/..", f"the output folder . is the project folder itself; {OWN}"),
        (
            ".git",
            "the output folder .git is a hidden folder or inside one; choose a visible folder such as out or site",
        ),
        (
            ".git/hooks",
            "the output folder .git/hooks is a hidden folder or inside one; choose a visible folder such as out or site",
        ),
        ("templates", "the output folder templates holds templates; choose a folder of its own"),
    ],
)
def test_an_output_folder_of_the_settings_stays_a_folder_of_its_own_in_the_project(
    project: Path, output: str, message: str
) -> None:
    (project / "plangen.yml").write_text(f"output: {json.dumps(output)}\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        open_project(project)
    shown = os.path.relpath("/tmp", project)
    assert caught.value.message == "plangen.yml:1:9: output: " + message.format(tmp=shown)


@pytest.mark.parametrize("output", ["out", "build/out", "docs-out", "out/./x"])
def test_a_folder_of_its_own_in_the_project_is_fine(project: Path, output: str) -> None:
    (project / "plangen.yml").write_text(f"output: {output}\n", encoding="utf-8")
    assert open_project(project).output_dir == project / output


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "expected a number of 0 or more, got -1"),
        ("-1.0e+308", 'expected a whole number with at most 15 digits before the decimal point, got "-1.0e+308"'),
        ("1.0e+308", 'expected a whole number with at most 15 digits before the decimal point, got "1.0e+308"'),
        ("1.5", "expected a whole number, got 1.5"),
        (".inf", 'expected a whole number, got ".inf" (infinity and NaN are not figures)'),
        ("true", "expected a whole number, got true"),
        ("[8]", "expected a whole number, got a list"),
    ],
)
def test_a_number_of_weeks_that_is_not_one_is_a_located_error(project: Path, value: str, message: str) -> None:
    (project / "plangen.yml").write_text(f"site:\n  upcoming_weeks: {value}\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        open_project(project)
    assert caught.value.message == f"plangen.yml:2:19: site.upcoming_weeks: {message}"


@pytest.mark.parametrize(("value", "weeks"), [("0", 0), ("1000000000000", 10**12), ("999999999999999", 10**15 - 1)])
def test_any_whole_number_of_weeks_is_taken(project: Path, value: str, weeks: int) -> None:
    (project / "plangen.yml").write_text(f"site:\n  upcoming_weeks: {value}\n", encoding="utf-8")
    assert open_project(project).settings.site.upcoming_weeks == weeks


def test_settings_errors_are_in_chinese_for_a_chinese_reader(project: Path) -> None:
    (project / "plangen.yml").write_text("output: plans/built\n", encoding="utf-8")
    with speaking("zh-CN"), pytest.raises(InvalidFile) as misplaced:
        open_project(project)
    assert misplaced.value.message == (
        "plangen.yml:1:9: output: 输出文件夹 plans/built 在计划文件夹 plans 里面，"
        "plangen 会把自己写出的文件当作计划读回来：请换一个计划文件夹以外的文件夹"
    )
    (project / "plangen.yml").write_text("plans: ../elsewhere\n", encoding="utf-8")
    with speaking("zh-CN"), pytest.raises(InvalidFile) as outside:
        open_project(project)
    assert outside.value.message == (
        "plangen.yml:1:8: plans: 计划文件夹 ../elsewhere 在项目之外；plangen 会读取、报告并发布其中的内容，"
        "所以它必须是项目里的文件夹，例如 plans"
    )
    with speaking("zh-CN"), pytest.raises(PlangenError) as unknown:
        setting_text(Settings(), "nonsense")
    assert unknown.value.message.startswith("没有 'nonsense' 这项设置；可用的设置有：organization, language, plans,")


PLANS_OUTSIDE = (
    "the plans folder {} is outside the project; plangen reads, reports and publishes what it holds, so it must be a "
    "folder of the project, such as plans"
)
PLANS_HIDDEN = "the plans folder {} is a hidden folder or inside one; choose a visible folder such as plans"


@pytest.mark.parametrize(
    ("plans", "message"),
    [
        ("../secret", PLANS_OUTSIDE.format("../secret")),
        ("plans/../../secret", PLANS_OUTSIDE.format("../secret")),
        ("{secret}", PLANS_OUTSIDE.format("{shown}")),
        ("linked", PLANS_OUTSIDE.format("linked")),
        (".git", PLANS_HIDDEN.format(".git")),
        (".hidden/plans", PLANS_HIDDEN.format(".hidden/plans")),
    ],
)
def test_a_plans_folder_of_the_settings_stays_in_the_project(project: Path, plans: str, message: str) -> None:
    secret = project.parent / f"{project.name}-secret"
    secret.mkdir()
    (secret / "key.yml").write_text("password: hunter2\n", encoding="utf-8")
    (project / "linked").symlink_to(secret)
    (project / "plangen.yml").write_text(f"plans: {json.dumps(plans.format(secret=secret))}\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        open_project(project)
    assert caught.value.message == "plangen.yml:1:8: plans: " + message.format(shown=os.path.relpath(secret, project))
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1 and "hunter2" not in result.output and "Traceback" not in result.output
    assert CliRunner().invoke(main, ["new", "plans/x.yml", "--owner", "x", "--period", "2027"]).exit_code == 1
    assert sorted(os.listdir(secret)) == ["key.yml"]


def test_a_plans_folder_that_links_out_of_the_project_is_refused_without_settings_too(project: Path) -> None:
    secret = project.parent / f"{project.name}-secret"
    secret.mkdir()
    (project / "plans").rmdir()
    (project / "plans").symlink_to(secret)
    with pytest.raises(PlangenError) as caught:
        open_project(project)
    assert caught.value.message == PLANS_OUTSIDE.format("plans")


@pytest.mark.parametrize("plans", ["plans", "docs/plans", "plans/../plans2"])
def test_a_visible_plans_folder_in_the_project_is_fine(project: Path, plans: str) -> None:
    (project / "plangen.yml").write_text(f"plans: {plans}\n", encoding="utf-8")
    assert open_project(project).plans_dir == project / plans


def test_fonts_named_in_the_settings_replace_the_default_ones_one_by_one(project: Path) -> None:
    (project / "plangen.yml").write_text(
        "docx:\n  fonts:\n    仿宋_GB2312: 方正仿宋_GBK\n    楷体: [方正楷体_GBK, AR PL UKai CN]\n", encoding="utf-8"
    )
    fonts = open_project(project).settings.docx.fonts
    assert fonts == {**DEFAULT_FONTS, "仿宋_GB2312": ["方正仿宋_GBK"], "楷体": ["方正楷体_GBK", "AR PL UKai CN"]}
    assert json.loads(setting_text(open_project(project).settings, "docx.fonts"))["黑体"] == ["Noto Sans CJK SC"]


FONT = "expected an installed font family, such as Noto Serif CJK SC, or a list of them, got {}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fonts: {黑体: []}", "plangen.yml:2:15: docx.fonts.黑体: " + FONT.format("a list")),
        ("fonts: {黑体: {x: y}}", "plangen.yml:2:15: docx.fonts.黑体: " + FONT.format("a mapping")),
        ('fonts: {黑体: ""}', "plangen.yml:2:15: docx.fonts.黑体: " + FONT.format('""')),
        ("fonts: {黑体: [Noto Sans CJK SC, true]}", "plangen.yml:2:15: docx.fonts.黑体: " + FONT.format("a list")),
        (
            'fonts: {黑体: "Noto Sans CJK SC:italic"}',
            "plangen.yml:2:15: docx.fonts.黑体: expected a font family, followed by :bold at most "
            '(Noto Serif CJK SC:bold), got "Noto Sans CJK SC:italic"',
        ),
        ("fonts: [黑体]", "plangen.yml:2:10: docx.fonts: expected a mapping (indented 'key: value' lines), got a list"),
        (
            "font_dirs: fonts",
            "plangen.yml:2:14: docx.font_dirs: expected a list (lines starting with '- '), got \"fonts\"",
        ),
        (
            "font_dirs: ['../shared-fonts']",
            "plangen.yml:2:15: docx.font_dirs[0]: the font folder ../shared-fonts is outside the project; put the fonts in a folder of the project, such as fonts",
        ),
        (
            "font_dirs: [/usr/share/fonts]",
            "plangen.yml:2:15: docx.font_dirs[0]: the font folder {fonts} is outside the project; put the fonts in a folder of the project, such as fonts",
        ),
        (
            "font_dirs: [.fonts]",
            "plangen.yml:2:15: docx.font_dirs[0]: the font folder .fonts is a hidden folder or inside one; choose a visible folder such as fonts",
        ),
        (
            "font_dirs: [fonts, missing]",
            "plangen.yml:2:22: docx.font_dirs[1]: the font folder missing does not exist or is not a folder",
        ),
    ],
)
def test_wrong_font_settings_are_located_errors_saying_what_is_expected(project: Path, text: str, message: str) -> None:
    (project / "fonts").mkdir()
    (project / ".fonts").mkdir()
    (project / "plangen.yml").write_text(f"docx:\n  {text}\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        open_project(project)
    assert caught.value.message == message.format(fonts=os.path.relpath("/usr/share/fonts", project))


def test_font_settings_errors_are_in_chinese_for_a_chinese_reader(project: Path) -> None:
    (project / "plangen.yml").write_text("docx:\n  fonts: {黑体: []}\n  font_dirs: [fonts]\n", encoding="utf-8")
    with speaking("zh-CN"), pytest.raises(InvalidFile) as wrong:
        open_project(project)
    assert wrong.value.message == (
        "plangen.yml:2:15: docx.fonts.黑体: 应为已安装的字体族名，例如 Noto Serif CJK SC，或由字体族名组成的列表，实际是一个列表"
    )
    (project / "plangen.yml").write_text("docx:\n  font_dirs: [fonts]\n", encoding="utf-8")
    with speaking("zh-CN"), pytest.raises(InvalidFile) as missing:
        open_project(project)
    assert missing.value.message == "plangen.yml:2:15: docx.font_dirs[0]: 字体文件夹 fonts 不存在或不是文件夹"


@pytest.mark.parametrize(
    ("value", "redacted"),
    [
        ("true", ["clients", "contacts", "people"]),
        ("false", []),
        ("[]", []),
        ("[people, clients, people]", ["clients", "people"]),
    ],
)
def test_site_redact_takes_true_false_or_what_to_leave_out(project: Path, value: str, redacted: list[str]) -> None:
    (project / "plangen.yml").write_text(f"site:\n  redact: {value}\n", encoding="utf-8")
    settings = open_project(project).settings
    assert settings.site.redact == redacted
    assert setting_text(settings, "site.redact") == json.dumps(redacted)


@pytest.mark.parametrize(
    ("value", "message", "chinese"),
    [
        (
            "[clients, contact]",
            "unknown kind \"contact\" (did you mean 'contacts'?); what can be left out: clients, contacts, people",
            '未知的类别 "contact"（是不是想写“contacts”？）；可以隐去的有：clients, contacts, people',
        ),
        (
            "yes",
            'expected true, false or a list of what to leave out (clients, contacts, people), got "yes"',
            '应为 true、false 或要隐去的内容列表（clients, contacts, people），实际是 "yes"',
        ),
    ],
)
def test_something_site_redact_cannot_leave_out_is_a_located_error(
    project: Path, value: str, message: str, chinese: str
) -> None:
    (project / "plangen.yml").write_text(f"site:\n  redact: {value}\n", encoding="utf-8")
    for language, expected in (("en", message), ("zh-CN", chinese)):
        with speaking(language), pytest.raises(InvalidFile) as caught:
            open_project(project)
        assert caught.value.message == f"plangen.yml:2:11: site.redact: {expected}"
