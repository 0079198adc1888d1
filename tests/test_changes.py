"""What changed in a plan (changes.py): the model comparison against changes written out here,
plangen changes on real git repositories (a submission, an approval, a rename), the Word
revision notes read back with pandoc, and the site's history and changes pages."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GitRepo, require, write_plan
from plangen.build import build
from plangen.changes import Change, compare, report_line, revision_view
from plangen.cli import main
from plangen.context import load_labels
from plangen.history import Commit
from plangen.loading import load_plans
from plangen.model import Plan
from plangen.settings import BUILTIN_TEMPLATES, open_project
from plangen.templating import environment, render

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
    "客户基础 › 客户群体：新增 固话用户（800）",
    "工作目标 › 客户保有 › 目标值：92 → 92.5（+0.5）",
    "工作目标 › 客户保有 › 阶段目标 › 二季度：90 → 90.5（+0.5）",
    "工作目标 › 客户保有 › 阶段目标 › 三季度：新增 91",
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
    found = compare(before, after, labels)
    assert lines(found) == EXPECTED
    assert compare(after, after, labels) == []
    # For programs (--format json): field names, items by id or name, sub-periods as periods.
    assert [list(change.path) for change in found] == [
        ["status"], ["clients", "segments", "宽带用户", "count"], ["clients", "segments", "固话用户"],
        ["goals", "retention", "target"], ["goals", "retention", "milestones", "2027-Q2"],
        ["goals", "retention", "milestones", "2027-Q3"], ["activities", "开门红", "when"], ["activities", "走访#2", "when"],
        ["sections", "工作思路", "body"],
    ]  # fmt: skip


def test_removed_items_and_the_difference_of_each_figure(project: Path) -> None:
    labels = load_labels(project / "templates", "zh-CN")
    before, after = plan_of(AFTER, project, "a.yml"), plan_of(BEFORE, project, "a.yml")
    found = {report_line(change, labels) for change in compare(before, after, labels)}
    assert "客户基础 › 客户群体：删除 固话用户（800）" in found
    assert "工作目标 › 客户保有 › 阶段目标 › 三季度：删除 91" in found
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


def test_by_default_changes_since_the_last_submission(history: dict[str, str], git_project: GitRepo) -> None:
    """The revised plan, still submitted, was handed in again: that is its last submission."""
    code, output = changes("plans/2027/wangmin.yml", "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    assert data["plan"] == "wangmin"
    assert data["since"]["commit"] == history["revised"]
    assert data["since"]["path"] == "plans/2027/wangmin.yml" and data["since"]["renamed_to"] is None
    assert data["since"]["author"] == "王敏" and data["since"]["date"] == "2027-01-04T09:00:00+08:00"
    assert data["changes"] == [
        {"where": ["状态"], "kind": "changed", "old": "已提交", "new": "已批准", "delta": None, "words": [],
         "path": ["status"]}
    ]  # fmt: skip
    # Returned to draft and changed: the last submission is still the one to compare with.
    plan = git_project.root / "plans" / "2027" / "wangmin.yml"
    plan.write_text(AFTER.replace("submitted", "draft").replace("target: 92.5", "target: 93"), encoding="utf-8")
    git_project.commit("退回修改", author="张主任")
    data = json.loads(changes("plans/2027/wangmin.yml", "--format", "json")[1])
    assert data["since"]["commit"] == history["revised"]
    assert [(c["where"][-1], c["old"], c["new"]) for c in data["changes"]] == [
        ("状态", "已提交", "草稿"),
        ("目标值", "92.5", "93"),
    ]


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
        f"2027年1月4日，王敏修改后重新提交（{history['revised'][:7]}）；"
        f"2027年1月5日，张主任批准（{history['approved'][:7]}）　[自上次提交以来的修改](../changes/wangmin.md)"
    )
    changed = (root / "out" / "site-src" / "changes" / "wangmin.md").read_text(encoding="utf-8")
    assert f"本计划自2027年1月2日（{history['submitted'][:7]}）以来修订{len(EXPECTED)}处" in changed
    assert "| 客户基础 › 客户群体 › 宽带用户 › 数量 | 9,300 | 9,500（\\+200） |" in changed
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
    code, output = changes("plans/plan.yml")  # nothing else committed: no change since the last commit
    assert (code, output) == (0, f"plans/plan.yml: no change since {first[:7]} of 1 January 2027 by 王敏 (初稿)\n")
    plan.write_text(BEFORE.replace("target: 92", "target: 93"), encoding="utf-8")
    git_project.commit("改目标")
    # The same text with Windows line endings is no other version.
    plan.write_bytes(plan.read_bytes().replace(b"\n", b"\r\n"))
    code, output = changes("plans/plan.yml", "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    assert data["since"]["commit"] == first
    assert [change["where"][-1] for change in data["changes"]] == ["目标值"]


def test_milestone_keys_are_compared_as_the_periods_they_name(project: Path) -> None:
    labels = load_labels(project / "templates", "zh-CN")
    chinese = BEFORE.replace("milestones: {Q1: 89, Q2: 90}", "milestones: {一季度: 89, 第二季度: 90}")
    assert compare(plan_of(BEFORE, project, "a.yml"), plan_of(chinese, project, "a.yml"), labels) == []


def test_fields_are_named_for_the_block_they_are_in(project: Path) -> None:
    labels = load_labels(project / "templates", "zh-CN")
    after = BEFORE.replace('unit: "%"', "unit: 个百分点").replace(
        "owner: {name: 王敏}", "owner: {name: 王敏, title: 客户经理}"
    )
    after = after.replace(
        "    - {name: 商务楼宇, count: 12, unit: 栋}\n", "    - {name: 商务楼宇, count: 12, unit: 幢}\n"
    )
    accounts = "  key_accounts:\n    - {name: 青云大厦, owner: %s}\n"
    before = BEFORE.replace("goals:", accounts % "李强" + "goals:")
    after = after.replace("goals:", accounts % "张三" + "goals:")
    found = lines(compare(plan_of(before, project, "a.yml"), plan_of(after, project, "a.yml"), labels))
    assert found == [
        "计划人 › 职务：新增 客户经理",
        "客户基础 › 客户群体 › 商务楼宇 › 计量单位：栋 → 幢",
        "客户基础 › 重点客户 › 青云大厦 › 负责人：李强 → 张三",
        "工作目标 › 客户保有 › 计量单位：% → 个百分点",
    ]


def test_since_a_branch_compares_with_the_plan_as_that_branch_has_it(
    history: dict[str, str], git_project: GitRepo
) -> None:
    plan = git_project.root / "plans" / "2027" / "wangmin.yml"
    git_project.git("checkout", "-q", "-b", "alt")
    plan.write_text(plan.read_text(encoding="utf-8").replace("target: 92.5", "target: 95"), encoding="utf-8")
    alt = git_project.commit("另一方案")
    plan.write_text(plan.read_text(encoding="utf-8").replace("target: 95", "target: 三百"), encoding="utf-8")
    git_project.commit("写错了")
    git_project.git("checkout", "-q", "main")
    data = json.loads(changes("plans/2027/wangmin.yml", "--since", "alt~1", "--format", "json")[1])
    assert data["since"]["commit"] == alt
    assert [(c["where"][-1], c["old"], c["new"], c["delta"]) for c in data["changes"]] == [
        ("目标值", "95", "92.5", "-2.5")
    ]
    code, output = changes("plans/2027/wangmin.yml", "--since", "alt")
    assert code == 1 and "is not a valid plan, so it cannot be compared field by field" in output
    assert "target" in output  # the old version's own problem, located


def test_a_rename_with_many_changes_at_once_is_followed(git_project: GitRepo) -> None:
    """git takes a file renamed and much rewritten in one commit for another file; a commit that
    adds one plan file and deletes one other is taken for a rename all the same."""
    write_plan(git_project.root, "title: 旧\nperiod: 2027\nowner: {name: 王敏}\nstatus: submitted\n", "a.yml")
    first = git_project.commit("提交")
    (git_project.root / "plans" / "a.yml").unlink()
    write_plan(git_project.root, AFTER.replace("submitted", "approved") + "id: 王敏计划\n", "c d 中文.yml")
    git_project.commit("改名并修改")
    data = json.loads(changes("plans/c d 中文.yml", "--format", "json")[1])
    assert data["since"]["commit"] == first and data["since"]["path"] == "plans/a.yml"
    assert data["changes"][0]["where"] == ["计划编号"]  # a → 王敏计划: the old version's id is its old file name
    assert data["changes"][0]["old"] == "a"


def test_what_is_no_revision_is_a_usage_error(history: dict[str, str]) -> None:
    for revision in ("", "--output=x"):
        code, output = changes("plans/2027/wangmin.yml", "--since", revision)
        assert code == 2 and "is not a git revision; give a commit, branch or tag" in output


def test_a_shallow_clone_cannot_find_the_last_submission_and_says_so(history: dict[str, str], tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{Path.cwd()}", str(clone)], check=True)
    result = CliRunner().invoke(main, ["-C", str(clone), "changes", str(clone / "plans/2027/wangmin.yml")])
    assert result.exit_code == 1 and "this clone is shallow" in result.output and "--unshallow" in result.output


def test_spaces_around_changed_words_are_kept(project: Path) -> None:
    """English words are spaced: the words taken out and put in keep the spaces beside them,
    outside their marks, in the Word document's Markdown and on the site."""
    before = "title: Plan\nlanguage: en\nperiod: 2027\nowner: {name: Sarah}\nsummary: %s\n"
    old = plan_of(before % "We check each goal every month and adjust the plan when needed.", project)
    new = plan_of(before % "We check each goal every quarter and adjust the plan when needed.", project)
    labels = load_labels(project / "templates", "en")
    since = Commit("0" * 40, "a", dt.datetime(2027, 1, 1, tzinfo=dt.UTC), "s")
    view = revision_view(since, compare(old, new, labels), labels, "en")
    for flavour, struck in (("docx", "~~month~~"), ("site", "<del>month</del>")):
        env = environment(project / "templates", flavour)
        text = render(env, "parts/revisions.md.j2", L=labels, revision=view)
        assert f"every {struck} and adjust" in text and "every **quarter** and adjust" in text


def test_a_part_written_anew_shows_what_it_holds(project: Path) -> None:
    """A plan that gains its clients (say from a spreadsheet) shows each figure, not "clients added"."""
    labels = load_labels(project / "templates", "zh-CN")
    without = BEFORE[: BEFORE.index("clients:")] + BEFORE[BEFORE.index("goals:") :]
    found = lines(compare(plan_of(without, project), plan_of(BEFORE, project), labels))
    assert found == ["客户基础 › 客户总数：新增 9,300", "客户基础 › 客户群体：新增 宽带用户（9,300）",
                     "客户基础 › 客户群体：新增 商务楼宇（12）"]  # fmt: skip
