"""A repository's mkdocs.yml: only what plangen allows reaches MkDocs, and nothing else runs or is read."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MINIMAL, REPO, posix_only, write_plan
from plangen import site_writer
from plangen.build import build
from plangen.cli import main
from plangen.errors import InvalidFile
from plangen.i18n import speaking
from plangen.mkdocs_config import check_mkdocs_config
from plangen.scaffold import init_project
from plangen.settings import Project, open_project

OWN = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
KEYS = (
    "site_name, site_url, site_description, site_author, copyright, repo_url, repo_name, edit_uri, nav, not_in_nav, "
    "docs_dir, site_dir, use_directory_urls, theme, plugins, markdown_extensions, extra_css, extra, validation, strict"
)
EXTENSIONS = (
    "tables, attr_list, md_in_html, admonition, toc, abbr, def_list, footnotes, sane_lists, pymdownx.details, "
    "pymdownx.superfences"
)
LOCAL = (
    "expected the path of a file of the site, such as assets/logo.png, got {}; the site loads nothing from other hosts"
)
FONT = "write 'font: false': without it, or with a font's name, every reader's browser loads the font from Google Fonts"


def refusals(project: Path, text: str) -> str:
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        check_mkdocs_config(open_project(project), project / "mkdocs.yml")
    return caught.value.message


def with_line(old: str, new: str) -> str:
    """The repository's mkdocs.yml with its line *old* made *new* (lines, when it holds line breaks)."""
    assert OWN.count(f"\n{old}\n") == 1
    return OWN.replace(f"\n{old}\n", f"\n{new}\n")


def test_the_repositorys_mkdocs_yml_and_the_one_init_writes_are_taken(tmp_path: Path) -> None:
    raw, site_dir = check_mkdocs_config(open_project(REPO), REPO / "mkdocs.yml")
    assert (raw, site_dir) == (OWN.encode(), "site")
    for language in ("zh-CN", "en"):
        folder = tmp_path / language
        init_project(folder, language=language, period="2027")
        assert check_mkdocs_config(open_project(folder), folder / "mkdocs.yml")[1] == "site"


def test_plain_harmless_keys_are_taken(project: Path) -> None:
    text = (
        OWN.replace("site_dir: site\n", "site_dir: public\n")
        + "site_url: https://plans.example.com/\nsite_description: 计划\nsite_author: 王敏\ncopyright: © 2027\n"
        "repo_url: https://git.example.com/team/plans\nrepo_name: team/plans\nedit_uri: -/edit/main/plans/\n"
        "strict: true\nvalidation:\n  links:\n    absolute_links: warn\nextra:\n  social: []\n"
    ).replace(
        "  font: false ",
        "  logo: assets/logo.png\n  favicon: assets/favicon.png\n  icon: {repo: fontawesome/brands/git-alt}\n  font: false ",
    )
    text = text.replace("  - admonition\n", "  - admonition\n  - def_list\n  - footnotes\n  - pymdownx.details\n")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert check_mkdocs_config(open_project(project), project / "mkdocs.yml")[1] == "public"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            with_line("site_name: 工作计划", "site_name: !ENV [MY_CI_TOKEN, none]"),
            "mkdocs.yml:6:12: unsupported YAML tag '!ENV': this file may hold only plain text, numbers, dates, lists "
            "and mappings; to write text that starts with '!', put it in quotes: \"!ENV [MY_CI_TOKEN, none]\"",
            id="env",
        ),
        pytest.param(
            with_line("docs_dir: out/site-src", "docs_dir: !relative $config_dir"),
            "mkdocs.yml:7:11: unsupported YAML tag '!relative': this file may hold only plain text, numbers, dates, "
            "lists and mappings; to write text that starts with '!', put it in quotes: \"!relative $config_dir\"",
            id="relative",
        ),
        pytest.param(
            OWN + "hooks:\n  - hook.py\n",
            "mkdocs.yml:67:1: hooks: hooks are Python code MkDocs would run on the machine that builds the site",
            id="hooks",
        ),
        pytest.param(
            "INHERIT: ../other.yml\n" + OWN,
            "mkdocs.yml:1:1: INHERIT: plangen reads no other settings file into mkdocs.yml; copy what you need into it",
            id="inherit",
        ),
        pytest.param(
            OWN + "extra_javascript: [https://evil.example/x.js]\n",
            "mkdocs.yml:67:1: extra_javascript: the site runs no scripts but the theme's own, and loads none from "
            "other hosts",
            id="extra-javascript",
        ),
        pytest.param(
            OWN + "extra_templates: [x.html]\n",
            "mkdocs.yml:67:1: extra_templates: MkDocs would run these templates outside plangen's sandbox; put "
            "hand-written pages in templates/site/pages",
            id="extra-templates",
        ),
        pytest.param(
            OWN + "watch: [/]\n",
            f"mkdocs.yml:67:1: watch: plangen does not take this key here; it takes {KEYS}",
            id="watch",
        ),
        pytest.param(
            with_line("  name: material", "  name: material\n  custom_dir: .git"),
            "mkdocs.yml:28:3: theme.custom_dir: MkDocs would run the templates in it outside plangen's sandbox; put "
            "pictures and stylesheets in templates/site/assets and name them with logo, favicon or extra_css",
            id="custom-dir",
        ),
        pytest.param(
            with_line("  name: material", "  name: readthedocs"),
            "mkdocs.yml:27:3: theme.name: write 'name: material': plangen's site is made for the Material theme",
            id="another-theme",
        ),
        pytest.param(
            OWN.replace("  font: false ", "  font: {text: Roboto} "), f"mkdocs.yml:29:3: theme.font: {FONT}", id="font"
        ),
        pytest.param(
            with_line("  font: false            # no Google Fonts: the site makes no request outside its host", ""),
            f"mkdocs.yml:27:3: theme.font: {FONT}",
            id="no-font",
        ),
        pytest.param(
            with_line("  name: material", "  name: material\n  logo: https://evil.example/logo.png"),
            "mkdocs.yml:28:3: theme.logo: " + LOCAL.format('"https://evil.example/logo.png"'),
            id="logo",
        ),
        pytest.param(
            OWN.replace("  - assets/plangen.css", "  - //evil.example/x.css\n  - ../../x.css"),
            "mkdocs.yml:66:5: extra_css[0]: " + LOCAL.format('"//evil.example/x.css"') + "\n"
            "mkdocs.yml:67:5: extra_css[1]: " + LOCAL.format('"../../x.css"'),
            id="extra-css",
        ),
        pytest.param(
            OWN.replace("  - tags\n", "  - tags\n  - macros\n"),
            "mkdocs.yml:56:5: plugins[2]: plangen takes only the plugins search, tags: a plugin is Python code "
            "MkDocs would run",
            id="plugin",
        ),
        pytest.param(
            OWN.replace("      enabled: false\n", "      enabled: false\n      jieba_dict: /etc/shadow\n"),
            "mkdocs.yml:55:7: plugins[0].search.jieba_dict: plangen does not take this key here; it takes enabled, "
            "lang, separator, pipeline, fields",
            id="plugin-setting",
        ),
        pytest.param(
            OWN.replace("  - admonition\n", "  - admonition\n  - pymdownx.snippets:\n      base_path: [/]\n"),
            f"mkdocs.yml:62:5: markdown_extensions[4].pymdownx.snippets: plangen takes only the Markdown extensions "
            f"{EXTENSIONS}: an extension is Python code MkDocs would run, and some read files into the pages",
            id="snippets",
        ),
        pytest.param(
            OWN.replace("      permalink: true\n", "      permalink: true\n      slugify: x\n"),
            "mkdocs.yml:64:7: markdown_extensions[4].toc.slugify: plangen does not take this key here; it takes "
            "permalink, permalink_title, title, toc_depth, baselevel",
            id="extension-setting",
        ),
        pytest.param(
            OWN.replace("  - admonition\n", "  - admonition: {x: 1}\n"),
            "mkdocs.yml:61:5: markdown_extensions[3].admonition: plangen takes admonition without settings; write just "
            "its name",
            id="extension-without-settings",
        ),
        pytest.param(
            OWN + "extra:\n  analytics: {provider: google, property: G-1}\n",
            "mkdocs.yml:68:3: extra.analytics: analytics would make every reader's browser load a tracker from "
            "another host",
            id="analytics",
        ),
        pytest.param(
            OWN + "site_url: file:///etc/\nrepo_url: javascript:alert(1)\nedit_uri: vbscript:x\n",
            'mkdocs.yml:67:1: site_url: expected a web address starting with https:// or http://, got "file:///etc/"\n'
            "mkdocs.yml:68:1: repo_url: expected a web address starting with https:// or http://, got "
            '"javascript:alert(1)"\n'
            "mkdocs.yml:69:1: edit_uri: expected a path such as edit/main/docs/ or a web address starting with "
            'https://, got "vbscript:x"',
            id="addresses",
        ),
        pytest.param(
            with_line("use_directory_urls: true", "use_directory_urls: yes"),
            'mkdocs.yml:9:1: use_directory_urls: expected true or false, got "yes"',
            id="yes-is-text",
        ),
        pytest.param(
            "site_name: x\ntheme: material\n",
            "mkdocs.yml:2:1: theme: expected a mapping with 'name: material' and 'font: false', got \"material\"",
            id="theme-by-name",
        ),
        pytest.param(
            with_line("  language: zh", "  language: en"),
            "mkdocs.yml:28:3: theme.language: 'en', but the site's pages are in zh-CN (plangen.yml: site.language, "
            "else language); write 'language: zh' under theme:, or change the setting",
            id="language",
        ),
    ],
)
def test_what_mkdocs_yml_may_not_hold_is_a_located_error(project: Path, text: str, message: str) -> None:
    assert refusals(project, text) == message


@posix_only
def test_mkdocs_yml_is_read_only_as_an_ordinary_file_of_the_project(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "mkdocs.yml"
    outside.write_text(OWN + "hooks: [hook.py]\n", encoding="utf-8")
    (project / "mkdocs.yml").symlink_to(outside)
    with pytest.raises(InvalidFile) as caught:
        check_mkdocs_config(open_project(project), project / "mkdocs.yml")
    assert caught.value.message == (
        "mkdocs.yml:1:1: cannot read the file: it is a link to a file outside the project; put the file itself in the "
        "project"
    )
    (project / "mkdocs.yml").unlink()
    os.mkfifo(project / "mkdocs.yml")
    with pytest.raises(InvalidFile) as caught:
        check_mkdocs_config(open_project(project), project / "mkdocs.yml")
    assert caught.value.message == (
        "mkdocs.yml:1:1: cannot read the file: it is a named pipe (FIFO), not an ordinary file; only ordinary files "
        "are read"
    )


HOOK = """\
from pathlib import Path
Path({marker!r}).write_text("the hook ran")
"""


@pytest.mark.parametrize(
    "config",
    [
        OWN + "hooks:\n  - hook.py\n",
        OWN.replace("  - tags\n", "  - tags\n  - mkdocs_hook_plugin\n"),
        OWN.replace("site_name: 工作计划", "site_name: !ENV [PLANGEN_TEST_TOKEN, none]"),
        OWN.replace("  - admonition\n", "  - admonition\n  - pymdownx.snippets:\n      base_path: [/]\n"),
        OWN.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
    ],
    ids=["hook", "plugin", "env", "snippets", "custom-dir"],
)
def test_a_refused_mkdocs_yml_runs_and_publishes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch, config: str
) -> None:
    marker = project.parent / f"{project.name}-marker"
    monkeypatch.setenv("PLANGEN_TEST_TOKEN", "SECRET-TOKEN")
    write_plan(project, MINIMAL)
    (project / "hook.py").write_text(HOOK.format(marker=str(marker)), encoding="utf-8")
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text(
        "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}", encoding="utf-8"
    )
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(main, ["site"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: mkdocs.yml:")
    assert not marker.exists() and not (project / "site").exists()


def test_mkdocs_reads_only_what_was_checked(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should mkdocs.yml change between plangen's check and MkDocs' reading, MkDocs still reads what was checked."""
    marker = project.parent / f"{project.name}-marker"
    write_plan(project, MINIMAL)
    (project / "hook.py").write_text(HOOK.format(marker=str(marker)), encoding="utf-8")
    (project / "mkdocs.yml").write_text(OWN, encoding="utf-8")
    checked = site_writer.check_mkdocs_config

    def check_then_change(project: Project, path: Path) -> tuple[bytes, str]:
        found = checked(project, path)
        path.write_text(OWN + "hooks: [hook.py]\n", encoding="utf-8")
        return found

    monkeypatch.setattr(site_writer, "check_mkdocs_config", check_then_change)
    site = build(open_project(project), docx=False, site=True, today=dt.date(2027, 1, 1)).site
    assert site is not None and (site / "index.html").is_file()
    assert not marker.exists()


def test_mkdocs_yml_refusals_are_in_chinese_for_a_chinese_reader(project: Path) -> None:
    with speaking("zh-CN"):
        message = refusals(project, OWN.replace("  font: false ", "  font: Roboto ") + "hooks: [hook.py]\n")
    assert message == (
        "mkdocs.yml:29:3: theme.font: 请写 font: false：不写，或者写了字体名称，每位读者的浏览器都会从 Google Fonts "
        "下载字体\n"
        "mkdocs.yml:67:1: hooks: hooks 是 Python 程序，MkDocs 会在生成网站的电脑上运行它们"
    )
