"""The site in a real headless Chromium, served over HTTP on localhost: it loads without
console errors, every plan and unit page is reachable, Chinese and English search find
the plans (typed or pasted, on a phone too) fetching no more from a larger site, downloads
work, no request leaves the host, and hostile text stays text. On a phone's width no page is
wider than the screen, the menu leads through organisations and units and back home; the
dark scheme follows the reader; axe-core finds nothing serious that is plangen's.

In CI Chromium and axe-core must be there (.ci/run installs them); elsewhere these tests skip.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import MINIMAL, REPO, SITE_TODAY, GitRepo, hostile_plan, require, serve, settled, write_plan
from plangen.build import build
from plangen.settings import open_project

HOSTILE = "<script>alert(1)</script> | *x* [y](javascript:alert(1)) {{ 7*7 }}"


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
    """A browser page that records console errors, dialogs and every request it makes;
    *options* for Playwright's new_page (viewport, color_scheme)."""

    def __init__(self, browser: Any, origin: str, **options: Any) -> None:
        self.origin = origin
        self.page = browser.new_page(**options)
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
    assert page.locator("article h2[id^='period-']").all_inner_texts() == ["2027年¶", "2026年¶"]
    assert visit.errors == []
    assert visit.outside() == []


def test_navigation_reaches_every_plan_unit_and_organisation_page(browser: Any, site: str, example_site: Path) -> None:
    visit = Visit(browser, site)
    reached: set[str] = set()
    for tab in ("plans/", "units/"):
        page = visit.open("")  # where the tab's link ends in its name
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


def search(page: Any, query: str, *, paste: bool = False) -> list[str]:
    """Search as a reader does: type *query* (Playwright sends key events where a keyboard has
    the character, and inserts the others, as an input method does) or paste it (the value
    changes and an input event fires, and no key event); returns the links of the results."""
    page.click(".md-search__input")
    if paste:
        page.eval_on_selector(
            ".md-search__input",
            """(input, text) => {
                input.value = text;
                input.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertFromPaste", data: text}));
            }""",
            query,
        )
    else:
        page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    previous, results = None, result_links(page)
    while results != previous:  # until the results of the last letters typed are in
        page.wait_for_timeout(300)
        previous, results = results, result_links(page)
    return results


def result_links(page: Any) -> list[str]:
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")


@pytest.mark.parametrize("paste", [False, True], ids=["typed", "pasted"])
@pytest.mark.parametrize(
    ("query", "plan"),
    [("流失", "qingyunxi-customer-managers"), ("保姆式服务", "qingyunxi-customer-managers"),
     ("我的e家", "qingyunxi-customer-managers"), ("e家", "qingyunxi-customer-managers"),
     ("宽带用户", "qingyunxi-customer-managers"), ("商务领航", "qingyunxi-liqiang"),
     ("retention", "harbor-sarah-jones")],
)  # fmt: skip
def test_search_finds_plans(browser: Any, site: str, query: str, plan: str, paste: bool) -> None:
    visit = Visit(browser, site)
    page = visit.open("plans/harbor-sarah-jones/")  # an English plan's page of the Chinese site
    results = search(page, query, paste=paste)
    assert any(urlsplit(link).path == f"/plans/{plan}/" for link in results), results
    if query not in ("流失", "商务领航"):  # two plans speak of them
        assert urlsplit(results[0]).path == f"/plans/{plan}/", results
    assert query.lower() in page.locator(".md-search-result__item p").first.inner_text().lower()
    assert page.locator(".md-search-result__item mark").count() > 0
    assert visit.errors == [] and visit.outside() == []


def test_a_search_result_leads_to_its_plan_and_the_keyboard_works_the_box(browser: Any, site: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("")
    page.keyboard.press("/")  # opens the search, as in Material
    page.keyboard.insert_text("保姆式服务")  # at once, as an input method puts it (one input event, no keys)
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/plans/qingyunxi-customer-managers/"
    assert page.inner_text("article h1").rstrip("¶") == "客服经理工作计划范文2"
    page.keyboard.press("s")
    page.keyboard.insert_text("retention")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("Escape")
    assert not page.is_checked("#__search")
    assert visit.errors == [] and visit.outside() == []


def test_search_on_a_phone_opens_from_the_header_button(browser: Any, site: str) -> None:
    visit = Visit(browser, site)
    visit.page.set_viewport_size({"width": 390, "height": 800})
    page = visit.open("")
    page.click("label.md-header__button[for='__search']")  # the magnifier, where a phone's header has room
    assert page.is_checked("#__search") and page.evaluate("document.activeElement.name") == "query"
    results = search(page, "我的e家", paste=True)
    assert urlsplit(results[0]).path == "/plans/qingyunxi-customer-managers/"
    assert page.is_visible(".md-search-result__item")
    assert visit.errors == [] and visit.outside() == []


def test_an_english_site_finds_chinese_words_too(browser: Any, project: Path) -> None:
    """The site's pages are in English there, so Pagefind would not split a query into
    Chinese words by itself: the search box does."""
    (project / "plangen.yml").write_text("site:\n  language: en\n", encoding="utf-8")
    write_plan(
        project, "title: 客户经理计划\nperiod: 2027\nowner: {name: 王敏}\nsummary: 提供保姆式服务，推广我的e家。\n"
    )
    folder = build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert folder is not None
    for origin in serve(folder):
        visit = Visit(browser, origin)
        page = visit.open("")
        assert page.get_attribute("html", "lang") == "en"
        for query in ("保姆式服务", "我的e家"):
            page.fill(".md-search__input", "")
            assert [urlsplit(link).path for link in search(page, query)] == ["/plans/plan/"]
        assert visit.errors == [] and visit.outside() == []


def fetched_by_a_search(browser: Any, folder: Path, query: str) -> int:
    """The bytes the browser fetches for one search, from opening the box on the home page to
    the results shown, once nothing more is fetched for half a second."""
    sent: list[int] = []
    for origin in serve(folder, sent):
        visit = Visit(browser, origin)
        page = visit.open("")
        since = len(sent)
        search(page, query, paste=True)
        settled(page, sent)
        assert visit.errors == [] and visit.outside() == []
    return sum(sent[since:])


def test_a_search_fetches_no_more_from_a_larger_site(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Pagefind fetches the parts of its index that hold the words, and the text of the results
    shown: not the whole index, as Material's search did (26 MB at 1,000 plans)."""
    examples = sorted((REPO / "plans").rglob("*.yml"))
    fetched = {}
    for count in (50, 400):
        root = tmp_path_factory.mktemp(f"plans-{count}")
        for n in range(count):
            plan = examples[n % len(examples)]
            write_plan(root, plan.read_text(encoding="utf-8"), f"{plan.stem}-{n:04d}.yml")
        shutil.copy(REPO / "plangen.yml", root)
        folder = build(open_project(root), docx=False, site=True, today=dt.date(2027, 1, 2)).site
        assert folder is not None
        fetched[count] = [fetched_by_a_search(browser, folder, query) for query in ("流失", "我的e家", "retention")]
    for small, large in zip(fetched[50], fetched[400], strict=True):
        assert large < 1.25 * small and large < 400_000, fetched


def test_download_link_returns_the_word_document(browser: Any, site: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("plans/qingyunxi-customer-managers/")
    href = page.get_attribute("a[href$='.docx']", "href")
    assert href
    response = page.request.get(page.url + href if not href.startswith("http") else href)
    assert response.status == 200
    assert response.body()[:2] == b"PK"


def searched(page: Any, query: str) -> list[tuple[str, str]]:
    """What a search for *query* finds, once the box says how many it found (none too): each
    result's page and the text it shows, without white space."""
    placeholder = page.eval_on_selector(".md-search-result__meta", "meta => meta.textContent")
    page.click(".md-search__input")
    page.keyboard.insert_text(query)
    page.wait_for_function(
        "placeholder => document.querySelector('.md-search-result__meta').textContent !== placeholder",
        arg=placeholder,
        timeout=10000,
    )
    page.wait_for_timeout(500)  # the results come one by one as their text arrives
    return [
        (urlsplit(item.locator("a").get_attribute("href") or "").path, "".join(item.inner_text().split()))
        for item in page.locator(".md-search-result__item").all()
    ]


@pytest.mark.parametrize("redacted", [True, False], ids=["redacted", "in-full"])
def test_a_redacted_sites_search_finds_no_withheld_name(browser: Any, project: Path, redacted: bool) -> None:
    """Its search index holds none of them (key accounts, places, colleagues, an e-mail address):
    a search shows no page with one, where in full it shows the plan (and its review) with it (so the
    test can tell).
    Pagefind may still show pages that have some of a Chinese name's words (会所)."""
    for plan in (REPO / "tests" / "fixtures" / "redaction").glob("*.yml"):
        shutil.copy(plan, project / "plans")
    (project / "plangen.yml").write_text(f"site: {{redact: {str(redacted).lower()}}}\n", encoding="utf-8")
    folder = build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 2)).site
    assert folder is not None
    queries = {"翠湖湾壹号": "redaction-zh", "Zorblatt": "redaction-zh", "滨江花苑会所": "redaction-zh",
               "诸葛明亮": "redaction-zh", "Quillfeather": "redaction-en", "cuihuwan": "redaction-zh"}  # fmt: skip
    for origin in serve(folder):
        visit = Visit(browser, origin)
        for query, plan in queries.items():
            results = searched(visit.open(""), query)
            holding = [path for path, text in results if query.lower() in text.lower()]
            if redacted:  # neither the plan's page nor its review's
                assert holding == [], (query, results)
            else:
                assert f"/plans/{plan}/" in holding and set(holding) <= {f"/plans/{plan}/", f"/reviews/{plan}/"}
        assert visit.errors == [] and visit.outside() == []


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
        for path in ("", "plans/", "units/", "tags/", "calendar/", "reviews/plan/"):
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
        for path in ("plans/plan/", "reviews/plan/", "", "plans/", "calendar/", "tags/", f"units/{units[0]}/"):
            count, clicked = _hover_and_click_everything(visit, path)
            elements += count
            followed |= clicked
        assert elements > 400
        assert visit.dialogs == []
        assert visit.errors == []
        # Nothing left the host unless a person clicked a plain http(s) link that leads there.
        assert set(visit.outside()) <= {urljoin(f"{origin}/plans/plan/", href) for href in followed}


def test_a_hostile_history_shows_as_text_and_runs_nothing(browser: Any, git_project: GitRepo) -> None:
    """A plan submitted, then rewritten and approved by authors whose names are attacks: the plan
    page's history and the changes page hold every hostile text of both versions."""
    plan = json.loads(hostile_plan())
    path = git_project.root / "plans" / "plan.yml"
    path.write_text(json.dumps(plan | {"status": "submitted"}, ensure_ascii=False), encoding="utf-8")
    git_project.commit("submitted", author='"onmouseover=alert(7) x')
    plan["summary"], plan["sections"][0]["body"] = plan["sections"][0]["body"], plan["summary"]
    plan["goals"][0]["target"], plan["title"], plan["tags"] = 3, plan["unit"], [*plan["tags"][::-1], "<i>x</i>"]
    path.write_text(json.dumps(plan | {"status": "approved"}, ensure_ascii=False), encoding="utf-8")
    git_project.commit("approved", author="[x](javascript:alert(8)) `y` | z")
    folder = build(open_project(git_project.root), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert folder is not None and (folder / "changes" / "plan" / "index.html").is_file()
    for origin in serve(folder):
        visit = Visit(browser, origin)
        visit.page.route(re.compile(r"^(?!" + re.escape(origin) + "/)"), lambda route: route.abort())
        page = visit.open("plans/plan/")
        assert "[x](javascript:alert(8)) `y` | z批准" in page.inner_text("article")
        page = visit.open("changes/plan/")
        rows = page.locator("article table tbody tr")
        assert rows.count() >= 4 and all(rows.nth(n).locator("td").count() == 3 for n in range(rows.count()))
        assert page.locator("article del").count() and page.locator("article strong").count()
        elements = sum(_hover_and_click_everything(visit, path)[0] for path in ("plans/plan/", "changes/plan/"))
        assert elements > 100
        assert visit.dialogs == []
        assert visit.errors == []
        assert visit.outside() == []


@pytest.mark.parametrize("query", ["onerror", "script", "javascript", "onmouseover"])
def test_searching_hostile_text_shows_it_as_text(browser: Any, project: Path, query: str) -> None:
    (project / "plans" / "plan.yml").write_text(hostile_plan(), encoding="utf-8")
    folder = build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert folder is not None
    for origin in serve(folder):
        visit = Visit(browser, origin)
        page = visit.open("")
        results = search(page, query)
        assert urlsplit(results[0]).path == "/plans/plan/"
        for item in page.locator(".md-search-result__item").all():
            item.hover(force=True)
        # Only Material's icon and the marks of the words found: the plan's markup is text.
        assert page.locator(".md-search-result__list *:not(li, a, article, div, h1, p, mark)").count() == 0
        shown = page.inner_text(".md-search-result__list")
        assert re.search(r"<(script|img)|\]\(javascript:|onmouseover=", shown), shown
        assert visit.dialogs == [] and visit.errors == [] and visit.outside() == []


# --- phones, the dark scheme and accessibility -----------------------------------

PHONE = {"viewport": {"width": 390, "height": 844}}
LONG = "Averyveryverylongunbrokenwordwithoutanyspacesthatwouldwidenthepage" * 2
WIDE_PLAN = f"""\
title: 宽表格计划{LONG}
period: 2027
owner: {{name: 张{LONG}}}
unit: 测试部{LONG}
organization: 测试公司
tags: [{LONG}]
summary: |
  这一段写在
  两行上。
clients:
  segments:
    - {{name: 固话用户{LONG}, count: 10}}
    - {{name: 宽带用户, count: 5}}
goals:
  - {{id: g, title: 宽带, metric: 宽带用户数, baseline: 0, target: 10, actuals: {{Q1: 4}}}}
activities:
  - {{title: 走访{LONG}, frequency: 每周}}
sections:
  - title: 宽表格
    body: |
      | {" | ".join(f"第{n}列" for n in range(1, 13))} |
      |{" --- |" * 12}
      | {" | ".join(["内容内容内容"] * 11)} | {LONG} |
"""
"""A plan with a long unbroken tag, name and unit, and a table of twelve columns."""


@pytest.fixture(scope="module")
def phone_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example plans and :data:`WIDE_PLAN`, built with the repository's mkdocs.yml and served."""
    root = tmp_path_factory.mktemp("phone")
    shutil.copytree(REPO / "plans", root / "plans")
    shutil.copy(REPO / "mkdocs.yml", root)
    write_plan(root, WIDE_PLAN, "wide.yml")
    folder = build(open_project(root), docx=False, site=True, today=dt.date.fromisoformat(SITE_TODAY)).site
    assert folder is not None
    yield from serve(folder)


def _pages(visit: Visit, plan: str) -> list[str]:
    """The home page, *plan*'s page and its unit's, the calendar and the list of plans."""
    page = visit.open(f"plans/{plan}/")
    unit = page.get_attribute("article a[href*='/units/']", "href")
    assert unit
    return ["", f"plans/{plan}/", urlsplit(urljoin(page.url, unit)).path.lstrip("/"), "calendar/", "plans/"]


_CUT_OFF = """() => [...document.querySelectorAll('.md-content *, .md-header *')].filter(element => {
  const box = element.getBoundingClientRect();
  if (!box.width || !box.height || box.right <= innerWidth + 1) return false;
  for (let up = element.parentElement; up; up = up.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX) && up.scrollWidth > up.clientWidth) return false;
  }
  return true;
}).map(element => element.outerHTML.slice(0, 120))"""
"""What of the page's content or header reaches past the right edge of the screen outside a box
that scrolls sideways (a wide table's), and so could be cut off or widen the page."""


def test_on_a_phone_no_page_is_wider_than_the_screen(browser: Any, phone_site: str) -> None:
    visit = Visit(browser, phone_site, **PHONE)
    for path in _pages(visit, "wide"):
        page = visit.open(path)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
        assert page.evaluate(_CUT_OFF) == [], path
    assert visit.errors == [] and visit.outside() == []


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_charts_show_their_text_at_the_size_they_draw_it(browser: Any, phone_site: str, width: int) -> None:
    """13 px, neither shrunk to 8 px on a phone nor blown up on a desktop."""
    visit = Visit(browser, phone_site, viewport={"width": width, "height": 844})
    for path in (
        "plans/wide/",
        "plans/qingyunxi-customer-managers/",
    ):  # the home page has no chart since it has roll-ups
        page = visit.open(path)
        sizes = page.eval_on_selector_all(
            "svg.plangen-chart",
            "charts => charts.map(c => 13 * c.getBoundingClientRect().width / c.viewBox.baseVal.width)",
        )
        assert sizes and all(12 <= size <= 13.5 for size in sizes), (path, sizes)
    assert visit.errors == []


def test_on_a_phone_a_wide_table_scrolls_with_its_first_column_in_view(browser: Any, phone_site: str) -> None:
    visit = Visit(browser, phone_site, **PHONE)
    page = visit.open("plans/wide/")
    table = page.locator(".md-typeset__scrollwrap", has=page.locator("th", has_text="第12列"))
    assert table.evaluate("box => box.scrollWidth > 2 * box.clientWidth")
    first = table.locator("td").first
    before = first.bounding_box()
    table.evaluate("box => { box.scrollLeft = 400; }")
    assert first.bounding_box() is not None and 0 <= first.bounding_box()["x"] <= before["x"]
    assert table.locator("td").nth(3).bounding_box()["x"] < before["x"] + 300  # the others moved left
    assert visit.errors == []


_SHOWN = """() => [...document.querySelectorAll('.md-nav--primary :is(.md-nav__link, .md-nav__title)')]
  .filter(item => {
    const box = item.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + Math.min(box.width / 2, 20), box.top + box.height / 2);
    return box.width > 0 && box.left >= 0 && hit && hit.closest('.md-nav__link, .md-nav__title') === item;
  })
  .map(item => [item.innerText.trim(), item.classList.contains('md-nav__title') ? item.getAttribute('for') : ''])"""
"""The entries the phone's menu shows now (of the level it has slid to): the text of each, and for
the title of the level, which goes back up a level, the level's toggle."""


def test_on_a_phone_the_menu_shows_a_plans_unit_and_organisation_and_the_way_home(browser: Any, site: str) -> None:
    visit = Visit(browser, site, **PHONE)
    page = visit.open("plans/qingyunxi-liqiang/")
    page.click("label.md-header__button[for='__drawer']")
    page.wait_for_timeout(400)  # the menu slides in
    levels = []
    while True:
        shown = page.evaluate(_SHOWN)
        levels.append([text for text, _ in shown])
        back = [toggle for _, toggle in shown if toggle.startswith("__nav")]
        if not back:
            break
        page.click(f".md-nav--primary label.md-nav__title[for='{back[0]}']")
        page.wait_for_timeout(400)
    unit, organization, units, top = levels
    assert unit[0] == "青云西区域" and "某市电信分公司 · 青云西区域" in unit
    assert "青云西区域政企客户经理2027年工作计划" in unit
    assert organization[0] == "某市电信分公司" and "青云西区域" in organization
    assert units[0] == "部门汇总" and {"Harbor Mutual Insurance", "某市电信分公司", "—"} <= set(units)
    assert top[1:] == ["总览", "全部计划", "部门汇总", "活动与培训日历", "标签", "使用说明"]
    assert len(levels) == 4, "the plans of the other units are not in the menu"
    page.locator(".md-nav--primary").get_by_role("link", name="总览", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{site}/" and page.inner_text("article h1").startswith("总览")
    assert visit.errors == [] and visit.outside() == []


@pytest.mark.parametrize(
    ("preference", "scheme", "switched"), [("dark", "slate", "default"), ("light", "default", "slate")]
)
def test_the_colour_scheme_follows_the_readers_preference_and_the_button_switches_it(
    browser: Any, site: str, preference: str, scheme: str, switched: str
) -> None:
    visit = Visit(browser, site, color_scheme=preference, **PHONE)
    page = visit.open("")
    assert page.get_attribute("body", "data-md-color-scheme") == scheme
    page.click("label.md-header__button[for^='__palette']:visible")
    assert page.get_attribute("body", "data-md-color-scheme") == switched
    page = visit.open("calendar/")  # the choice is kept from page to page
    assert page.get_attribute("body", "data-md-color-scheme") == switched
    assert visit.errors == [] and visit.outside() == []


def test_an_english_plans_page_is_marked_english_on_a_chinese_site(browser: Any, site: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("plans/harbor-sarah-jones/")
    assert page.get_attribute("html", "lang") == "zh"
    languages = page.eval_on_selector_all(
        "article :is(h1, h2, p, td, svg)", "found => found.map(e => e.closest('[lang]').getAttribute('lang'))"
    )
    assert len(languages) > 50 and set(languages) == {"en"}
    assert visit.errors == []


def test_chinese_written_over_several_lines_shows_without_a_space_between_them(browser: Any, site: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("plans/qingyunxi-liqiang/")
    summary = page.inner_text("article .plangen-text")
    assert "为主打产品，配合区域存量保有工作" in summary
    assert visit.errors == []


def test_the_calendar_shows_each_plans_activities_without_dates(browser: Any, site: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("calendar/")
    assert page.inner_text("article h2 >> nth=-1").rstrip("¶") == "经常性活动"
    plans = [heading.rstrip("¶") for heading in page.locator("article h3").all_inner_texts()]
    assert plans == ["李强: 青云西区域政企客户经理2027年工作计划", "青云西区域: 客服经理工作计划范文2"]
    rows = page.locator("article table").last.locator("tbody tr").all_inner_texts()
    # the sample's 元旦 campaign, done without a date or rhythm, happened once: it is not listed here
    assert [row.split("\t") for row in rows] == [["向客户进行礼品赠送、新业务资费介绍", "不定期"]]
    assert visit.errors == []


AXE = REPO / "tools" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
THEMES = {
    ("aria-dialog-name", ".md-search"): "Material's search box is a dialog (role=dialog) without a name",
    ("color-contrast", ".md-tabs__link"): "Material draws the tabs not chosen at 70% opacity on the header (4.28:1)",
    (
        "color-contrast",
        ".md-copyright",
    ): "Material's footer line 'Made with Material for MkDocs' is grey on black (4.47:1)",
    ("scrollable-region-focusable", ".md-typeset__scrollwrap"): (
        "Material's script wraps each table in a box that scrolls sideways when the table is wider than the "
        "screen, without a tabindex; plangen runs no script of its own to add one, and Chromium and Firefox "
        "let the keyboard scroll such a box all the same"
    ),
}
"""Serious violations axe-core finds in what the Material theme makes (rule, the element's selector), and why
each is not plangen's; all others, and any in the pages' own content and plangen's styles, fail the test."""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_axe_finds_nothing_serious_but_the_themes(browser: Any, phone_site: str, scheme: str, width: int) -> None:
    visit = Visit(browser, phone_site, color_scheme=scheme, viewport={"width": width, "height": 844})
    # the English plan has progress bars, and its review a chart of them
    paths = [*_pages(visit, "wide"), "plans/harbor-sarah-jones/", "reviews/harbor-sarah-jones/"]
    assert _serious_findings(visit, paths) == []
    assert visit.errors == [] and visit.outside() == []


def _serious_findings(visit: Visit, paths: list[str]) -> list[str]:
    """What axe-core finds serious or critical on each of *paths*, but the theme's own (THEMES)."""
    if not AXE.is_file():
        message = "axe-core is not installed (npm install --prefix tools/axe-core; .ci/run does it)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    found = []
    for path in paths:
        page = visit.open(path)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))  # inline: nothing is requested
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in results["violations"]:
            if violation["impact"] not in ("serious", "critical"):
                continue
            for node in violation["nodes"]:
                where = " ".join(node["target"])
                element = where.split()[-1]  # the element itself, not those it is in
                if not any(
                    rule == violation["id"] and re.match(rf"{re.escape(s)}(?![\w-])", element) for rule, s in THEMES
                ):
                    found.append(f"{path}: {violation['id']} at {where}: {node['failureSummary']}")
    return found


def test_axe_finds_nothing_serious_in_a_history_and_its_changes(browser: Any, git_project: GitRepo) -> None:
    """The history line of a plan page and the changes page, with its struck and bold words."""
    plan = write_plan(
        git_project.root, MINIMAL + "status: submitted\nsummary: 按季度检查各项目标的完成情况，及时调整工作重点。\n"
    )
    git_project.commit("提交")
    plan.write_text(
        MINIMAL + "status: approved\nsummary: 按月检查各项目标的完成情况，及时调整工作重点。\n", encoding="utf-8"
    )
    git_project.commit("批准", author="张主任")
    folder = build(open_project(git_project.root), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert folder is not None
    for origin in serve(folder):
        visit = Visit(browser, origin, viewport={"width": 390, "height": 844})
        assert _serious_findings(visit, ["plans/plan/", "changes/plan/"]) == []
        assert visit.errors == [] and visit.outside() == []


ROLLUP_TODAY = dt.date(2027, 4, 15)
ROLLUP_PLANS: dict[str, dict[str, Any]] = {
    "a1": {"period": 2026, "organization": "甲电信", "unit": "东区", "owner": {"name": "张三"},
           "clients": {"total": 1000, "segments": [{"name": "住户", "count": 600}, {"name": "商铺", "count": 500}]},
           "training": {"programs": [{"title": "p", "hours": 10}, {"title": "q", "hours": 6}]},
           "goals": [{"id": "old", "title": "t", "metric": "旧指标", "baseline": 0, "target": 40,
                      "milestones": {"Q1": 10, "Q2": 20}, "actuals": {"Q1": 12}}]},
    "a2": {"period": "2027年", "organization": "甲电信", "unit": "东区", "owner": {"name": "张三"},
           "clients": {"total": 800, "segments": [{"name": "住户", "count": 500}, {"name": "商铺", "count": 200},
                                                  {"name": "楼宇", "count": 12, "unit": "栋"}]},
           "training": {"programs": [{"title": "p", "hours": 8}]},
           "goals": [{"id": "sales", "title": "t", "metric": "销量", "baseline": 0, "target": 100,
                      "milestones": {"一季度": 30}, "actuals": {"Q1": 20}},
                     {"id": "visits", "title": "t", "metric": "走访", "baseline": 0, "target": 20,
                      "milestones": {"Q1": 5}, "actuals": {"一季度": 6}},
                     {"id": "fees", "title": "t", "metric": "收入", "baseline": 0, "target": 10},
                     {"id": "new", "title": "发展新业务"}]},
    "a3": {"period": 2027, "organization": "甲电信", "unit": "西区", "owner": {"name": "李四"},
           "clients": {"segments": [{"name": "住户", "count": 300}]},
           "training": {"programs": [{"title": "p"}]},
           "goals": [{"id": "churn", "title": "t", "metric": "流失率", "baseline": 10, "target": 4,
                      "direction": "down", "milestones": {"H1": 7}, "actuals": {"Q1": 9}}]},
    "b1": {"period": 2027, "organization": "乙银行", "unit": "公司部", "owner": {"name": "王五"},
           "clients": {"total": 50}, "training": {"programs": [{"title": "p", "hours": 20}]},
           "goals": [{"id": "loans", "title": "t", "metric": "贷款", "baseline": 0, "target": 10,
                      "milestones": {"Q1": 5}, "actuals": {"Q1": 1}}]},
    "b2": {"period": "2027年上半年", "organization": "乙银行", "unit": "公司部", "owner": {"name": "王五"},
           "clients": {"segments": [{"name": "企业", "count": 40}]},
           "goals": [{"id": "deposits", "title": "t", "metric": "存款", "baseline": 0, "target": 100,
                      "milestones": {"3月": 50}, "actuals": {"2027-03": 60}}]},
    "b3": {"period": 2027, "organization": "乙银行", "unit": "公司部", "owner": {"name": "赵六"},
           "goals": [{"id": "x", "title": "t", "metric": "客户数", "baseline": 0, "target": 10,
                      "milestones": {"Q1": 3}, "actuals": {"Q1": 2.5}}]},
}  # fmt: skip
"""Plans of two organisations and three periods (2027 written two ways), with stated totals that
differ from their segments, a segment counted in buildings, and goals behind and on track."""
ROLLUP_STANDINGS = {
    ("a1", "old"): "尚无完成数据",  # Q1 12, but Q2 20 and the target fell due after it with no actual
    ("a2", "sales"): "落后",  # Q1 20 against 一季度 30: short 10 of 100
    ("a2", "visits"): "达标",  # 一季度 6 against Q1 5
    ("a2", "fees"): "尚无完成数据",
    ("a3", "churn"): "尚无到期的阶段目标",  # Q1 9, but H1 7 is due only at the end of June
    ("b1", "loans"): "落后",  # Q1 1 against 5: short 4 of 10
    ("b2", "deposits"): "达标",  # March 60 against 3月 50
    ("b3", "x"): "落后",  # Q1 2.5 against 3: short 0.5 of 10
}
"""Where each goal stands on ROLLUP_TODAY, worked out by hand."""
PERIODS = {2026: "2026年", 2027: "2027年", "2027年": "2027年", "2027年上半年": "2027年上半年"}
ANCHORS = {"2026年": "2026", "2027年": "2027", "2027年上半年": "2027-H1"}
STANDING_COLUMNS = ["落后", "达标", "尚无完成数据", "尚无到期的阶段目标"]

TABLE_AFTER = """id => {
    let element = document.getElementById(id).nextElementSibling;
    while (element && !/^H[1-6]$/.test(element.tagName)) {
        const table = element.tagName === "TABLE" ? element : element.querySelector("table");
        if (table) return [...table.tBodies[0].rows].map(row => [...row.cells].map(cell => cell.innerText.trim()));
        element = element.nextElementSibling;
    }
    return null;
}"""
"""The rows of the first table after the heading of *id* and before the next heading."""


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:,}"


def _expected_figures(ids: list[str]) -> list[str]:
    """Plans, clients, segments added up, difference and training hours of the plans *ids*, from
    what the test wrote: stated totals where given, segments in another unit left out."""
    plans = [ROLLUP_PLANS[i] for i in ids]
    counts, sums, differences, hours, programs = [], [], [], [], 0
    for plan in plans:
        clients = plan.get("clients", {})
        own = [s["count"] for s in clients.get("segments", []) if "unit" not in s]
        if own:
            sums.append(sum(own))
        if "total" in clients:
            counts.append(clients["total"])
            if own:
                differences.append(sum(own) - clients["total"])
        elif own:
            counts.append(sum(own))
        for program in plan.get("training", {}).get("programs", []):
            programs += 1
            if "hours" in program:
                hours.append(program["hours"])
    clients_text = _figure(sum(counts) if counts else None)
    if counts and len(counts) < len(plans):
        clients_text += f"（{len(counts)}/{len(plans)}份计划）"
    difference = sum(differences) if differences else None
    hours_text = _figure(sum(hours) if hours else None)
    if hours and len(hours) < programs:
        hours_text += f"（{len(hours)}/{programs}个项目）"
    signed = "—" if difference is None else f"+{difference:,}" if difference > 0 else f"−{-difference:,}"
    return [str(len(plans)), clients_text, _figure(sum(sums) if sums else None), signed, hours_text]


def _expected_goals(ids: list[str]) -> list[str]:
    standings = [standing for (plan, _goal), standing in ROLLUP_STANDINGS.items() if plan in ids]
    qualitative = sum("metric" not in goal for plan in ids for goal in ROLLUP_PLANS[plan].get("goals", []))
    return [str(len(standings)), *(str(standings.count(column)) for column in STANDING_COLUMNS), str(qualitative)]


def _groups(key: Any) -> dict[str, dict[str, list[str]]]:
    """Plan ids by period label, then by *key* of each plan."""
    groups: dict[str, dict[str, list[str]]] = {}
    for plan_id, plan in ROLLUP_PLANS.items():
        groups.setdefault(PERIODS[plan["period"]], {}).setdefault(key(plan), []).append(plan_id)
    return groups


def test_overview_pages_show_each_periods_figures_as_the_plans_give_them(browser: Any, project: Path) -> None:
    for plan_id, plan in ROLLUP_PLANS.items():
        write_plan(project, json.dumps({"title": f"{plan_id}计划", **plan}, ensure_ascii=False), f"{plan_id}.yml")
    folder = build(open_project(project), docx=False, site=True, today=ROLLUP_TODAY).site
    assert folder is not None
    by_organization = _groups(lambda plan: plan["organization"])
    by_unit = _groups(lambda plan: f"{plan['organization']} · {plan['unit']}")
    for origin in serve(folder):
        visit = Visit(browser, origin)
        page = visit.open("")
        assert "数据截至2027年4月15日。" in page.inner_text("article")
        assert [h.rstrip("¶") for h in page.locator("article h2").all_inner_texts()][:3] == [
            "2027年", "2027年上半年", "2026年"
        ]  # fmt: skip
        for period, organizations in by_organization.items():
            anchor = f"period-{ANCHORS[period]}"
            clients = page.evaluate(TABLE_AFTER, f"{anchor}-clients")
            goals = page.evaluate(TABLE_AFTER, f"{anchor}-goals")
            assert sorted(clients) == sorted([name, *_expected_figures(ids)] for name, ids in organizations.items())
            assert sorted(goals) == sorted([name, *_expected_goals(ids)] for name, ids in organizations.items())
        # the goals furthest behind first, each linked to its row on its plan's page
        behind = page.evaluate(TABLE_AFTER, "period-2027-behind")
        assert [row[2] for row in behind] == ["贷款", "销量", "客户数"]
        assert all(row[-1].endswith("落后") for row in behind)
        link = page.locator("#period-2027-behind ~ * a[href*='#goal-']").first
        assert link.get_attribute("href") == "plans/b1/#goal-loans"
        link.click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/plans/b1/#goal-loans")
        assert page.locator("#goal-loans").count() == 1

        for period, units in by_unit.items():
            page = visit.open(f"periods/{ANCHORS[period]}/")
            assert page.inner_text("article h1").rstrip("¶") == period
            assert sorted(page.evaluate(TABLE_AFTER, "clients")) == sorted(
                [name, *_expected_figures(ids)] for name, ids in units.items()
            )
            assert sorted(page.evaluate(TABLE_AFTER, "goals")) == sorted(
                [name, *_expected_goals(ids)] for name, ids in units.items()
            )
            assert page.locator("article h2#clients a.headerlink").count() == 1

        page = visit.open("units/")
        page.click("article a:text-is('甲电信 · 东区')")
        page.wait_for_load_state("networkidle")
        for period, anchor in (("2027年", "2027"), ("2026年", "2026")):
            ids = by_unit[period]["甲电信 · 东区"]
            rows = page.evaluate(TABLE_AFTER, f"period-{anchor}-clients")
            assert rows == [["张三", *_expected_figures(ids)], ["合计", *_expected_figures(ids)]]
            listed = page.evaluate(TABLE_AFTER, f"period-{anchor}-all-goals")
            expected = [
                ROLLUP_STANDINGS[plan_id, g["id"]]
                for plan_id in ids
                for g in ROLLUP_PLANS[plan_id]["goals"]
                if "metric" in g
            ]
            assert sorted(row[-1].split()[-1] for row in listed) == sorted(expected)
            assert listed[0][-1].endswith("落后") == ("落后" in expected)
        assert visit.errors == [] and visit.outside() == []
