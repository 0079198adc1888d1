"""Plan history from git (history.py): versions through renames, submissions and approvals with
their authors and dates, shallow clones, and one read of git for any number of plans."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL, REPO, GitRepo, require, write_plan
from plangen import history
from plangen.errors import PlangenError
from plangen.history import Repository, plans_history, status_of


def test_status_lines_as_managers_write_them() -> None:
    assert status_of(b"title: x\nstatus: submitted\n") == "submitted"
    assert status_of("title: x\nstatus: 已提交\n".encode()) == "submitted"
    assert status_of("status：已批准  # 主任批准\n".encode()) == "approved"  # a full-width colon
    assert status_of(b"status: 'draft'\n") == "draft"
    assert status_of(b"goals:\n  - status: done\n") is None  # an activity's, not the plan's
    assert status_of(b"title: x\n") is None
    assert status_of(b'{"title": "x", "status": "approved"}') == "approved"  # JSON is YAML too
    assert status_of(b"{title: x, status: [1}") is None


def test_versions_submissions_and_approvals_through_a_rename(git_project: GitRepo) -> None:
    root = git_project.root
    plan = write_plan(root, MINIMAL + "status: draft\n", "wangmin.yml")
    first = git_project.commit("初稿")
    plan.write_text(MINIMAL + "status: 已提交\n", encoding="utf-8")
    submitted = git_project.commit("提交审批")
    renamed = root / "plans" / "2027" / "王敏.yml"
    renamed.parent.mkdir()
    git_project.git("mv", "plans/wangmin.yml", "plans/2027/王敏.yml")
    moved = git_project.commit("按年份整理")
    renamed.write_text(MINIMAL + "status: approved\n", encoding="utf-8")
    approved = git_project.commit("批准", author="张主任")

    repository = Repository.around(root)
    found = plans_history(repository, root / "plans", [renamed])[renamed]
    assert [(v.commit.id, v.path, v.status) for v in found.versions] == [
        (approved, "plans/2027/王敏.yml", "approved"),
        (moved, "plans/2027/王敏.yml", "submitted"),
        (submitted, "plans/wangmin.yml", "submitted"),
        (first, "plans/wangmin.yml", "draft"),
    ]
    events = [(e.version.commit.id, e.status, e.before, e.version.commit.author) for e in found.events]
    assert events == [(submitted, "submitted", "draft", "王敏"), (approved, "approved", "submitted", "张主任")]
    assert found.events[0].version.commit.when == dt.datetime(2027, 1, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert not found.shallow


def test_a_resubmission_after_a_return_to_draft_is_a_submission_again(git_project: GitRepo) -> None:
    plan = write_plan(git_project.root, MINIMAL + "status: submitted\n")
    one = git_project.commit("提交")
    plan.write_text(MINIMAL + "status: draft\n", encoding="utf-8")
    git_project.commit("退回修改", author="张主任")
    plan.write_text(MINIMAL + "status: submitted\nsummary: 修改后\n", encoding="utf-8")
    two = git_project.commit("再次提交")
    found = plans_history(Repository.around(git_project.root), git_project.root / "plans", [plan])[plan]
    assert [(e.version.commit.id, e.status) for e in found.events] == [(one, "submitted"), (two, "submitted")]


def test_a_file_deleted_and_written_anew_is_another_plan(git_project: GitRepo) -> None:
    plan = write_plan(git_project.root, MINIMAL + "status: submitted\n")
    git_project.commit("旧计划")
    plan.unlink()
    git_project.commit("删除")
    plan.write_text(MINIMAL, encoding="utf-8")
    new = git_project.commit("新计划")
    found = plans_history(Repository.around(git_project.root), git_project.root / "plans", [plan])[plan]
    assert [v.commit.id for v in found.versions] == [new]
    assert found.events == []


def test_git_is_read_once_however_many_plans(git_project: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three runs of git (where the repository is, whether it is shallow, the log) and one to read
    the versions, for 3 plans or 60: the site reads the history of all plans at once."""
    runs = []
    real = subprocess.run

    def counted(*args: object, **kwargs: object) -> object:
        runs.append(args[0])
        return real(*args, **kwargs)  # type: ignore[call-overload]

    for count in (3, 60):
        paths = [
            write_plan(git_project.root, MINIMAL + "status: submitted\n", f"p{count}-{n}.yml") for n in range(count)
        ]
        git_project.commit(f"{count} plans")
        for path in paths[::2]:
            path.write_text(MINIMAL + "status: approved\n", encoding="utf-8")
        git_project.commit("approved")
        runs.clear()
        monkeypatch.setattr(history.subprocess, "run", counted)
        found = plans_history(Repository.around(git_project.root), git_project.root / "plans", paths)
        monkeypatch.setattr(history.subprocess, "run", real)
        assert len(runs) == 4, runs
        assert sum(len(h.events) for h in found.values()) == count + len(paths[::2])


def test_messages_for_no_git_no_repository_and_unknown_revisions(
    git_project: GitRepo, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan(git_project.root, MINIMAL)
    git_project.commit("初稿")
    repository = Repository.around(git_project.root)
    with pytest.raises(PlangenError, match="'nosuch' names no commit of this repository; give a commit, branch or tag"):
        repository.commit("nosuch")
    with pytest.raises(PlangenError, match="'--output=x' is not a git revision"):
        repository.commit("--output=x")
    outside = tmp_path_factory.mktemp("not-a-repository")
    with pytest.raises(PlangenError, match="is not in a git repository, so it has no history to compare with"):
        Repository.around(outside)
    monkeypatch.setattr(history.shutil, "which", lambda name: None)
    with pytest.raises(PlangenError, match="git is not installed, so plan history cannot be read"):
        Repository.around(git_project.root)


def test_a_shallow_clone_says_so_and_how_to_fetch_the_rest(git_project: GitRepo, tmp_path: Path) -> None:
    plan = write_plan(git_project.root, MINIMAL + "status: submitted\n")
    first = git_project.commit("提交")
    plan.write_text(MINIMAL + "status: approved\n", encoding="utf-8")
    git_project.commit("批准")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{git_project.root}", str(clone)],
        check=True,
        capture_output=True,
    )
    repository = Repository.around(clone)
    assert repository.shallow
    found = plans_history(repository, clone / "plans", [clone / "plans" / "plan.yml"])
    assert found[clone / "plans" / "plan.yml"].shallow
    with pytest.raises(PlangenError, match=r"shallow .*git fetch --unshallow"):
        repository.commit(first)


@pytest.mark.parametrize(
    ("pipeline", "setting"),
    [("plans.yml", "fetch-depth: 0"), ("gitlab-ci.yml", 'GIT_DEPTH: "0"')],
)
def test_the_ci_pipelines_plangen_writes_fetch_the_whole_history(pipeline: str, setting: str) -> None:
    """A shallow checkout (GitHub's and GitLab's default) would give the site one commit of history."""
    assert setting in (REPO / "templates" / "init" / pipeline).read_text(encoding="utf-8")


def test_a_plan_changed_while_submitted_was_resubmitted_but_a_move_is_no_resubmission(git_project: GitRepo) -> None:
    plan = write_plan(git_project.root, MINIMAL + "status: submitted\n")
    one = git_project.commit("提交")
    plan.write_text(MINIMAL + "status: submitted\nsummary: 按意见修改\n", encoding="utf-8")
    two = git_project.commit("修改后再交")
    (git_project.root / "plans" / "2027").mkdir()
    git_project.git("mv", "plans/plan.yml", "plans/2027/plan.yml")
    git_project.commit("移动")
    moved = git_project.root / "plans" / "2027" / "plan.yml"
    found = plans_history(Repository.around(git_project.root), git_project.root / "plans", [moved])[moved]
    assert [(e.version.commit.id, e.status) for e in found.events] == [(one, "submitted"), (two, "resubmitted")]
    assert [e.version.commit.id for e in found.submissions] == [one, two]


def test_versions_alike_but_for_their_status() -> None:
    from plangen.history import without_status

    assert without_status(b"title: x\r\nstatus: submitted\r\nsummary: y\r\n") == b"title: x\nsummary: y\n"
    assert without_status("title: x\nstatus：已批准\n".encode()) == without_status(b"title: x\nstatus: draft\n")
    assert without_status(b"title: x\n  status: done\n") == b"title: x\n  status: done\n"  # not the plan's


def test_the_history_benchmark_runs(tmp_path: Path) -> None:
    """benchmarks/history.py measures what the README and the notes quote: it must keep running (at 4
    plans here; `python benchmarks/history.py 1000` for the figures)."""
    require("git")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "history.py"), "4"],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("4 plans, 7 submissions and approvals\n"), done.stdout
    assert "site with history / without: ×" in done.stdout
