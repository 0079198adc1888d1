"""plangen's benchmark suite: how validation, Word documents, the site and rebuilds scale.

    python benchmarks/run.py                 # N = 10, 100 and 1,000 plans (about 7 minutes here)
    python benchmarks/run.py 10 100          # chosen sizes

For each N it makes a project of N synthetic plans (the examples repeated:
Chinese and English, every block filled) and runs the ``plangen`` command as a
user would, timing each step and reading its peak memory. In the same run it
times pandoc converting the same plans' Markdown to Word (as many at once as
plangen renders) and a bare ``mkdocs build`` of the pages plangen wrote, so the
results are ratios that hold on a noisy machine. It ends with the pathological
plans at two sizes, to show build time growing linearly. "home KiB" is the size of the
site's home page, which grows with the periods and organisations, not with the plans.
"""

from __future__ import annotations

import compileall
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import QUERIES  # noqa: E402
from search import measure as search_in_browser  # noqa: E402
from synthetic import make_project, pathological  # noqa: E402

from plangen.build import DocxBuilder  # noqa: E402
from plangen.cache import PLANS_CACHE_FILE  # noqa: E402
from plangen.loading import load_plans  # noqa: E402
from plangen.search import BUNDLE  # noqa: E402
from plangen.search import index as search_index  # noqa: E402
from plangen.settings import open_project  # noqa: E402

PLANGEN = str(Path(sys.executable).parent / "plangen")
JOBS = os.cpu_count() or 1
TODAY = ["--today", "2027-01-02"]
REPEATS = 3


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak memory (MiB, the largest process) of one command."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode()}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(usage.ru_maxrss, children) / 1024


def pandoc_seconds(project: Path, folder: Path) -> float:
    """pandoc converting each plan's Markdown (the text plangen's template renders) to .docx."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return float("nan")
    opened = open_project(project)
    builder = DocxBuilder(opened)
    folder.mkdir()
    sources = []
    for loaded in load_plans(opened).plans:
        source = folder / f"{loaded.plan.id}.md"
        source.write_text(re.sub(r"^:::.*$", "", builder.markdown(loaded.plan), flags=re.MULTILINE), encoding="utf-8")
        sources.append(source)

    def convert(source: Path) -> None:
        subprocess.run(
            [pandoc, "-f", "markdown", "-t", "docx", "-o", str(source.with_suffix(".docx")), str(source)], check=True
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(JOBS) as pool:
        list(pool.map(convert, sources))
    return time.perf_counter() - started


def bare_mkdocs_seconds(project: Path) -> float:
    config = f"INHERIT: mkdocs.yml\nsite_dir: {project / 'bare-site'}\n"
    (project / "bare.yml").write_text(config, encoding="utf-8")
    return timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "bare.yml"], project)[0]


def measure(count: int) -> dict[str, float]:
    """One row of the table. Times that ratios are taken of are the best of three runs,
    the site's interleaved with the bare MkDocs build: on a noisy machine noise only
    ever adds time, and a 20-second MkDocs build varies by 10% from run to run."""
    with tempfile.TemporaryDirectory() as work:
        project = Path(work)
        make_project(project, count)
        row: dict[str, float] = {"plans": count}
        row["validate"], memory = timed([PLANGEN, "validate"], project)
        docx = [timed([PLANGEN, "docx", "-j", str(JOBS), *(["--force"] if run else [])], project) for run in range(2)]
        row["docx"], docx_memory = min(t for t, _ in docx), max(m for _, m in docx)
        cold, again, bare, site_memory = [], [], [], 0.0
        for _ in range(REPEATS):
            (project / "out" / PLANS_CACHE_FILE).unlink()  # a first site build reads every plan file
            seconds, memory_used = timed([PLANGEN, "site", *TODAY], project)
            cold.append(seconds)
            site_memory = max(site_memory, memory_used)
            again.append(timed([PLANGEN, "site", *TODAY], project)[0])
            bare.append(bare_mkdocs_seconds(project))
        row["site_cold"], row["site"], row["mkdocs"] = min(cold), min(again), min(bare)
        row["build"], build_memory = timed([PLANGEN, "build", "--force", "-j", str(JOBS), *TODAY], project)
        edits = []
        for plan in sorted((project / "plans").glob("*.yml"))[:REPEATS]:
            plan.write_text(plan.read_text(encoding="utf-8").replace("title: ", "title: 修订 ", 1), encoding="utf-8")
            edits.append(timed([PLANGEN, "docx", "-j", str(JOBS)], project)[0])
        row["docx_one_edit"] = min(edits)
        row["docx_no_change"], _ = timed([PLANGEN, "docx", "-j", str(JOBS)], project)
        row["build_no_change"], _ = timed([PLANGEN, "build", "-j", str(JOBS), *TODAY], project)
        row["memory"] = max(memory, docx_memory, site_memory, build_memory)
        site = project / "site"
        row["home_kib"] = (site / "index.html").stat().st_size / 1024
        row["index"] = min(_seconds(search_index, site) for _ in range(REPEATS))
        row["index_mib"] = sum(f.stat().st_size for f in (site / BUNDLE).rglob("*") if f.is_file()) / 2**20
        row.update(search_in_browser(site) or {})
        row["pandoc"] = pandoc_seconds(project, project / "pandoc")
        return row


def _seconds(work: Callable[[Path], None], site: Path) -> float:
    started = time.perf_counter()
    work(site)
    return time.perf_counter() - started


def linear_growth() -> list[str]:
    lines = []
    for kind in ("key-accounts", "long-section", "goals"):
        times = []
        for scale in (0.5, 1.0):
            with tempfile.TemporaryDirectory() as work:
                project = Path(work)
                (project / "plans").mkdir()
                text = yaml.safe_dump(pathological(kind, scale), allow_unicode=True)
                (project / "plans" / f"{kind}.yml").write_text(text, encoding="utf-8")
                times.append(timed([PLANGEN, "docx", "-j", "1"], project)[0])
        lines.append(f"| {kind} | {times[0]:.1f} s | {times[1]:.1f} s | {times[1] / times[0]:.2f} |")
    return lines


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [10, 100, 1000]
    # An installed plangen runs from the bytecode pip compiled. A checkout may have none (or may not
    # write it: PYTHONDONTWRITEBYTECODE), and every run would then include compiling plangen.
    compileall.compile_dir(ROOT / "generator", quiet=1)
    print(f"plangen benchmarks, {JOBS} CPUs, plangen and pandoc rendering {JOBS} documents at once\n")
    print(
        "| plans | validate | docx | site, first | site, again | build | docx after 1 edit | docx, no change "
        "| build, no change | peak MiB | search index | home KiB | pandoc | bare mkdocs | docx vs pandoc "
        "| site overhead, first / again | 1 edit / docx |"
    )
    print("| ---: " * 17 + "|")
    rows = []
    for count in sizes:
        r = measure(count)
        rows.append(r)
        first, again = ((r[site] - r["mkdocs"]) / r["mkdocs"] for site in ("site_cold", "site"))
        print(
            f"| {count:,} | {r['validate']:.1f} s | {r['docx']:.1f} s | {r['site_cold']:.1f} s | {r['site']:.1f} s "
            f"| {r['build']:.1f} s "
            f"| {r['docx_one_edit']:.2f} s | {r['docx_no_change']:.1f} s | {r['build_no_change']:.1f} s "
            f"| {r['memory']:.0f} | {r['index']:.1f} s | {r['home_kib']:.0f} | {r['pandoc']:.1f} s | {r['mkdocs']:.1f} s "
            f"| {r['pandoc'] / r['docx']:.2f}× | {100 * first:.0f}% / {100 * again:.0f}% "
            f"| {100 * r['docx_one_edit'] / r['docx']:.0f}% |",
            flush=True,
        )
    print(f"\nSearch in Chromium ({', '.join(QUERIES)}, each on a fresh page, then the next one on that page):\n")
    print(
        "| plans | index on disk | first search: fetched, most | first result, mean / worst "
        "| next search: fetched, most | first result, worst |\n| ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for r in rows:
        if "first_max" not in r:
            print(f"| {r['plans']:,} | {r['index_mib']:.1f} MiB | no Chromium or Playwright here | | | |")
            continue
        print(
            f"| {r['plans']:,} | {r['index_mib']:.1f} MiB | {r['first_kib']:.0f} KiB "
            f"| {r['first_mean']:.2f} s / {r['first_max']:.2f} s | {r['then_kib']:.0f} KiB | {r['then_max']:.2f} s |"
        )
    print("\nPathological plans, one Word document at half and full size (ratio 2 = linear):\n")
    print("| plan | half | full | full / half |\n| --- | ---: | ---: | ---: |")
    print("\n".join(linear_growth()))


if __name__ == "__main__":
    main()
