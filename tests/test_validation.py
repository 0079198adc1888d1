"""Format errors, reworded for managers and placed on the right line and column."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL, problems


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
    assert problems(project, "title: 计划\nowner: {name: 王敏}\n") == [
        "plans/plan.yml:1:1: period: required, but missing"
    ]


def test_enumerations_suggest_the_near_miss(project: Path) -> None:
    assert problems(project, MINIMAL + "status: aproved\n") == [
        'plans/plan.yml:4:9: status: expected one of draft, submitted, approved; got "aproved" '
        "(did you mean 'approved'?)"
    ]


def test_yes_no_are_explained(project: Path) -> None:
    assert problems(project, MINIMAL + "unit: no\n") == [
        "plans/plan.yml:4:7: unit: expected text, got false (YAML reads yes/no/on/off as true/false: put the "
        "text in quotes)"
    ]


def test_bad_period(project: Path) -> None:
    assert problems(project, MINIMAL.replace("2027", "2027年")) == [
        "plans/plan.yml:2:9: period: expected a year (2027), half (2027-H1), quarter (2027-Q2), month (2027-03), "
        'date (2027-03-31) or {start: …, end: …}, got "2027年"'
    ]


def test_impossible_date(project: Path) -> None:
    text = MINIMAL + "date: 2027-02-30\n"
    assert problems(project, text) == [
        'plans/plan.yml:4:7: date: expected a real date written YYYY-MM-DD, e.g. 2027-03-31, got "2027-02-30"'
    ]


def test_counts_must_be_whole_numbers(project: Path) -> None:
    text = MINIMAL + "clients:\n  segments:\n    - {name: 固话用户, count: 约9300}\n    - {name: 宽带, count: 1.5}\n"
    assert problems(project, text) == [
        'plans/plan.yml:6:27: clients.segments[0].count: expected a whole number, got "约9300"',
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
        'plans/plan.yml:5:9: status: expected one of draft, submitted, approved; got "done"',
        "plans/plan.yml:6:1: foo: unknown key 'foo'; expected one of: id, title, period, language, owner, unit, "
        "organization, status, date, tags, summary, duties, clients, goals, training, activities, assessment, "
        "incentives, risks, sections",
    ]
