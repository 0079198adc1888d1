"""The plan format's own types: periods, sub-periods, numbers, shorthand items."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from generator.model import (
    Goal,
    Item,
    Plan,
    Segment,
    Span,
    describe,
    parse_span,
    plan_id_problem,
    resolve_sub_period,
)


@pytest.mark.parametrize(
    ("value", "start", "end", "text"),
    [
        (2027, "2027-01-01", "2027-12-31", "2027"),
        ("2027", "2027-01-01", "2027-12-31", "2027"),
        ("2027-h2", "2027-07-01", "2027-12-31", "2027-H2"),
        ("2027-Q1", "2027-01-01", "2027-03-31", "2027-Q1"),
        ("2028-02", "2028-02-01", "2028-02-29", "2028-02"),
        (dt.date(2027, 1, 5), "2027-01-05", "2027-01-05", "2027-01-05"),
        ("2027-01-05", "2027-01-05", "2027-01-05", "2027-01-05"),
        ({"start": dt.date(2027, 3, 1), "end": "2027-04-30"}, "2027-03-01", "2027-04-30", "2027-03-01/2027-04-30"),
    ],
)
def test_parse_span(value: object, start: str, end: str, text: str) -> None:
    assert parse_span(value) == Span(dt.date.fromisoformat(start), dt.date.fromisoformat(end), text)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-Q5", 'got "2027-Q5"'),
        ("2027-13", 'got "2027-13"'),
        (True, "got true"),
        ({"start": "2027-05-01", "end": "2027-04-01"}, "the range ends (2027-04-01) before it starts (2027-05-01)"),
        ({"start": "2027-05-01"}, "a date range needs exactly start: and end:, got keys start"),
        (
            {"start": "soon", "end": "2027-04-01"},
            'expected a real date written YYYY-MM-DD, e.g. 2027-03-31, got "soon"',
        ),
    ],
)
def test_parse_span_explains_bad_values(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_span(value)
    assert message in str(caught.value)


def test_sub_periods_are_read_against_the_plan_year() -> None:
    year = parse_span(2027)
    assert resolve_sub_period("Q2", year).text == "2027-Q2"
    assert resolve_sub_period("h1", year).text == "2027-H1"
    assert resolve_sub_period("M3", year).text == "2027-03"
    assert resolve_sub_period("2027-06-30", year).end == dt.date(2027, 6, 30)
    with pytest.raises(ValueError):
        resolve_sub_period("Q5", year)


def test_a_plain_string_is_an_items_title() -> None:
    assert Item.model_validate("开拓银行业务") == Item(title="开拓银行业务")


def test_numbers_keep_their_kind_and_accept_thousands_separators() -> None:
    goal = Goal.model_validate(
        {"id": "a", "title": "t", "metric": "m", "baseline": "1,200", "target": 4.5, "milestones": {2027: 3}}
    )
    assert (goal.baseline, goal.target, goal.milestones) == (1200, 4.5, {"2027": 3})


def test_direction_is_read_off_baseline_and_target_when_left_out() -> None:
    base = {"id": "a", "title": "t", "metric": "m"}
    assert not Goal.model_validate({**base, "baseline": 5, "target": 3}).rising
    assert Goal.model_validate({**base, "baseline": 3, "target": 5}).rising
    assert Goal.model_validate({**base, "baseline": 3, "target": 5, "direction": "down"}).rising is False


def test_numbers_refuse_booleans() -> None:
    with pytest.raises(ValidationError, match="expected a number, got true"):
        Goal.model_validate({"id": "a", "title": "t", "metric": "m", "target": True})


@pytest.mark.parametrize("value", [float("inf"), float("nan"), "1e999", "-1e999", "nan", "inf"])
def test_numbers_and_counts_refuse_infinity_and_nan(value: object) -> None:
    with pytest.raises(ValidationError, match="expected a number"):
        Goal.model_validate({"id": "a", "title": "t", "metric": "m", "target": value})
    with pytest.raises(ValidationError, match="expected a whole number"):
        Segment.model_validate({"name": "n", "count": value})


def test_plan_needs_title_period_and_owner() -> None:
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate({})
    assert [e["loc"] for e in caught.value.errors()] == [("title",), ("period",), ("owner",)]


def test_describe() -> None:
    assert describe("多") == '"多"'
    assert describe(None) == "nothing"
    assert describe([1]) == "a list"
    assert describe("x" * 50) == '"' + "x" * 37 + '…"'
    assert describe(10**400) == "1" + "0" * 36 + "…"


@pytest.mark.parametrize(
    ("text", "problem"),
    [("qingyunxi-wangmin", None), ("2027_a", None), ("index", "the site has a page or folder of that name"),
     ("404", "the site has a page or folder of that name"), ("aux", "Windows keeps that name for a device"),
     ("com0", "Windows keeps that name for a device"), ("a\n", "an id is lowercase letters, digits, '-' and '_'"),
     ("", "an id is lowercase letters, digits, '-' and '_'"), ("a" * 65, "an id is lowercase letters, digits, '-' and '_'")],
)  # fmt: skip
def test_plan_id_problem(text: str, problem: str | None) -> None:
    assert plan_id_problem(text) == problem
