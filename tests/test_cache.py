"""Incremental builds: only stale documents are rendered, and the cache can never make a build wrong."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import MINIMAL, REPO, write_plan
from plangen.build import build_docx
from plangen.cache import (
    CACHE_FILE,
    PLANS_CACHE_FILE,
    SECRET_FILE,
    LoadCache,
    inputs_digest,
    plan_digest,
    plangen_digest,
)
from plangen.cli import main
from plangen.errors import InvalidFile
from plangen.i18n import language
from plangen.loading import LoadResult, load_plans
from plangen.model import Plan
from plangen.settings import Project, open_project


def rendered(project: Path, **options: object) -> int:
    return build_docx(open_project(project), **options).rendered  # type: ignore[arg-type]


def test_only_changed_plans_are_rendered_again(project: Path) -> None:
    write_plan(project, MINIMAL, "a.yml")
    write_plan(project, MINIMAL, "b.yml")
    assert rendered(project) == 2
    assert rendered(project) == 0
    write_plan(project, MINIMAL.replace("测试计划", "新标题"), "b.yml")
    assert rendered(project) == 1
    assert rendered(project, force=True) == 2


def test_touching_without_changing_renders_nothing(project: Path) -> None:
    path = write_plan(project, MINIMAL)
    rendered(project)
    path.write_text(path.read_text(encoding="utf-8") + "# a comment only\n", encoding="utf-8")
    assert rendered(project) == 0


def test_template_or_settings_changes_rebuild_everything(project: Path) -> None:
    write_plan(project, MINIMAL, "a.yml")
    write_plan(project, MINIMAL, "b.yml")
    rendered(project)
    (project / "templates" / "labels").mkdir(parents=True)
    (project / "templates" / "labels" / "zh-CN.yml").write_text("duties: 职责\n", encoding="utf-8")
    assert rendered(project) == 2
    (project / "plangen.yml").write_text("organization: 新单位\n", encoding="utf-8")
    assert rendered(project) == 2


def test_a_change_to_plangen_itself_rebuilds_everything_and_reads_plans_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan(project, MINIMAL, "a.yml")
    write_plan(project, MINIMAL, "b.yml")
    rendered(project)
    cache = project / "plans.json"
    cached_load(open_project(project), cache)

    def reads_again() -> bool:
        known = LoadCache.open(cache, open_project(project))
        assert known is not None
        load_plans(open_project(project), cache=known)
        return known.added

    assert not reads_again()
    monkeypatch.setattr("plangen.cache.plangen_digest", lambda: "plangen with changed code")
    assert rendered(project) == 2
    assert reads_again()


def test_a_missing_document_or_a_corrupt_cache_means_rebuilding(project: Path) -> None:
    write_plan(project, MINIMAL)
    [document] = build_docx(open_project(project)).documents
    document.unlink()
    assert rendered(project) == 1
    (project / "out" / CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert rendered(project) == 1
    (project / "out" / CACHE_FILE).write_text('{"docx": []}', encoding="utf-8")
    assert rendered(project) == 1


def test_parallel_output_is_identical_to_serial(project: Path) -> None:
    for n in range(4):
        write_plan(project, MINIMAL.replace("测试计划", f"计划{n}"), f"p{n}.yml")
    serial = {p.name: p.read_bytes() for p in build_docx(open_project(project), jobs=1).documents}
    parallel = {p.name: p.read_bytes() for p in build_docx(open_project(project), jobs=2, force=True).documents}
    assert serial == parallel


def test_plans_read_from_the_load_cache_equal_freshly_read_ones(tmp_path: Path) -> None:
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    project = open_project(tmp_path)
    cache = tmp_path / PLANS_CACHE_FILE
    fresh = load_plans(project)
    first = cached_load(project, cache)
    again = cached_load(project, cache)
    for result in (first, again):
        assert [(p.id, p.digest) for p in result.plans] == [(p.id, p.digest) for p in fresh.plans]
        assert [p.plan for p in result.plans] == [p.plan for p in fresh.plans]
        assert result.problems == fresh.problems
    cache.write_text("{broken", encoding="utf-8")
    assert [p.plan for p in cached_load(project, cache).plans] == [p.plan for p in fresh.plans]


def test_cached_plans_are_validated_again_only_when_read(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b", "c"):
        write_plan(project, MINIMAL, f"{name}.yml")
    cache = project / "cache.json"
    cached_load(open_project(project), cache)
    (project / "plans" / "b.yml").write_text(MINIMAL.replace("计划", "新计划"), encoding="utf-8")
    validated: list[str] = []
    for name in ("model_validate", "model_validate_json"):  # from a file's data, from the cache's text
        real = getattr(Plan, name)
        monkeypatch.setattr(Plan, name, lambda data, real=real: validated.append(_plan_id(data)) or real(data))
    result = cached_load(open_project(project), cache)
    assert validated == ["b"], "the changed plan was read from its file, the others were not validated"
    validated.clear()
    assert [p.plan.title for p in result.plans] == ["测试计划", "测试新计划", "测试计划"]
    assert validated == ["a", "c"], "until they were read"
    assert rendered(project) == 3
    validated.clear()
    (project / "plans" / "c.yml").write_text(MINIMAL.replace("计划", "别的计划"), encoding="utf-8")
    assert rendered(project) == 1
    assert validated == ["c"], "a build validates only the plans it renders"


def test_a_cached_plan_damaged_by_hand_is_read_from_its_file_again(project: Path) -> None:
    write_plan(project, MINIMAL)
    cache = project / "cache.json"
    cached_load(open_project(project), cache)
    data = json.loads(cache.read_text(encoding="utf-8"))
    [entry] = data["plans"].values()
    entry["plan"] = entry["plan"].replace('"period":2027', '"period":"never"')  # well-formed, but no plan
    cache.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    [loaded] = cached_load(open_project(project), cache).plans
    assert loaded.plan == load_plans(open_project(project)).plans[0].plan
    [loaded] = cached_load(open_project(project), cache).plans
    (project / "plans" / "plan.yml").write_text(MINIMAL + "status: x\n", encoding="utf-8")  # meanwhile
    with pytest.raises(InvalidFile, match=r"^plans/plan.yml:4:9: status: expected one of"):
        assert loaded.plan


def test_a_changed_plan_is_read_again(project: Path) -> None:
    path = write_plan(project, MINIMAL)
    cache = project / "cache.json"
    cached_load(open_project(project), cache)
    path.write_text(MINIMAL + "status: x\n", encoding="utf-8")
    assert [str(p) for p in cached_load(open_project(project), cache).problems] == [
        'plans/plan.yml:4:9: status: expected one of 草稿, 已提交, 已批准; got "x"'
    ]


def _plan_id(data: dict[str, Any] | str) -> str:
    return str((json.loads(data) if isinstance(data, str) else data)["id"])


def cached_load(project: Project, path: Path) -> LoadResult:
    """Load the project's plans through the load cache at *path*, as a build does."""
    known = LoadCache.open(path, project)
    assert known is not None
    result = load_plans(project, cache=known)
    known.save()
    return result


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            "templates/k.txt->/proc/kmsg",
            "templates/k.txt: it is a link to a file outside the project; put the file itself in the project",
        ),
        (
            "templates/docx/env.txt->/proc/self/environ",
            "templates/docx/env.txt: it is a link to a file outside the project; put the file itself in the project",
        ),
        (
            "templates/reference/zh-official.docx->{root}/.git/key.docx",
            "templates/reference/zh-official.docx: it is a link to a hidden file or folder, such as .git; put the file "
            "itself here",
        ),
        ("references: /usr", "/usr: it is a folder, not an ordinary file; only ordinary files are read"),
        ("references: templates", "templates: it is a folder, not an ordinary file; only ordinary files are read"),
        ("references: ../outside.docx", "{root}/../outside.docx: it is outside the project; put it in the project"),
        (
            "references: own.docx->{root}/../outside.docx",
            "own.docx: it is a link to a file outside the project; put the file itself in the project",
        ),
    ],
)
def test_templates_and_references_are_checked_before_they_are_read(project: Path, setup: str, message: str) -> None:
    write_plan(project, MINIMAL)
    (project / "templates").mkdir()
    (project / ".git").mkdir()
    (project / ".git" / "key.docx").write_bytes((REPO / "templates" / "reference" / "zh-official.docx").read_bytes())
    shutil.copy(REPO / "templates" / "reference" / "zh-official.docx", project.parent / "outside.docx")
    if setup.startswith("references: "):
        setup = setup.removeprefix("references: ")
        (project / "plangen.yml").write_text(
            f"docx:\n  references:\n    zh-official: {setup.split('->')[0]}\n", encoding="utf-8"
        )
    if "->" in setup:
        link, target = setup.split("->")
        (project / link).parent.mkdir(parents=True, exist_ok=True)
        (project / link).symlink_to(target.format(root=project))
    result = CliRunner().invoke(main, ["docx"])
    assert (result.exit_code, result.output) == (1, f"Error: {message.format(root=project)}\n")
    assert not list((project / "out" / "docx").glob("*.docx"))


@pytest.fixture
def private(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private folder of this test's own, where the caches' secret is kept."""
    from plangen import templating

    folder = tmp_path_factory.mktemp("private")
    folder.chmod(0o700)
    monkeypatch.setattr(templating, "_compiled_templates", lambda: templating._CompiledTemplates(str(folder)))
    return folder


def test_a_load_cache_not_written_here_never_passes_for_the_plans(project: Path, private: Path) -> None:
    """A cache committed with the repository, its keys computed as they could be before they were signed."""
    path = write_plan(project, MINIMAL)
    settings = open_project(project)
    honest = cached_load(settings, project / "out" / PLANS_CACHE_FILE)
    assert (private / SECRET_FILE).stat().st_mode & 0o777 == 0o600
    salt = plangen_digest() + settings.settings.model_dump_json() + language()
    data = path.read_bytes()
    forged = hashlib.sha256(salt.encode() + b"plans/plan.yml\0" + data).hexdigest()
    entry = json.loads((project / "out" / PLANS_CACHE_FILE).read_text(encoding="utf-8"))["plans"].popitem()[1]
    entry["plan"] = entry["plan"].replace("测试计划", "FORGED")
    (project / "out" / PLANS_CACHE_FILE).write_text(json.dumps({"plans": {forged: entry}}), encoding="utf-8")
    [loaded] = cached_load(open_project(project), project / "out" / PLANS_CACHE_FILE).plans
    assert loaded.plan.title == "测试计划" == honest.plans[0].plan.title
    assert "FORGED" not in (project / "out" / PLANS_CACHE_FILE).read_text(encoding="utf-8")


def test_a_build_cache_not_written_here_never_passes_for_a_document(project: Path, private: Path) -> None:
    write_plan(project, MINIMAL)
    [document] = build_docx(open_project(project)).documents
    built = document.read_bytes()
    [loaded] = load_plans(open_project(project)).plans
    forged = plan_digest(inputs_digest(open_project(project)), loaded.digest)  # as it was before it was signed
    (project / "out" / CACHE_FILE).write_text(json.dumps({"docx": {"plan": forged}}), encoding="utf-8")
    document.write_bytes(b"FORGED")
    assert rendered(project) == 1 and document.read_bytes() == built


def test_without_a_private_folder_nothing_is_taken_from_a_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plangen import templating

    monkeypatch.setattr(templating, "_compiled_templates", lambda: None)
    write_plan(project, MINIMAL)
    assert rendered(project) == 1
    assert rendered(project) == 1
    assert not (project / "out" / PLANS_CACHE_FILE).exists()
