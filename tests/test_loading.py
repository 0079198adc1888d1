"""Finding plan files, plan ids, project defaults, and the example plans."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from conftest import MINIMAL, REPO, load, posix_only, problems, write_plan
from plangen.errors import PlangenError
from plangen.i18n import speaking
from plangen.loading import find_plan_files, load_plans
from plangen.settings import open_project


def test_plan_files_are_found_at_any_depth_skipping_hidden_ones(project: Path) -> None:
    for name in ("a.yml", "2027/q1/b.yaml", "2027/notes.txt", ".drafts/c.yml", "2027/.d.yml"):
        write_plan(project, MINIMAL, name)
    found = find_plan_files([project / "plans"])
    assert [p.relative_to(project / "plans").as_posix() for p in found] == ["2027/q1/b.yaml", "a.yml"]


@posix_only
def test_links_to_folders_are_not_followed_and_special_files_are_found(project: Path, tmp_path: Path) -> None:
    write_plan(project, MINIMAL, "2027/a.yml")
    (tmp_path.parent / f"{tmp_path.name}-outside").mkdir()
    (tmp_path.parent / f"{tmp_path.name}-outside" / "b.yml").write_text(MINIMAL, encoding="utf-8")
    plans = project / "plans"
    (plans / "out").symlink_to(tmp_path.parent / f"{tmp_path.name}-outside")
    (plans / "2027" / "loop").symlink_to(plans)
    (plans / "up").symlink_to("..")
    (plans / "linked-folder.yml").symlink_to("2027")
    (plans / "link.yml").symlink_to("2027/a.yml")
    (plans / "broken.yml").symlink_to("gone.yml")
    os.mkfifo(plans / "pipe.yml")
    found = find_plan_files([plans])
    assert [p.relative_to(plans).as_posix() for p in found] == ["2027/a.yml", "broken.yml", "link.yml", "pipe.yml"]


@posix_only
def test_special_files_and_bad_names_are_reported_and_the_other_plans_load(project: Path, tmp_path: Path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-secret.yml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    write_plan(project, MINIMAL, "good.yml")
    plans = project / "plans"
    (plans / "leak.yml").symlink_to(secret)
    (plans / "link.yml").symlink_to("good.yml")
    os.mkfifo(plans / "pipe.yml")
    with open(os.fsencode(plans) + b"/\xff.yml", "w", encoding="utf-8") as stream:
        stream.write("id: ff\n" + MINIMAL)
    result = load(project)
    assert [str(p) for p in result.problems] == [
        "plans/\\xff.yml:1:1: the file name is not UTF-8 text (byte 0xFF); names made on a system using GBK look "
        "like this: rename the file",
        "plans/leak.yml:1:1: cannot read the file: it is a link to a file outside the project; put the file itself "
        "in the project",
        "plans/pipe.yml:1:1: cannot read the file: it is a named pipe (FIFO), not an ordinary file; only ordinary "
        "files are read",
    ]
    assert sorted(p.id for p in result.plans) == ["good", "link"]
    assert "hunter2" not in str(result.problems)


def test_the_id_comes_from_the_file_name(project: Path) -> None:
    write_plan(project, MINIMAL, "2027/qingyunxi-wangmin.yml")
    [loaded] = load(project).plans
    assert loaded.plan.id == "qingyunxi-wangmin"


def test_a_chinese_file_name_is_the_id_as_it_is(project: Path) -> None:
    write_plan(project, MINIMAL, "2027/王敏.yml")
    write_plan(project, MINIMAL, "2027/青云西-王敏_2027.yml")
    assert sorted(p.plan.id for p in load(project).plans) == ["王敏", "青云西-王敏_2027"]


def test_two_files_of_one_name_share_an_id_and_are_told(project: Path) -> None:
    write_plan(project, MINIMAL, "2027/王敏.yml")
    write_plan(project, MINIMAL, "2028/王敏.yml")
    result = load(project)
    assert [str(p) for p in result.problems] == [
        f"plans/{a}/王敏.yml:1:1: id: plan id '王敏' is also used by plans/{b}/王敏.yml; ids must be unique, and "
        "plans that share one are not built: give one of them an id of its own (for example id: 王敏-2027) or "
        "another file name"
        for a, b in (("2027", "2028"), ("2028", "2027"))
    ]
    assert result.plans == []


def test_a_file_name_that_cannot_be_an_id_asks_for_one(project: Path) -> None:
    assert problems(project, MINIMAL, "王敏 计划.yml") == [
        "plans/王敏 计划.yml:1:1: id: the file name '王敏 计划' cannot serve as the plan id (an id is Chinese "
        "characters, lowercase letters, digits, '-' and '_'); add a line such as 'id: qingyunxi-wangmin-2027'"
    ]
    write_plan(project, "id: 王敏\n" + MINIMAL, "王敏 计划.yml")
    assert [p.plan.id for p in load(project).plans] == ["王敏"]


SITE_PAGE = "the site has a page or folder of that name"
DEVICE = "Windows keeps that name for a device"
NOT_AN_ID = "an id is Chinese characters, lowercase letters, digits, '-' and '_'"


@pytest.mark.parametrize(
    ("stem", "reason"),
    [("index", SITE_PAGE), ("plans", SITE_PAGE), ("orgs", SITE_PAGE), ("assets", SITE_PAGE), ("pagefind", SITE_PAGE),
     ("con", DEVICE), ("nul", DEVICE), ("com1", DEVICE), ("lpt9", DEVICE), ("CON", NOT_AN_ID), ("a b", NOT_AN_ID)],
)  # fmt: skip
def test_a_file_name_that_would_take_a_reserved_name_asks_for_an_id(project: Path, stem: str, reason: str) -> None:
    assert problems(project, MINIMAL + "status: x\n", f"{stem}.yml") == [
        f"plans/{stem}.yml:1:1: id: the file name '{stem}' cannot serve as the plan id ({reason}); add a line such "
        "as 'id: qingyunxi-wangmin-2027'",
        f'plans/{stem}.yml:4:9: status: expected one of 草稿, 已提交, 已批准; got "x"',
    ]
    write_plan(project, "id: ok\n" + MINIMAL, f"{stem}.yml")
    assert [p.plan.id for p in load(project).plans] == ["ok"]


def test_the_id_messages_in_chinese(project: Path) -> None:
    with speaking("zh-CN"):
        assert problems(project, MINIMAL, "王敏 计划.yml") == [
            "plans/王敏 计划.yml:1:1: id: 文件名“王敏 计划”不能用作计划 id（id 只能由汉字、小写字母、数字、“-”和“_”组成）；"
            "请加一行 id，例如 id: 王敏-2027"
        ]
        (project / "plans" / "王敏 计划.yml").unlink()
        assert problems(project, "id:\n" + MINIMAL, "王敏.yml") == [
            "plans/王敏.yml:1:4: id: 计划 id 是空的：请写上一个，例如 id: 王敏-2027；或者删掉这一行，用文件名作 id"
        ]


CHINESE_PLAN = """\
title: 王敏2027年上半年工作计划
period: 2027年上半年
owner: {name: 王敏}
status: 已提交
date: 2027年6月30日
goals:
  - id: retention
    title: 降低流失
    metric: 客户流失率
    baseline: 4.5
    target: 3
    direction: 降低
    due: 2027年6月30日
    milestones: {一季度: 4, 第二季度: 3}
    actuals: {1月: 4.4, 2027年2月: 4.3}
training:
  programs:
    - {title: 新人培训, method: 师带徒, when: 2027年3月}
    - {title: 产品, method: 产品说明会, when: {start: 2027年4月1日, end: 2027年4月30日}}
activities:
  - {title: 社区宣传, when: 2027年1月1日}
"""


def test_a_plan_written_the_chinese_way_is_clean_and_reads_as_plangens_own(project: Path) -> None:
    write_plan(project, CHINESE_PLAN, "2027/王敏.yml")
    result = load(project)
    assert result.problems == []
    [loaded] = result.plans
    plan = loaded.plan
    assert (loaded.id, plan.status, plan.period.text, plan.goals[0].direction) == (
        "王敏",
        "submitted",
        "2027-H1",
        "down",
    )
    assert [p.method for p in plan.training.programs] == ["mentoring", "product-briefing"]  # type: ignore[union-attr]


def test_chinese_sub_periods_are_checked_against_the_period(project: Path) -> None:
    text = CHINESE_PLAN.replace("第二季度: 3}", "第二季度: 3, 五季度: 3, 下半年: 2}")
    assert problems(project, text, "2027/王敏.yml") == [
        "plans/2027/王敏.yml:14:35: goals[0].milestones.五季度: '五季度' is not a sub-period; use 一季度–四季度, "
        "上半年/下半年, 1月–12月, 2027年第二季度, 2027年3月 or a date",
        "plans/2027/王敏.yml:14:43: goals[0].milestones.下半年: '下半年' (2027-H2) lies outside the plan period 2027-H1",
    ]


@pytest.mark.parametrize(("written", "column"), [("id:", 4), ("id: ~", 5), ("id: null", 5), ("id: NULL", 5)])
def test_an_empty_id_is_an_error_and_the_rest_is_checked(project: Path, written: str, column: int) -> None:
    goals = "goals:\n  - {id: g, title: t, metric: m, target: 5}\nactivities:\n  - {title: a, goal: h}\n"
    assert problems(project, f"{written}\n{MINIMAL}{goals}", "wangmin.yml") == [
        f"plans/wangmin.yml:1:{column}: id: the plan id is empty; write one, such as 'id: qingyunxi-wangmin-2027', "
        "or leave the line out to use the file name",
        "plans/wangmin.yml:8:22: activities[0].goal: no goal with id 'h' in this plan; goals here are: g",
    ]
    assert load(project).plans == []


@pytest.mark.parametrize(
    ("plan_id", "reason"),
    [("index", SITE_PAGE), ("plans", SITE_PAGE), ("units", SITE_PAGE), ("calendar", SITE_PAGE), ("tags", SITE_PAGE),
     ("guide", SITE_PAGE), ("downloads", SITE_PAGE), ("sitemap", SITE_PAGE), ("404", SITE_PAGE), ("con", DEVICE),
     ("prn", DEVICE), ("aux", DEVICE), ("nul", DEVICE), ("com0", DEVICE), ("com9", DEVICE), ("lpt1", DEVICE)],
)  # fmt: skip
def test_reserved_plan_ids_are_refused(project: Path, plan_id: str, reason: str) -> None:
    assert problems(project, f"id: {plan_id}\n" + MINIMAL, "wangmin.yml") == [
        f"plans/wangmin.yml:1:5: id: '{plan_id}' cannot be a plan id: {reason}; choose another, e.g. "
        "qingyunxi-wangmin-2027"
    ]


def test_ids_like_reserved_names_are_fine(project: Path) -> None:
    ids = ["com10", "console", "index-2027", "lpt", "nul1x", "search-team"]
    for plan_id in ids:
        write_plan(project, f"id: {plan_id}\n" + MINIMAL, f"{plan_id}.yml")
    assert sorted(p.id for p in load(project).plans) == ids


def test_plans_sharing_an_id_are_each_reported_and_none_is_built(project: Path) -> None:
    write_plan(project, MINIMAL, "2027/a.yml")
    write_plan(project, "id: a\n" + MINIMAL, "2028/b.yml")
    write_plan(project, MINIMAL, "2028/c.yml")
    result = load(project)
    assert [str(p) for p in result.problems] == [
        "plans/2027/a.yml:1:1: id: plan id 'a' is also used by plans/2028/b.yml; ids must be unique, and plans that "
        "share one are not built: give one of them an id of its own (for example id: a-2027) or another file name",
        "plans/2028/b.yml:1:5: id: plan id 'a' is also used by plans/2027/a.yml; ids must be unique, and plans that "
        "share one are not built: give one of them an id of its own (for example id: a-2027) or another file name",
    ]
    assert [p.id for p in result.plans] == ["c"]
    write_plan(project, "id: a\n" + MINIMAL, "2029/a.yaml")
    result = load(project)
    assert [str(p).split(": id: ")[0] for p in result.problems] == [
        "plans/2027/a.yml:1:1", "plans/2028/b.yml:1:5", "plans/2029/a.yaml:1:5",
    ]  # fmt: skip
    assert str(result.problems[2]).endswith(
        "plan id 'a' is also used by plans/2027/a.yml, plans/2028/b.yml; ids must be unique, and plans that share "
        "one are not built: give one of them an id of its own (for example id: a-2027) or another file name"
    )
    assert [p.id for p in result.plans] == ["c"]


def test_the_same_file_named_twice_is_read_once(project: Path) -> None:
    path = write_plan(project, MINIMAL, "a.yml")
    result = load_plans(open_project(project), [Path("plans/a.yml"), path, project / "plans"])
    assert (result.files, result.problems, [p.id for p in result.plans]) == (1, [], ["a"])


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


def test_the_example_plans_load_without_a_problem_and_the_samples_difference_is_acknowledged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    shutil.copy(REPO / "plangen.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = load_plans(open_project(tmp_path), today=dt.date(2026, 12, 1))
    assert sorted(p.plan.id for p in result.plans) == [
        "bank-customer-managers",
        "harbor-sarah-jones",
        "qingyunxi-customer-managers",
        "qingyunxi-liqiang",
    ]
    assert [str(p) for p in result.problems] == []
    [sample] = [p.plan for p in result.plans if p.plan.id == "qingyunxi-customer-managers"]
    assert sample.clients is not None and sample.clients.difference is not None
    segments = [s.count for s in sample.clients.segments]
    assert (sum(segments), sample.clients.total, sample.clients.difference.amount) == (19920, 19630, 290)
    assert sample.clients.approximate and all(s.approximate for s in sample.clients.segments)


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


def test_no_plan_files_is_told_in_chinese(project: Path) -> None:
    with speaking("zh-CN"), pytest.raises(PlangenError) as raised:
        load(project)
    assert raised.value.message == "在 plans 中没有找到计划文件（*.yml、*.yaml）"
