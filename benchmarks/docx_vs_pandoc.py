"""Benchmark: plangen's Word output against pandoc converting the same content.

    python benchmarks/docx_vs_pandoc.py [N]        (default N = 200)

Makes a project of N synthetic plans (the examples, repeated under new ids, so
Chinese and English plans with every block filled), then times in one run:

- plangen: ``build_docx`` on the whole project (read, validate, render, write);
- pandoc: ``pandoc -f markdown -t docx`` on each plan's Markdown, the exact text
  plangen's templates render for that plan (so both write the same content).

Prints seconds per document for each and the ratio; machines are noisy, the
ratio is what to compare.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_project  # noqa: E402

from plangen.build import DocxBuilder, build_docx  # noqa: E402
from plangen.loading import load_plans  # noqa: E402
from plangen.settings import open_project  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        make_project(folder, count)
        project = open_project(folder)

        started = time.perf_counter()
        result = build_docx(project, output=folder / "out")
        plangen_seconds = time.perf_counter() - started
        assert len(result.documents) == count, result.load.errors

        builder = DocxBuilder(project)
        markdown_dir = folder / "md"
        markdown_dir.mkdir()
        for loaded in load_plans(project).plans:
            text = re.sub(r"^:::.*$", "", builder.markdown(loaded.plan), flags=re.MULTILINE)
            (markdown_dir / f"{loaded.plan.id}.md").write_text(text, encoding="utf-8")

        print(f"plans: {count}")
        print(f"plangen build_docx: {plangen_seconds:.2f} s, {plangen_seconds / count * 1000:.1f} ms per document")
        if pandoc is None:
            print("pandoc: not installed, no comparison")
            return
        started = time.perf_counter()
        for source in sorted(markdown_dir.glob("*.md")):
            subprocess.run(
                [pandoc, "-f", "markdown", "-t", "docx", "-o", str(source.with_suffix(".docx")), str(source)],
                check=True,
            )
        pandoc_seconds = time.perf_counter() - started
        print(f"pandoc markdown→docx: {pandoc_seconds:.2f} s, {pandoc_seconds / count * 1000:.1f} ms per document")
        print(f"ratio: plangen is {pandoc_seconds / plangen_seconds:.2f}× pandoc's throughput")


if __name__ == "__main__":
    main()
