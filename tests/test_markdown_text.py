"""Plan text inside generated Markdown: plain text stays text, bodies stay in their section."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it.tree import SyntaxTreeNode

from generator.markdown_text import _demote_parsed, demote, escape, parser

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


@given(st.text(alphabet="#=-:< \t\r\n\u2028a中`>*", max_size=40), st.integers(0, 3), st.booleans())
@example("Title\r===", 1, False)
@example("a\r\n  ---\n", 2, False)
def test_bodies_demote_without_parsing_only_when_parsing_would_change_nothing(
    text: str, depth: int, neutralise_html: bool
) -> None:
    assert demote(text, depth, neutralise_html=neutralise_html) == _demote_parsed(text, depth, neutralise_html)
