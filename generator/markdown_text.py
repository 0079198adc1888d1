"""Markdown as the common language of templates and writers.

Templates write Markdown; plan text goes into it through two filters: ``md``
for plain text, which must show exactly as typed (a client named ``*VIP*``
stays ``*VIP*``), and ``markdown`` for the plan's own Markdown bodies, whose
headings are moved below the section they sit in.

Two Markdown engines read the result: markdown-it (CommonMark, raw HTML
switched off) for Word documents, and Python-Markdown inside MkDocs for the
site, which passes raw HTML through, escapes fewer characters and, with its
extensions (attribute lists), lets text put attributes on elements. So each
filter comes in a flavour per engine. For the site, ``<``, ``>`` and ``&`` in
plain text become entities, and Markdown bodies never reach Python-Markdown:
markdown-it renders them to HTML here and nh3 (the Rust sanitizer ammonia)
keeps only :data:`SITE_TAGS`, so the page gets a block of HTML that
Python-Markdown passes through untouched.

Plan text is untrusted: in both flavours a link is a link only when it goes to
http, https or mailto, and an image is never loaded, only linked to.
"""

from __future__ import annotations

import html
import re
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from .context import WIDE

CONTAINERS = ("title", "meta", "toc", "pagebreak", "closing", "chart")
"""Blocks a template can mark with ``::: name``; the writers give them their own look."""

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:$])")
# Python-Markdown's escapable characters (with the tables extension's |); <, > and & become entities.
_SITE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_NEWLINE = re.compile(r"\r\n?|\n")
_SPACE = re.compile(r"\s+")
_RAW_BLOCK = re.compile(r'^(<div class="plangen-(?:text|chart-box)">\n.*?\n</div>)$', re.MULTILINE | re.DOTALL)
"""A block :func:`site_html` makes, or a chart as charts.bar_chart draws it: neither holds a
``<div>`` of its own (plan text's is escaped), so the first ``</div>`` line ends it."""
# What demote changes: headings (# or underlined with = or -) and ::: lines.
_MAY_NEED_DEMOTING = re.compile(r"#|:::|^[ \t]*(=+|-+)[ \t]*$", re.MULTILINE)


LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)

SITE_TAGS = frozenset(
    {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre", "blockquote",
     "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a"}
)  # fmt: skip
"""The only elements plan Markdown becomes on the site; a link has only href and title."""
_SITE_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}


def safe_link(url: str) -> bool:
    """Whether *url* (as markdown-it normalised it: entities decoded, odd characters
    percent-encoded) may be a link: an explicit http, https or mailto scheme, nothing else."""
    scheme = _SCHEME.match(url)
    return scheme is not None and scheme[1].lower() in LINK_SCHEMES


def parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough, raw HTML off, links only to :data:`LINK_SCHEMES`
    (any other stays text), plus plangen's blocks."""
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.validateLink = safe_link  # type: ignore[method-assign]  # markdown-it-py documents replacing it
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    return md


def _site_parser() -> MarkdownIt:
    """:func:`parser` rendering HTML for the site: an image becomes a link to it, never loaded."""
    md = parser()

    def image(renderer: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        alt = html.escape(renderer.renderInlineAsText(token.children or [], options, env))
        src = html.escape(str(token.attrs["src"]))
        return f'<a href="{src}">{alt or src}</a>'

    def softbreak(renderer: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
        """A line break in a paragraph: none after Chinese, where a browser would show a space."""
        before = next((token.content for token in reversed(tokens[:index]) if token.content), "")
        return "" if before and WIDE.match(before[-1]) else "\n"

    md.add_render_rule("image", image)
    md.add_render_rule("softbreak", softbreak)
    return md


PARSER = parser()
_SITE_PARSER = _site_parser()


def one_line(value: Any) -> str:
    """*value* as text on one line, its lines joined as the Word writer joins those of a
    paragraph: straight on after a Chinese character or full-width mark (a space there would
    show between two characters), else with a space; other runs of spaces become one space."""
    text = str(value).strip()

    def join(space: re.Match[str]) -> str:
        broken = "\n" in space[0] or "\r" in space[0]
        return "" if broken and WIDE.match(text[space.start() - 1]) else " "

    return _SPACE.sub(join, text)


def escape(value: Any) -> str:
    """Plain text on one line (:func:`one_line`), every character Markdown could read as markup escaped."""
    return _SPECIAL.sub(r"\\\1", one_line(value))


def escape_site(value: Any) -> str:
    """:func:`escape` for Python-Markdown: plain text on one line that shows as typed."""
    text = html.escape(one_line(value), quote=False)
    return _SITE_SPECIAL.sub(r"\\\1", text)


def site_html(text: Any, depth: int) -> str:
    """The plan's Markdown as sanitized HTML, headings moved *depth* levels down. A blank
    line comes first, so that Python-Markdown takes it as one raw block and leaves it as
    it is even where a template writes it straight after text."""
    tokens = _SITE_PARSER.parse(str(text))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + depth, 6)}"
    rendered = _SITE_PARSER.renderer.render(tokens, _SITE_PARSER.options, {})
    clean = nh3.clean(
        rendered,
        tags=set(SITE_TAGS),
        attributes={tag: set(names) for tag, names in _SITE_ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
        filter_style_properties={"text-align"},
        link_rel="noopener noreferrer nofollow",
    )
    return f'\n\n<div class="plangen-text">\n{clean.strip()}\n</div>\n'


def in_language(markdown: str, language: str) -> str:
    """Site Markdown marked as in *language* (lang). Its stretches of Markdown go into
    ``<div lang markdown>`` (md_in_html), which Python-Markdown reads as Markdown; the
    blocks of :func:`site_html` and the charts stay outside those and are marked themselves,
    since inside one Python-Markdown would take them apart and run its tree processors
    (attr_list, toc) over plan text, where now it leaves them as they are."""
    lang = html.escape(language)
    parts = _RAW_BLOCK.split(markdown)  # Markdown, a raw block, Markdown, …
    for index, part in enumerate(parts):
        if index % 2:
            parts[index] = part.replace('">', f'" lang="{lang}">', 1)
        elif text := part.strip("\n"):
            parts[index] = f'\n\n<div lang="{lang}" markdown>\n\n{text}\n\n</div>\n\n'
    return "".join(parts)


def demote(text: Any, depth: int) -> str:
    """The plan's Markdown with its headings moved *depth* levels down.

    Lines that would open or close one of plangen's ``:::`` blocks are escaped,
    so a body cannot reach outside its section.
    """
    text = str(text)
    if _MAY_NEED_DEMOTING.search(text.replace("\r", "\n")):
        return _demote_parsed(text, depth)
    return "\n".join(_lines(text))  # most bodies: parsing them would change nothing


def _lines(text: str) -> list[str]:
    """*text*'s lines as markdown-it counts them: only \n, \r\n and \r end one (str.splitlines
    also ends lines at U+2028 and others, so token line numbers would point elsewhere)."""
    return _NEWLINE.split(text.removesuffix("\n").removesuffix("\r")) if text else []


def _demote_parsed(text: str, depth: int) -> str:
    lines = _lines(text)
    protected: set[int] = set()
    for token in PARSER.parse(text):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("fence", "code_block"):
            protected.update(range(start, end))
        elif token.type == "heading_open":
            level = min(int(token.tag[1]) + depth, 6)
            if token.markup in ("=", "-"):  # underlined: the text may run over several lines
                title = " ".join(line.strip() for line in lines[start : end - 1])
                lines[start:end] = [""] * (end - start)
            else:
                title = lines[start].lstrip().lstrip("#").strip().rstrip("#").strip()
            lines[start] = "#" * level + " " + title
            protected.update(range(start, end))
    for index, line in enumerate(lines):
        if index not in protected and line.lstrip().startswith(":::"):
            lines[index] = line.replace(":::", "\\:::", 1)
    return "\n".join(lines)
