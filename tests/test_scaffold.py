"""plangen new: starter plans that validate, in both languages, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load
from generator.errors import PlangenError
from generator.model import parse_span
from generator.scaffold import new_plan, starter_milestones
from generator.schema import plan_schema_text
from generator.settings import open_project


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
    assert (project / "plans" / "plan.schema.json").read_text(encoding="utf-8") == plan_schema_text()


def test_default_titles(project: Path) -> None:
    new_plan(open_project(project), project / "plans" / "a.yml", owner="王敏", period="2027")
    new_plan(open_project(project), project / "plans" / "b.yml", owner="Li", period="2027-q3", language="en")
    titles = sorted(p.plan.title for p in load(project).plans)
    assert titles == ["Work plan 2027-Q3: Li", "王敏2027年工作计划"]


def test_never_overwrites(project: Path) -> None:
    path = project / "plans" / "a.yml"
    path.write_text("mine\n", encoding="utf-8")
    with pytest.raises(PlangenError, match=r"plans/a\.yml already exists; plangen new never overwrites a file"):
        new_plan(open_project(project), path, owner="x", period="2027")
    assert path.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    ("name", "period", "message"),
    [
        ("王敏.yml", "2027", r"the file name is the plan id \(an id is lowercase letters, digits, '-' and '_'\)"),
        ("index.yml", "2027", r"the file name is the plan id \(the site has a page or folder of that name\)"),
        ("con.yml", "2027", r"the file name is the plan id \(Windows keeps that name for a device\)"),
        ("lpt1.yml", "2027", r"the file name is the plan id \(Windows keeps that name for a device\)"),
        ("a.txt", "2027", "a plan file name must end in .yml"),
        ("a.yml", "明年", r"period: expected a year \(2027\), half"),
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
