"""The review (review.py, plangen review): its figures against values computed here, in Chinese
and in English; the Word review as LibreOffice and pandoc read it; the command and the site page."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_docx_writer import ooxml_errors

from conftest import REPO, require, write_plan
from plangen.build import DocxBuilder, build_reviews
from plangen.cli import main
from plangen.context import load_labels
from plangen.errors import PlangenError
from plangen.loading import load_plans
from plangen.model import Plan
from plangen.office import convert, pdf_fonts
from plangen.review import ReviewDate, review_context, review_date, unreviewable
from plangen.settings import open_project

PLAN = """\
title: 测试区域2027年工作计划
period: 2027
owner: {name: 王敏, title: 客户经理}
unit: 测试区域
goals:
  - id: retention
    title: 客户保有
    metric: 客户保有率
    unit: "%"
    baseline: 88
    target: 92
    milestones: {Q1: 89, Q2: 90, Q3: 91, Q4: 92}
    actuals: {一季度: 89.4, Q2: 90.2, Q3: 90.6}
  - id: churn
    title: 客户零流失
    metric: 流失户数
    unit: 户
    baseline: 3
    target: 0
    direction: down
    actuals: {上半年: 0}
  - id: sales
    title: 新增业务
    measures:
      - {metric: 新增宽带, unit: 户, baseline: 0, target: 100, milestones: {H1: 40}, actuals: {H1: 70}}
      - {metric: 新增固话, unit: 户, target: 50, milestones: {H1: 20}}
  - id: service
    title: 提升服务口碑
    detail: 定性目标。
training:
  programs:
    - {title: 产品培训, hours: 8, when: 2027-03, status: done}
    - {title: 营销技巧, hours: 16, when: 2027-Q2, delivered: 12}
    - {title: 外出培训, hours: 24, when: 2027-Q4, delivered: 2.5}
    - {title: 取消的培训, hours: 6, when: 2027-02, status: cancelled}
activities:
  - {title: 元旦宣传, when: 2027-01-01, status: done, outcome: 签约5户}
  - {title: 开放日, when: 2027-04, status: cancelled}
  - {title: 年中回访, when: 2027-06}
  - {title: 周走访, frequency: weekly}
  - {title: 年终回访, when: 2027-12, status: done, outcome: 提前完成}
reviews:
  一季度: {achieved: 一季度完成情况, problems: 一季度存在问题, next_steps: 一季度下步措施}
  Q2: {achieved: 二季度完成情况}
  上半年: {achieved: 上半年完成情况}
  Q3: {achieved: 三季度完成情况}
"""


def plan_of(text: str, root: Path, name: str = "plan.yml") -> Plan:
    write_plan(root, text, name)
    [loaded] = load_plans(open_project(root)).plans
    return loaded.plan


def context(plan: Plan, when: ReviewDate, language: str = "zh-CN") -> dict[str, Any]:
    return review_context(plan, load_labels(REPO / "templates", language), when)  # type: ignore[arg-type]


def difference(actual: str, expected: str) -> float:
    return float(Decimal(actual) - Decimal(expected))


def rows(found: dict[str, Any]) -> dict[str, Any]:
    return {row.view.measure.metric: row for row in found["rows"]}


def test_each_measure_against_its_milestone_with_variance_and_status(project: Path) -> None:
    plan = plan_of(PLAN, project)
    found = rows(context(plan, review_date(dt.date(2027, 10, 15))))
    retention = found["客户保有率"]
    # The latest actual begun by 15 October is Q3's, measured against Q3's milestone.
    assert retention.actual[0] == "三季度" and retention.actual[1].value == 90.6
    assert retention.expected[0] == "三季度" and retention.expected[1].value == 91
    assert retention.variance == difference("90.6", "91") == -0.4
    assert (retention.variance_text, retention.status) == ("-0.4%", "behind")
    assert retention.progress == pytest.approx((90.6 - 88) / (92 - 88))
    assert retention.missing == []  # Q4 is not due by 15 October
    # Nothing is due before the target; 0 lost clients already meets it: ahead.
    assert (found["流失户数"].status, found["流失户数"].variance, found["流失户数"].expected) == ("ahead", None, None)
    # 70 against the half-year's 40: +30, and short of the target of 100: on track.
    broadband = found["新增宽带"]
    assert (broadband.variance, broadband.variance_text, broadband.status) == (30, "+30户", "on_track")
    fixed = found["新增固话"]
    assert (fixed.status, fixed.actual, fixed.expected[0], fixed.expected[1].value) == ("no_data", None, "上半年", 20)
    assert [(m.when, m.value.value) for m in fixed.missing] == [("上半年", 20)]


def test_ahead_means_meeting_a_later_better_milestone(project: Path) -> None:
    text = PLAN.replace("actuals: {一季度: 89.4, Q2: 90.2, Q3: 90.6}", "actuals: {Q1: 90.5}")
    found = rows(context(plan_of(text, project), review_date(dt.date(2027, 4, 1))))
    assert found["客户保有率"].status == "ahead"  # Q1 asks for 89; 90.5 already meets Q2's 90
    assert found["客户保有率"].variance == difference("90.5", "89")
    flat = text.replace("milestones: {Q1: 89, Q2: 90, Q3: 91, Q4: 92}", "milestones: {Q1: 90, Q2: 90}")
    found = rows(context(plan_of(flat, project), review_date(dt.date(2027, 4, 1))))
    assert found["客户保有率"].status == "on_track"  # a later milestone no better than this one is not ahead


def test_missing_actuals_are_listed_and_counted(project: Path) -> None:
    plan = plan_of(PLAN, project)
    found = context(plan, review_date(dt.date(2027, 12, 31)))
    missing = [(row.view.measure.metric, m.when, m.value.value) for row, m in found["missing"]]
    assert missing == [("客户保有率", "四季度", 92), ("流失户数", "2027年12月31日", 0), ("新增宽带", "2027年12月31日", 100),
                       ("新增固话", "上半年", 20), ("新增固话", "2027年12月31日", 50)]  # fmt: skip
    statuses = [row.status for row in found["rows"]]
    assert found["counts"] == {status: statuses.count(status) for status in ("ahead", "on_track", "behind", "no_data")}
    assert [goal.id for goal in found["qualitative"]] == ["service"]


def test_activities_done_against_due(project: Path) -> None:
    plan = plan_of(PLAN, project)
    day = dt.date(2027, 6, 30)
    counts = context(plan, review_date(day))["activity_counts"]
    ended = [a for a in plan.activities if a.status != "cancelled" and a.when and a.when.end <= day]
    due = ended + [a for a in plan.activities if a.status == "done" and a not in ended]  # done early counts
    assert (counts.planned, counts.due, counts.done, counts.cancelled, counts.overdue) == (
        5,
        len(due),
        sum(a.status == "done" for a in due),
        1,
        sum(a.status == "planned" for a in ended),
    )
    assert (counts.due, counts.done, counts.overdue) == (3, 2, 1)  # one done early is among those due


def test_training_hours_delivered_against_planned(project: Path) -> None:
    plan = plan_of(PLAN, project)
    training = context(plan, review_date(dt.date(2027, 6, 30)))["training"]
    assert training.planned == 8 + 16 + 24  # the cancelled programme's 6 hours are not planned
    assert training.due == 8 + 16  # March and the second quarter have ended
    assert training.delivered == 8 + 12 + 2.5  # done without delivered counts its hours


def test_narratives_of_a_period_and_as_of_a_day(project: Path) -> None:
    plan = plan_of(PLAN, project)
    labels = [n.label for n in context(plan, review_date(period="2027-H1"))["narratives"]]
    assert labels == ["2027年第一季度", "2027年第二季度", "2027年上半年"]
    labels = [n.label for n in context(plan, review_date(period="2027年第二季度"))["narratives"]]
    assert labels == ["2027年第二季度"]
    labels = [n.label for n in context(plan, review_date(dt.date(2027, 8, 1)))["narratives"]]
    assert labels == ["2027年第一季度", "2027年第二季度", "2027年上半年", "2027年第三季度"]  # Q3 is under way


def test_english_plans_are_reviewed_in_english(project: Path) -> None:
    plan = plan_of(PLAN.replace("title: 测试区域2027年工作计划", "title: Test plan\nlanguage: en"), project)
    found = context(plan, review_date(period="2027-Q3"), "en")
    retention = rows(found)["客户保有率"]
    assert (retention.actual[0], retention.expected[0], retention.variance_text) == ("Q3", "Q3", "-0.4%")
    assert found["as_of"] == "30 September 2027" and found["reviewed_period"] == "Q3 2027"
    assert found["review_title"] == "Test plan: Review"


def test_dates_and_periods(project: Path) -> None:
    assert review_date(period="2027-Q2") == ReviewDate(
        dt.date(2027, 6, 30), review_date(period="2027年第二季度").period
    )
    assert review_date(today=dt.date(2027, 3, 1)).day == dt.date(2027, 3, 1)
    with pytest.raises(PlangenError, match="not both"):
        review_date(dt.date(2027, 1, 1), "2027-Q1")
    with pytest.raises(PlangenError, match="--period: expected a year"):
        review_date(period="2027-Q5")
    plan = plan_of(PLAN, project)
    assert unreviewable(plan, review_date(period="2027-06")) is None
    assert unreviewable(plan, review_date(period="2026-Q4")) == (
        "2026-Q4 is outside the plan's period (2027): choose a period within it"
    )


def test_the_command_writes_reviews_beside_the_plans_documents_incrementally(project: Path) -> None:
    write_plan(project, PLAN, "wangmin.yml")
    write_plan(project, PLAN.replace("period: 2027", "period: 2026").replace("2027-", "2026-"), "old.yml")
    runner = CliRunner()
    result = runner.invoke(main, ["review", "--period", "2027-H1"])
    assert result.exit_code == 0, result.output
    target = project / "out" / "review" / "wangmin.docx"
    assert target.is_file() and not (project / "out" / "review" / "old.docx").exists()
    assert "not reviewed: plans/old.yml: 2027-H1 is outside the plan's period (2026)" in result.output
    assert "1 of 2 plans have a review as of 2027-06-30 (1 written, 0 up to date)" in result.output
    first = target.read_bytes()
    again = runner.invoke(main, ["review", "--period", "2027-H1"])
    assert "(0 written, 1 up to date)" in again.output
    assert runner.invoke(main, ["review", "--period", "2027-H1", "--force"]).exit_code == 0
    assert target.read_bytes() == first, "the same plan and date give the same bytes"
    moved = runner.invoke(main, ["review", "--as-of", "2027-07-01", "plans/wangmin.yml"])
    assert "(1 written, 0 up to date)" in moved.output and target.read_bytes() != first


def test_the_commands_mistakes_are_messages(project: Path) -> None:
    write_plan(project, PLAN)
    both = CliRunner().invoke(main, ["review", "--as-of", "2027-01-01", "--period", "2027-Q1"])
    assert both.exit_code == 2 and "give --as-of or --period, not both" in both.output
    outside = CliRunner().invoke(main, ["review", "--period", "2030"])
    assert outside.exit_code == 1 and "2030 is outside the plan's period (2027)" in outside.output
    bad = CliRunner().invoke(main, ["review", "--period", "soon"])
    assert bad.exit_code == 1 and "--period: expected a year" in bad.output
    assert "Traceback" not in both.output + outside.output + bad.output


def test_the_site_has_a_review_page_linked_from_the_plan(project: Path) -> None:
    from plangen.site_writer import SiteWriter

    write_plan(project, PLAN, "wangmin.yml")
    project_ = open_project(project)
    writer = SiteWriter(project_, load_plans(project_).plans, dt.date(2027, 7, 1))
    writer.write(project / "src", {})
    page = (project / "src" / "reviews" / "wangmin.md").read_text(encoding="utf-8")
    assert "截至日期：2027年7月1日" in page and "<svg" in page
    # Q3 has begun by 1 July, so its actual is the latest; the milestone due by then is Q2's.
    assert "| 客户保有率 | 88% | 92% | 二季度 90% | 三季度 90\\.6% | \\+0\\.6% | 正常 |" in page
    plan_page = (project / "src" / "plans" / "wangmin.md").read_text(encoding="utf-8")
    assert "[执行情况（截至2027年7月1日）](../reviews/wangmin.md)" in plan_page


EXAMPLES = {
    "harbor-sarah-jones": (REPO / "plans" / "2026" / "harbor-sarah-jones.yml", ReviewDate(dt.date(2026, 12, 31))),
    "qingyunxi-liqiang": (REPO / "plans" / "2027" / "qingyunxi-liqiang.yml", review_date(period="2027-H1")),
}
"""The example plans reviewed: the English one at the end of its year, the Chinese one for its first half."""


@pytest.fixture(scope="module")
def example_reviews(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    output = tmp_path_factory.mktemp("out")
    found = {}
    for plan_id, (path, when) in EXAMPLES.items():
        [found[plan_id]] = build_reviews(open_project(REPO), [path], output / plan_id, when=when).documents
    return found


@pytest.mark.parametrize("plan_id", sorted(EXAMPLES))
def test_example_reviews_read_back_with_pandoc_match_golden_text(
    example_reviews: dict[str, Path], plan_id: str
) -> None:
    require("pandoc")
    text = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", str(example_reviews[plan_id])],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    golden = REPO / "tests" / "golden" / f"review-{plan_id}.txt"
    assert text == golden.read_text(encoding="utf-8")


def test_example_reviews_are_valid_office_open_xml(example_reviews: dict[str, Path]) -> None:
    assert {name: ooxml_errors(path) for name, path in example_reviews.items()} == {
        name: [] for name in example_reviews
    }


def test_libreoffice_lays_the_reviews_out_in_the_plans_fonts(example_reviews: dict[str, Path], tmp_path: Path) -> None:
    require("soffice")
    require("pdftotext")
    require("pdffonts")
    fonts = pdf_fonts(open_project(REPO))
    pdfs = convert(sorted(example_reviews.values()), "pdf", tmp_path, fonts=fonts)
    plans = {p.id: p.plan for p in load_plans(open_project(REPO)).plans}
    for pdf in pdfs:
        text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
        when = EXAMPLES[pdf.stem][1]
        found = context(plans[pdf.stem], when, plans[pdf.stem].language or "zh-CN")
        for row in found["rows"]:
            assert "".join(row.view.measure.metric.split()) in text
            assert not row.variance_text or row.variance_text.replace(" ", "") in text
    # The same fonts as the plan documents: the Chinese review is set in the plan's Chinese fonts.
    plan_pdf = convert([_plan_docx(tmp_path)], "pdf", tmp_path / "plan", fonts=fonts)[0]
    review_pdf = next(pdf for pdf in pdfs if pdf.stem == "qingyunxi-liqiang")
    assert _font_families(review_pdf) <= _font_families(plan_pdf)


def _plan_docx(folder: Path) -> Path:
    plan = next(p.plan for p in load_plans(open_project(REPO)).plans if p.id == "qingyunxi-liqiang")
    path = folder / "qingyunxi-liqiang.docx"
    path.write_bytes(DocxBuilder(open_project(REPO)).render(plan))
    return path


def _font_families(pdf: Path) -> set[str]:
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1].split("-")[0] for line in listed}


def test_the_review_folder_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "<output>/review/<plan id>.docx" in readme and "plangen review" in readme
