"""What changed in a plan (changes.py): the model comparison against changes written out here,
plangen changes on real git repositories (a submission, an approval, a rename), the Word
revision notes read back with pandoc, and the site's history and changes pages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GitRepo, require, write_plan
from plangen.build import build
from plangen.changes import Change, compare, report_line
from plangen.cli import main
from plangen.context import load_labels
from plangen.loading import load_plans
from plangen.model import Plan
from plangen.settings import BUILTIN_TEMPLATES, open_project

BEFORE = """\
title: 测试区域2027年工作计划
period: 2027
owner: {name: 王敏}
status: draft
clients:
  total: 9300
  segments:
    - {name: 宽带用户, count: 9300}
    - {name: 商务楼宇, count: 12, unit: 栋}
goals:
  - id: retention
    title: 客户保有
    metric: 客户保有率
    unit: "%"
    baseline: 88
    target: 92
    milestones: {Q1: 89, Q2: 90}
  - id: churn
    title: 客户零流失
    metric: 流失户数
    target: 0
    direction: down
activities:
  - {title: 开门红, when: 2027-03}
  - {title: 走访, when: 2027-05}
  - {title: 走访, when: 2027-06}
sections:
  - title: 工作思路
    body: 以客户为中心，按季度检查各项目标的完成情况，及时调整工作重点，确保全年任务完成。
"""

AFTER = """\
title: 测试区域2027年工作计划
period: 2027
owner: {name: 王敏}
status: submitted  # 已提交
clients:
  total: 9,300
  segments:
    - {name: 商务楼宇, count: 12, unit: 栋}
    - {name: 宽带用户, count: 9500}
    - {name: 固话用户, count: 800}
goals:
  - id: churn
    title: 客户零流失
    metric: 流失户数
    target: 0
    direction: down
  - id: retention
    title: 客户保有
    metric: 客户保有率
    unit: "%"
    baseline: 88
    target: 92.5
    milestones: {Q1: 89, Q2: 90.5, Q3: 91}
activities:
  - {title: 开门红, when: 2027-04}
  - {title: 走访, when: 2027-05}
  - {title: 走访, when: 2027-07}
sections:
  - title: 工作思路
    body: 以客户为中心，按月检查各项目标的完成情况，及时调整工作重点，确保全年任务完成。
"""

EXPECTED = [
    "状态：草稿 → 已提交",
    "客户基础 › 客户群体 › 宽带用户 › 数量：9,300 → 9,500（+200）",
    "客户基础 › 客户群体：新增 固话用户",
    "工作目标 › 客户保有 › 目标值：92 → 92.5（+0.5）",
    "工作目标 › 客户保有 › 阶段目标 › Q2：90 → 90.5（+0.5）",
    "工作目标 › 客户保有 › 阶段目标 › Q3：新增 91",
    "活动安排 › 开门红 › 时间：2027年3月 → 2027年4月",
    "活动安排 › 走访 › 时间：2027年6月 → 2027年7月",
    "其他内容 › 工作思路 › 正文：以客户为中心，按[-季度-]{+月+}检查各项目标的完成情况，…",
]
"""AFTER against BEFORE, written out by hand: the segments' and goals' new order, 9,300 for
9300 and the comment are no change; the second of two activities of the same title is
matched with the second."""


def plan_of(text: str, root: Path, name: str = "plan.yml") -> Plan:
    write_plan(root, text, name)
    loaded = load_plans(open_project(root), [root / "plans" / name])
    assert not loaded.errors, loaded.errors
    return loaded.plans[0].plan


def lines(changes: list[Change], language: str = "zh-CN") -> list[str]:
    labels = load_labels(BUILTIN_TEMPLATES.parent / "none", language)  # type: ignore[arg-type]
    return [report_line(change, labels) for change in changes]


def test_the_model_is_compared_field_by_field(project: Path) -> None:
    labels = load_labels(project / "templates", "zh-CN")
    before, after = plan_of(BEFORE, project, "a.yml"), plan_of(AFTER, project, "a.yml")
    assert lines(compare(before, after, labels)) == EXPECTED
    assert compare(after, after, labels) == []


def test_removed_items_and_the_difference_of_each_figure(project: Path) -> None:
    labels = load_labels(project / "templates", "zh-CN")
    before, after = plan_of(AFTER, project, "a.yml"), plan_of(BEFORE, project, "a.yml")
    found = {report_line(change, labels) for change in compare(before, after, labels)}
    assert "客户基础 › 客户群体：删除 固话用户" in found
    assert "工作目标 › 客户保有 › 阶段目标 › Q3：删除 91" in found
    assert "客户基础 › 客户群体 › 宽带用户 › 数量：9,500 → 9,300（-200）" in found


def test_a_long_text_shows_only_the_words_that_changed(project: Path) -> None:
    labels = load_labels(project / "templates", "zh-CN")
    changes = compare(plan_of(BEFORE, project, "a.yml"), plan_of(AFTER, project, "a.yml"), labels)
    (text,) = [change for change in changes if change.words]
    assert ("-", "季度") in text.words and ("+", "月") in text.words
    assert "".join(t for op, t in text.words if op != "+").replace("…", "") in BEFORE
    assert "".join(t for op, t in text.words if op != "-").replace("…", "") in AFTER


def test_english_plans_in_english_words(project: Path) -> None:
    before = "title: Plan\nlanguage: en\nperiod: 2027\nowner: {name: Sarah}\ngoals:\n"
    goal = "  - {id: sales, title: Sales, metric: New accounts, target: %s}\n"
    labels = load_labels(project / "templates", "en")
    found = compare(plan_of(before + goal % 40, project), plan_of(before + goal % 45, project), labels)
    assert [report_line(change, labels) for change in found] == ["Goals › Sales › Target: 40 → 45 (+5)"]


@pytest.fixture
def history(git_project: GitRepo) -> dict[str, str]:
    """A plan drafted, submitted, moved to plans/2027/ with its targets revised, then approved."""
    root = git_project.root
    plan = write_plan(root, BEFORE, "wangmin.yml")
    commits = {"draft": git_project.commit("初稿")}
    plan.write_text(BEFORE.replace("status: draft", "status: submitted"), encoding="utf-8")
    commits["submitted"] = git_project.commit("提交审批")
    (root / "plans" / "2027").mkdir()
    git_project.git("mv", "plans/wangmin.yml", "plans/2027/wangmin.yml")
    commits["moved"] = git_project.commit("按年份整理")
    (root / "plans" / "2027" / "wangmin.yml").write_text(AFTER, encoding="utf-8")
    commits["revised"] = git_project.commit("按主任意见修改")
    (root / "plans" / "2027" / "wangmin.yml").write_text(AFTER.replace("submitted", "approved"), encoding="utf-8")
    commits["approved"] = git_project.commit("批准", author="张主任")
    return commits


def changes(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["changes", *args], prog_name="plangen")
    return result.exit_code, result.output


def test_changes_since_a_revision_follow_the_rename(history: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main, ["--lang", "zh-CN", "changes", "plans/2027/wangmin.yml", "--since", history["draft"]]
    )
    code, output = result.exit_code, result.output
    assert code == 0, output
    heading, then, *found = output.splitlines()
    assert heading == (
        f"plans/2027/wangmin.yml：自 2027年1月1日 王敏 的提交 {history['draft'][:7]}（初稿） 以来修改 {len(EXPECTED)} 处"
    )
    assert then == "  （当时的文件为 plans/wangmin.yml）"
    assert found == ["  " + line.replace("已提交", "已批准") for line in EXPECTED]


def test_by_default_changes_since_the_last_submission(history: dict[str, str]) -> None:
    code, output = changes("plans/2027/wangmin.yml", "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    assert data["plan"] == "wangmin"
    assert data["since"]["commit"] == history["submitted"]
    assert data["since"]["path"] == "plans/wangmin.yml" and data["since"]["renamed_to"] == "plans/2027/wangmin.yml"
    assert data["since"]["author"] == "王敏" and data["since"]["date"] == "2027-01-02T09:00:00+08:00"
    assert data["changes"][0] == {
        "where": ["状态"], "kind": "changed", "old": "已提交", "new": "已批准", "delta": None, "words": []
    }  # fmt: skip
    assert len(data["changes"]) == len(EXPECTED)


def test_what_cannot_be_compared_is_told(history: dict[str, str], git_project: GitRepo) -> None:
    write_plan(git_project.root, BEFORE, "new.yml")
    git_project.commit("另一份计划")
    code, output = changes("plans/new.yml", "--since", history["approved"])
    assert code == 1
    assert f"plans/new.yml: the plan did not exist at {history['approved']}" in output
    code, output = changes("plans/new.yml", "--since", "v9")
    assert "'v9' names no commit of this repository; give a commit, branch or tag" in output
    write_plan(git_project.root, BEFORE, "uncommitted.yml")
    code, output = changes("plans/uncommitted.yml")
    assert "the plan has never been committed to git, so it has no earlier version" in output
    broken = git_project.root / "plans" / "new.yml"
    broken.write_text(BEFORE + "goals: 3\n", encoding="utf-8")
    code, output = changes("plans/new.yml")
    assert code == 1 and "goals" in output  # the plan now must be valid: its problems, located


def test_a_shallow_clone_is_told_how_to_fetch_the_history(history: dict[str, str], tmp_path: Path) -> None:
    origin = Path.cwd()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    result = CliRunner().invoke(
        main, ["-C", str(clone), "changes", str(clone / "plans/2027/wangmin.yml"), "--since", history["draft"]]
    )
    assert result.exit_code == 1
    assert "which is shallow" in result.output and "git fetch --unshallow" in result.output


def test_outside_git_the_message_says_so(project: Path) -> None:
    write_plan(project, BEFORE)
    code, output = changes("plans/plan.yml")
    assert code == 1 and "is not in a git repository, so it has no history to compare with" in output


def test_the_word_document_ends_with_the_revision_notes(history: dict[str, str]) -> None:
    pandoc = require("pandoc")
    result = CliRunner().invoke(main, ["docx", "--changes-since", history["submitted"]], prog_name="plangen")
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        [pandoc, "out/docx/wangmin.docx", "-t", "plain", "--wrap=none"], capture_output=True, text=True, check=True
    ).stdout
    notes = text[text.index("修订说明") :]
    assert f"本计划自2027年1月2日（{history['submitted'][:7]}）以来修订{len(EXPECTED)}处" in notes
    rows = [line.split() for line in notes.splitlines() if line.strip()[:1].isdigit()]
    assert [row[0] for row in rows] == [str(n) for n in range(1, len(EXPECTED) + 1)]
    assert rows[0][1:] == ["状态", "已提交", "已批准"]
    assert rows[1][1:] == ["客户基础", "›", "客户群体", "›", "宽带用户", "›", "数量", "9,300", "9,500（+200）"]
    # Taken-out words struck through, put-in words in bold: pandoc's Markdown shows both.
    markdown = subprocess.run(
        [pandoc, "out/docx/wangmin.docx", "-t", "markdown", "--wrap=none"], capture_output=True, text=True, check=True
    ).stdout
    assert "~~季度~~" in markdown and "**月**" in markdown
    # Without the option the same plan's document has no notes, and is built again.
    result = CliRunner().invoke(main, ["docx"], prog_name="plangen")
    assert "1 written" in result.output
    plain = subprocess.run([pandoc, "out/docx/wangmin.docx", "-t", "plain"], capture_output=True, text=True).stdout
    assert "修订说明" not in plain


def test_the_site_lists_submissions_and_approvals_and_links_the_changes(history: dict[str, str]) -> None:
    root = Path.cwd()
    result = build(open_project(root), docx=False, site=True)
    page = (root / "out" / "site-src" / "plans" / "wangmin.md").read_text(encoding="utf-8")
    line = next(line for line in page.splitlines() if line.startswith("修订历史"))
    assert line == (
        f"修订历史：2027年1月2日，王敏提交（{history['submitted'][:7]}）；"
        f"2027年1月5日，张主任批准（{history['approved'][:7]}）　[自上次提交以来的修改](../changes/wangmin.md)"
    )
    changed = (root / "out" / "site-src" / "changes" / "wangmin.md").read_text(encoding="utf-8")
    assert f"本计划自2027年1月2日（{history['submitted'][:7]}）以来修订{len(EXPECTED)}处" in changed
    assert "| 2 | 客户基础 › 客户群体 › 宽带用户 › 数量 | 9,300 | 9,500（\\+200） |" in changed
    html = (root / "site" / "changes" / "wangmin" / "index.html").read_text(encoding="utf-8")
    assert "<del>季度</del>" in html and "<strong>月</strong>" in html
    assert result.warnings == ()


def test_a_plan_approved_unchanged_compares_with_the_submission_before(git_project: GitRepo) -> None:
    plan = write_plan(git_project.root, BEFORE.replace("draft", "submitted"))
    first = git_project.commit("提交")
    plan.write_text(AFTER, encoding="utf-8")
    git_project.commit("再次提交")
    plan.write_text(AFTER.replace("submitted", "approved"), encoding="utf-8")
    git_project.commit("批准", author="张主任")
    build(open_project(git_project.root), docx=False, site=True)
    changed = (git_project.root / "out" / "site-src" / "changes" / "plan.md").read_text(encoding="utf-8")
    assert f"（{first[:7]}）以来修订" in changed


def test_withheld_people_are_not_named_in_the_history(history: dict[str, str]) -> None:
    root = Path.cwd()
    (root / "plangen.yml").write_text("site: {redact: [people]}\n", encoding="utf-8")
    build(open_project(root), docx=False, site=True)
    page = (root / "out" / "site-src" / "plans" / "wangmin.md").read_text(encoding="utf-8")
    assert "张主任" not in page and f"2027年1月5日批准（{history['approved'][:7]}）" in page


def test_a_site_outside_git_has_no_history(project: Path) -> None:
    write_plan(project, BEFORE)
    result = build(open_project(project), docx=False, site=True)
    assert "修订历史" not in (project / "out" / "site-src" / "plans" / "plan.md").read_text(encoding="utf-8")
    assert not (project / "out" / "site-src" / "changes").exists()
    assert result.warnings == ()


def test_the_pdf_has_the_revision_notes_too(history: dict[str, str]) -> None:
    """The PDF is laid out from a second rendering, with page numbers: it must carry the notes as well."""
    require("soffice")
    pdftotext = require("pdftotext")
    result = CliRunner().invoke(main, ["docx", "--pdf", "--changes-since", history["submitted"]], prog_name="plangen")
    assert result.exit_code == 0, result.output
    text = subprocess.run([pdftotext, "out/pdf/wangmin.pdf", "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())  # pdftotext spaces figures apart from Chinese
    assert "修订说明" in text and f"（{history['submitted'][:7]}）以来修订{len(EXPECTED)}处" in text


def test_a_part_added_or_taken_out_whole_is_named_as_its_part(project: Path) -> None:
    labels = load_labels(project / "templates", "zh-CN")
    without = BEFORE[: BEFORE.index("clients:")]
    found = lines(compare(plan_of(BEFORE, project), plan_of(without, project), labels))
    assert found == ["客户基础：删除 客户基础", "工作目标：删除 客户保有", "工作目标：删除 客户零流失",
                     "活动安排：删除 开门红", "活动安排：删除 走访", "活动安排：删除 走访", "其他内容：删除 工作思路"]  # fmt: skip


def test_a_plan_never_submitted_compares_with_its_last_other_version(git_project: GitRepo) -> None:
    plan = write_plan(git_project.root, BEFORE)
    first = git_project.commit("初稿")
    code, output = changes("plans/plan.yml")
    assert code == 1 and "the plan has no earlier version in git that differs from the file now" in output
    plan.write_text(BEFORE.replace("target: 92", "target: 93"), encoding="utf-8")
    git_project.commit("改目标")
    # The same text with Windows line endings is no other version.
    plan.write_bytes(plan.read_bytes().replace(b"\n", b"\r\n"))
    code, output = changes("plans/plan.yml", "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    assert data["since"]["commit"] == first
    assert [change["where"][-1] for change in data["changes"]] == ["目标值"]
