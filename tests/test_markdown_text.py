"""Plan text inside generated Markdown: plain text stays text, bodies stay in their section,
and on the site a body becomes only allow-listed HTML, whatever Markdown it is written in."""

from __future__ import annotations

import html.parser

import markdown
import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it.tree import SyntaxTreeNode

from conftest import BAD_LINKS, HOSTILE_MARKDOWN, REPO
from plangen.charts import bar_chart
from plangen.markdown_text import (
    SITE_TAGS,
    _demote_parsed,
    demote,
    escape,
    escape_site,
    in_language,
    parser,
    site_html,
)

HOSTILE = ["<script>alert(1)</script>", "a | b * c", "[x](javascript:alert(1))", "{{ 7*7 }}", "# not a heading", ":::"]


def texts(markdown: str) -> list[str]:
    tree = SyntaxTreeNode(parser().parse(markdown))
    return [node.content for node in tree.walk() if node.type == "text"]


@pytest.mark.parametrize("value", HOSTILE)
def test_escaped_text_reads_back_literally(value: str) -> None:
    assert "".join(texts(escape(value))) == value
    assert "".join(texts(f"| {escape(value)} |\n| --- |\n")) == value


def test_escape_keeps_text_on_one_line() -> None:
    assert escape("a\n\nb") == "a b"


def test_raw_html_is_text() -> None:
    assert texts("<b>x</b>") == ["<b>x</b>"]


def test_headings_move_below_the_section() -> None:
    body = "# Top\n\ntext\n\nSub\n---\n\n```\n# code\n:::\n```\n"
    assert demote(body, 1) == "## Top\n\ntext\n\n### Sub\n\n\n```\n# code\n:::\n```"


def test_a_body_cannot_close_or_open_plangen_blocks() -> None:
    assert demote("::: toc\nx\n:::", 1) == "\\::: toc\nx\n\\:::"


@given(st.text(alphabet="#=-:< \t\r\n\u2028a中`>*", max_size=40), st.integers(0, 3))
@example("Title\r===", 1)
@example("a\r\n  ---\n", 2)
def test_bodies_demote_without_parsing_only_when_parsing_would_change_nothing(text: str, depth: int) -> None:
    assert demote(text, depth) == _demote_parsed(text, depth)


@pytest.mark.parametrize("body", BAD_LINKS)
def test_only_http_https_and_mailto_become_links(body: str) -> None:
    tree = SyntaxTreeNode(parser().parse(body))
    assert [node for node in tree.walk() if node.type in ("link", "image")] == []
    assert links(site_html(body, 1)) == []


def test_good_links_stay_links() -> None:
    body = "[a](https://example.com/x?q=1 'T') [b](HTTP://example.com) <mailto:x@example.com> <https://e.example>"
    assert links(site_html(body, 0)) == [
        "https://example.com/x?q=1", "HTTP://example.com", "mailto:x@example.com", "https://e.example",
    ]  # fmt: skip


class Elements(html.parser.HTMLParser):
    """Every element and attribute of an HTML fragment, as the browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(fragment: str) -> list[tuple[str, dict[str, str | None]]]:
    reader = Elements()
    reader.feed(fragment)
    reader.close()
    return reader.found


def links(fragment: str) -> list[str]:
    return [str(attrs["href"]) for tag, attrs in elements(fragment) if tag == "a" and "href" in attrs]


def assert_allow_listed(fragment: str, wrapper: int) -> None:
    found = elements(fragment)
    assert [tag for tag, _ in found].count("div") == wrapper
    for tag, attrs in found:
        assert tag in SITE_TAGS | {"div"}, fragment
        allowed = {"a": {"href", "title", "rel"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}.get(tag, set())
        if tag == "div":
            assert attrs == {"class": "plangen-text"}
        else:
            assert set(attrs) <= allowed, (tag, attrs)
        assert attrs.get("style") in (None, "text-align:left", "text-align:right", "text-align:center")
        if "href" in attrs:
            assert str(attrs["href"]).lower().startswith(("http:", "https:", "mailto:")), attrs


@pytest.mark.parametrize("body", HOSTILE_MARKDOWN)
def test_a_body_becomes_only_allow_listed_html(body: str) -> None:
    assert_allow_listed(site_html(body, 2), wrapper=1)


def _mkdocs_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions plangen's mkdocs.yml turns on, as MkDocs runs it."""
    config = yaml.safe_load((REPO / "templates" / "site" / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    return markdown.Markdown(extensions=names)


@pytest.mark.parametrize("body", HOSTILE_MARKDOWN)
def test_python_markdown_passes_the_html_through_unchanged(body: str) -> None:
    block = site_html(body, 1)
    page = _mkdocs_markdown().convert(f"# Title\n\nBefore *it*: {block}After.\n")
    assert block.strip().expandtabs(4) in page  # Python-Markdown turns tabs into spaces first
    assert_allow_listed(page.replace('<h1 id="title">', "<h2>").replace("</h1>", "</h2>"), wrapper=1)


@pytest.mark.parametrize("body", HOSTILE_MARKDOWN)
def test_a_page_marked_as_in_another_language_passes_the_html_through_unchanged(body: str) -> None:
    """The Markdown around a body goes into <div lang markdown>; the body itself must not, where
    Python-Markdown would run attr_list over it (a {: onclick } line would become an attribute)."""
    block = site_html(body, 1)
    chart = bar_chart([(body, 1)], body)
    page = _mkdocs_markdown().convert(in_language(f"# Title\n\nBefore *it*: {block}After.\n\n{chart}\n", "en"))
    assert block.strip().expandtabs(4).replace('">', '" lang="en">', 1) in page
    assert chart.expandtabs(4).replace('">', '" lang="en">', 1) in page
    assert '<div lang="en">\n<h1 id="title">Title</h1>\n<p>Before <em>it</em>: </p>\n</div>' in page
    assert '<div lang="en">\n<p>After.</p>\n</div>' in page
    text = page.replace('<h1 id="title">', "<h2>").replace("</h1>", "</h2>").split('<div class="plangen-chart-box"')[0]
    for marked in ('<div lang="en">', '<div class="plangen-text" lang="en">'):
        text = text.replace(marked, '<div class="plangen-text">')
    assert_allow_listed(text, wrapper=3)


def test_lines_of_chinese_join_without_a_space_as_in_word() -> None:
    """A browser shows a line break as a space, which does not belong between Chinese characters."""
    assert site_html("第一行\n第二**行**\n第三行。\nThen English\nwords", 0) == (
        '\n\n<div class="plangen-text">\n<p>第一行第二<strong>行</strong>第三行。Then English\nwords</p>\n</div>\n'
    )
    assert escape_site("第一行\n第二行，and\r\nmore  text\u3000end") == "第一行第二行，and more text end"
    assert escape("甲\n乙 *x*") == "甲乙 \\*x\\*"


def test_images_are_links_to_them_and_never_loaded() -> None:
    fragment = site_html("![a chart](https://e.example/c.png) ![](https://e.example/d.png)", 0)
    assert [tag for tag, _ in elements(fragment)].count("img") == 0
    assert links(fragment) == ["https://e.example/c.png", "https://e.example/d.png"]
    assert ">a chart</a>" in fragment and ">https://e.example/d.png</a>" in fragment


def test_body_headings_move_below_the_section_on_the_site_too() -> None:
    assert [tag for tag, _ in elements(site_html("# A\n\n## B\n\n###### C", 2))] == ["div", "h3", "h4", "h6"]


def test_lines_are_counted_as_markdown_it_counts_them() -> None:
    """U+2028 ends a line for str.splitlines but not for markdown-it: a body using it must not
    shift headings and escapes onto the wrong lines, where a ::: block could get out."""
    body = "a\u2028b\u2028c\u2028d\n::: title\nFORGED TITLE\n:::\n```\nx\n```"
    assert demote(body, 1) == "a\u2028b\u2028c\u2028d\n\\::: title\nFORGED TITLE\n\\:::\n```\nx\n```"
    kept = demote("Budget is 500\u2028Budget is 900\nDELETED LINE 123\n=====", 1)
    assert kept == "## Budget is 500\u2028Budget is 900 DELETED LINE 123\n\n"
    assert demote("A\nB\n===\n\ntext", 2) == "### A B\n\n\n\ntext"
