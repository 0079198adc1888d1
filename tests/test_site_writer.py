"""The site's generated pages: golden Markdown, escaping, roll-ups, and safe rebuilds."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MINIMAL, REPO, hostile_plan, write_plan
from generator.build import build
from generator.errors import PlangenError
from generator.model import SITE_NAMES
from generator.settings import open_project
from generator.site_writer import unit_page

GOLDEN = REPO / "tests" / "golden"


@pytest.mark.parametrize(
    ("page", "golden"),
    [("index.md", "site-index.md"), ("plans/qingyunxi-wangmin.md", "site-plan-qingyunxi-wangmin.md"),
     ("calendar.md", "site-calendar.md")],
)  # fmt: skip
def test_generated_pages_match_golden_files(example_site: Path, page: str, golden: str) -> None:
    source = example_site.parent / "out" / "site-src" / page
    assert source.read_text(encoding="utf-8") == (GOLDEN / golden).read_text(encoding="utf-8")


def test_every_plan_and_unit_has_a_page_and_a_download(example_site: Path) -> None:
    plans = sorted(p.stem for p in (REPO / "plans").rglob("*.yml"))
    assert sorted(p.parent.name for p in (example_site / "plans").glob("*/index.html")) == plans
    assert sorted(p.stem for p in (example_site / "downloads").glob("*.docx")) == plans
    assert len(list((example_site / "units").glob("*/index.html"))) == 3
    assert len(list((example_site / "orgs").glob("*/index.html"))) == 3
    assert (example_site / "guide" / "index.html").is_file()


def test_the_names_the_site_uses_for_itself_are_no_plan_ids(example_site: Path) -> None:
    source = example_site.parent / "out" / "site-src"
    assert {path.name.split(".")[0] for folder in (source, example_site) for path in folder.iterdir()} == SITE_NAMES


def test_unit_pages_are_safe_file_names() -> None:
    assert unit_page("某市电信分公司 · 青云西区域").startswith("某市电信分公司-青云西区域-")
    assert "/" not in unit_page("../../etc/passwd") and ".." not in unit_page("../../etc/passwd")
    assert unit_page("///").startswith("unit-")


def test_plan_text_is_escaped_for_python_markdown(project: Path) -> None:
    hostile = "<script>alert(1)</script> | *x* [y](javascript:alert(1)) {{ 7*7 }}"
    write_plan(project, f"title: '{hostile}'\nperiod: 2027\nowner: {{name: x}}\nsummary: '<b>raw</b>'\n")
    build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 1))
    page = (project / "out" / "site-src" / "plans" / "plan.md").read_text(encoding="utf-8")
    assert (
        "# &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| \\*x\\* \\[y\\]\\(javascript:alert\\(1\\)\\) \\{\\{ 7\\*7 \\}\\}"
        in page
    )
    assert "<p>&lt;b&gt;raw&lt;/b&gt;</p>" in page
    html = (project / "site" / "plans" / "plan" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "<b>raw</b>" not in html


class Article(HTMLParser):
    """The elements of a built page's <article>, where plan text is shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += tag not in VOID
            self.found.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in VOID:
            self.depth -= 1


VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source", "embed", "rect", "path"}
ACTIVE = {"script", "img", "iframe", "object", "embed", "style", "link", "meta", "form", "input", "button",
          "image", "use", "foreignobject", "video", "audio", "source", "base"}  # fmt: skip


def test_hostile_plan_text_becomes_no_active_content_on_any_page(project: Path) -> None:
    (project / "plans" / "plan.yml").write_text(hostile_plan(), encoding="utf-8")
    site = build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert site is not None
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    checked = 0
    for page in pages:
        article = Article()
        article.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in article.found:
            where = f"{page.relative_to(site)}: <{tag} {attrs}>"
            assert tag not in ACTIVE, where
            assert not [name for name in attrs if name.startswith("on")], where
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                value = attrs.get(name, "")
                scheme = re.match(r"\s*([a-zA-Z][\w+.-]*):", value)
                assert scheme is None or scheme[1].lower() in ("http", "https", "mailto"), where
            assert re.fullmatch(r"(text-align: ?(left|right|center);?|width: \d+%)?", attrs.get("style", "")), where
            checked += 1
    assert checked > 500
    plan = (site / "plans" / "plan" / "index.html").read_text(encoding="utf-8")
    # Markdown fields shown as blocks went through the sanitizer; those in table cells are plain text there.
    assert plan.count('<div class="plangen-text">') == 11


def test_a_failed_site_build_leaves_the_previous_site(project: Path) -> None:
    write_plan(project, MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", project)
    site = build(open_project(project), docx=False, site=True).site
    assert site is not None
    before = sorted(os.listdir(site))
    (project / "mkdocs.yml").write_text(
        (REPO / "mkdocs.yml").read_text(encoding="utf-8") + "\nvalidation:\n  links:\n    absolute_links: error\n"
        "\nextra:\n  nothing: [\n",
        encoding="utf-8",
    )
    with pytest.raises(PlangenError, match="MkDocs could not build the site"):
        build(open_project(project), docx=False, site=True)
    assert sorted(os.listdir(site)) == before
    assert not list(project.glob(".*.plangen-*"))


@pytest.mark.parametrize(("settings", "code"), [("", "zh"), ("site:\n  language: en\n", "en")])
def test_a_project_without_mkdocs_yml_gets_plangens_in_its_language(project: Path, settings: str, code: str) -> None:
    (project / "plangen.yml").write_text(settings, encoding="utf-8")
    write_plan(project, MINIMAL)
    site = build(open_project(project), docx=False, site=True).site
    assert site == project / "site"
    assert f'<html lang="{code}"' in (site / "index.html").read_text(encoding="utf-8")
    assert not (project / "mkdocs.yml").exists()


def test_an_own_mkdocs_yml_in_another_language_than_the_site_is_an_error(project: Path) -> None:
    write_plan(project, MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", project)  # zh, as the default settings
    assert build(open_project(project), docx=False, site=True).site
    (project / "plangen.yml").write_text("site:\n  language: en\n", encoding="utf-8")
    with pytest.raises(PlangenError) as caught:
        build(open_project(project), docx=False, site=True)
    assert caught.value.message == (
        "mkdocs.yml: theme.language is 'zh', but the site's pages are in en (plangen.yml: site.language, "
        "else language); set 'language: en' under theme: in mkdocs.yml, or change the setting"
    )


def test_shipped_mkdocs_yml_is_the_repositorys() -> None:
    assert (REPO / "templates" / "site" / "mkdocs.yml").read_bytes() == (REPO / "mkdocs.yml").read_bytes()


def test_zensical_builds_the_same_pages(example_site: Path, tmp_path: Path) -> None:
    """Material's successor reads mkdocs.yml and runs no MkDocs plugins: the generated pages must suffice."""
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if zensical is None:
        pytest.skip("zensical is not installed")
    project = tmp_path / "project"
    shutil.copytree(example_site.parent, project, ignore=shutil.ignore_patterns("site"))
    done = subprocess.run([zensical, "build", "-f", "mkdocs.yml"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    built = sorted(p.parent.name for p in (project / "site" / "plans").glob("*/index.html"))
    assert built == sorted(p.stem for p in (REPO / "plans").rglob("*.yml"))
