"""Benchmark: what the plans' git history costs the site.

    python benchmarks/history.py [N]        (default N = 1000 plans)

Commits N synthetic plans five times, as a team's year goes: drafts, all submitted, half
approved, a quarter returned to draft and revised, then submitted again (the sample drafts
without owner or period are given both, as a plan must have them to be submitted). Then times reading every plan's history
(history.plans_history: one git log, one git cat-file), the site's histories (also reading
and validating the submissions compared with: changes.site_histories), and the whole site
built with its history against the same site built from a copy outside git (no history).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_project

from plangen.build import build
from plangen.changes import site_histories
from plangen.history import Repository, plans_history
from plangen.loading import load_plans
from plangen.settings import open_project

TODAY = dt.date(2027, 7, 15)


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=王敏", "-c", "user.email=w@example.com", *args], cwd=folder, check=True,
                   capture_output=True)  # fmt: skip


def with_status(path: Path, status: str, revised: bool) -> None:
    text = re.sub(r"^status:.*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    if revised:
        text = re.sub(r"^title: (.*)$", r"title: \1（修订稿）", text, count=1, flags=re.MULTILINE)
    if not re.search(r"^period:", text, flags=re.MULTILINE):
        text += "\nperiod: 2027\nowner: {name: 王敏}\n"
    path.write_text(f"{text.rstrip()}\nstatus: {status}\n", encoding="utf-8")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "project"
        folder.mkdir()
        make_project(folder, count)
        plans = sorted((folder / "plans").rglob("*.yml"))
        git(folder, "init", "-q")
        for step, (status, chosen) in enumerate(
            [("draft", plans), ("submitted", plans), ("approved", plans[::2]), ("draft", plans[1::4]),
             ("submitted", plans[1::4])]
        ):  # fmt: skip
            for path in chosen:
                with_status(path, status, revised=step == 3)
            git(folder, "add", "-A")
            git(folder, "commit", "-q", "-m", f"step {step}")
        project = open_project(folder)
        loaded = load_plans(project, today=TODAY).plans
        started = time.perf_counter()
        histories = plans_history(Repository.around(folder), folder / "plans", [p.path for p in loaded])
        read = time.perf_counter() - started
        events = sum(len(h.events) for h in histories.values())
        started = time.perf_counter()
        found, _warning = site_histories(project, loaded)
        for_site = time.perf_counter() - started
        compared = sum(h.compared is not None for h in found.values())
        print(f"{len(loaded)} plans, {events} submissions and approvals")
        print(f"reading the history (one git log, one git cat-file): {read:.2f} s")
        print(f"the site's histories ({compared} previous submissions read and validated): {for_site:.2f} s")
        outside = Path(work) / "outside"
        shutil.copytree(folder, outside, ignore=shutil.ignore_patterns(".git"))
        seconds = {}
        for name, root in (("site with history", folder), ("site outside git", outside)):
            started = time.perf_counter()
            build(open_project(root), docx=False, site=True, today=TODAY)
            seconds[name] = time.perf_counter() - started
            print(f"{name}: {seconds[name]:.1f} s")
        ratio = seconds["site with history"] / seconds["site outside git"]
        print(f"site with history / without: ×{ratio:.2f}")


if __name__ == "__main__":
    main()
