"""The installed package holds everything the commands need: a wheel installed into a
fresh virtual environment outside this checkout runs plangen init and builds the
starter plan into a Word document and a site; and the wheel that plangen init writes
into the new repository, built from that installed package, holds what pip's wheel holds."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path


def test_wheel_in_a_fresh_environment_inits_and_builds(tmp_path: Path, checkout_wheel: Path) -> None:
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    scripts = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    python = scripts / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(checkout_wheel)], capture_output=True, text=True
    )
    assert install.returncode == 0, install.stderr
    plangen = scripts / "plangen"
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
    with zipfile.ZipFile(checkout_wheel) as pips, zipfile.ZipFile(project / "vendor" / checkout_wheel.name) as ours:
        package = sorted(name for name in pips.namelist() if not name.startswith("plangen-"))
        assert sorted(name for name in ours.namelist() if not name.startswith("plangen-")) == package
        assert all(ours.read(name) == pips.read(name) for name in package)
        info = "plangen-0.1.0.dist-info/"
        assert ours.read(info + "entry_points.txt") == pips.read(info + "entry_points.txt")
        assert ours.read(info + "METADATA") == pips.read(info + "METADATA")


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


def test_the_sdist_holds_the_license_and_what_the_wheel_needs_and_no_tests(
    tmp_path: Path, checkout_copy: Path, checkout_wheel: Path
) -> None:
    """The sdist is for installing: a wheel built from it holds the same files as one built from
    this checkout, and it carries the licence; the tests stay in the repository, whose example
    plans and tools they need."""
    built = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path / "sdist"), str(checkout_copy)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    [sdist] = (tmp_path / "sdist").glob("plangen-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert "LICENSE" in names and "pyproject.toml" in names
    assert not [name for name in names if name.startswith(("tests/", "tools/", "benchmarks/", "plans/"))]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "wheel"), str(sdist)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheels = {}
    for name, wheel in (
        ("from-sdist", next((tmp_path / "wheel").glob("plangen-*.whl"))),
        ("from-checkout", checkout_wheel),
    ):
        with zipfile.ZipFile(wheel) as archive:
            wheels[name] = sorted(archive.namelist())
    assert wheels["from-sdist"] == wheels["from-checkout"]
    assert "plangen/locale/zh_CN/LC_MESSAGES/plangen.mo" in wheels["from-sdist"]
    assert "plangen-0.1.0.dist-info/licenses/LICENSE" in wheels["from-sdist"]
