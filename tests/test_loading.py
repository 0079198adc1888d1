"""Finding plan files, plan ids, project defaults, and the example plans."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import MINIMAL, REPO, load, problems, write_plan
from generator.errors import PlangenError
from generator.loading import find_plan_files, load_plans
from generator.settings import open_project


def test_plan_files_are_found_at_any_depth_skipping_hidden_ones(project: Path) -> None:
    for name in ("a.yml", "2027/q1/b.yaml", "2027/notes.txt", ".drafts/c.yml", "2027/.d.yml"):
        write_plan(project, MINIMAL, name)
    found = find_plan_files([project / "plans"])
    assert [p.relative_to(project / "plans").as_posix() for p in found] == ["2027/q1/b.yaml", "a.yml"]


def test_the_id_comes_from_the_file_name(project: Path) -> None:
    write_plan(project, MINIMAL, "2027/qingyunxi-wangmin.yml")
    [loaded] = load(project).plans
    assert loaded.plan.id == "qingyunxi-wangmin"


def test_a_file_name_that_cannot_be_an_id_asks_for_one(project: Path) -> None:
    assert problems(project, MINIMAL, "王敏计划.yml") == [
        "plans/王敏计划.yml:1:1: id: the file name '王敏计划' cannot serve as the plan id; add a line such as "
        "'id: qingyunxi-wangmin-2027' (lowercase letters, digits, '-' and '_')"
    ]
    write_plan(project, "id: wangmin\n" + MINIMAL, "王敏计划.yml")
    assert [p.plan.id for p in load(project).plans] == ["wangmin"]


def test_plan_ids_are_unique_across_files(project: Path) -> None:
    write_plan(project, MINIMAL, "2027/a.yml")
    write_plan(project, "id: a\n" + MINIMAL, "2028/b.yml")
    result = load(project)
    assert [str(p) for p in result.problems] == [
        "plans/2028/b.yml:1:5: id: plan id 'a' is already used by plans/2027/a.yml; ids must be unique"
    ]


def test_project_defaults_fill_in_language_and_organisation(project: Path) -> None:
    (project / "plangen.yml").write_text("organization: 某市电信分公司\nlanguage: en\n", encoding="utf-8")
    write_plan(project, MINIMAL)
    [loaded] = load(project).plans
    assert (loaded.plan.language, loaded.plan.organization) == ("en", "某市电信分公司")


def test_an_invalid_plan_is_left_out_but_the_others_load(project: Path) -> None:
    write_plan(project, MINIMAL, "good.yml")
    write_plan(project, MINIMAL + "status: x\n", "bad.yml")
    result = load(project)
    assert [p.plan.id for p in result.plans] == ["good"]
    assert len(result.errors) == 1 and result.files == 2


def test_no_plan_files_is_an_error(project: Path) -> None:
    with pytest.raises(PlangenError, match=r"no plan files \(\*.yml, \*.yaml\) found in plans"):
        load(project)


def test_the_example_plans_load_with_only_the_samples_intended_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    shutil.copy(REPO / "plangen.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = load_plans(open_project(tmp_path))
    assert sorted(p.plan.id for p in result.plans) == [
        "chengdong-chenjing",
        "harbor-sarah-jones",
        "qingyunxi-liqiang",
        "qingyunxi-wangmin",
    ]
    assert [str(p) for p in result.problems] == [
        "plans/2027/qingyunxi-wangmin.yml:32:10: clients.total: the stated total 19,630 differs from the sum of "
        "the segments, 19,920 (+290); segments may overlap, but check the figures"
    ]


PARTLY_BROKEN = """\
title: [not, text]
period: 2027-Q9
owner: {name: 王敏}
clients:
  total: 100
  segments: [{name: 住宅, count: 60}, {name: 商铺, count: 30}]
goals:
  - {id: growth, title: 发展, metric: 用户数, target: 10, milestones: {Q1: 5}}
activities:
  - {title: 开放日, when: 2027-02-10, goal: grwoth}
assessment:
  - {title: 业绩, weight: many}
"""


def test_parts_without_format_errors_are_still_cross_checked(project: Path) -> None:
    # The title and period are broken (and stood in for), so checks reading the period
    # (milestones, dates) wait; the client total and the goal reference are checked.
    result_lines = problems(project, PARTLY_BROKEN)
    assert [line.split(": ", 1)[1].split(":", 1)[0] for line in result_lines] == [
        "title", "period", "clients.total", "activities[0].goal", "assessment[0].weight",
    ]  # fmt: skip
    assert "no goal with id 'grwoth' in this plan (did you mean 'growth'?)" in result_lines[3]
    assert load(project).unchecked == 1


def test_checks_that_read_a_broken_part_are_skipped_rather_than_misled(project: Path) -> None:
    broken_goals = PARTLY_BROKEN.replace("target: 10", "target: lots").replace("title: [not, text]", "title: 计划")
    fields = [line.split(": ", 1)[1].split(":", 1)[0] for line in problems(project, broken_goals)]
    assert "activities[0].goal" not in fields  # the goals were left out, so no reference could be judged
    assert "clients.total" in fields


def test_dates_are_checked_in_the_parts_that_have_no_format_errors(project: Path) -> None:
    text = (
        MINIMAL + "activities:\n  - {title: 开放日, when: 2028-02-10}\ntraining:\n  programs: [{title: 1, hours: x}]\n"
    )
    fields = [line.split(": ", 1)[1].split(":", 1)[0] for line in problems(project, text)]
    assert fields == ["activities[0].when", "training.programs[0].hours"]
