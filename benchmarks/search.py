"""How the site's search performs in Chromium: time to the first result and bytes fetched per search.

    python benchmarks/search.py SITE_FOLDER       # one built site

The site is served over HTTP on localhost (which counts the bytes it sends) and
searched in headless Chromium (the system's, driven by Playwright) as a reader would: open the home page, click into
the box, and the query arrives at once (as a paste or an input method puts it).
Each query runs on a fresh page, so it includes loading Pagefind itself; a second
query on the same page shows what a reader's next search costs.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# The tests' server, which counts the bytes it sends (tests/conftest.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import serve, settled

QUERIES = ["流失", "我的e家", "e家", "宽带", "retention"]


def _search(page: Any, query: str, sent: list[int], since: int) -> tuple[float, int]:
    """Seconds from the query arriving to its first result shown, and the bytes sent since *since*."""
    started = time.perf_counter()
    page.keyboard.insert_text(query)
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    seconds = time.perf_counter() - started
    settled(page, sent)
    return seconds, sum(sent[since:])


def measure(site: Path) -> dict[str, float] | None:
    """Worst and mean time to the first result, and the most bytes one search fetched,
    first on a fresh page and then as the next search; None without Chromium or Playwright."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    first: list[tuple[float, int]] = []
    then: list[tuple[float, int]] = []
    sent: list[int] = []
    with contextmanager(serve)(site, sent) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for n, query in enumerate(QUERIES):
            page = browser.new_page()
            page.goto(origin + "/")
            settled(page, sent)
            since = len(sent)
            page.click(".md-search__input")  # opening the box starts loading Pagefind
            first.append(_search(page, query, sent, since))
            page.fill(".md-search__input", "")
            settled(page, sent)
            then.append(_search(page, QUERIES[(n + 1) % len(QUERIES)], sent, len(sent)))
            page.close()
        browser.close()
    return {
        "first_max": max(s for s, _ in first),
        "first_mean": statistics.mean(s for s, _ in first),
        "first_kib": max(b for _, b in first) / 1024,
        "then_max": max(s for s, _ in then),
        "then_kib": max(b for _, b in then) / 1024,
    }


if __name__ == "__main__":
    print(measure(Path(sys.argv[1])))
