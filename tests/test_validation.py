"""Format errors, reworded for managers and placed on the right line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINIMAL, load, problems, write_plan
from plangen.i18n import speaking


def test_the_issue_example_wrong_type_with_location(project: Path) -> None:
    text = MINIMAL + "goals:\n  - id: retention\n    title: 留存\n    metric: 流失率\n    target: 多\n"
    assert problems(project, text) == ['plans/plan.yml:8:13: goals[0].target: expected a number, got "多"']


def test_unknown_key_is_placed_on_the_key_with_a_suggestion(project: Path) -> None:
    text = MINIMAL + "sumary: 概述\n"
    assert problems(project, text) == ["plans/plan.yml:4:1: sumary: unknown key 'sumary' (did you mean 'summary'?)"]


def test_unknown_key_far_from_any_field_lists_the_allowed_ones(project: Path) -> None:
    text = MINIMAL.replace("{name: 王敏}", "{name: 王敏, zzz: 1}")
    assert problems(project, text) == [
        "plans/plan.yml:3:19: owner.zzz: unknown key 'zzz'; expected one of: name, title, email, phone"
    ]


def test_missing_fields_point_at_the_enclosing_mapping(project: Path) -> None:
    text = "title: 计划\nperiod: 2027\nowner:\n  title: 客户经理\n"
    assert problems(project, text) == ["plans/plan.yml:4:3: owner.name: required, but missing"]


def test_a_missing_required_top_level_field(project: Path) -> None:
    assert problems(project, "period: 2027\nowner: {name: 王敏}\n") == [
        "plans/plan.yml:1:1: title: required, but missing"
    ]


def test_enumerations_suggest_the_near_miss(project: Path) -> None:
    assert problems(project, MINIMAL + "language: en\nstatus: aproved\n") == [
        'plans/plan.yml:5:9: status: expected one of draft, submitted, approved; got "aproved" '
        "(did you mean 'approved'?)"
    ]
    assert problems(project, MINIMAL + "status: 已批\n") == [
        "plans/plan.yml:4:9: status: expected one of 草稿, 已提交, 已批准; got \"已批\" (did you mean '已批准'?)"
    ]


def test_true_and_false_in_a_text_field_are_explained(project: Path) -> None:
    assert problems(project, MINIMAL + "unit: true\n") == [
        "plans/plan.yml:4:7: unit: expected text, got true (YAML reads true and false as yes-or-no values: put the "
        "text in quotes)"
    ]


TEXTS = """\
title: 1.10
period: 2027
owner: {name: 0700, title: 1:30, phone: 02112345678, email: +8613800138000}
unit: no
organization: 0x1F
status: submitted
tags: [yes, on, OFF, 1_000, 4,5, .inf, =, 1e3, 0b11]
clients:
  key_accounts:
    - {name: NO, tier: Y, kind: 0211234567, owner: n, service: 24, notes: 3.0}
"""


def test_text_fields_keep_what_is_written(project: Path) -> None:
    write_plan(project, TEXTS)
    [loaded] = load(project).plans
    plan = loaded.plan
    assert (plan.title, plan.unit, plan.organization) == ("1.10", "no", "0x1F")
    assert (plan.owner.name, plan.owner.title, plan.owner.phone, plan.owner.email) == (
        "0700", "1:30", "02112345678", "+8613800138000",
    )  # fmt: skip
    assert plan.tags == ["yes", "on", "OFF", "1_000", "4", "5", ".inf", "=", "1e3", "0b11"]
    [account] = plan.clients.key_accounts if plan.clients else []
    assert (account.name, account.tier, account.kind, account.owner, account.service, account.notes) == (
        "NO", "Y", "0211234567", "n", "24", "3.0",
    )  # fmt: skip


NUMBER_FIELDS = [
    ("clients:\n  total: {}\n", "clients.total", "a whole number"),
    ("clients:\n  segments: [{{name: a, count: {}}}]\n", "clients.segments[0].count", "a whole number"),
    ("goals:\n  - {{id: g, title: t, metric: m, target: {}}}\n", "goals[0].target", "a number"),
    ("goals:\n  - {{id: g, title: t, metric: m, target: 1, baseline: {}}}\n", "goals[0].baseline", "a number"),
    ("goals:\n  - {{id: g, title: t, metric: m, target: 1, milestones: {{Q1: {}}}}}\n", "goals[0].milestones.Q1",
     "a number"),
    ("goals:\n  - {{id: g, title: t, metric: m, target: 1, actuals: {{Q1: {}}}}}\n", "goals[0].actuals.Q1",
     "a number"),
    ("training:\n  programs: [{{title: p, hours: {}}}]\n", "training.programs[0].hours", "a number"),
    ("assessment:\n  - {{title: a, weight: {}}}\n", "assessment[0].weight", "a number"),
]  # fmt: skip
HUGE = "1" + "0" * 400


def written_at(template: str, written: str) -> tuple[str, str]:
    """A plan with *written* put into *template*, and where it stands in the file."""
    text = MINIMAL + template.format(written)
    at = text.index(written, len(MINIMAL))
    return text, f"plans/plan.yml:{text.count(chr(10), 0, at) + 1}:{at - text.rfind(chr(10), 0, at)}"


@pytest.mark.parametrize(("template", "field", "expected"), NUMBER_FIELDS)
@pytest.mark.parametrize(
    ("written", "got"),
    [(HUGE, "1" + "0" * 36 + "…"), ("1e400", '"1e400"'), ("1.0e+400", '"1.0e+400"'), ("-1e400", '"-1e400"'),
     ("1e20", '"1e20"'), ("1e+20", "1e+20"), ("1000000000000000", "1000000000000000"),
     ('"1,000,000,000,000,000"', '"1,000,000,000,000,000"'), ('"' + HUGE + '"', '"' + "1" + "0" * 36 + '…"')],
)  # fmt: skip
def test_numbers_too_large_for_a_float_are_located_errors(
    project: Path, template: str, field: str, expected: str, written: str, got: str
) -> None:
    text, where = written_at(template, written)
    assert problems(project, text) == [
        f"{where}: {field}: expected {expected} with at most 15 digits before the decimal point, got {got}"
    ]


@pytest.mark.parametrize(("template", "field", "expected"), NUMBER_FIELDS)
@pytest.mark.parametrize(
    ("written", "hint"),
    [(".inf", "infinity and NaN are not figures"), ("-.Inf", "infinity and NaN are not figures"),
     (".nan", "infinity and NaN are not figures"), ("NaN", "infinity and NaN are not figures"),
     ("0700", "write 700: a number does not start with 0"), ("007.5", "write 7.5: a number does not start with 0"),
     ("0x1F", "write the number in decimal digits"), ("0o17", "write the number in decimal digits"),
     ("0b101", "write the number in decimal digits"), ("1:30", "write one number, e.g. 1.5 for an hour and a half"),
     ("1_000", "write it without '_', e.g. 1000 or 1,000"),
     ('"4,5"', "use a decimal point, e.g. 4.5; a comma only separates thousands"),
     ('"1,00"', "use a decimal point, e.g. 4.5; a comma only separates thousands")],
)  # fmt: skip
def test_what_yaml_1_1_reads_as_another_number_is_an_error_with_a_hint(
    project: Path, template: str, field: str, expected: str, written: str, hint: str
) -> None:
    text, where = written_at(template, written)
    assert problems(project, text) == [
        f'{where}: {field}: expected {expected}, got "{written.strip(chr(34))}" ({hint})'
    ]


@pytest.mark.parametrize(
    ("written", "value"),
    [('"1,000"', 1000), ('"1,234.5"', 1234.5), ("1e3", 1000), ("+5", 5), ("-0", 0), ("5.", 5.0), (".5", 0.5),
     ("4.50", 4.5), ("１２", 12), ("１，２３４．５", 1234.5), ("999999999999999", 999_999_999_999_999),
     ("0.00001", 0.00001), ("123456789012.345", 123456789012.345)],
)  # fmt: skip
def test_figures_written_in_other_ways_keep_their_value(project: Path, written: str, value: float) -> None:
    write_plan(project, MINIMAL + f"goals:\n  - {{id: g, title: t, metric: m, target: {written}}}\n")
    [loaded] = load(project).plans
    target = loaded.plan.goals[0].target
    assert target == value and type(target) is type(value)


def test_thousands_separators_need_no_quotes_outside_braces(project: Path) -> None:
    write_plan(project, MINIMAL + "clients:\n  total: 19,630\n  segments:\n    - name: a\n      count: 1,000\n")
    [loaded] = load(project).plans
    assert loaded.plan.clients is not None
    assert (loaded.plan.clients.total, loaded.plan.clients.segments[0].count) == (19630, 1000)


@pytest.mark.parametrize(
    ("written", "got"),
    [("0.1234567890123456789", '"0.1234567890123456789"'), ("0.30000000000000004", "0.30000000000000004"),
     ("1e-400", '"1e-400"'), ("1234567890.1234567", "1234567890.1234567")],
)  # fmt: skip
def test_figures_with_more_digits_than_a_float_holds_are_errors(project: Path, written: str, got: str) -> None:
    text = MINIMAL + f"goals:\n  - {{id: g, title: t, metric: m, target: {written}}}\n"
    assert problems(project, text) == [
        f"plans/plan.yml:5:42: goals[0].target: expected a number with at most 15 significant digits, got {got} "
        "(round it)"
    ]


@pytest.mark.parametrize(
    ("weight", "message"),
    [("-10", "expected a number of 0 or more, got -10"), ("-0.5", "expected a number of 0 or more, got -0.5"),
     ('"-1"', 'expected a number of 0 or more, got "-1"'),
     ("-1e400", 'expected a number with at most 15 digits before the decimal point, got "-1e400"')],
)  # fmt: skip
def test_negative_weights_are_refused(project: Path, weight: str, message: str) -> None:
    text = MINIMAL + f"assessment:\n  - {{title: a, weight: {weight}}}\n  - {{title: b, weight: 100}}\n"
    assert problems(project, text) == [f"plans/plan.yml:5:24: assessment[0].weight: {message}"]


def test_a_comma_in_a_flow_mapping_starts_a_new_key(project: Path) -> None:
    text = MINIMAL + "goals:\n  - {id: g, title: t, metric: m, target: 4,5}\n"
    assert problems(project, text) == [
        "plans/plan.yml:5:44: goals[0][5]: unknown key 5; inside { } a comma starts another key, so write 4.5, not 4,5"
    ]


def test_bad_period(project: Path) -> None:
    assert problems(project, MINIMAL.replace("2027", "明年")) == [
        "plans/plan.yml:2:9: period: expected a year (2027年), half (2027年上半年), quarter (2027年第二季度), "
        'month (2027年3月), date (2027年3月31日) or {start: …, end: …}, got "明年"'
    ]
    assert problems(project, MINIMAL.replace("2027", "next year") + "language: en\n") == [
        "plans/plan.yml:2:9: period: expected a year (2027), half (2027-H1), quarter (2027-Q2), month (2027-03), "
        'date (2027-03-31) or {start: …, end: …}, got "next year"'
    ]


def test_impossible_date(project: Path) -> None:
    text = MINIMAL + "date: 2027-02-30\n"
    assert problems(project, text) == [
        'plans/plan.yml:4:7: date: expected a real date written YYYY年M月D日, e.g. 2027年3月31日, got "2027-02-30"'
    ]
    assert problems(project, text + "language: en\n") == [
        'plans/plan.yml:4:7: date: expected a real date written YYYY-MM-DD, e.g. 2027-03-31, got "2027-02-30"'
    ]


def test_counts_must_be_whole_numbers(project: Path) -> None:
    text = MINIMAL + "clients:\n  segments:\n    - {name: 固话用户, count: 9300多}\n    - {name: 宽带, count: 1.5}\n"
    assert problems(project, text) == [
        'plans/plan.yml:6:27: clients.segments[0].count: expected a whole number, got "9300多" (write the number '
        "alone: its unit goes under unit:, e.g. unit: 户 or unit: %)",
        "plans/plan.yml:7:25: clients.segments[1].count: expected a whole number, got 1.5",
    ]


def test_lists_and_mappings(project: Path) -> None:
    text = MINIMAL + "duties: 开发客户\nclients: [1]\n"
    assert problems(project, text) == [
        "plans/plan.yml:4:9: duties: expected a list (lines starting with '- '), got \"开发客户\"",
        "plans/plan.yml:5:10: clients: expected a mapping (indented 'key: value' lines), got a list",
    ]


def test_empty_text_and_bad_ids(project: Path) -> None:
    text = MINIMAL.replace("测试计划", '""') + "goals:\n  - {id: 留存, title: t, metric: m, target: 1}\n"
    assert problems(project, text) == [
        "plans/plan.yml:1:8: title: must not be empty",
        "plans/plan.yml:5:10: goals[0].id: expected an id of lowercase letters, digits, '-' and '_' "
        '(e.g. new-business), got "留存"',
    ]


def test_top_level_must_be_a_mapping(project: Path) -> None:
    assert problems(project, "- a\n- b\n") == [
        "plans/plan.yml:1:1: the file must be a mapping of keys such as title:, got a list"
    ]


def test_all_problems_of_a_file_are_reported_at_once(project: Path) -> None:
    text = "title: 计划\nperiod: 2027\nowner: {name: x}\nowner: {name: y}\nstatus: done\nfoo: 1\n"
    assert problems(project, text) == [
        "plans/plan.yml:4:1: owner: duplicate key 'owner' (first written at line 3); only one is allowed",
        'plans/plan.yml:5:9: status: expected one of 草稿, 已提交, 已批准; got "done"',
        "plans/plan.yml:6:1: foo: unknown key 'foo'; expected one of: id, title, period, language, owner, members, "
        "unit, organization, status, date, tags, summary, duties, clients, goals, training, activities, assessment, "
        "incentives, risks, sections, reviews",
    ]


@pytest.mark.parametrize(
    "field",
    ["title: {long}", "owner: {{name: {long}}}", "unit: {long}", "tags: [{long}]",
     "goals: [{{id: g, title: {long}, metric: m, target: 1}}]", "activities: [{{title: a, where: [{long}]}}]",
     "clients: {{segments: [{{name: {long}, count: 1}}]}}"],
)  # fmt: skip
def test_names_and_titles_longer_than_500_characters_are_refused(project: Path, field: str) -> None:
    """Python-Markdown takes time growing with the square of such a text's length on the site."""
    long = json.dumps("*![" * 200)
    base = {"title": "t", "period": "2027", "owner": "{name: x}"}
    key = field.split(":", 1)[0]
    lines = [f"{k}: {v}" for k, v in base.items() if k != key] + [field.format(long=long)]
    found = problems(project, "\n".join(lines) + "\n")
    assert any("the text is 600 characters long, more than the 500 a name or title may have" in p for p in found), found


def test_a_name_of_500_characters_is_fine(project: Path) -> None:
    assert problems(project, f"title: {'计' * 500}\nperiod: 2027\nowner: {{name: x}}\n") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (MINIMAL + "sumary: 概述\n", "plans/plan.yml:4:1: sumary: 未知的键“sumary”（是不是想写“summary”？）"),
        (MINIMAL.replace("{name: 王敏}", "{name: 王敏, zzz: 1}"),
         "plans/plan.yml:3:19: owner.zzz: 未知的键“zzz”；这里可以写的键有：name, title, email, phone"),
        ("title: 计划\nperiod: 2027\nowner:\n  title: 客户经理\n", "plans/plan.yml:4:3: owner.name: 必须填写，但没有写"),
        (MINIMAL + "status: aproved\n",
         'plans/plan.yml:4:9: status: 应为 草稿, 已提交, 已批准 之一，实际是 "aproved"（是不是想写“approved”？）'),
        (MINIMAL + "goals:\n  - {id: a, title: t, metric: m, target: 4,5}\n",
         "plans/plan.yml:5:44: goals[0][5]: 未知的键 5；在 { } 里逗号表示另一个键的开始，所以请写 4.5，不要写 4,5"),
        (MINIMAL + "tags: a\n", 'plans/plan.yml:4:7: tags: 这里应是列表（以“- ”开头的各行），实际是 "a"'),
        ("title: 计划\nperiod: 2027\nowner: 王敏\n", 'plans/plan.yml:3:8: owner: 这里应是一组缩进的“键: 值”行，实际是 "王敏"'),
        (MINIMAL + "goals:\n  - {id: a, title: '', metric: m, target: 1}\n", "plans/plan.yml:5:20: goals[0].title: 不能为空"),
        (MINIMAL + "goals:\n  - {id: A B, title: t, metric: m, target: 1}\n", "plans/plan.yml:5:10: goals[0].id: "
         '编号只能由小写字母、数字、“-”和“_”组成（例如 new-business），实际是 "A B"'),
        ("计划\n", 'plans/plan.yml:1:1: 文件内容应是一行行的“键: 值”（例如 title: 计划名称），实际是 "计划"'),
    ],
)  # fmt: skip
def test_format_errors_are_told_in_chinese(project: Path, text: str, message: str) -> None:
    with speaking("zh-CN"):
        assert problems(project, text) == [message]


FULL_WIDTH_COLON = (
    "the colon after '{key}' is the full-width '：'; YAML needs an ASCII colon and a space here: write '{key}: ' "
    "and then the value",
    "“{key}”后面的冒号是全角的“：”，这里需要半角冒号加一个空格；请写成 {key}: 内容",
)
NOT_A_LIST_MARK = (
    "'{char}' does not start a list item; start each item with an ASCII hyphen and a space: - ",
    "“{char}”不能作为列表项的开头；每一项请以半角减号加一个空格开头，写成 - 内容",
)
COMMENT = (
    "'#' starts a comment, so the rest of the line is left out and the value is empty; to write text that starts "
    "with '#', put it in quotes: \"{example}\"",
    "“#”表示注释，从它到行尾的内容都被忽略，这个值就成了空的；要写以“#”开头的文字，请给整段文字加上半角双引号，"
    '写成 "{example}"',
)


@pytest.mark.parametrize(
    ("text", "where", "messages", "values"),
    [
        pytest.param("title：计划\n", "1:6", FULL_WIDTH_COLON, {"key": "title"}, id="a-file-of-one-line"),
        pytest.param("title: 计划\nperiod: 2027\nowner:\n  name：王敏\n", "4:7: owner", FULL_WIDTH_COLON,
                     {"key": "name"}, id="a-mapping-of-one-line"),
        pytest.param(MINIMAL + "goals:\n  - id：a\n", "5:7: goals[0]", FULL_WIDTH_COLON, {"key": "id"},
                     id="a-list-item-of-one-line"),
        pytest.param(MINIMAL + "goals:\n  - id: a\n    title: t\n    metric: m\n    target: 9\n    milestones:\n"
                     "      Q1：5\n", "10:9: goals[0].milestones", FULL_WIDTH_COLON, {"key": "Q1"}, id="a-milestone"),
        pytest.param("title: 计划\nperiod: 2027\nowner:\n  name:\u3000王敏\n", "4:8: owner", (
            "the space after 'name:' is a full-width space (U+3000); YAML needs an ASCII space after the colon",
            "“name:”后面的空格是全角空格；冒号后面需要一个半角空格",
        ), {}, id="full-width-space-after-a-colon"),
        pytest.param(MINIMAL + "tags: 【网点, 园区】\n", "4:7: tags", (
            "'【' is a full-width bracket, so YAML reads this as text, not a list; write a list with ASCII "
            "brackets: [a, b]",
            "“【”是全角括号，YAML 会把这里当成一段文字，而不是列表；列表请用半角方括号，写成 [甲, 乙]",
        ), {}, id="full-width-brackets"),
        pytest.param(MINIMAL + "tags:\n  － 网点\n  － 园区\n", "5:3: tags", NOT_A_LIST_MARK, {"char": "－"},
                     id="full-width-hyphens"),
        pytest.param(MINIMAL + "tags:\n  — 网点\n", "5:3: tags", NOT_A_LIST_MARK, {"char": "—"}, id="em-dashes"),
        pytest.param(MINIMAL + "tags:\n  \u3000- 网点\n", "5:3: tags", (
            "a full-width space (U+3000) is used for indentation; indent with ASCII spaces",
            "缩进用了全角空格；请改用半角空格缩进（可先切换到英文输入状态）",
        ), {}, id="full-width-indentation"),
        pytest.param("title: 计划\nperiod: “2027”\nowner: {name: 王敏}\n", "2:9: period", (
            "the Chinese quotation mark '“' does not quote text in YAML, it is part of the text; leave it out, or, "
            'to put text in quotes, use ASCII quotes: "..."',
            "中文引号“ ”在 YAML 里不起引号的作用，只是文字的一部分；请去掉它，或者，要给文字加引号，请用半角双引号，"
            '写成 "文字"',
        ), {}, id="chinese-quotes"),
        pytest.param("title: #1 计划\nperiod: 2027\nowner: {name: 王敏}\n", "1:8: title", COMMENT,
                     {"example": "#1 计划"}, id="comment-instead-of-text"),
        pytest.param(MINIMAL + "goals:\n  - id: a\n    title: t\n    metric: m\n    target:   #1  # 第一\n",
                     "8:15: goals[0].target", COMMENT, {"example": "#1"}, id="comment-instead-of-a-figure"),
    ],
)  # fmt: skip
def test_keyboard_slips_that_give_a_value_the_wrong_shape_are_shown_where_the_character_is(
    project: Path, text: str, where: str, messages: tuple[str, str], values: dict[str, str]
) -> None:
    english, chinese = (message.format(**values) for message in messages)
    assert problems(project, text) == [f"plans/plan.yml:{where}: {english}"]
    with speaking("zh-CN"):
        assert problems(project, text) == [f"plans/plan.yml:{where}: {chinese}"]


def test_an_item_that_a_slip_made_text_is_a_warning(project: Path) -> None:
    text = MINIMAL + "duties:\n  - title：开发客户\n  - 维护客户：每月走访\n  - KPI：客户数\n"
    english, chinese = (message.format(key="title") for message in FULL_WIDTH_COLON)
    write_plan(project, text)
    result = load(project)
    assert [(str(p), p.severity) for p in result.problems] == [
        (f"plans/plan.yml:5:10: duties[0]: {english}", "warning")
    ]
    assert [duty.title for duty in result.plans[0].plan.duties] == [
        "title：开发客户",
        "维护客户：每月走访",
        "KPI：客户数",
    ]
    with speaking("zh-CN"):
        assert problems(project, text) == [f"plans/plan.yml:5:10: duties[0]: {chinese}"]


@pytest.mark.parametrize(
    "text",
    [
        "title: 【重要】计划\n",
        "title: “重点”计划\n",
        "title: — 计划\n",
        "title: title：计划\n",
        "title: 计划\nunit: # 待定\n",
        "title: 计划\ntags: [Q1：完成开户, 网点]\n",
        "title: 计划\ntraining:\n  principles:\n    - Q1：完成开户\n    - 客户第一：服务至上\n",
    ],
)
def test_full_width_characters_in_text_are_not_slips(project: Path, text: str) -> None:
    assert problems(project, text + "period: 2027\nowner: {name: 王敏}\n") == []


def test_a_slip_explains_only_the_wrong_shape_it_causes(project: Path) -> None:
    text = MINIMAL + "goals:\n  - {id: a, title: t, metric: m, target: 【5】}\n"
    assert problems(project, text) == ['plans/plan.yml:5:42: goals[0].target: expected a number, got "【5】"']
