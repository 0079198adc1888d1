"""plangen serve: the site is served on localhost and follows edits to the plans."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import REPO


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, deadline: float, until: str) -> str:
    """The page at *url* once it contains *until*; fails after *deadline*."""
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
            if until in last:
                return last
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {until!r}")


def test_serve_rebuilds_when_a_plan_changes_even_after_an_error(tmp_path: Path) -> None:
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    shutil.copy(REPO / "plangen.yml", tmp_path)
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    port = _free_port()
    plangen = Path(sys.executable).parent / "plangen"
    process = subprocess.Popen(
        [str(plangen), "serve", "-a", f"127.0.0.1:{port}", "--today", "2027-01-02"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/plans/qingyunxi-liqiang/"
        _get(url, time.monotonic() + 90, "青云西区域政企客户经理2027年工作计划")
        plan = tmp_path / "plans" / "2027" / "qingyunxi-liqiang.yml"
        plan.write_text(
            plan.read_text(encoding="utf-8").replace("政企客户经理2027", "政企客户经理二〇二七"), encoding="utf-8"
        )
        _get(url, time.monotonic() + 60, "青云西区域政企客户经理二〇二七年工作计划")
        # A template error is shown, and the server goes on following edits once it is fixed.
        broken = tmp_path / "templates" / "site" / "plan.md.j2"
        broken.parent.mkdir(parents=True)
        broken.write_text("{{ 1 / 0 }}\n", encoding="utf-8")
        time.sleep(3)
        broken.unlink()
        plan.write_text(plan.read_text(encoding="utf-8").replace("二〇二七", "2027 修订"), encoding="utf-8")
        _get(url, time.monotonic() + 60, "青云西区域政企客户经理2027 修订年工作计划")
    finally:
        process.terminate()
        process.wait(timeout=20)
