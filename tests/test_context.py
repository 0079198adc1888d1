"""Figures, dates and periods as the documents print them, and derived totals and progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import REPO
from plangen.context import (
    ClientTotal,
    Figure,
    GoalCounts,
    HoursTotal,
    behind_first,
    calendar,
    chinese_number,
    client_total,
    format_date,
    format_number,
    format_span,
    goal_standing,
    load_labels,
    most_behind,
    named_period,
    plan_context,
    rollup,
    training_hours,
    upcoming,
)
from plangen.errors import InvalidFile
from plangen.i18n import speaking
from plangen.model import Goal, Plan, parse_span


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九"), (100, "一百"), (105, "一百零五"),
     (110, "一百一十"), (1000, "一千"), (1010, "一千零一十"), (2345, "二千三百四十五"), (10000, "10000")],
)  # fmt: skip
def test_chinese_numbers(n: int, text: str) -> None:
    assert chinese_number(n) == text


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [
        ("2027", "2027年", "2027"),
        ("2027-H2", "2027年下半年", "H2 2027"),
        ("2027-Q1", "2027年第一季度", "Q1 2027"),
        ("2027-03", "2027年3月", "March 2027"),
        ("2027-01-05", "2027年1月5日", "5 January 2027"),
        ({"start": "2027-03-01", "end": "2027-04-30"}, "2027年3月1日至4月30日", "1 March – 30 April 2027"),
        (
            {"start": "2026-12-01", "end": "2027-01-31"},
            "2026年12月1日至2027年1月31日",
            "1 December 2026 – 31 January 2027",
        ),
    ],
)
def test_periods_read_naturally(period: object, zh: str, en: str) -> None:
    span = parse_span(period)
    assert (format_span(span, "zh-CN"), format_span(span, "en")) == (zh, en)


def test_numbers_and_figures() -> None:
    assert [format_number(v) for v in (19630, 4.5, 3.0, 1234.25)] == ["19,630", "4.5", "3", "1,234.25"]
    assert [str(Figure(3.0, "%")), str(Figure(1200, "户")), str(Figure(1200, "k USD"))] == [
        "3%",
        "1,200户",
        "1,200 k USD",
    ]
    assert format_date(dt.date(2027, 1, 5), "zh-CN") == "2027年1月5日"


@pytest.mark.parametrize(
    ("value", "text"),
    [(12345678901.5, "12,345,678,901.5"), (0.00001, "0.00001"), (-0.000025, "-0.000025"), (0.1 + 0.2, "0.3"),
     (123456789012.345, "123,456,789,012.345"), (2e15, "2,000,000,000,000,000"), (-0.0, "0"), (10**20, "100,000,000,000,000,000,000")],
)  # fmt: skip
def test_figures_print_as_written_never_in_exponent_notation(value: float, text: str) -> None:
    assert format_number(value) == text


def plan(**extra: object) -> Plan:
    return Plan.model_validate({"title": "t", "period": 2027, "owner": {"name": "x"}, "language": "zh-CN", **extra})


def test_client_shares_are_of_the_stated_total_and_a_differing_sum_is_shown_not_explained() -> None:
    clients = {"total": 19630, "segments": [{"name": "a", "count": 9300}, {"name": "b", "count": 10620}]}
    view = plan_context(plan(clients=clients), load_labels(REPO / "templates", "zh-CN"))["clients"]
    assert [s.share for s in view.segments] == ["47.4%", "54.1%"]  # 9300 / 19630, 10620 / 19630
    assert (view.summed, view.summed_share, view.stated, view.excluded) == ("19,920", "101.5%", "19,630", [])
    assert view.reason is None, "a difference is explained only in the author's words"


def test_approximate_counts_and_sums_of_them_say_so_and_an_acknowledged_reason_is_shown_if_wanted() -> None:
    difference = {"amount": 290, "reason": "各群体之间有重叠"}
    clients = {
        "total": "19630左右",
        "difference": difference,
        "segments": [{"name": "a", "count": "约9300"}, {"name": "b", "count": 10620}],
    }
    view = plan_context(plan(clients=clients), load_labels(REPO / "templates", "zh-CN"))["clients"]
    assert [s.count for s in view.segments] == ["约9,300", "10,620"]
    assert (view.summed, view.stated, view.reason) == ("约19,920", "约19,630", "各群体之间有重叠")
    hidden = {**clients, "difference": {**difference, "show": False}}
    assert plan_context(plan(clients=hidden), load_labels(REPO / "templates", "en"))["clients"].reason is None
    totals = client_total([plan(clients=clients), plan(clients={"total": 10})])
    assert (totals.clients, totals.approximate, totals.summed, totals.summed_approximate) == (19640, True, 19920, True)


def test_a_segment_counted_in_another_unit_is_no_client_and_left_out_of_the_sum() -> None:
    segments = [{"name": "住户", "count": 300}, {"name": "楼宇", "count": 12, "unit": "栋"}]
    view = plan_context(plan(clients={"segments": segments}), load_labels(REPO / "templates", "zh-CN"))["clients"]
    assert [(s.count, s.share) for s in view.segments] == [("300", "100.0%"), ("12栋", "")]
    assert (view.summed, view.summed_share, view.stated, view.excluded) == ("300", "100.0%", None, ["楼宇"])


def test_an_activity_with_dates_and_a_rhythm_shows_both() -> None:
    labels = load_labels(REPO / "templates", "zh-CN")
    activities = [{"title": "a", "when": "2027-03", "frequency": "每周"}, {"title": "b", "frequency": "每月"}]
    views = plan_context(plan(activities=activities), labels)["activities"]
    assert [v.when for v in views] == ["2027年3月，每周", "每月"]


def test_a_training_total_only_when_every_programme_gives_its_hours() -> None:
    labels = load_labels(REPO / "templates", "zh-CN")
    some = {"programs": [{"title": "a", "hours": 8}, {"title": "b"}]}
    assert plan_context(plan(training=some), labels)["training_hours"] is None
    every = {"programs": [{"title": "a", "hours": 8}, {"title": "b", "hours": 0.5}]}
    assert plan_context(plan(training=every), labels)["training_hours"] == "8.5"


def test_goal_progress_from_the_latest_actual() -> None:
    labels = load_labels(REPO / "templates", "en")
    goal = {
        "id": "r", "title": "t", "metric": "m", "unit": "%", "baseline": 88, "target": 92,
        "milestones": {"Q2": 90, "Q1": 89}, "actuals": {"Q2": 90.2, "Q1": 89.4},
    }  # fmt: skip
    [view] = plan_context(plan(goals=[goal], language="en"), labels)["goals"]
    assert [(label, str(value)) for label, value in view.milestones] == [("Q1", "89%"), ("Q2", "90%")]
    assert (view.actual[0], str(view.actual[1])) == ("Q2", "90.2%")  # type: ignore[index]
    assert view.progress == pytest.approx(0.55)
    assert (view.direction, view.due) == ("up", "31 December 2027")


def test_project_labels_override_built_in_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "zh-CN.yml").write_text("goals: 年度目标\n", encoding="utf-8")
    labels = load_labels(tmp_path, "zh-CN")
    assert (labels["goals"], labels["duties"]) == ("年度目标", "主要职责")


@pytest.mark.parametrize(
    ("today", "weeks", "titles"),
    [
        (dt.date(2027, 1, 2), 8, ["new year", "spring"]),
        (dt.date(2027, 1, 2), 0, ["new year"]),
        (dt.date(2027, 1, 2), 10**12, ["new year", "spring", "far"]),
        (dt.date(9999, 12, 31), 8, ["far"]),
        (dt.date(9999, 12, 31), 10**12, ["far"]),
    ],
)
def test_what_is_coming_up_counts_to_the_end_of_the_calendar_at_most(
    today: dt.date, weeks: int, titles: list[str]
) -> None:
    activities = [
        {"title": "new year", "when": {"start": "2027-01-01", "end": "2027-01-03"}},
        {"title": "spring", "when": "2027-02"},
        {"title": "far", "when": {"start": "2027-06-01", "end": "9999-12-31"}},
    ]
    assert [e.title for e in upcoming(calendar([plan(activities=activities)], "en"), today, weeks)] == titles


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("duites: 职责\n", "1:1: duites: unknown label 'duites' (did you mean 'duties'?)"),
        ("goals: [目标]\n", "1:8: goals: expected text, got a list"),
        ("statuses: 5\n", "1:11: statuses: expected a mapping of draft, submitted, approved, got 5"),
        ("statuses: {drafts: 草稿}\n", "1:12: statuses.drafts: unknown label 'drafts' (did you mean 'draft'?)"),
        (
            "upcoming: 未来{weeks}周{days}天\n",
            "1:11: upcoming: unknown placeholder {days}; this label can use {dates}, {weeks}",
        ),
        ("upcoming: 未来{0}周\n", "1:11: upcoming: unknown placeholder {0}; this label can use {dates}, {weeks}"),
        (
            "upcoming: 未来{weeks:d}周\n",
            "1:11: upcoming: unknown placeholder {weeks:d}; this label can use {dates}, {weeks}",
        ),
        (
            "when_with_frequency: 共{when\n",
            "1:22: when_with_frequency: a brace that opens or closes no placeholder; write {{ and }} for a brace itself",
        ),
    ],
)
def test_a_projects_labels_that_would_fail_a_build_are_located_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "zh-CN.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        load_labels(tmp_path, "zh-CN")
    assert caught.value.message == f"{tmp_path / 'labels' / 'zh-CN.yml'}:{message}"


def test_a_projects_labels_may_change_some_of_a_mapping_and_use_fewer_placeholders(tmp_path: Path) -> None:
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "zh-CN.yml").write_text(
        "statuses: {draft: 起草中}\nupcoming: 近期安排\ngoals: 目标{一}\n", encoding="utf-8"
    )
    labels = load_labels(tmp_path, "zh-CN")
    assert labels["statuses"] == {"draft": "起草中", "submitted": "已提交", "approved": "已批准"}
    assert (labels["upcoming"].format(weeks=8), labels["goals"]) == ("近期安排", "目标{一}")


def test_a_projects_labels_file_is_read_only_if_it_is_the_projects_own(tmp_path: Path) -> None:
    (tmp_path / "secret.yml").write_text("goals: SECRET\n", encoding="utf-8")
    (tmp_path / "project" / "templates" / "labels").mkdir(parents=True)
    planted = tmp_path / "project" / "templates" / "labels" / "zh-CN.yml"
    planted.symlink_to(tmp_path / "secret.yml")
    with pytest.raises(InvalidFile) as caught:
        load_labels(tmp_path / "project" / "templates", "zh-CN")
    assert caught.value.message == (
        f"{planted}:1:1: cannot read the file: it is a link to a file outside the project; put the file itself in "
        "the project"
    )


def test_a_projects_label_errors_are_in_chinese_for_a_chinese_reader(tmp_path: Path) -> None:
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "zh-CN.yml").write_text(
        "upcoming: 未来{days}天\nwhen_with_frequency: 共{when\n", encoding="utf-8"
    )
    with speaking("zh-CN"), pytest.raises(InvalidFile) as caught:
        load_labels(tmp_path, "zh-CN")
    file = tmp_path / "labels" / "zh-CN.yml"
    assert caught.value.message == (
        f"{file}:1:11: upcoming: 没有占位符 {{days}}；这个标签可以用 {{dates}}, {{weeks}}\n"
        f"{file}:2:22: when_with_frequency: 有一个大括号没有配成占位符；如果要写大括号本身，请写成 {{{{ 和 }}}}"
    )


# --- across plans: roll-ups and where goals stand ---------------------------


@pytest.mark.parametrize(
    ("period", "named"),
    [
        (2027, "2027"),
        ("2027年", "2027"),
        ("2027年度", "2027"),
        ({"start": "2027-01-01", "end": "2027-12-31"}, "2027"),
        ({"start": "2027-07-01", "end": "2027-12-31"}, "2027-H2"),
        ({"start": "2027-04-01", "end": "2027-06-30"}, "2027-Q2"),
        ({"start": "2027-03-01", "end": "2027-03-31"}, "2027-03"),
        ("2027年上半年", "2027-H1"),
        ({"start": "2027-03-01", "end": "2027-04-30"}, None),
        ({"start": "2026-12-01", "end": "2027-12-31"}, None),
    ],
)
def test_plans_covering_the_same_days_are_of_one_period_however_written(period: object, named: str | None) -> None:
    """Periods without a shorter name (None) stay as written."""
    assert named_period(parse_span(period)) == parse_span(named or period)


def goal(**extra: object) -> Goal:
    return Goal.model_validate({"id": "g", "title": "t", "metric": "m", "baseline": 0, "target": 100, **extra})


YEAR = parse_span(2027)


@pytest.mark.parametrize(
    ("milestones", "actuals", "as_of", "standing", "expected"),
    [
        # keys are compared as the periods they name, however written
        ({"一季度": 30}, {"Q1": 25}, None, "behind", ("一季度", 30)),
        ({"Q1": 30}, {"第一季度": 31}, None, "on_track", ("Q1", 30)),
        ({"3月": 30}, {"2027-03": 30}, None, "on_track", ("3月", 30)),
        # a half against the last quarter due by its end
        ({"Q1": 30, "Q2": 50}, {"H1": 45}, None, "behind", ("Q2", 50)),
        # a value of a quarter under way against the milestone due before it
        ({"Q1": 30, "Q2": 50}, {"Q1": 32, "Q2": 40}, dt.date(2027, 5, 15), "on_track", ("Q1", 30)),
        ({"Q1": 30, "Q2": 50}, {"Q1": 32, "Q2": 40}, dt.date(2027, 7, 1), "behind", ("Q2", 50)),
        # a value of a sub-period that has not begun does not count yet
        ({"Q1": 30}, {"Q1": 20, "Q2": 60}, dt.date(2027, 3, 31), "behind", ("Q1", 30)),
        ({"Q1": 30}, {"Q2": 60}, dt.date(2027, 3, 31), "no_actual", None),
        ({}, {}, None, "no_actual", None),
        # nothing due by the value's sub-period
        ({"Q2": 50}, {"Q1": 10}, None, "not_due", None),
        # the target is due on the due date (the end of the period) when no milestone is
        ({}, {"Q4": 99}, None, "behind", ("2027-12-31", 100)),
        ({}, {"Q4": 99}, dt.date(2027, 12, 30), "not_due", None),
        ({"Q4": 90}, {"Q4": 95}, None, "on_track", ("Q4", 90)),
    ],
)
def test_where_a_goal_stands(
    milestones: dict[str, float],
    actuals: dict[str, float],
    as_of: dt.date | None,
    standing: str,
    expected: tuple[str, float] | None,
) -> None:
    result = goal_standing(goal(milestones=milestones, actuals=actuals), YEAR, as_of)
    assert (result.standing, result.expected) == (standing, expected)


def test_a_falling_goal_is_behind_above_its_milestone_and_the_shortfall_is_a_share_of_the_way() -> None:
    falling = goal(baseline=5, target=3, milestones={"Q1": 4.5}, actuals={"Q1": 4.8})
    result = goal_standing(falling, YEAR)
    assert (result.standing, result.actual, result.shortfall) == ("behind", ("Q1", 4.8), pytest.approx(0.15))
    met = goal(baseline=5, target=3, milestones={"Q1": 4.5}, actuals={"Q1": 4.5})
    assert goal_standing(met, YEAR).standing == "on_track"
    no_baseline = goal(baseline=None, target=40, milestones={"Q1": 20}, actuals={"Q1": 15})
    assert goal_standing(no_baseline, YEAR).shortfall == pytest.approx(0.25)  # of the expected value


def test_a_plans_goal_verdict_compares_periods_not_key_text() -> None:
    labels = load_labels(REPO / "templates", "zh-CN")
    goals = [{"id": "g", "title": "t", "metric": "m", "baseline": 0, "target": 10, "milestones": {"一季度": 3},
              "actuals": {"Q1": 2}}]  # fmt: skip
    [view] = plan_context(plan(goals=goals), labels)["goals"]
    assert (view.on_track, view.verdict, view.expected) == (False, "落后", ("一季度", Figure(3, None)))
    [before] = plan_context(plan(goals=goals), labels, dt.date(2026, 12, 31))["goals"]
    assert (before.on_track, before.actual, before.standing.standing) == (None, None, "no_actual")


def test_clients_add_up_stated_totals_and_never_count_other_units_or_missing_data_as_zero() -> None:
    plans = [
        plan(clients={"total": 100, "segments": [{"name": "a", "count": 70}, {"name": "b", "count": 50}]}),
        plan(clients={"segments": [{"name": "a", "count": 20}, {"name": "楼", "count": 9, "unit": "栋"}]}),
        plan(clients={"total": 5}),
        plan(clients={"segments": [{"name": "楼", "count": 3, "unit": "栋"}]}),
        plan(),
    ]
    assert client_total(plans) == ClientTotal(plans=5, counted=3, clients=125, summed=140, difference=20)
    assert client_total(plans[1:2]) == ClientTotal(plans=1, counted=1, clients=20, summed=20, difference=None)
    assert client_total(plans[3:]) == ClientTotal(plans=2, counted=0, clients=None, summed=None, difference=None)


def test_training_hours_add_up_the_programmes_that_give_them_and_none_is_no_data() -> None:
    some = plan(training={"programs": [{"title": "a", "hours": 8}, {"title": "b"}]})
    more = plan(training={"programs": [{"title": "c", "hours": 2.5}]})
    assert training_hours([some, more, plan()]) == HoursTotal(hours=10.5, programs=3, counted=2)
    assert training_hours([plan(training={"programs": [{"title": "a"}]}), plan()]) == HoursTotal(None, 1, 0)


def test_a_rollup_counts_plans_by_status_and_goals_by_where_they_stand() -> None:
    goals = [
        {"id": "a", "title": "t", "metric": "m", "baseline": 0, "target": 10, "milestones": {"Q1": 3}, "actuals": {"Q1": 1}},
        {"id": "b", "title": "t", "metric": "m", "baseline": 0, "target": 10, "milestones": {"Q1": 3}, "actuals": {"Q1": 2}},
        {"id": "c", "title": "t", "metric": "m", "baseline": 0, "target": 10, "milestones": {"Q1": 3}, "actuals": {"Q1": 3}},
        {"id": "d", "title": "t", "metric": "m", "baseline": 0, "target": 10},
        {"id": "e", "title": "t", "metric": "m", "baseline": 0, "target": 10, "milestones": {"Q2": 5}, "actuals": {"Q1": 1}},
    ]  # fmt: skip
    plans = [plan(goals=goals, status="approved"), plan(status="draft")]
    labels = load_labels(REPO / "templates", "zh-CN")
    views = [(p, view) for p in plans for view in plan_context(p, labels, dt.date(2027, 6, 1))["goals"]]
    summary = rollup(plans, [view.standing for _, view in views])
    assert summary.statuses == {"draft": 1, "submitted": 0, "approved": 1}
    assert summary.goals == GoalCounts(goals=5, qualitative=0, behind=2, on_track=1, no_actual=1, not_due=1)
    assert [view.goal.id for _, view in behind_first(views)] == ["a", "b", "c", "d", "e"]
    assert [view.goal.id for _, view in most_behind(views, 1)] == ["a"]
    assert [view.goal.id for _, view in most_behind(views)] == ["a", "b"]


def test_goals_without_figures_are_counted_apart_and_each_measure_stands_on_its_own() -> None:
    goals = [
        {"id": "a", "title": "发展新业务", "detail": "努力发展新的业务"},
        {"id": "b", "title": "t", "measures": [
            {"metric": "x", "baseline": 0, "target": 10, "milestones": {"Q1": 3}, "actuals": {"Q1": 1}},
            {"metric": "y", "baseline": 0, "target": 10, "milestones": {"Q1": 3}, "actuals": {"Q1": 4}},
        ]},
    ]  # fmt: skip
    labels = load_labels(REPO / "templates", "zh-CN")
    context = plan_context(plan(goals=goals), labels, dt.date(2027, 6, 1))
    assert [g.id for g in context["qualitative"]] == ["a"]
    assert [(v.anchor, v.measure.metric, v.standing.standing) for v in context["goals"]] == [
        ("goal-b", "x", "behind"), ("goal-b-2", "y", "on_track")
    ]  # fmt: skip
    summary = rollup([plan(goals=goals)], [view.standing for view in context["goals"]])
    assert summary.goals == GoalCounts(goals=2, qualitative=1, behind=1, on_track=1, no_actual=0, not_due=0)


def test_a_team_plan_lists_its_members_and_a_draft_without_owner_goes_by_its_unit() -> None:
    members = [{"name": "李强", "role": "负责政企客户"}, {"name": "赵敏", "title": "客户经理"}, {"name": "钱多"}]
    draft = Plan.model_validate({"title": "t", "unit": "青云西区域", "members": members})
    context = plan_context(draft, load_labels(REPO / "templates", "zh-CN"))
    assert (context["author"], context["period"]) == ("青云西区域", None)
    assert context["members"] == "李强（负责政企客户）、赵敏（客户经理）、钱多"
    both = Plan.model_validate(
        {"title": "t", "members": [{"name": "李强", "title": "客户经理", "role": "负责政企客户"}]}
    )
    assert plan_context(both, load_labels(REPO / "templates", "zh-CN"))["members"] == "李强（客户经理、负责政企客户）"


def test_recurring_activities_say_how_often_in_the_plans_language() -> None:
    activity = {"title": "t", "frequency": "不定期", "status": "done"}
    zh = plan_context(plan(activities=[activity]), load_labels(REPO / "templates", "zh-CN"))["activities"][0]
    en = plan_context(plan(activities=[activity]), load_labels(REPO / "templates", "en"))["activities"][0]
    assert (zh.when, zh.status, en.when, en.status) == ("不定期", "已完成", "irregularly", "done")
