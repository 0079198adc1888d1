"""Synthetic plan projects for the benchmarks: the example plans repeated under new ids."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_project(folder: Path, count: int) -> None:
    """*count* plans (Chinese and English, every block filled), with the project's settings and mkdocs.yml."""
    examples = sorted((ROOT / "plans").rglob("*.yml"))
    (folder / "plans").mkdir(parents=True)
    for n in range(count):
        source = examples[n % len(examples)]
        text = source.read_text(encoding="utf-8").split("\n", 1)[1]  # drop the schema comment
        (folder / "plans" / f"{source.stem}-{n:04d}.yml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "plangen.yml", folder)
    shutil.copy(ROOT / "mkdocs.yml", folder)
