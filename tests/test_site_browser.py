"""The site in a real headless Chromium, served over HTTP on localhost: it loads without
console errors, every plan and unit page is reachable, Chinese and English search find
the plans, downloads work, no request leaves the host, and hostile text stays text.

In CI Chromium must be there (.ci/run installs it); elsewhere these tests skip.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import hostile_plan, require, write_plan
from generator.build import build
from generator.settings import open_project

HOSTILE = "<script>alert(1)</script> | *x* [y](javascript:alert(1)) {{ 7*7 }}"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = require("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


class Visit:
    """A browser page that records console errors, dialogs and every request it makes."""

    def __init__(self, browser: Any, origin: str) -> None:
        self.origin = origin
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, path: str) -> Any:
        self.page.goto(f"{self.origin}/{path}")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def outside(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.origin + "/")]


@pytest.fixture(scope="module")
def site(example_site: Path) -> Iterator[str]:
    yield from serve(example_site)


def test_home_loads_without_errors_and_makes_no_outside_request(browser: Any, site: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("")
    assert page.inner_text("article h1").startswith("总览")
    assert page.locator("svg.plangen-chart").count() == 1
    assert visit.errors == []
    assert visit.outside() == []


def test_navigation_reaches_every_plan_unit_and_organisation_page(browser: Any, site: str, example_site: Path) -> None:
    visit = Visit(browser, site)
    page = visit.open("")
    reached: set[str] = set()
    for tab in ("plans/", "units/"):
        page.click(f".md-tabs a[href$='{tab}']")
        page.wait_for_load_state("networkidle")
        links = page.eval_on_selector_all("article a", "links => links.map(a => a.href)")
        for link in dict.fromkeys(links):
            path = unquote(urlsplit(link).path)
            if re.fullmatch(r"/(plans|units|orgs)/[^/]+/", path):
                page.goto(link)
                assert page.locator("article h1").count() == 1, link
                reached.add(path)
    expected = {
        f"/{kind}/{p.name}/"
        for kind in ("plans", "units", "orgs")
        for p in (example_site / kind).iterdir()
        if p.is_dir()
    }
    assert reached == expected
    assert visit.errors == [] and visit.outside() == []


@pytest.mark.parametrize(
    ("query", "plan"),
    [("流失", "qingyunxi-wangmin"), ("保姆式服务", "qingyunxi-wangmin"), ("retention", "harbor-sarah-jones")],
)
def test_search_finds_plans(browser: Any, site: str, query: str, plan: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("")
    page.click(".md-search__input")
    page.fill(".md-search__input", query)
    page.keyboard.press("End")  # Material searches on key events
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    results = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    assert any(f"/plans/{plan}/" in link for link in results), results
    assert visit.errors == [] and visit.outside() == []


def test_download_link_returns_the_word_document(browser: Any, site: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("plans/qingyunxi-wangmin/")
    href = page.get_attribute("a[href$='.docx']", "href")
    assert href
    response = page.request.get(page.url + href if not href.startswith("http") else href)
    assert response.status == 200
    assert response.body()[:2] == b"PK"


def test_hostile_text_shows_literally_and_runs_nothing(browser: Any, project: Path) -> None:
    text = HOSTILE.replace("'", "''")
    write_plan(
        project,
        f"title: '{text}'\nperiod: 2027\nowner: {{name: '<img src=x onerror=alert(2)>'}}\nunit: '{text}'\n"
        f"tags: ['{text}']\nsummary: '<b>raw</b> <script>alert(5)</script>'\n"
        f"clients:\n  segments:\n    - {{name: '{text}', count: 3}}\n"
        f"sections:\n  - {{title: '{text}', body: 'x'}}\n",
    )
    folder = build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert folder is not None
    for origin in serve(folder):
        visit = Visit(browser, origin)
        page = visit.open("plans/plan/")
        assert page.inner_text("article h1").rstrip("¶") == HOSTILE
        assert page.title().startswith(HOSTILE)
        assert HOSTILE in page.locator(".md-tag").all_inner_texts()
        body = page.inner_text("article")
        assert "<b>raw</b> <script>alert(5)</script>" in body
        assert "<img src=x onerror=alert(2)>" in body
        for path in ("", "plans/", "units/", "tags/", "calendar/"):
            visit.open(path)
        assert visit.dialogs == []
        assert visit.outside() == []


def _hover_and_click_everything(visit: Visit, path: str) -> tuple[int, set[str]]:
    """Hover over, then click, every element of the page's content and header; returns how
    many were clicked and the http(s) links among them (a click may rightly lead there).

    An element that an earlier hover or click hid (a menu, a tooltip) is passed over; a click
    that leads away is followed to its end before the page is opened again."""
    sync_api = pytest.importorskip("playwright.sync_api")
    page = visit.open(path)
    selector = "article *, .md-header *, .md-tags *"
    clicked = 0
    followed: set[str] = set()
    for index in range(page.locator(selector).count()):
        element = page.locator(selector).nth(index)
        if not element.is_visible():
            continue
        href = element.evaluate("e => e.closest('a') ? e.closest('a').getAttribute('href') : null")
        try:
            element.hover(force=True, timeout=2000)
            element.click(force=True, timeout=2000)
        except sync_api.Error as error:
            if "not visible" in error.message or "not attached" in error.message:
                continue
            raise
        clicked += 1
        if href and re.match(r"(?i)https?:", href):
            followed.add(href)
        page.wait_for_load_state("networkidle")
        if page.url.split("#")[0] != f"{visit.origin}/{path}":
            visit.open(path)
    return clicked, followed


def test_hovering_and_clicking_every_element_of_hostile_pages_runs_nothing(browser: Any, project: Path) -> None:
    (project / "plans" / "plan.yml").write_text(hostile_plan(), encoding="utf-8")
    folder = build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert folder is not None
    for origin in serve(folder):
        visit = Visit(browser, origin)
        visit.page.route(re.compile(r"^(?!" + re.escape(origin) + "/)"), lambda route: route.abort())
        units = [p.parent.name for p in (folder / "units").glob("*/index.html")]
        elements, followed = 0, set()
        for path in ("plans/plan/", "", "plans/", "calendar/", "tags/", f"units/{units[0]}/"):
            count, clicked = _hover_and_click_everything(visit, path)
            elements += count
            followed |= clicked
        assert elements > 400
        assert visit.dialogs == []
        assert visit.errors == []
        # Nothing left the host unless a person clicked a plain http(s) link that leads there.
        assert set(visit.outside()) <= {urljoin(f"{origin}/plans/plan/", href) for href in followed}


@pytest.mark.parametrize("query", ["onerror", "script", "javascript", "onmouseover"])
def test_searching_hostile_text_shows_it_as_text(browser: Any, project: Path, query: str) -> None:
    (project / "plans" / "plan.yml").write_text(hostile_plan(), encoding="utf-8")
    folder = build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert folder is not None
    for origin in serve(folder):
        visit = Visit(browser, origin)
        page = visit.open("")
        page.click(".md-search__input")
        page.fill(".md-search__input", query)
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        for item in page.locator(".md-search-result__item").all():
            item.hover(force=True)
        assert page.locator(".md-search-result img, .md-search-result script, .md-search-result iframe").count() == 0
        assert visit.dialogs == [] and visit.outside() == []
