"""The linter and the type checker, run as part of the test suite so CI runs them too."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "generator", "tests", "tools", "benchmarks"],
        ["ruff", "format", "--check", "generator", "tests", "tools", "benchmarks"],
        ["mypy"],
        # Windows, where managers work: no POSIX-only module or call (fcntl, os.O_NOFOLLOW, signal.SIGKILL)
        # outside a platform check. tests/test_platform.py runs the commands with them gone.
        ["mypy", "--platform", "win32"],
        ["mypy", "--platform", "darwin"],
    ],
    ids=["ruff", "ruff-format", "mypy", "mypy-windows", "mypy-macos"],
)
def test_code_quality(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
