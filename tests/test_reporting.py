"""The three report formats, against golden files made from a small broken project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from generator.loading import load_plans
from generator.reporting import FORMATS, render
from generator.settings import open_project

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
        "period, language, owner, unit, organization, status, date, tags, summary, duties, clients, goals, "
        "training, activities, assessment, incentives, risks, sections"
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
