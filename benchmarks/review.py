"""Benchmark: what ``plangen review`` costs against the plans' own Word documents.

    python benchmarks/review.py [N]        (default N = 1000 plans)

Builds N synthetic plans' Word documents (``build_docx(force=True, jobs=2)``), then their
reviews as of a date (``build_reviews(force=True, jobs=2)``), then the reviews again with
nothing changed (the incremental run a second ``plangen review`` makes); prints the seconds
of each and the reviews' ratio to the plans' documents, in all and per document (the drafts
without a period among the synthetic plans have no review).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_project

from plangen.build import build_docx, build_reviews
from plangen.review import review_date
from plangen.settings import open_project


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        make_project(folder, count)
        project = open_project(folder)
        when = review_date(as_of=dt.date(2027, 7, 15))
        seconds, rendered = {}, {}
        for name, run in (
            ("plan documents", lambda: build_docx(project, jobs=2, force=True)),
            ("reviews", lambda: build_reviews(project, when=when, jobs=2, force=True)),
            ("reviews again, nothing changed", lambda: build_reviews(project, when=when, jobs=2)),
        ):
            started = time.perf_counter()
            result = run()
            seconds[name] = time.perf_counter() - started
            rendered[name] = result.rendered
            print(f"{name}: {seconds[name]:.1f} s, {result.rendered} rendered, {len(result.skipped)} skipped")
        ratio = seconds["reviews"] / seconds["plan documents"]
        each = (seconds["reviews"] / rendered["reviews"]) / (seconds["plan documents"] / rendered["plan documents"])
        print(f"reviews / plan documents: ×{ratio:.2f} in all, ×{each:.2f} per document rendered")


if __name__ == "__main__":
    main()
