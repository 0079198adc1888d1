"""Cross-checks: figures that disagree, references that do not resolve, dates outside the period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import MINIMAL, load, problems, write_plan
from plangen.i18n import speaking

GOAL = "  - {{id: {id}, title: t, metric: m, baseline: {baseline}, target: {target}{extra}}}\n"


def goal(id: str = "g", baseline: float = 10, target: float = 5, extra: str = "") -> str:
    return GOAL.format(id=id, baseline=baseline, target=target, extra=extra)


def test_the_samples_stated_total_against_its_segments(project: Path) -> None:
    text = MINIMAL + (
        "clients:\n  total: 19630\n  segments:\n"
        "    - {name: 固话用户, count: 9300}\n    - {name: 小灵通用户, count: 10000}\n"
        "    - {name: 宽带用户, count: 400}\n    - {name: 商铺客户, count: 220}\n"
    )
    assert problems(project, text) == [
        "plans/plan.yml:5:10: clients.total: the stated total 19,630 differs from the sum of the segments, "
        "19,920 (+290); segments may overlap, but check the figures; once they are right, acknowledge it with "
        "difference: amount: 290 and reason:"
    ]


def test_an_acknowledged_difference_is_quiet_until_the_figures_change(project: Path) -> None:
    clients = "clients:\n  total: 19630\n  difference: {{amount: 290, reason: 原文未说明}}\n  segments:\n{segments}"
    segments = "    - {name: 固话用户, count: 9300}\n    - {name: 小灵通用户, count: 10620}\n"
    assert problems(project, MINIMAL + clients.format(segments=segments)) == []
    changed = segments.replace("10620", "10000")
    assert problems(project, MINIMAL + clients.format(segments=changed)) == [
        "plans/plan.yml:6:24: clients.difference.amount: the segments' sum less the stated total is now -330, not 290 "
        "as acknowledged; check the figures, then write amount: -330"
    ]
    # The amount to write is written as it must be: -9490, not -9,490, which is no integer.
    dropped = segments.replace("10620", "840")
    assert problems(project, MINIMAL + clients.format(segments=dropped))[0].endswith("then write amount: -9490")


def test_a_plan_no_longer_a_draft_names_its_owner_and_period(project: Path) -> None:
    assert problems(project, "title: t\n") == []
    assert problems(project, "title: t\nstatus: submitted\n") == [
        "plans/plan.yml:2:9: status: a plan that is no longer a draft names its owner: add owner: with name: (the "
        "person, or the head of the unit), or keep status: draft until it is known",
        "plans/plan.yml:2:9: status: a plan that is no longer a draft names its period: add period: (e.g. 2027), or "
        "keep status: draft",
    ]


def test_a_goals_own_measure_is_whole_or_absent_and_never_beside_measures(project: Path) -> None:
    text = MINIMAL + (
        "goals:\n  - {id: a, title: 发展新业务}\n  - {id: b, title: t, target: 5}\n  - {id: c, title: t, metric: m}\n"
        "  - {id: d, title: t, unit: 户}\n  - {id: e, title: t, baseline: 1, measures: [{metric: m, target: 2}]}\n"
    )
    assert problems(project, text) == [
        "plans/plan.yml:6:31: goals[1].target: a target needs its metric: add metric: (what is measured, e.g. 客户流失率)",
        "plans/plan.yml:7:31: goals[2].metric: a goal with a metric needs its target: add target: (the value to reach)",
        "plans/plan.yml:8:29: goals[3].unit: unit belongs to a measured goal: add metric: and target:, or leave it out "
        "for a goal without figures",
        "plans/plan.yml:9:33: goals[4].baseline: a goal with measures: writes baseline in each measure, not in the "
        "goal; move it under measures, or leave out measures",
    ]


def test_a_plan_without_a_period_has_no_milestones_and_dates_its_targets(project: Path) -> None:
    text = "title: t\ngoals:\n  - {id: a, title: t, metric: m, target: 5, milestones: {Q1: 2}}\n"
    assert problems(project, text) == [
        "plans/plan.yml:3:42: goals[0].target: the target falls due at the end of the plan's period, which this plan "
        "has not got: add due: (a date) or period:",
        "plans/plan.yml:3:58: goals[0].milestones.Q1: 'Q1' is read against the plan's period, which this plan has "
        "not got: add period:",
    ]


def test_a_milestone_passed_without_an_actual_is_warned_of_as_of_the_day(project: Path) -> None:
    text = MINIMAL + "goals:\n" + goal(extra=", milestones: {Q1: 8, Q2: 6}, actuals: {Q1: 9}")
    write_plan(project, text)
    assert [str(p) for p in load(project, today=dt.date(2027, 6, 30)).problems] == []
    assert [str(p) for p in load(project, today=dt.date(2027, 7, 1)).problems] == [
        "plans/plan.yml:5:79: goals[0].milestones.Q2: milestone Q2 was due by 2027-06-30 and no actual is recorded "
        "for it or later: add the value reached under actuals, e.g. actuals: {Q2: …}"
    ]
    late = [str(p) for p in load(project, today=dt.date(2028, 1, 1)).problems]
    assert late[0] == (
        "plans/plan.yml:5:56: goals[0].target: the target was due by 2027-12-31 and no actual is recorded for then: "
        "add the value reached under actuals, e.g. actuals: {2027-12-31: …}"
    )
    assert [str(p) for p in load(project).problems] == [], "without a day, nothing is overdue"


def test_an_outcome_belongs_to_a_done_activity(project: Path) -> None:
    text = MINIMAL + "activities:\n  - {title: t, outcome: 很好}\n  - {title: u, status: 已完成, outcome: 很好}\n"
    assert problems(project, text) == [
        "plans/plan.yml:5:25: activities[0].outcome: an outcome is written for an activity that is not done: add "
        "status: done, or leave outcome out"
    ]


def test_direction_against_baseline_and_target(project: Path) -> None:
    text = MINIMAL + "goals:\n" + goal(extra=", direction: up")
    assert problems(project, text) == [
        "plans/plan.yml:5:70: goals[0].direction: the direction is up, but the target (5) is below the baseline (10)"
    ]


def test_milestone_keys_must_be_sub_periods_inside_the_period(project: Path) -> None:
    text = MINIMAL + "goals:\n" + goal(extra=", milestones: {Q5: 8, 2028-Q1: 6}")
    assert problems(project, text) == [
        "plans/plan.yml:5:72: goals[0].milestones.Q5: 'Q5' is not a sub-period; use 一季度–四季度, 上半年/下半年, "
        "1月–12月, 2027年第二季度, 2027年3月 or a date",
        "plans/plan.yml:5:79: goals[0].milestones.2028-Q1: '2028-Q1' lies outside the plan period 2027",
    ]


def test_milestones_that_go_backwards(project: Path) -> None:
    text = MINIMAL + "goals:\n" + goal(extra=", milestones: {Q1: 9, Q2: 9.5, Q3: 7}")
    assert problems(project, text) == [
        "plans/plan.yml:5:83: goals[0].milestones.Q2: milestone Q2 (9.5) goes back from Q1 (9) for a goal that "
        "should go down"
    ]


def test_milestone_going_back_from_the_baseline(project: Path) -> None:
    text = MINIMAL + "goals:\n" + goal(baseline=3, target=5, extra=", milestones: {Q1: 2}")
    assert problems(project, text) == [
        "plans/plan.yml:5:75: goals[0].milestones.Q1: milestone Q1 (2) goes back from the baseline (3) for a goal "
        "that should go up"
    ]


def test_goal_ids_are_unique_within_a_plan(project: Path) -> None:
    text = MINIMAL + "goals:\n" + goal() + goal()
    assert problems(project, text) == [
        "plans/plan.yml:6:10: goals[1].id: goal id 'g' is already used by goals[0]; ids must be unique"
    ]


def test_activities_refer_to_existing_goals(project: Path) -> None:
    text = MINIMAL + "goals:\n" + goal(id="retention") + "activities:\n  - {title: a, goal: retension}\n"
    assert problems(project, text) == [
        "plans/plan.yml:7:22: activities[0].goal: no goal with id 'retension' in this plan (did you mean 'retention'?)"
    ]


def test_dates_outside_the_period_are_warnings(project: Path) -> None:
    text = MINIMAL + (
        "goals:\n"
        + goal(extra=", due: 2028-03-31")
        + "activities:\n  - {title: a, when: 2026-12}\n"
        + "training:\n  programs:\n    - {title: p, when: {start: 2027-12-01, end: 2028-01-31}}\n"
    )
    assert problems(project, text) == [
        "plans/plan.yml:5:64: goals[0].due: 2028-03-31 lies outside the plan period 2027",
        "plans/plan.yml:7:22: activities[0].when: 2026-12 lies outside the plan period 2027",
        "plans/plan.yml:10:24: training.programs[0].when: 2027-12-01/2028-01-31 lies outside the plan period 2027",
    ]


def test_assessment_weights_add_up_to_100(project: Path) -> None:
    text = MINIMAL + "assessment:\n  - {title: a, weight: 50}\n  - {title: b, weight: 30}\n"
    assert problems(project, text) == ["plans/plan.yml:5:3: assessment: the weights add up to 80%, not 100%"]


@pytest.mark.parametrize(
    "weights",
    [[33.4, 33.3, 33.3], [9.9] * 10 + [1], [12.1] * 7 + [15.3], [20.0, 19.8, 9.5, 21.4, 29.3], [0.1] * 1000,
     [2.2, 25.7, 14.3, 6.5, 9.7, 21.0, 1.2, 4.5, 14.9], ['"33.4"', '"33.3"', '"33.3"'], [33.3, 33.3, 33.4], [100]],
)  # fmt: skip
def test_weights_that_add_up_to_100_within_rounding_give_no_warning(project: Path, weights: list[object]) -> None:
    text = MINIMAL + "assessment:\n" + "".join(f"  - {{title: t{i}, weight: {w}}}\n" for i, w in enumerate(weights))
    assert problems(project, text) == []


@pytest.mark.parametrize(
    ("weights", "total"),
    [([33.3, 33.3, 33.3], "99.9"), ([33.33, 33.33, 33.33], "99.99"), ([0.1] * 10 + [98.9], "99.9"), ([60, 60], "120"),
     ([0.1, 0.2], "0.3")],
)  # fmt: skip
def test_weights_that_do_not_add_up_are_shown_as_written(project: Path, weights: list[float], total: str) -> None:
    text = MINIMAL + "assessment:\n" + "".join(f"  - {{title: t{i}, weight: {w}}}\n" for i, w in enumerate(weights))
    assert problems(project, text) == [f"plans/plan.yml:5:3: assessment: the weights add up to {total}%, not 100%"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL + "clients:\n  total: 100\n  segments:\n    - {name: a, count: 90}\n",
         ["5:10: clients.total: 所写的合计 100 与各客户群体之和 90 不一致（-10）；群体之间可以有重叠，但请核对数字；"
          "核对无误后，请用 difference: 写明 amount: -10 和 reason:（原因）予以确认"]),
        (MINIMAL + "goals:\n" + goal(extra=", direction: up"),
         ["5:70: goals[0].direction: 方向写的是 up，但目标值（5）低于基数（10）"]),
        (MINIMAL + "goals:\n" + goal(baseline=3, target=5, extra=", direction: down"),
         ["5:69: goals[0].direction: 方向写的是 down，但目标值（5）高于基数（3）"]),
        (MINIMAL.replace("2027", "2027-H1") + "goals:\n" + goal(extra=", milestones: {Q3: 8, 2028-Q1: 6}"),
         ["5:72: goals[0].milestones.Q3: “Q3”（2027-Q3）不在计划期间 2027-H1 之内",
          "5:79: goals[0].milestones.2028-Q1: “2028-Q1”不在计划期间 2027-H1 之内"]),
        (MINIMAL + "goals:\n" + goal(extra=", milestones: {Q1: 9, Q2: 9.5}"),
         ["5:83: goals[0].milestones.Q2: 阶段目标 Q2（9.5）高于前一个阶段目标 Q1（9），但这个目标应逐步降低"]),
        (MINIMAL + "goals:\n" + goal(baseline=3, target=5, extra=", milestones: {Q1: 4, Q2: 3.5}"),
         ["5:82: goals[0].milestones.Q2: 阶段目标 Q2（3.5）低于前一个阶段目标 Q1（4），但这个目标应逐步提升"]),
        (MINIMAL + "goals:\n" + goal(extra=", milestones: {Q1: 11}"),
         ["5:76: goals[0].milestones.Q1: 阶段目标 Q1（11）高于基数（10），但这个目标应逐步降低"]),
        (MINIMAL + "goals:\n" + goal(baseline=3, target=5, extra=", milestones: {Q1: 2}"),
         ["5:75: goals[0].milestones.Q1: 阶段目标 Q1（2）低于基数（3），但这个目标应逐步提升"]),
        (MINIMAL + "goals:\n" + goal() + goal(), ["6:10: goals[1].id: 目标编号“g”已被 goals[0] 使用；编号不能重复"]),
        (MINIMAL + "goals:\n" + goal(id="retention") + "activities:\n  - {title: a, goal: retension}\n",
         ["7:22: activities[0].goal: 本计划中没有编号为“retension”的目标（是不是想写“retention”？）"]),
        (MINIMAL + "goals:\n" + goal(id="retention") + "activities:\n  - {title: a, goal: zzz}\n",
         ["7:22: activities[0].goal: 本计划中没有编号为“zzz”的目标；已有的目标编号是：retention"]),
        (MINIMAL + "activities:\n  - {title: a, goal: zzz}\n",
         ["5:22: activities[0].goal: 本计划中没有编号为“zzz”的目标；本计划还没有写任何目标"]),
        (MINIMAL + "goals:\n" + goal(extra=", due: 2028-03-31") + "activities:\n  - {title: a, when: 2026-12}\n",
         ["5:64: goals[0].due: 2028-03-31 不在计划期间 2027 之内", "7:22: activities[0].when: 2026-12 不在计划期间 2027 之内"]),
        (MINIMAL + "assessment:\n  - {title: a, weight: 50}\n", ["5:3: assessment: 各项权重加起来是 50%，不是 100%"]),
    ],
)  # fmt: skip
def test_cross_checks_are_told_in_chinese(project: Path, text: str, expected: list[str]) -> None:
    with speaking("zh-CN"):
        assert problems(project, text) == [f"plans/plan.yml:{found}" for found in expected]


def test_plans_sharing_an_id_are_told_in_chinese(project: Path) -> None:
    write_plan(project, MINIMAL, "2027/a.yml")
    write_plan(project, "id: a\n" + MINIMAL, "2028/b.yml")
    with speaking("zh-CN"):
        assert [str(p) for p in load(project).problems] == [
            "plans/2027/a.yml:1:1: id: 计划编号“a”也被 plans/2028/b.yml 使用；计划编号不能重复，编号相同的计划都不会生成"
            "：请给其中一份写上自己的编号（例如 id: a-2027），或者给文件换个名字",
            "plans/2028/b.yml:1:5: id: 计划编号“a”也被 plans/2027/a.yml 使用；计划编号不能重复，编号相同的计划都不会生成"
            "：请给其中一份写上自己的编号（例如 id: a-2027），或者给文件换个名字",
        ]
