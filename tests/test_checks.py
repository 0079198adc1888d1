"""Cross-checks: figures that disagree, references that do not resolve, dates outside the period."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL, problems

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
        "19,920 (+290); segments may overlap, but check the figures"
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
