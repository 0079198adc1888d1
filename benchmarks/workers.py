"""Benchmark: how plangen's rendering workers start, forked (Linux) or spawned (Windows, macOS).

    python benchmarks/workers.py [N] [ROUNDS]        (default N = 40 plans, 3 rounds)

Builds N synthetic plans into Word documents on two workers (``build_docx(force=True,
jobs=2)``), with the worker processes forked, started by a fork server, and spawned; prints
the best and worst of ROUNDS runs of each and the ratio to forking. Spawned workers import
plangen and python-docx again, which a forked one has from its parent: that start-up is
what this measures (and why Linux forks).
"""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_project

from plangen import build
from plangen.settings import open_project


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as work:
        make_project(Path(work), count)
        project = open_project(Path(work))
        times: dict[str, list[float]] = {}
        for method in ("fork", "forkserver", "spawn"):
            build.WORKERS = multiprocessing.get_context(method)
            for _ in range(rounds):
                started = time.perf_counter()
                build.build_docx(project, force=True, jobs=2)
                times.setdefault(method, []).append(time.perf_counter() - started)
    fork = min(times["fork"])
    for method, seconds in times.items():
        print(f"{method:10} best {min(seconds):5.2f} s  worst {max(seconds):5.2f} s  ×{min(seconds) / fork:.2f}")


if __name__ == "__main__":
    main()
