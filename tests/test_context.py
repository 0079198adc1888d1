"""Figures, dates and periods as the documents print them, and derived totals and progress."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import REPO
from generator.context import (
    Figure,
    calendar,
    chinese_number,
    format_date,
    format_number,
    format_span,
    load_labels,
    plan_context,
    upcoming,
)
from generator.model import Plan, parse_span


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


def test_client_shares_total_and_the_stated_total_note() -> None:
    labels = load_labels(REPO / "templates", "zh-CN")
    clients = {"total": 19630, "segments": [{"name": "a", "count": 9300}, {"name": "b", "count": 10620}]}
    view = plan_context(plan(clients=clients), labels)["clients"]
    assert [s.share for s in view.segments] == ["46.7%", "53.3%"]
    assert view.summed == 19920
    assert (
        view.mismatch
        == "注：计划所述客户总数为19,630，各群体合计19,920，二者相差290。客户群体之间有重叠，数字均为约数。"
    )


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


@pytest.mark.parametrize(("weeks", "titles"), [(1, ["soon"]), (10**12, ["soon", "later"]), (-(10**12), [])])
def test_coming_up_counts_any_number_of_weeks(weeks: int, titles: list[str]) -> None:
    activities = [{"title": "soon", "when": "2027-01-03"}, {"title": "later", "when": "2027-12-01"}]
    entries = calendar([plan(activities=activities)], "en")
    assert [e.title for e in upcoming(entries, dt.date(2027, 1, 2), weeks)] == titles
