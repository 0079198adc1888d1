"""The plan format's own types: periods, sub-periods, numbers, shorthand items."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from plangen.i18n import speaking
from plangen.model import (
    CHINESE_NAMES,
    Activity,
    Clients,
    Goal,
    Item,
    Plan,
    Segment,
    Span,
    describe,
    parse_span,
    plan_id_problem,
    resolve_sub_period,
    sub_period_help,
    written_in,
)

NOT_AN_ID = "an id is Chinese characters, lowercase letters, digits, '-' and '_'"


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


def test_plan_needs_a_title_and_a_draft_may_leave_owner_and_period_out() -> None:
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate({})
    assert [e["loc"] for e in caught.value.errors()] == [("title",)]
    draft = Plan.model_validate({"title": "客服经理工作计划"})
    assert (draft.owner, draft.period, draft.status) == (None, None, "draft")  # checks.py holds others to more


@pytest.mark.parametrize(
    ("written", "count", "approximate"),
    [("9300左右", 9300, True), ("约9,300", 9300, True), ("大约 ９３００", 9300, True), ("about 9300", 9300, True),
     ("~9300", 9300, True), ("9300", 9300, False), (9300, 9300, False)],
)  # fmt: skip
def test_a_count_written_as_approximate_is_read_as_the_count_and_marked(
    written: object, count: int, approximate: bool
) -> None:
    segment = Segment.model_validate({"name": "固话用户", "count": written})
    assert (segment.count, segment.approximate) == (count, approximate)
    assert Clients.model_validate({"total": written}).approximate is approximate


def test_an_approximate_count_is_still_a_whole_number() -> None:
    with pytest.raises(ValidationError, match="expected a whole number"):
        Segment.model_validate({"name": "n", "count": "约多"})


def test_a_goal_is_measured_by_its_own_metric_or_its_measures_or_not_at_all() -> None:
    own = Goal.model_validate({"id": "a", "title": "t", "metric": "m", "unit": "户", "target": 5, "baseline": 1})
    assert [(m.metric, m.unit, m.baseline, m.target) for m in own.measured] == [("m", "户", 1, 5)]
    several = Goal.model_validate(
        {"id": "b", "title": "t", "measures": [{"metric": "x", "target": 1}, {"metric": "y", "target": 2}]}
    )
    assert [m.metric for m in several.measured] == ["x", "y"]
    assert Goal.model_validate({"id": "c", "title": "发展新业务"}).measured == []


def test_activity_states_and_frequencies_are_keywords_with_chinese_names() -> None:
    activity = Activity.model_validate({"title": "t", "status": "已完成", "frequency": "每星期"})
    assert (activity.status, activity.frequency) == ("done", "weekly")
    assert Activity.model_validate({"title": "t"}).status == "planned"
    with pytest.raises(ValidationError, match="不定期"), written_in("zh-CN"):
        Activity.model_validate({"title": "t", "frequency": "每周不少于3家"})


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
     ("com0", "Windows keeps that name for a device"), ("a\n", NOT_AN_ID), ("", NOT_AN_ID), ("a" * 65, NOT_AN_ID),
     ("王敏", None), ("王敏-2027", None), ("王" * 64, None), ("王" * 65, NOT_AN_ID), ("-王敏", NOT_AN_ID),
     ("王敏.docx", NOT_AN_ID), ("王/敏", NOT_AN_ID), ("王\\敏", NOT_AN_ID), ("王敏 ", NOT_AN_ID), ("Ｗ", NOT_AN_ID),
     ("王敏·买买提", NOT_AN_ID), ("丿丶", None)],
)  # fmt: skip
def test_plan_id_problem(text: str, problem: str | None) -> None:
    assert plan_id_problem(text) == problem


@pytest.mark.parametrize(
    ("value", "text"),
    [("2027年", "2027"), ("2027年度", "2027"), ("2027年上半年", "2027-H1"), ("2027年下半年", "2027-H2"),
     ("2027年第二季度", "2027-Q2"), ("2027年二季度", "2027-Q2"), ("2027年2季度", "2027-Q2"), ("2027年Q2", "2027-Q2"),
     ("2027年q2", "2027-Q2"), ("2027年H1", "2027-H1"), ("2027年3月", "2027-03"), ("2027年03月", "2027-03"),
     ("2027年三月", "2027-03"), ("2027年十二月", "2027-12"), ("2027年3月31日", "2027-03-31"),
     (" ２０２７年上半年 ", "2027-H1"), ({"start": "2027年3月1日", "end": "2027-04-30"}, "2027-03-01/2027-04-30")],
)  # fmt: skip
def test_chinese_periods_are_read_as_plangens_own(value: object, text: str) -> None:
    assert parse_span(value).text == text


@pytest.mark.parametrize(
    "value", ["2027年13月", "2027年第五季度", "2027年2月30日", "2027年中", "二〇二七年", "2027年3月31号", "27年"]
)
def test_chinese_periods_that_are_not_refused(value: str) -> None:
    with pytest.raises(ValueError, match="expected a year"):
        parse_span(value)


@pytest.mark.parametrize(
    ("key", "text"),
    [("一季度", "2027-Q1"), ("第一季度", "2027-Q1"), ("1季度", "2027-Q1"), ("第4季度", "2027-Q4"), ("上半年", "2027-H1"),
     ("下半年", "2027-H2"), ("1月", "2027-01"), ("一月", "2027-01"), ("十一月", "2027-11"), ("12月", "2027-12"),
     ("2027年6月", "2027-06"), ("2027年6月30日", "2027-06-30")],
)  # fmt: skip
def test_chinese_sub_periods_are_read_against_the_plan_year(key: str, text: str) -> None:
    assert resolve_sub_period(key, parse_span(2027)).text == text


def test_chinese_keywords_and_dates_mean_the_english_ones() -> None:
    plan = Plan.model_validate(
        {
            "title": "t",
            "period": "2027年上半年",
            "owner": {"name": "王敏"},
            "status": "已审批",
            "date": "2027年6月30日",
            "goals": [
                {"id": "g", "title": "t", "metric": "m", "target": 1, "direction": "降低", "due": "2027年3月31日"}
            ],
            "training": {"programs": [{"title": "p", "method": "师带徒", "when": "2027年第二季度"}]},
        }
    )
    data = plan.model_dump(mode="json")
    assert (data["status"], data["period"], data["date"]) == ("approved", "2027-H1", "2027-06-30")
    assert (data["goals"][0]["direction"], data["goals"][0]["due"]) == ("down", "2027-03-31")
    program = data["training"]["programs"][0]
    assert (program["method"], program["when"]) == ("mentoring", "2027-Q2")


def test_every_chinese_name_means_one_keyword() -> None:
    names = [name for names in CHINESE_NAMES.values() for name in names]
    assert len(names) == len(set(names))
    assert not set(names) & set(CHINESE_NAMES)


def _error(data: dict[str, object]) -> str:
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate({"title": "t", "period": 2027, "owner": {"name": "x"}, **data})
    [error] = [error for error in caught.value.errors() if error["loc"] != ("language",)]
    return str(error.get("ctx", {}).get("expected") or error["msg"])


def test_messages_name_the_forms_of_the_plans_language() -> None:
    assert _error({"status": "done"}) == "'draft', 'submitted' or 'approved'"
    assert _error({"status": "done", "language": "zh-CN"}) == "'草稿', '已提交' or '已批准'"
    assert _error({"period": "x", "language": "zh-CN"}).startswith("expected a year (2027年), half (2027年上半年)")
    assert _error({"date": "x", "language": "zh-CN"}) == (
        'expected a real date written YYYY年M月D日, e.g. 2027年3月31日, got "x"'
    )
    with written_in("zh-CN"):
        assert _error({"status": "done"}) == "'草稿', '已提交' or '已批准'", "the project's language"
        assert _error({"status": "done", "language": "en"}) == "'draft', 'submitted' or 'approved'", "the plan's own"
        assert _error({"status": "done", "language": "fr"}) == "'草稿', '已提交' or '已批准'"
        assert sub_period_help() == "一季度–四季度, 上半年/下半年, 1月–12月, 2027年第二季度, 2027年3月 or a date"
    assert sub_period_help() == "Q1–Q4, H1/H2, M1–M12, 2027-Q2, 2027-03 or a date"


def test_messages_in_chinese() -> None:
    with speaking("zh-CN"), written_in("zh-CN"):
        assert _error({"period": "明年"}) == (
            "应填年份（2027年）、半年（2027年上半年）、季度（2027年第二季度）、月份（2027年3月）、日期（2027年3月31日）"
            '或 {start: …, end: …}，实际写的是 "明年"'
        )
        assert _error({"date": "2027年2月30日"}) == (
            '应填一个真实存在的日期，写成 YYYY年M月D日，例如 2027年3月31日，实际写的是 "2027年2月30日"'
        )
        assert _error({"period": {"start": "2027-05-01", "end": "2027-04-01"}}) == (
            "结束日期（2027-04-01）早于开始日期（2027-05-01）"
        )
        assert _error({"period": {"start": "2027-05-01"}}) == "日期范围要写且只写 start: 和 end: 两项，实际写的是 start"
        assert _error({"period": {"start": "soon", "end": "2027-04-01"}}) == (
            '日期范围中：应填一个真实存在的日期，写成 YYYY年M月D日，例如 2027年3月31日，实际写的是 "soon"'
        )
        assert (
            _error({"id": "index"}) == "“index”不能作为计划 id：网站自己有同名的页面或文件夹；请换一个，例如 王敏-2027"
        )
        assert _error({"id": "con"}) == "“con”不能作为计划 id：Windows 把这个名字留给设备使用；请换一个，例如 王敏-2027"
        assert _error({"id": "A"}) == (
            "“A”不能作为计划 id：id 只能由汉字、小写字母、数字、“-”和“_”组成；请换一个，例如 王敏-2027"
        )
        assert _error({"unit": True}) == (
            "应填文字，实际写的是 true（YAML 把 true 和 false 当作“是/否”：请给这段文字加上引号）"
        )
        assert sub_period_help() == "一季度–四季度、上半年/下半年、1月–12月、2027年第二季度、2027年3月或某一天的日期"
        assert [describe(None), describe({}), describe([]), describe(dt.date(2027, 1, 2))] == [
            "空值",
            "一组“键: 值”",
            "一个列表",
            "日期 2027-01-02",
        ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("多", '应填数字，实际写的是 "多"'),
        ("0700", '应填数字，实际写的是 "0700"（请写成 700：数字不以 0 开头）'),
        ("4,5", '应填数字，实际写的是 "4,5"（小数请用小数点，例如 4.5；逗号只用来分隔千位）'),
        ("1_000", '应填数字，实际写的是 "1_000"（不要写“_”，例如写成 1000 或 1,000）'),
        ("0x1F", '应填数字，实际写的是 "0x1F"（请用十进制数字书写）'),
        ("1:30", '应填数字，实际写的是 "1:30"（只写一个数，例如一个半小时写成 1.5）'),
        ("nan", '应填数字，实际写的是 "nan"（无穷大和 NaN 不是数值）'),
        ("1e15", '应填数字，小数点前最多 15 位，实际写的是 "1e15"'),
        ("0.1234567890123456", '应填数字，最多 15 位有效数字，实际写的是 "0.1234567890123456"（请四舍五入）'),
    ],
)
def test_number_messages_in_chinese(value: str, message: str) -> None:
    with speaking("zh-CN"), pytest.raises(ValidationError) as caught:
        Goal.model_validate({"id": "a", "title": "t", "metric": "m", "target": value})
    assert caught.value.errors()[0]["msg"] == message


def test_count_messages_in_chinese() -> None:
    with speaking("zh-CN"), pytest.raises(ValidationError) as caught:
        Segment.model_validate({"name": "n", "count": -1.5})
    assert caught.value.errors()[0]["msg"] == "应填 0 或大于 0 的数，实际写的是 -1.5"
    with speaking("zh-CN"), pytest.raises(ValidationError) as caught:
        Segment.model_validate({"name": "n", "count": 1.5})
    assert caught.value.errors()[0]["msg"] == "应填整数，实际写的是 1.5"
