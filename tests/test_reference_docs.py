"""The shipped reference documents are exactly what tools/make_reference_docx.py makes."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import REPO
from generator.docx_writer import deterministic_bytes


@pytest.mark.parametrize("layout", ["zh-official", "business"])
def test_committed_reference_documents_are_current(layout: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("make_reference_docx", REPO / "tools" / "make_reference_docx.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, tool)  # dataclasses look their module up
    spec.loader.exec_module(tool)
    document = {"zh-official": tool.zh_official, "business": tool.business}[layout]()
    document.core_properties.title = f"plangen reference document: {layout}"
    committed = (REPO / "templates" / "reference" / f"{layout}.docx").read_bytes()
    assert deterministic_bytes(document) == committed, "run: python tools/make_reference_docx.py"
