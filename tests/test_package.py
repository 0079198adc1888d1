"""The installed package holds everything the commands need: a wheel installed into a
fresh virtual environment outside this checkout runs plangen init and builds the
starter plan into a Word document and a site."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

from conftest import REPO


def test_wheel_in_a_fresh_environment_inits_and_builds(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True, capture_output=True,
    )  # fmt: skip
    [wheel] = dist.glob("plangen-*.whl")
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    plangen = env_dir / "bin" / "plangen"
    work = tmp_path / "elsewhere"
    work.mkdir()
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    for command in (["init", "team-plans", "--period", "2027"], ["-C", "team-plans", "build"]):
        done = subprocess.run([str(plangen), *command], cwd=work, env=clean, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    project = work / "team-plans"
    assert (project / "out" / "docx" / "example.docx").stat().st_size > 10_000
    assert (project / "site" / "plans" / "example" / "index.html").is_file()
    assert (project / "site" / "downloads" / "example.docx").is_file()


def test_the_package_is_imported_and_run_as_plangen(tmp_path: Path) -> None:
    """The import name is the distribution's; "generator", the source folder's name, is another
    project on PyPI and must not be taken by installing plangen."""
    elsewhere = {**os.environ, "PYTHONPATH": ""}
    run = subprocess.run(
        [sys.executable, "-m", "plangen", "--lang", "en", "--help"],
        cwd=tmp_path,
        env=elsewhere,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Usage: plangen [OPTIONS] COMMAND")
    probe = "import importlib.util as u, plangen; print(u.find_spec('generator'), plangen.load_plans.__module__)"
    found = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=elsewhere, capture_output=True, text=True)
    assert found.stdout.split() == ["None", "plangen.loading"], found.stderr
