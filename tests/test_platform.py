"""Windows, where nearly all managers work, simulated: every command runs with the POSIX-only
modules and calls gone (tests/fixtures/windows/sitecustomize.py), in the processes plangen
starts too. The static side is mypy --platform win32 (tests/test_code_quality.py); the
GitHub workflow's windows-latest job runs the tests on Windows itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, get_until, plangen_serve

BIN = Path(sys.executable).parent


@pytest.fixture
def windows() -> dict[str, str]:
    """The environment of a simulated Windows process."""
    return {**os.environ, "PYTHONPATH": str(FIXTURES / "windows"), "LANGUAGE": "zh_CN"}


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout + done.stderr


def test_the_simulation_takes_away_what_windows_lacks(windows: dict[str, str], tmp_path: Path) -> None:
    probe = (
        "import importlib.util, os, signal\n"
        "try:\n    import fcntl\nexcept ModuleNotFoundError:\n    print('no fcntl')\n"
        "print(hasattr(os, 'O_NOFOLLOW'), hasattr(os, 'fchmod'), hasattr(signal, 'SIGKILL'))\n"
        "try:\n    os.kill(os.getpid(), 0)\nexcept AssertionError:\n    print('no kill 0')\n"
    )
    assert _run([sys.executable, "-c", probe], tmp_path, windows).split("\n")[:3] == [
        "no fcntl",
        "False False False",
        "no kill 0",
    ]


def test_every_command_runs_without_posix(windows: dict[str, str], tmp_path: Path) -> None:
    plangen = str(BIN / "plangen")
    assert "plangen" in _run([plangen, "--version"], tmp_path, windows)
    _run([plangen, "init", "team", "--period", "2027"], tmp_path, windows)
    project = tmp_path / "team"
    _run([plangen, "new", "plans/2027/李四.yml", "--owner", "李四", "--period", "2027"], project, windows)
    for folder in ("2027", "samples"):  # with the drafts of the sample, which have no period
        shutil.copytree(REPO / "plans" / folder, project / "plans" / folder, dirs_exist_ok=True)
    assert "0 个错误" in _run([plangen, "validate"], project, windows)
    # Two workers, spawned: the lock, the sweep, moving the old site aside, all without POSIX.
    built = _run([plangen, "build", "--jobs", "2", "--today", "2027-01-02"], project, windows)
    assert "本次生成 5 份" in built, built
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = project / "out" / "docx" / f".a.docx.plangen-{ended.stdout.strip()}-x1.tmp"  # a killed build's
    writing = project / "out" / "docx" / f".b.docx.plangen-{os.getpid()}-x2.tmp"  # a running plangen's
    left.write_bytes(b"")
    writing.write_bytes(b"")
    _run([plangen, "build", "--jobs", "2", "--force"], project, windows)
    assert not left.exists() and writing.exists()
    assert {p.name for p in (project / "out" / "docx").iterdir()} >= {"example.docx", "李四.docx"}
    assert (project / "site" / "plans" / "李四" / "index.html").is_file()
    assert "false" in _run([sys.executable, "-m", "plangen", "setting", "docx.pdf"], project, windows)
    _run([plangen, "schema", "-o", "plan.schema.json"], project, windows)
    assert (project / "plan.schema.json").stat().st_size > 10_000


def test_serve_reloads_without_posix(windows: dict[str, str], tmp_path: Path) -> None:
    _run([str(BIN / "plangen"), "init", "team", "--period", "2027"], tmp_path, windows)
    project = tmp_path / "team"
    with plangen_serve(project, env=windows) as served:
        url = f"{served.url}/plans/example/"
        get_until(url, time.monotonic() + 90, "示例")
        plan = project / "plans" / "2027" / "example.yml"
        plan.write_text(plan.read_text(encoding="utf-8").replace("示例", "示范", 1), encoding="utf-8")
        get_until(url, time.monotonic() + 60, "示范")
    assert "Traceback" not in served.errors, served.errors
