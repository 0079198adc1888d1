"""Incremental builds: only stale documents are rendered, and the cache can never make a build wrong."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL, write_plan
from generator.build import build_docx
from generator.cache import CACHE_FILE
from generator.settings import open_project


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
