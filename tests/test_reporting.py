"""The three report formats, against golden files made from a small broken project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, MINIMAL, write_plan
from plangen.cli import main
from plangen.i18n import Language, speaking
from plangen.loading import load_plans
from plangen.reporting import FORMATS, render
from plangen.settings import open_project

BROKEN = FIXTURES / "broken"


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_matches_golden_file(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    result = load_plans(open_project(BROKEN))
    assert render(result, fmt) + "\n" == (BROKEN / f"expected.{fmt}").read_text(encoding="utf-8")


def test_github_annotations_escape_what_would_end_a_field(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    (project / "plans" / "a,b.yml").write_text("title: x\nperiod: 2027\nowner: {name: y}\nid: ab\nfoo: 1\n")
    output = render(load_plans(open_project(project)), "github")
    assert output.splitlines()[0] == (
        "::error file=plans/a%2Cb.yml,line=5,col=1,title=foo::unknown key 'foo'; expected one of: id, title, "
        "period, language, owner, members, unit, organization, status, date, tags, summary, duties, clients, goals, "
        "training, activities, assessment, incentives, risks, sections, reviews"
    )


def test_json_report_is_machine_readable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    report = json.loads(render(load_plans(open_project(BROKEN)), "json"))
    assert (report["files"], report["errors"], report["warnings"], report["unchecked"]) == (2, 3, 3, 1)
    assert report["problems"][0] == {
        "file": "plans/2027/east.yml",
        "line": 5,
        "column": 1,
        "field": "sumary",
        "severity": "error",
        "message": "unknown key 'sumary' (did you mean 'summary'?)",
    }


def test_the_text_report_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    with speaking("zh-CN"):
        lines = render(load_plans(open_project(BROKEN)), "text").splitlines()
    assert lines[0] == "错误："
    assert lines[1] == "plans/2027/east.yml:5:1: sumary: 未知的键“sumary”（是不是想写“summary”？）"
    assert lines[4] == "警告："
    assert lines[-2:] == [
        "2 个计划文件中有 3 个错误、3 个警告",
        "有格式错误的部分还没有做交叉检查（客户合计、目标引用、日期是否在计划期间内），涉及 1 个文件；请改正后再检查一次。",
    ]


@pytest.mark.parametrize(
    ("language", "tail"),
    [
        ("en", ["1 error, 0 warnings in 1 plan file", "Parts with format errors are not yet cross-checked (client "
                "totals, goal references, dates in the period) in 1 file; fix them and validate again."]),
        ("zh-CN", ["1 个计划文件中有 1 个错误、0 个警告", "有格式错误的部分还没有做交叉检查（客户合计、目标引用、日期是否在"
                   "计划期间内），涉及 1 个文件；请改正后再检查一次。"]),
    ],
)  # fmt: skip
def test_counts_of_one(project: Path, language: Language, tail: list[str]) -> None:
    write_plan(project, "")
    with speaking(language):
        assert render(load_plans(open_project(project)), "text").splitlines()[-2:] == tail


def test_machine_reports_keep_their_codes_and_carry_the_readers_words(project: Path) -> None:
    write_plan(project, "", "empty.yml")
    write_plan(project, MINIMAL + "sumary: 概述\nassessment:\n  - {title: a, weight: 50}\n")
    with speaking("zh-CN"):
        result = load_plans(open_project(project))
        github, gitlab, report = (render(result, fmt) for fmt in ("github", "gitlab", "json"))
    assert github.splitlines() == [
        "::error file=plans/empty.yml,line=1,col=1,title=计划文件::文件是空的",
        "::error file=plans/plan.yml,line=4,col=1,title=sumary::未知的键“sumary”（是不是想写“summary”？）",
        "::warning file=plans/plan.yml,line=6,col=3,title=assessment::各项权重加起来是 50%25，不是 100%25",
        "2 个计划文件中有 2 个错误、1 个警告",
    ]
    assert [(i["check_name"], i["severity"], i["description"]) for i in json.loads(gitlab)] == [
        ("plangen", "major", "文件是空的"),
        ("plangen", "major", "sumary: 未知的键“sumary”（是不是想写“summary”？）"),
        ("plangen", "minor", "assessment: 各项权重加起来是 50%，不是 100%"),
    ]
    assert [(p["field"], p["severity"], p["message"]) for p in json.loads(report)["problems"]] == [
        ("", "error", "文件是空的"),
        ("sumary", "error", "未知的键“sumary”（是不是想写“summary”？）"),
        ("assessment", "warning", "各项权重加起来是 50%，不是 100%"),
    ]


def test_validate_speaks_the_projects_language(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_MESSAGES", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)
    (project / "plangen.yml").write_text("language: zh-CN\n", encoding="utf-8")
    write_plan(project, "title：计划\n")
    result = CliRunner().invoke(main, ["validate"])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "错误：",
            "plans/plan.yml:1:6: “title”后面的冒号是全角的“：”，这里需要半角冒号加一个空格；请写成 title: 内容",
            "1 个计划文件中有 1 个错误、0 个警告",
            "有格式错误的部分还没有做交叉检查（客户合计、目标引用、日期是否在计划期间内），涉及 1 个文件；请改正后再检查一次。",
        ],
    )
