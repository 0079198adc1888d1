"""Benchmark: ``plangen site`` against a bare ``mkdocs build`` of the same generated pages.

    python benchmarks/site_vs_mkdocs.py [N]        (default N = 200)

Makes a project of N synthetic plans, runs plangen's whole site step (load and
validate the plans, write the pages, build them with MkDocs) and then MkDocs
alone on the pages plangen wrote, in one run. plangen's own overhead is the
difference (indexing the site for search included). Also reports the size of the
search index per plan.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from synthetic import make_project  # noqa: E402

from plangen.build import build  # noqa: E402
from plangen.search import BUNDLE  # noqa: E402
from plangen.settings import open_project  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        make_project(folder, count)
        project = open_project(folder)
        build(project, docx=False, site=True, today=dt.date(2027, 1, 2))  # warm up: imports, compiled templates

        started = time.perf_counter()
        result = build(project, docx=False, site=True, today=dt.date(2027, 1, 2))
        plangen_seconds = time.perf_counter() - started
        assert result.site is not None and len(result.load.plans) == count

        # mkdocs.yml with plangen's navigation of units and plans, as plangen built with it
        nav = folder / "out" / "mkdocs-nav.yml"
        config = load_config(str(nav), docs_dir=str(folder / "out" / "site-src"), site_dir=str(folder / "bare-site"))
        started = time.perf_counter()
        mkdocs_build(config)
        mkdocs_seconds = time.perf_counter() - started

        index = sum(f.stat().st_size for f in (result.site / BUNDLE).rglob("*") if f.is_file())
        overhead = plangen_seconds - mkdocs_seconds
        print(f"plans: {count}")
        print(f"plangen site: {plangen_seconds:.2f} s")
        print(f"bare mkdocs build of the same pages: {mkdocs_seconds:.2f} s")
        print(f"plangen's own overhead: {overhead:.2f} s = {100 * overhead / mkdocs_seconds:.0f}% of the bare build")
        print(f"search index (Pagefind's, on disk): {index / 1024:.0f} KiB, {index / 1024 / count:.1f} KiB per plan")


if __name__ == "__main__":
    main()
