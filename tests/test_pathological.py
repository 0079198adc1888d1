"""Pathological but valid plans (5,000 key accounts, a 200-page free section, 1,000 goals)
validate, build, and open in LibreOffice. How their build time grows is measured by
benchmarks/run.py, not here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, require
from plangen.build import build
from plangen.office import convert
from plangen.settings import Project, Settings

sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import pathological


@pytest.mark.parametrize("kind", ["key-accounts", "long-section", "goals"])
def test_extreme_plans_build_and_open_in_libreoffice(kind: str, tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    text = yaml.safe_dump(pathological(kind), allow_unicode=True)
    (tmp_path / "plans" / f"{kind}.yml").write_text(text, encoding="utf-8")
    result = build(Project(tmp_path, Settings()), site=True, jobs=1)
    assert result.load.problems == []
    [document] = result.documents
    assert (tmp_path / "site" / "plans" / kind / "index.html").is_file()
    require("soffice")
    [pdf] = convert([document], "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
