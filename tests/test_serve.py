"""plangen serve: the site is served on localhost and follows edits to the plans, its search index too."""

from __future__ import annotations

import io
import os
import re
import shutil
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from click.testing import CliRunner

from conftest import MINIMAL, REPO, free_port, get_until, plangen_serve, write_plan
from plangen.cli import main


def test_serve_rebuilds_when_a_plan_changes_even_after_an_error(tmp_path: Path) -> None:
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    shutil.copy(REPO / "plangen.yml", tmp_path)
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    with plangen_serve(tmp_path, "--today", "2027-01-02", env={**os.environ, "PYTHONUNBUFFERED": "1"}) as served:
        url = f"{served.url}/plans/qingyunxi-liqiang/"
        assert "assets/plangen/search.js" in get_until(
            url, time.monotonic() + 90, "青云西区域政企客户经理2027年工作计划"
        )
        index = f"{served.url}/pagefind/pagefind-entry.json"
        before = get_until(index, time.monotonic() + 10, '"zh"')
        plan = tmp_path / "plans" / "2027" / "qingyunxi-liqiang.yml"
        plan.write_text(
            plan.read_text(encoding="utf-8").replace("政企客户经理2027", "政企客户经理二〇二七"), encoding="utf-8"
        )
        get_until(url, time.monotonic() + 60, "青云西区域政企客户经理二〇二七年工作计划")
        assert get_until(index, time.monotonic() + 10, '"zh"') != before  # the search index was made again
        # A template error is shown, and the server goes on following edits once it is fixed.
        broken = tmp_path / "templates" / "site" / "plan.md.j2"
        broken.parent.mkdir(parents=True)
        broken.write_text("{{ 1 / 0 }}\n", encoding="utf-8")
        time.sleep(3)
        broken.unlink()
        plan.write_text(plan.read_text(encoding="utf-8").replace("二〇二七", "2027 修订"), encoding="utf-8")
        get_until(url, time.monotonic() + 60, "青云西区域政企客户经理2027 修订年工作计划")


def test_serve_refuses_an_mkdocs_yml_plangen_does_not_take(project: Path) -> None:
    marker = project.parent / f"{project.name}-marker"
    write_plan(project, MINIMAL)
    (project / "hook.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        (REPO / "mkdocs.yml").read_text(encoding="utf-8") + "hooks: [hook.py]\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["serve", "-a", f"127.0.0.1:{free_port()}"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: mkdocs.yml:67:1: hooks: hooks are Python code MkDocs would run on the machine that builds the site\n",
    )
    assert not marker.exists()


def test_serve_checks_mkdocs_yml_again_whenever_it_changes(tmp_path: Path) -> None:
    marker = tmp_path.parent / f"{tmp_path.name}-marker"
    write_plan(tmp_path, MINIMAL)
    own = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(own, encoding="utf-8")
    (tmp_path / "hook.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    with plangen_serve(tmp_path) as served:
        url = f"{served.url}/"
        get_until(url, time.monotonic() + 90, "工作计划")
        (tmp_path / "mkdocs.yml").write_text(own.replace("工作计划", "钩子") + "hooks: [hook.py]\n", encoding="utf-8")
        time.sleep(5)
        assert "钩子" not in get_until(url, time.monotonic() + 10, "工作计划") and not marker.exists()
        (tmp_path / "mkdocs.yml").write_text(own.replace("site_name: 工作计划", "site_name: 新名字"), encoding="utf-8")
        get_until(url, time.monotonic() + 60, "新名字")
        assert not marker.exists()
    assert "mkdocs.yml:67:1: hooks: hooks are Python code" in served.errors


def test_serve_offers_the_downloads_redacted_when_the_settings_say_so(tmp_path: Path) -> None:
    """It makes them as plangen site does (Word files, from the plans it reads), not from out/docx."""
    (tmp_path / "plans").mkdir()
    shutil.copy(REPO / "tests" / "fixtures" / "redaction" / "zh.yml", tmp_path / "plans")
    (tmp_path / "plangen.yml").write_text("site: {redact: true}\n", encoding="utf-8")
    with plangen_serve(tmp_path) as served:
        page = get_until(f"{served.url}/plans/redaction-zh/", time.monotonic() + 90, "重点客户共3户")
        assert "翠湖湾壹号" not in page and "redaction-zh.docx" in page
        with urllib.request.urlopen(f"{served.url}/downloads/redaction-zh.docx", timeout=10) as response:
            data = response.read()
        with zipfile.ZipFile(io.BytesIO(data)) as document:
            text = re.sub(r"<[^>]*>", "", document.read("word/document.xml").decode("utf-8"))
        assert "联系电话：（已隐去）" in text and "翠湖湾壹号" not in text
