"""Crash safety and concurrency: a build killed at any moment leaves the previous outputs
readable and complete, and two builds started at once do not mix their outputs."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import REPO, posix_only

PLANGEN = str(Path(sys.executable).parent / "plangen")
BUILD = [PLANGEN, "build", "--today", "2027-01-02", "-j", "2"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    shutil.copy(REPO / "plangen.yml", tmp_path)
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    done = subprocess.run(BUILD, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return tmp_path


def assert_complete(project: Path) -> None:
    """Every document opens, and the site has all its pages."""
    plans = sorted(p.stem for p in (project / "plans").rglob("*.yml"))
    documents = sorted((project / "out" / "docx").glob("*.docx"))
    assert [d.stem for d in documents] == plans
    for document in documents:
        with zipfile.ZipFile(document) as package:
            assert package.testzip() is None
        assert docx.Document(str(document)).paragraphs
    for plan in plans:
        assert (project / "site" / "plans" / plan / "index.html").is_file()
        assert (project / "site" / "downloads" / f"{plan}.docx").is_file()
    assert (project / "site" / "pagefind" / "pagefind-entry.json").is_file()


@posix_only
def test_a_build_killed_at_random_moments_leaves_complete_outputs(project: Path) -> None:
    chance = random.Random(20270102)
    for _ in range(5):
        started = subprocess.Popen(
            [*BUILD, "--force"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(chance.uniform(0.2, 4.0))
        started.send_signal(signal.SIGKILL)
        started.wait()
        assert_complete(project)
    done = subprocess.run(BUILD, cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert_complete(project)
    leftovers = [p for p in project.rglob(".*.plangen-*")]
    assert leftovers == []


def test_two_builds_at_once_do_not_mix_their_outputs(project: Path) -> None:
    expected = {p.name: p.read_bytes() for p in (project / "out" / "docx").glob("*.docx")}
    both = [subprocess.Popen([*BUILD, "--force"], cwd=project, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [process.communicate(timeout=300)[1] for process in both]
    assert [process.returncode for process in both] == [0, 0], errors
    assert {p.name: p.read_bytes() for p in (project / "out" / "docx").glob("*.docx")} == expected
    assert_complete(project)
