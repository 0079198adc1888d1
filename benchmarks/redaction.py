"""Benchmark: what site.redact costs a full build (Word documents and site).

    python benchmarks/redaction.py [N]        (default N = 1000 plans)

Builds N synthetic plans (``build(site=True, jobs=2)``) once without and once with
``site: {redact: true}``, which renders every plan a second time, redacted, for the site's
downloads; prints the seconds of each and their ratio.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_project

from plangen.build import build
from plangen.settings import open_project


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seconds = {}
    for redact in ("false", "true"):
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work)
            make_project(folder, count)
            settings = folder / "plangen.yml"
            settings.write_text(
                settings.read_text(encoding="utf-8") + f"site: {{redact: {redact}}}\n", encoding="utf-8"
            )
            started = time.perf_counter()
            build(open_project(folder), jobs=2, site=True, today=dt.date(2027, 1, 2))
            seconds[redact] = time.perf_counter() - started
            redacted = len(list((folder / "out" / "redacted-docx").glob("*.docx")))
        print(f"redact: {redact:5}  {seconds[redact]:6.1f} s  ({redacted} redacted documents)")
    print(f"with redaction / without: ×{seconds['true'] / seconds['false']:.2f}")


if __name__ == "__main__":
    main()
