"""How a plan repository installs plangen: the wheel of the running plangen, the pinned
versions of its dependencies, and where a pip requirement says plangen comes from."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from conftest import REPO, require_module
from plangen.errors import PlangenError
from plangen.install import ZIP_TIME, Source, constraints, pinned_dependencies, source, wheel, wheel_name

LOCALE_SOURCES = re.compile(r"plangen/locale/(plangen\.pot|[^/]+/LC_MESSAGES/plangen\.po)")
"""What a wheel built from a checkout (an editable install) holds besides what pip's holds:
the catalogs the compiled .mo files are made from, which sit in the package's folder there."""


def test_the_wheel_holds_the_package_as_pip_builds_it_from_the_checkout(checkout_wheel: Path) -> None:
    ours = zipfile.ZipFile(io.BytesIO(wheel()))
    pips = zipfile.ZipFile(checkout_wheel)
    assert wheel_name() == checkout_wheel.name == f"plangen-{version('plangen')}-py3-none-any.whl"
    info = f"plangen-{version('plangen')}.dist-info/"
    package = {name for name in pips.namelist() if not name.startswith(info)}
    assert "plangen/locale/zh_CN/LC_MESSAGES/plangen.mo" in package
    assert {"plangen/cli.py", "plangen/theme/main.html", "plangen/templates/init/plans.yml"} <= package
    mine = {name for name in ours.namelist() if not name.startswith(info)}
    assert package <= mine and all(LOCALE_SOURCES.fullmatch(name) for name in mine - package), mine ^ package
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in mine)
    assert all(ours.read(name) == pips.read(name) for name in package)
    assert ours.read(info + "entry_points.txt") == pips.read(info + "entry_points.txt")
    assert b"\nName: plangen\n" in ours.read(info + "METADATA")
    assert ours.read(info + "WHEEL").decode().splitlines() == [
        "Wheel-Version: 1.0", f"Generator: plangen ({version('plangen')})", "Root-Is-Purelib: true",
        "Tag: py3-none-any",
    ]  # fmt: skip


def test_the_wheel_is_the_same_bytes_every_time() -> None:
    data = wheel()
    assert wheel() == data
    entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {entry.date_time for entry in entries} == {ZIP_TIME}
    assert {entry.external_attr >> 16 for entry in entries} == {0o100644}
    names = [entry.filename for entry in entries]
    package = [name for name in names if not name.startswith("plangen-")]
    assert package == sorted(package) and names[: len(package)] == package, "the packages, then the dist-info"
    assert names[-1].endswith(".dist-info/RECORD")


def test_the_wheel_tool_finds_every_hash_and_size_of_the_record_right(tmp_path: Path) -> None:
    """`wheel unpack` checks each file against the hash and size RECORD gives it; a file
    changed after the wheel was made is caught, so a wrong RECORD would be too."""
    require_module("wheel")
    good = tmp_path / wheel_name()
    good.write_bytes(wheel())
    unpack = [sys.executable, "-m", "wheel", "unpack", "-d", str(tmp_path / "out")]
    done = subprocess.run([*unpack, str(good)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / good.name.split("-py3")[0] / "plangen" / "cli.py").is_file()
    tampered = tmp_path / "changed" / good.name
    tampered.parent.mkdir()
    with zipfile.ZipFile(good) as source_zip, zipfile.ZipFile(tampered, "w") as target:
        for entry in source_zip.infolist():
            data = source_zip.read(entry)
            target.writestr(entry, data + b"#" if entry.filename == "plangen/cli.py" else data)
    done = subprocess.run([*unpack, str(tampered)], capture_output=True, text=True)
    assert done.returncode != 0 and "plangen/cli.py" in done.stdout + done.stderr


def _pins(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+==[^=\s]+", line) for line in lines), lines
    return {canonicalize_name(name): pinned for name, pinned in (line.split("==") for line in lines)}


def test_constraints_pin_what_plangen_needs_at_the_versions_installed() -> None:
    pins = _pins(constraints())
    assert pins == {canonicalize_name(name): pinned for name, pinned in pinned_dependencies().items()}
    assert all(version(name) == pinned for name, pinned in pins.items())
    direct = {
        "click",
        "pydantic",
        "mkdocs-material",
        "pagefind",
        "python-docx",
        "pypdf",
        "packaging",
        "filelock",
        "psutil",
    }
    assert direct <= set(pins)
    assert {"pydantic-core", "markupsafe", "pagefind-bin-extended"} <= set(pins), "recursively, extras followed"
    assert not {"plangen", "pytest", "ruff", "pre-commit"} & set(pins), "not plangen itself, nor its test extras"


def test_this_repositorys_constraints_name_every_package_plangen_needs() -> None:
    """Its own pipelines install this checkout with them: a package plangen has come to need
    since they were written would be installed at whatever version is newest."""
    pinned = set(_pins((REPO / "constraints.txt").read_text(encoding="utf-8")))
    needed = {canonicalize_name(name) for name in pinned_dependencies()}
    assert needed <= pinned, (
        f"not in constraints.txt: {sorted(needed - pinned)}; refresh it (README, Working as a team)"
    )


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("plangen==1.2", Source("plangen==1.2")),
        ("plangen==1.2 ", Source("plangen==1.2")),
        (
            "plangen @ git+https://git.example.com/tools/plangen.git@v0.1.0",
            Source(
                "plangen @ git+https://git.example.com/tools/plangen.git@v0.1.0",
                hook_repository=("https://git.example.com/tools/plangen.git", "v0.1.0"),
            ),
        ),
        (
            "plangen@git+ssh://git@git.example.com/tools/plangen.git@3f2a9c1",
            Source(
                "plangen@git+ssh://git@git.example.com/tools/plangen.git@3f2a9c1",
                hook_repository=("ssh://git@git.example.com/tools/plangen.git", "3f2a9c1"),
            ),
        ),
        ("plangen @ git+https://git.example.com/tools/plangen.git", Source(
            "plangen @ git+https://git.example.com/tools/plangen.git")),  # no rev: pip takes HEAD
        ("plangen @ git+https://git.example.com/all.git@v1#subdirectory=plangen", Source(
            "plangen @ git+https://git.example.com/all.git@v1#subdirectory=plangen")),
        ("plangen @ https://files.example.com/plangen-1.2-py3-none-any.whl", Source(
            "plangen @ https://files.example.com/plangen-1.2-py3-none-any.whl")),
        ("plangen @ file:///srv/wheels/plangen-1.2-py3-none-any.whl", Source(
            "plangen @ file:///srv/wheels/plangen-1.2-py3-none-any.whl")),
    ],
)  # fmt: skip
def test_a_spec_says_where_the_pipelines_and_the_hook_get_plangen(spec: str, expected: Source) -> None:
    assert source(spec) == expected


def test_without_a_spec_plangen_comes_from_its_own_wheel_in_the_repository() -> None:
    name = f"plangen-{version('plangen')}-py3-none-any.whl"
    assert source(None) == Source(f"./vendor/{name}[pdf]", wheel=f"vendor/{name}")  # PDFs need only the setting


@pytest.mark.parametrize(
    "spec", ["plangen=1.2", "plangn==1.2", "", "git+https://git.example.com/tools/plangen.git", "plangen\n-e ."]
)
def test_a_spec_that_is_not_a_requirement_for_plangen_is_refused(spec: str) -> None:
    with pytest.raises(PlangenError, match=r"^--plangen-spec: expected a pip requirement for plangen, such as "):
        source(spec)
