"""plangen new: starter plans that validate, in both languages, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import load
from plangen.cli import main
from plangen.errors import PlangenError
from plangen.i18n import speaking
from plangen.model import parse_span
from plangen.scaffold import new_plan, read_period, starter_milestones
from plangen.schema import plan_schema_text
from plangen.settings import open_project


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_starter_plan_validates_cleanly(project: Path, language: str) -> None:
    path = project / "plans" / "2027" / "wangmin.yml"
    written = new_plan(
        open_project(project), path, owner='王"敏: x', period="2027-H1", language=language, unit="青云西区域"
    )
    assert written == [path, project / "plans" / "plan.schema.json"]
    result = load(project)
    assert result.problems == []
    [loaded] = result.plans
    plan = loaded.plan
    assert (plan.id, plan.owner.name, plan.unit, plan.period.text, plan.language) == (
        "wangmin",
        '王"敏: x',
        "青云西区域",
        "2027-H1",
        language,
    )
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../plan.schema.json\n")
    schema = (project / "plans" / "plan.schema.json").read_text(encoding="utf-8")
    assert schema == plan_schema_text("zh-CN"), "in the project's language (the default), whatever the plan's"


def test_default_titles(project: Path) -> None:
    new_plan(open_project(project), project / "plans" / "a.yml", owner="王敏", period="2027")
    new_plan(open_project(project), project / "plans" / "b.yml", owner="Li", period="2027-q3", language="en")
    new_plan(open_project(project), project / "plans" / "c.yml", owner="陈静", period="2027-H2")
    titles = sorted(p.plan.title for p in load(project).plans)
    assert titles == ["Work plan 2027-Q3: Li", "王敏2027年工作计划", "陈静2027年下半年工作计划"]


def test_a_chinese_starter_is_written_the_chinese_way(project: Path) -> None:
    path = project / "plans" / "2027" / "王敏.yml"
    new_plan(open_project(project), path, owner="王敏", period="2027年上半年")
    text = path.read_text(encoding="utf-8")
    assert 'period: "2027年上半年"\n' in text and "status: 草稿  #" in text and "direction: 上升  #" in text
    assert 'milestones: {"一季度": 20, "二季度": 40}' in text and 'when: "2027年1月"' in text
    result = load(project)
    assert result.problems == []
    [loaded] = result.plans
    plan = loaded.plan
    assert (loaded.id, plan.period.text, plan.status, plan.goals[0].direction) == ("王敏", "2027-H1", "draft", "up")


@pytest.mark.parametrize(
    ("text", "period"),
    [("2027", "2027"), (" 2027 ", "2027"), ("2027年", "2027"), ("2027年上半年", "2027-H1"), ("2027年二季度", "2027-Q2"),
     ("2027年3月", "2027-03"), ("2027-q3", "2027-Q3")],
)  # fmt: skip
def test_periods_typed_for_a_new_plan(text: str, period: str) -> None:
    assert read_period(text, "zh-CN").text == period


def test_never_overwrites(project: Path) -> None:
    path = project / "plans" / "a.yml"
    path.write_text("mine\n", encoding="utf-8")
    with pytest.raises(PlangenError, match=r"plans/a\.yml already exists; plangen new never overwrites a file"):
        new_plan(open_project(project), path, owner="x", period="2027")
    assert path.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    ("name", "period", "message"),
    [
        ("王 敏.yml", "2027", r"the file name is the plan id \(an id is Chinese characters, lowercase letters"),
        ("index.yml", "2027", r"the file name is the plan id \(the site has a page or folder of that name\)"),
        ("con.yml", "2027", r"the file name is the plan id \(Windows keeps that name for a device\)"),
        ("lpt1.yml", "2027", r"the file name is the plan id \(Windows keeps that name for a device\)"),
        ("a.txt", "2027", "a plan file name must end in .yml"),
        ("a.yml", "明年", r"period: expected a year \(2027年\), half \(2027年上半年\)"),
    ],
)
def test_bad_names_and_periods(project: Path, name: str, period: str, message: str) -> None:
    with pytest.raises(PlangenError, match=message):
        new_plan(open_project(project), project / "plans" / name, owner="x", period=period)
    assert not (project / "plans" / name).exists()


@pytest.mark.parametrize(
    ("period", "milestones"),
    [
        ("2027", {"Q1": 10, "Q2": 20, "Q3": 30, "Q4": 40}),
        ("2027-H2", {"Q3": 20, "Q4": 40}),
        ("2027-Q2", {"Q2": 40}),
        ("2027-05", {"2027-05-31": 40}),
    ],
)
def test_starter_milestones_fit_the_period(period: str, milestones: dict[str, int]) -> None:
    assert starter_milestones(parse_span(period)) == milestones


def test_chinese_starter_milestones() -> None:
    assert starter_milestones(parse_span("2027-H2"), "zh-CN") == {"三季度": 20, "四季度": 40}
    assert starter_milestones(parse_span("2027-05"), "zh-CN") == {"2027年5月31日": 40}


def test_messages_in_chinese(project: Path) -> None:
    plans = project / "plans"
    (plans / "a.yml").write_text("mine\n", encoding="utf-8")
    cases = [
        ("a.txt", "2027", "plans/a.txt：计划文件名必须以 .yml 结尾"),
        (
            "王 敏.yml",
            "2027",
            "plans/王 敏.yml：文件名就是计划 id（id 只能由汉字、小写字母、数字、“-”和“_”组成）；请换一个名字，例如 "
            "plans/2027/王敏.yml",
        ),
        ("a.yml", "2027", "plans/a.yml 已经存在；plangen new 从不覆盖已有的文件"),
        ("b.yml", "明年", "period：应填年份（2027年）、半年（2027年上半年）、季度（2027年第二季度）、月份（2027年3月）、"
         '日期（2027年3月31日）或 {start: …, end: …}，实际写的是 "明年"'),
    ]  # fmt: skip
    for name, period, message in cases:
        with speaking("zh-CN"), pytest.raises(PlangenError) as caught:
            new_plan(open_project(project), plans / name, owner="x", period=period)
        assert caught.value.message == message


@pytest.mark.parametrize("period", ["0001-01-01", "0001-H1", "0999-03", "3000-Q1"])
def test_a_period_outside_the_years_of_plans_is_refused_before_anything_is_written(tmp_path: Path, period: str) -> None:
    """Year 999 is a slip; its starter's dates (999年3月) would not read back as a period."""
    result = CliRunner().invoke(main, ["--lang", "en", "init", str(tmp_path / "repo"), "--period", period])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "a plan's period lies between the years 1900 and 2999" in result.output
    assert not (tmp_path / "repo").exists()
    result = CliRunner().invoke(
        main, ["--lang", "en", "new", str(tmp_path / "w.yml"), "--owner", "a", "--period", period]
    )
    assert result.exit_code == 2 and "a plan's period lies between the years 1900 and 2999" in result.output
    assert not (tmp_path / "w.yml").exists()
