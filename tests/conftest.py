"""Shared helpers: small plan trees written into a temporary project."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.loading import LoadResult, load_plans
from generator.settings import open_project

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

MINIMAL = """\
title: 测试计划
period: 2027
owner: {name: 王敏}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder that is also the working folder, so paths print relative."""
    (tmp_path / "plans").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_plan(root: Path, text: str, name: str = "plan.yml") -> Path:
    path = root / "plans" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(root: Path) -> LoadResult:
    return load_plans(open_project(root))


def problems(root: Path, text: str, name: str = "plan.yml") -> list[str]:
    """Write one plan and return its problems as printed."""
    write_plan(root, text, name)
    return [str(p) for p in load(root).problems]


def require(program: str) -> str:
    """The path of an outside program a test checks against; in CI its absence is a failure."""
    import os
    import shutil

    path = shutil.which(program)
    if path is None:
        message = f"{program} is not installed (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example plans built once into Word documents: plan id → path."""
    from generator.build import build_docx

    output = tmp_path_factory.mktemp("out")
    result = build_docx(open_project(REPO), output=output)
    return {path.stem: path for path in result.documents}


SITE_TODAY = "2027-01-02"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plans built once into a site (with downloads): the site folder."""
    import datetime as dt
    import shutil

    from generator.build import build

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO / "plans", root / "plans")
    shutil.copy(REPO / "plangen.yml", root)
    shutil.copy(REPO / "mkdocs.yml", root)
    result = build(open_project(root), site=True, today=dt.date.fromisoformat(SITE_TODAY))
    assert result.site is not None
    return result.site
