"""The site's generated pages: golden Markdown, escaping, roll-ups, and safe rebuilds."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import pytest
from click.testing import CliRunner

from conftest import MINIMAL, REPO, GitRepo, hostile_plan, posix_only, write_plan
from plangen.build import build
from plangen.cli import main
from plangen.errors import PlangenError
from plangen.i18n import speaking
from plangen.loading import load_plans
from plangen.model import SITE_NAMES
from plangen.settings import open_project
from plangen.site_writer import NAV_PLANS, SiteWriter, unit_page

GOLDEN = REPO / "tests" / "golden"


@pytest.mark.parametrize(
    ("page", "golden"),
    [("index.md", "site-index.md"), ("plans.md", "site-plans.md"),
     ("plans/qingyunxi-customer-managers.md", "site-plan-qingyunxi-customer-managers.md"),
     ("plans/qingyunxi-liqiang.md", "site-plan-qingyunxi-liqiang.md"),
     ("calendar.md", "site-calendar.md"), ("periods/2027.md", "site-period-2027.md"),
     (f"units/{unit_page('某市电信分公司 · 青云西区域')}.md", "site-unit-qingyunxi.md")],
)  # fmt: skip
def test_generated_pages_match_golden_files(example_site: Path, page: str, golden: str) -> None:
    source = example_site.parent / "out" / "site-src" / page
    assert source.read_text(encoding="utf-8") == (GOLDEN / golden).read_text(encoding="utf-8")


def test_every_plan_and_unit_has_a_page_and_a_download(example_site: Path) -> None:
    plans = sorted(p.stem for p in (REPO / "plans").rglob("*.yml"))
    assert sorted(p.parent.name for p in (example_site / "plans").glob("*/index.html")) == plans
    assert sorted(p.stem for p in (example_site / "downloads").glob("*.docx")) == plans
    # the units and organisations of the plans, "—" for the plan that names neither (范文1)
    assert len(list((example_site / "units").glob("*/index.html"))) == 4
    assert len(list((example_site / "orgs").glob("*/index.html"))) == 3
    assert (example_site / "guide" / "index.html").is_file()


def test_the_names_the_site_uses_for_itself_are_no_plan_ids(example_site: Path, git_project: GitRepo) -> None:
    # The example site is built outside git; a plan submitted twice gives a site its changes/ folder.
    plan = write_plan(git_project.root, MINIMAL + "status: submitted\n")
    git_project.commit("submitted")
    plan.write_text(MINIMAL + "status: submitted\nsummary: 修改后\n", encoding="utf-8")
    git_project.commit("revised")
    history = build(open_project(git_project.root), docx=False, site=True).site
    assert history is not None
    source = example_site.parent / "out" / "site-src"
    folders = (source, example_site, history, git_project.root / "out" / "site-src")
    assert {path.name.split(".")[0] for folder in folders for path in folder.iterdir()} == SITE_NAMES


def test_unit_pages_are_safe_file_names() -> None:
    assert unit_page("某市电信分公司 · 青云西区域").startswith("某市电信分公司-青云西区域-")
    assert "/" not in unit_page("../../etc/passwd") and ".." not in unit_page("../../etc/passwd")
    assert unit_page("///").startswith("unit-")


@pytest.mark.parametrize("names", [("A/B", "A:B", "A B"), ("///", ":::", "")])
def test_unit_pages_of_names_alike_differ_by_a_digest_no_one_can_match(names: tuple[str, ...]) -> None:
    pages = [unit_page(name) for name in names]
    assert len(set(pages)) == len(pages)
    assert all(re.fullmatch(r"(A-B|unit)-[0-9a-f]{16}", page) for page in pages)


@pytest.mark.parametrize(
    ("shared", "message"),
    [
        (
            ("甲公司 · 东区", "乙公司 · 西区"),
            "'乙公司 · 西区' and '甲公司 · 东区' would share the page units/same; rename one of them",
        ),
        (("甲公司", "乙公司"), "'乙公司' and '甲公司' would share the page orgs/same; rename one of them"),
    ],
    ids=["units", "organisations"],
)
def test_two_units_or_organisations_never_share_a_page(
    project: Path, monkeypatch: pytest.MonkeyPatch, shared: tuple[str, str], message: str
) -> None:
    """Should two names still give one page name, neither takes the other's page."""
    from plangen import site_writer

    write_plan(project, MINIMAL + "unit: 东区\norganization: 甲公司\n", "a.yml")
    write_plan(project, MINIMAL + "unit: 西区\norganization: 乙公司\n", "b.yml")
    real = site_writer.unit_page
    monkeypatch.setattr(site_writer, "unit_page", lambda name: "same" if name in shared else real(name))
    with pytest.raises(PlangenError) as caught:
        build(open_project(project), docx=False, site=True)
    assert caught.value.message == message
    assert not (project / "site").exists()


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


class Everything(HTMLParser):
    """Every element of a built page, and the text of its inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        if self.found and self.found[-1][0] == "script":
            self.scripts.append(data)


@pytest.mark.parametrize("language", ["zh-CN", "en"], ids=["site-language", "marked-as-english"])
def test_hostile_plan_text_becomes_no_active_content_on_any_page(project: Path, language: str) -> None:
    """In the site's language and in another, whose page plangen marks with lang (md_in_html)."""
    plan = json.loads(hostile_plan()) | {"language": language}
    (project / "plans" / "plan.yml").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    site = build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert site is not None
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    checked = 0
    for page in pages:
        article = Article()
        article.feed(page.read_text(encoding="utf-8"))
        # Outside the article too (the navigation, the path above the title, the tabs) plan text
        # is no markup: the theme's own pages have no event attribute, image or frame at all.
        whole = Everything()
        whole.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in whole.found:
            where = f"{page.relative_to(site)}: <{tag} {attrs}>"
            assert tag not in {"img", "iframe", "object", "embed", "image", "base"}, where
            assert not [name for name in attrs if name.startswith("on")], where
            assert tag != "script" or re.fullmatch(r"(/|(\.\./)*)assets/[\w./-]+", attrs.get("src", "assets/x")), where
        assert not [script for script in whole.scripts if "alert" in script], page
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
    page = (site / "plans" / "plan" / "index.html").read_text(encoding="utf-8")
    # Markdown fields shown as blocks went through the sanitizer (summary, details, notes, an acknowledged
    # difference's reason, a training content's detail); those in table cells are plain text there.
    assert page.count('<div class="plangen-text"') == 15
    assert page.count(f'<div class="plangen-text" lang="{language}">') == (15 if language == "en" else 0)


def mkdocs_yml(project: Path, old: str = "", new: str = "") -> None:
    """The repository's mkdocs.yml in *project*, with the line *old* (if given) replaced by *new*."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert not old or text.count(f"\n{old}\n") == 1
    (project / "mkdocs.yml").write_text(text.replace(f"\n{old}\n", f"\n{new}\n") if old else text, encoding="utf-8")


def test_a_failed_site_build_leaves_the_previous_site(project: Path) -> None:
    write_plan(project, MINIMAL)
    mkdocs_yml(project)
    site = build(open_project(project), docx=False, site=True).site
    assert site is not None
    before = sorted(os.listdir(site))
    mkdocs_yml(project, "  - guide.md", "  - guide.md\n  - nothing.md")
    with pytest.raises(PlangenError, match="MkDocs could not build the site"):
        build(open_project(project), docx=False, site=True)
    assert sorted(os.listdir(site)) == before
    assert not list(project.glob(".*.plangen-*"))


@pytest.mark.parametrize(
    ("settings", "code", "dark"),
    [("", "zh", "切换到深色模式"), ("site:\n  language: en\n", "en", "Switch to the dark scheme")],
)
def test_a_project_without_mkdocs_yml_gets_plangens_in_its_language(
    project: Path, settings: str, code: str, dark: str
) -> None:
    (project / "plangen.yml").write_text(settings, encoding="utf-8")
    write_plan(project, MINIMAL)
    site = build(open_project(project), docx=False, site=True).site
    assert site == project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{code}"' in home
    assert f'aria-label="{dark}"' in home  # the button that switches to the dark scheme
    assert not (project / "mkdocs.yml").exists()


def _linked(site: Path, page: str, kind: str) -> set[str]:
    """The pages of *kind* (plans, units, orgs) that the built *page* (a folder, such as
    plans/x/) links to anywhere: in its navigation, its path above the title, its text."""
    hrefs = re.findall(r'href="([^"#]*)"', (site / page / "index.html").read_text(encoding="utf-8"))
    paths = [unquote(urljoin(f"/{page}", href)) for href in hrefs]
    return {found[1] for path in paths if (found := re.fullmatch(rf"/{kind}/([^/]+)/", path))}


def test_a_unit_of_more_plans_than_the_navigation_lists_leads_to_them_through_its_page(project: Path) -> None:
    """Each of its plan pages would otherwise carry every plan of the unit in its navigation."""
    for n in range(NAV_PLANS + 1):
        write_plan(project, f"title: 计划{n}\nperiod: 2027\nowner: {{name: 王{n}}}\nunit: 大区\n", f"p{n}.yml")
    mkdocs_yml(project)
    site = build(open_project(project), docx=False, site=True).site
    assert site is not None
    nav = (project / "out" / "mkdocs-nav.yml").read_text(encoding="utf-8")
    assert f"units/{unit_page('大区')}.md" in nav and "plans/p0.md" not in nav
    assert _linked(site, "plans/p0/", "plans") == set()


def test_the_navigation_groups_plans_by_organisation_and_unit_and_lists_only_a_pages_own_unit(project: Path) -> None:
    """Every plan is in the navigation (so a phone's menu shows where it is and its contents),
    under its organisation and unit; a page lists the plans of its own unit only and the
    units of its own organisation, so the navigation, repeated on every page, stays small."""
    for org, organization in (("a", "甲公司"), ("b", "乙公司")):
        for part, unit in (("east", "东区"), ("west", "西区")):
            for owner in ("x", "y"):
                plan = f"title: {org}{part}{owner}计划\nperiod: 2027\nowner: {{name: {owner}}}\nunit: {unit}\n"
                write_plan(project, plan + f"organization: {organization}\n", f"{org}-{part}-{owner}.yml")
    mkdocs_yml(project)
    site = build(open_project(project), docx=False, site=True).site
    assert site is not None
    assert (project / "out" / "mkdocs-nav.yml").read_text(encoding="utf-8").startswith("INHERIT: mkdocs.yml\n")
    assert _linked(site, "plans/a-east-x/", "plans") == {"a-east-x", "a-east-y"}
    assert _linked(site, "plans/a-east-x/", "units") == {unit_page("甲公司 · 东区"), unit_page("甲公司 · 西区")}
    assert _linked(site, "plans/a-east-x/", "orgs") == {unit_page("甲公司"), unit_page("乙公司")}
    assert _linked(site, "", "plans") == set() and _linked(site, "", "units") == set()
    assert _linked(site, "orgs/" + unit_page("乙公司") + "/", "units") == {
        unit_page("乙公司 · 东区"),
        unit_page("乙公司 · 西区"),
    }
    page = (site / "plans" / "a-east-x" / "index.html").read_text(encoding="utf-8")
    path = page[page.index('<nav class="md-path"') :].split("</nav>")[0]
    assert [re.sub(r"\s+", "", step) for step in re.findall(r'class="md-ellipsis">([^<]*)<', path)] == [
        "总览",
        "部门汇总",
        "甲公司",
        "东区",
    ]


@pytest.mark.parametrize(
    ("entry", "nav"),
    [
        ("  - 各部门: units.md", '"plans.md", {"各部门": ["units.md", {"—": ["orgs/'),
        ("  - plans.md", '"plans.md", "calendar.md"'),
    ],
    ids=["titled", "not-listed"],
)
def test_the_units_go_where_mkdocs_yml_lists_units_md_under_the_title_it_gives(
    project: Path, entry: str, nav: str
) -> None:
    write_plan(project, MINIMAL)
    mkdocs_yml(project, "  - plans.md\n  - units.md", f"  - plans.md\n{entry}" if "units" in entry else entry)
    build(open_project(project), docx=False, site=True)
    assert nav in (project / "out" / "mkdocs-nav.yml").read_text(encoding="utf-8")


def test_a_plan_in_another_language_than_the_sites_is_marked_as_in_it(project: Path) -> None:
    write_plan(
        project, "title: Plan\nperiod: 2027\nowner: {name: Sam}\nlanguage: en\nsummary: Some *text*.\n", "en.yml"
    )
    write_plan(project, MINIMAL + "summary: 一些文字\n", "zh.yml")
    site = build(open_project(project), docx=False, site=True).site
    assert site is not None
    english = (site / "plans" / "en" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div lang="en">\s*<h1 id="plan">Plan<', english)
    assert '<div class="plangen-text" lang="en">\n<p>Some <em>text</em>.</p>' in english
    chinese = (site / "plans" / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<div class="plangen-text">\n<p>一些文字</p>' in chinese and 'lang="zh-CN"' not in chinese


def test_the_home_page_names_the_days_its_coming_activities_are_from(project: Path) -> None:
    (project / "plangen.yml").write_text("site:\n  upcoming_weeks: 2\n", encoding="utf-8")
    write_plan(project, MINIMAL)
    build(open_project(project), docx=False, site=True, today=dt.date(2027, 3, 30))
    index = (project / "out" / "site-src" / "index.md").read_text(encoding="utf-8")
    assert "## 近期活动与培训（2周内：2027年3月30日至4月13日） {: #upcoming }" in index


def test_activities_without_dates_have_a_part_of_the_calendar_by_plan(project: Path) -> None:
    activities = (
        "activities:\n  - {title: 走访, frequency: 每周}\n  - {title: 回访}\n  - {title: 开业, when: 2027-03}\n"
    )
    write_plan(project, MINIMAL + activities)
    write_plan(project, MINIMAL.replace("王敏", "李强") + "activities:\n  - {title: 开业, when: 2027-03}\n", "b.yml")
    build(open_project(project), docx=False, site=True)
    calendar = (project / "out" / "site-src" / "calendar.md").read_text(encoding="utf-8")
    assert calendar.split("## 经常性活动\n")[1].rstrip() == (
        "\n### [王敏: 测试计划](plans/plan.md)\n\n| 活动 | 频次 |\n| --- | --- |\n| 走访 | 每周 |\n| 回访 | 全期 |"
    )


@pytest.mark.parametrize("own", [True, False], ids=["own-mkdocs-yml", "plangens"])
def test_a_project_named_by_a_relative_path_gets_its_site_in_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, own: bool
) -> None:
    write_plan(project, MINIMAL)
    if own:
        mkdocs_yml(project)
    monkeypatch.chdir(project.parent)
    result = CliRunner().invoke(main, ["-C", project.name, "site"])
    assert result.exit_code == 0, result.output
    assert (project / "site" / "plans" / "plan" / "index.html").is_file()
    assert sorted(os.listdir(project)) == (["mkdocs.yml"] if own else []) + ["out", "plans", "site"]


def test_an_own_mkdocs_yml_in_another_language_than_the_site_is_an_error(project: Path) -> None:
    write_plan(project, MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", project)  # zh, as the default settings
    assert build(open_project(project), docx=False, site=True).site
    (project / "plangen.yml").write_text("site:\n  language: en\n", encoding="utf-8")
    with pytest.raises(PlangenError) as caught:
        build(open_project(project), docx=False, site=True)
    assert caught.value.message == (
        "mkdocs.yml:28:3: theme.language: 'zh', but the site's pages are in en (plangen.yml: site.language, "
        "else language); write 'language: en' under theme:, or change the setting"
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


SOURCE_URL = "https://git.example.com/team/plans/-/blob/main"


def test_a_plan_outside_the_project_gets_no_source_link(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (project / "plangen.yml").write_text(f"site:\n  source_url: {SOURCE_URL}/\n", encoding="utf-8")
    write_plan(project, MINIMAL, "2027/inside.yml")
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "draft.yml"
    elsewhere.write_text(MINIMAL, encoding="utf-8")
    build(open_project(project), [project / "plans", elsewhere], docx=False, site=True)
    pages = project / "out" / "site-src" / "plans"
    assert f"]({SOURCE_URL}/plans/2027/inside.yml)" in (pages / "inside.md").read_text(encoding="utf-8")
    assert SOURCE_URL not in (pages / "draft.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", ".", "site", str(elsewhere), "plans"])  # a root given as "."
    assert result.exit_code == 0, result.output
    assert f"]({SOURCE_URL}/plans/2027/inside.yml)" in (pages / "inside.md").read_text(encoding="utf-8")


def test_a_site_folder_inside_the_plans_folder_is_refused(project: Path) -> None:
    write_plan(project, MINIMAL)
    mkdocs_yml(project, "site_dir: site", "site_dir: plans/site")
    with pytest.raises(PlangenError) as caught:
        build(open_project(project), docx=False, site=True)
    assert caught.value.message == (
        "the site folder plans/site is inside the plans folder plans, where plangen would read back what it writes "
        "as plans: choose a folder outside it"
    )
    assert sorted(os.listdir(project / "plans")) == ["plan.yml"]


@pytest.mark.parametrize(
    ("site_dir", "why"),
    [
        ("../victim", "is outside the project; plangen empties and replaces it"),
        ("{victim}", "is outside the project; plangen empties and replaces it"),
        (".", "Config value 'site_dir'"),  # MkDocs itself refuses a site folder holding the pages
        ("site/..", "Config value 'site_dir'"),
        (".git", "is a hidden folder or inside one"),
        ("templates", "holds templates; choose a folder of its own"),
    ],
)
def test_a_site_folder_from_mkdocs_yml_stays_a_folder_of_its_own_in_the_project(
    project: Path, site_dir: str, why: str
) -> None:
    """mkdocs.yml comes with the repository: its site_dir must not make a build replace a folder elsewhere."""
    write_plan(project, MINIMAL)
    victim = project.parent / f"{project.name}-victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("the user's own", encoding="utf-8")
    (project / ".git").mkdir()
    (project / "templates").mkdir()
    mkdocs_yml(project, "site_dir: site", f"site_dir: {site_dir.format(victim=victim)}")
    result = CliRunner().invoke(main, ["site"])
    assert result.exit_code == 1 and why in result.output and "Traceback" not in result.output
    assert [(p.name, p.read_text(encoding="utf-8")) for p in victim.iterdir()] == [("keep.txt", "the user's own")]
    assert sorted(os.listdir(project)) == [".git", "mkdocs.yml", "out", "plans", "templates"]


def test_a_site_set_aside_by_a_killed_build_is_put_back_by_the_next_command(project: Path) -> None:
    write_plan(project, MINIMAL)
    site = build(open_project(project), site=True).site
    assert site is not None
    pages = sorted(p.relative_to(site) for p in site.rglob("*"))
    ended = subprocess.Popen(["true"])
    ended.wait()
    site.rename(project / f".site.plangen-{ended.pid}-old")  # as a build killed between the swap's two steps
    assert CliRunner().invoke(main, ["docx"]).exit_code == 0
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == pages
    (project / "templates" / "site").mkdir(parents=True)
    (project / "templates" / "site" / "index.md.j2").write_text("{{ 1 / 0 }}\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["site"]).exit_code == 1
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == pages
    assert not list(project.glob(".*.plangen-*"))


def search_fragments(site: Path) -> dict[str, dict[str, Any]]:
    """What Pagefind indexed: the address of each page it holds, with its title, text and words."""
    found = {}
    for path in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{") :])
        words = fragment["content"].replace("\u200b", " ")  # Pagefind marks where it split Chinese text into words
        found[fragment["url"]] = {"title": fragment["meta"]["title"], "text": words.replace(" ", ""), "words": words}
    return found


def test_plans_and_hand_written_pages_are_indexed_for_search_and_units_by_their_names(example_site: Path) -> None:
    pages = search_fragments(example_site)
    plans = {f"/plans/{path.stem}/" for path in (REPO / "plans").rglob("*.yml")}
    units = {  # found by name: the page of plans that name no unit, "—", has no name to find
        f"/{kind}/{p.parent.name}/"
        for kind in ("units", "orgs")
        for p in (example_site / kind).glob("*/index.html")
        if p.parent.name != unit_page("—")
    }
    # a review for each plan whose period has begun; the drafts without one have none
    reviews = {f"/reviews/{path.stem}/" for path in (REPO / "plans").rglob("*.yml") if "samples" not in path.parts}
    assert set(pages) == plans | reviews | units | {"/guide/"}
    plan = pages["/plans/qingyunxi-customer-managers/"]
    assert plan["title"] == "客服经理工作计划范文2"
    assert "保姆式服务" in plan["text"] and "我的e家" in plan["text"]
    assert "¶" not in plan["text"] and "跳转至" not in plan["text"]  # no heading's mark, nothing of the theme's
    for unit in units:
        assert pages[unit]["text"].rstrip(".") == pages[unit]["title"].replace(" ", "")
    entry = json.loads((example_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh"]  # one index, English pages in it too


def test_pagefind_takes_no_settings_from_the_project_or_the_environment(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings in a pagefind.yml or PAGEFIND_ variables could put the index elsewhere."""
    write_plan(project, MINIMAL + "summary: 保姆式服务\n")
    elsewhere = project.parent / f"{project.name}-elsewhere"
    (project / "pagefind.yml").write_text(f"output_path: {elsewhere}\nforce_language: en\n", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_OUTPUT_PATH", str(elsewhere))
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "en")
    site = build(open_project(project), docx=False, site=True).site
    assert site is not None and not elsewhere.exists()
    assert "保姆" in search_fragments(site)["/plans/plan/"]["words"].split()


@posix_only
def test_a_site_whose_search_cannot_be_made_is_not_published(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pagefind_bin_extended

    write_plan(project, MINIMAL)
    site = build(open_project(project), docx=False, site=True).site
    assert site is not None
    before = sorted(os.listdir(site))
    failing = project.parent / f"{project.name}-pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: no space left on device' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(pagefind_bin_extended, "get_executable", lambda: failing)
    with pytest.raises(PlangenError) as caught:
        build(open_project(project), docx=False, site=True)
    assert caught.value.message == (
        "Pagefind could not index the site for search (exit code 3): Error: no space left on device"
    )

    def missing() -> Path:
        raise FileNotFoundError(failing)

    monkeypatch.setattr(pagefind_bin_extended, "get_executable", missing)
    with speaking("zh-CN"), pytest.raises(PlangenError) as caught:
        build(open_project(project), docx=False, site=True)
    assert caught.value.message == "网站搜索需要 Pagefind，但它没有安装：pip install 'pagefind[extended]'"
    assert sorted(os.listdir(site)) == before and (site / "pagefind" / "pagefind.js").is_file()
    assert not list(project.parent.glob(f".{project.name}*")) and not list(project.glob(".*.plangen-*"))


@posix_only
@pytest.mark.parametrize(
    ("planted", "target", "why"),
    [
        ("pages/secret.md", "{outside}/secret.md", "it is a link to a file outside the project"),
        ("pages/config.md", "{root}/.git/config", "it is a link to a hidden file or folder, such as .git"),
        ("assets/all", "{outside}", "it is a link to a folder; put the files here"),
        ("pages", "{outside}", "expected a folder of the project's own, not a link or a file"),
        ("assets/pipe.css", "fifo", "it is a named pipe (FIFO), not an ordinary file"),
    ],
)
def test_hand_written_pages_and_assets_publish_nothing_through_a_link(
    project: Path, planted: str, target: str, why: str
) -> None:
    write_plan(project, MINIMAL)
    outside = project.parent / f"{project.name}-outside"
    outside.mkdir()
    (outside / "secret.md").write_text("SECRET", encoding="utf-8")
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text("token = SECRET", encoding="utf-8")
    path = project / "templates" / "site" / planted
    path.parent.mkdir(parents=True, exist_ok=True)
    if target == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(target.format(outside=outside, root=project))
    result = CliRunner().invoke(main, ["site"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: templates/site/{planted}: {why}")
    assert not (project / "site").exists()
    assert "SECRET" not in "".join(p.read_text(errors="replace") for p in (project / "out").rglob("*.md"))


def test_hand_written_pages_linked_inside_the_project_are_published(project: Path) -> None:
    write_plan(project, MINIMAL)
    (project / "notes.md").write_text("# 说明\n\n共享的说明。\n", encoding="utf-8")
    (project / "templates" / "site" / "pages").mkdir(parents=True)
    (project / "templates" / "site" / "pages" / "notes.md").symlink_to(project / "notes.md")
    site = build(open_project(project), docx=False, site=True).site
    assert site is not None and "共享的说明" in (site / "notes" / "index.html").read_text(encoding="utf-8")


def test_site_errors_are_in_chinese_for_a_chinese_reader(project: Path) -> None:
    write_plan(project, MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", project)
    (project / "plangen.yml").write_text("site:\n  language: en\n", encoding="utf-8")
    with speaking("zh-CN"), pytest.raises(PlangenError) as language:
        build(open_project(project), docx=False, site=True)
    assert language.value.message == (
        "mkdocs.yml:28:3: theme.language: 是 'zh'，但网站页面的语言是 en（看 plangen.yml 的 site.language，没有则看 "
        "language）；请在 theme: 下写 language: en，或者修改上述设置"
    )
    (project / "plangen.yml").unlink()
    mkdocs_yml(project, "  - guide.md", "  - guide.md\n  - nothing.md")
    with speaking("zh-CN"), pytest.raises(PlangenError) as failed:
        build(open_project(project), docx=False, site=True)
    assert failed.value.message.startswith("MkDocs 无法生成网站：")


@pytest.mark.parametrize(
    "name", ["a) <img src=x onerror=alert(1)> (.yml", "b](javascript:alert(1)) [.yml", 'c" onmouseover="alert(1).yml']
)
def test_a_plan_file_name_is_no_markup_in_its_source_link(project: Path, name: str) -> None:
    (project / "plangen.yml").write_text(f"site:\n  source_url: {SOURCE_URL}\n", encoding="utf-8")
    write_plan(project, MINIMAL + "id: d\n", name)
    site = build(open_project(project), docx=False, site=True).site
    assert site is not None
    page = Article()
    page.feed((site / "plans" / "d" / "index.html").read_text(encoding="utf-8"))
    assert [tag for tag, _ in page.found if tag in ACTIVE] == []
    sources = [
        attrs["href"] for tag, attrs in page.found if tag == "a" and attrs.get("href", "").startswith(SOURCE_URL)
    ]
    assert [unquote(href) for href in sources] == [f"{SOURCE_URL}/plans/{name}"]
    assert not re.search(r"[\s()\[\]<>\"]", sources[0])


def test_the_home_page_grows_with_periods_and_organisations_not_with_plans(tmp_path: Path) -> None:
    """The example plans 12 and 48 times over make home pages of one size but for the counts in
    them. (benchmarks/run.py measures the built page of 1,000 plans: its "home KiB".)"""
    examples = sorted((REPO / "plans").rglob("*.yml"))
    sizes = []
    for count in (48, 192):
        project = tmp_path / str(count)
        for n in range(count):
            write_plan(project, examples[n % len(examples)].read_text(encoding="utf-8"), f"{n:04d}.yml")
        opened = open_project(project)
        SiteWriter(opened, load_plans(opened).plans, dt.date(2027, 1, 2)).write(project / "site-src", {})
        sizes.append(len((project / "site-src" / "index.md").read_bytes()))
    assert sizes[1] - sizes[0] < 100, sizes
