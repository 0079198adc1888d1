"""Markdown as the common language of templates and writers.

Templates write Markdown; plan text goes into it through two filters: ``md``
for plain text, which must show exactly as typed (a client named ``*VIP*``
stays ``*VIP*``), and ``markdown`` for the plan's own Markdown bodies, whose
headings are moved below the section they sit in.

Two Markdown engines read the result: markdown-it (CommonMark, raw HTML
switched off) for Word documents, and Python-Markdown inside MkDocs for the
site, which passes raw HTML through and escapes fewer characters. So each
filter comes in a flavour per engine: for the site, ``<``, ``>`` and ``&`` in
plan text become entities, and raw HTML in bodies is shown as text.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

CONTAINERS = ("title", "meta", "toc", "pagebreak", "closing")
"""Blocks a template can mark with ``::: name``; the writers give them their own look."""

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:$])")
# Python-Markdown's escapable characters (with the tables extension's |); <, > and & become entities.
_SITE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# What demote changes: headings (# or underlined with = or -) and ::: lines.
_MAY_NEED_DEMOTING = re.compile(r"#|:::|^[ \t]*(=+|-+)[ \t]*$", re.MULTILINE)


def parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough, raw HTML off, plus plangen's blocks."""
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    return md


PARSER = parser()


def escape(value: Any) -> str:
    """Plain text on one line, every character Markdown could read as markup escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def escape_site(value: Any) -> str:
    """:func:`escape` for Python-Markdown: plain text on one line that shows as typed."""
    text = html.escape(" ".join(str(value).split()), quote=False)
    return _SITE_SPECIAL.sub(r"\\\1", text)


def demote_site(text: Any, depth: int) -> str:
    """:func:`demote` for Python-Markdown: raw HTML outside code is shown as text."""
    return demote(text, depth, neutralise_html=True)


def _entities(line: str) -> str:
    """``<`` outside code spans as an entity, so Python-Markdown sees no HTML."""
    parts = []
    last = 0
    for match in _CODE_SPAN.finditer(line):
        parts.append(line[last : match.start()].replace("<", "&lt;"))
        parts.append(match.group())
        last = match.end()
    parts.append(line[last:].replace("<", "&lt;"))
    return "".join(parts)


def demote(text: Any, depth: int, *, neutralise_html: bool = False) -> str:
    """The plan's Markdown with its headings moved *depth* levels down.

    Lines that would open or close one of plangen's ``:::`` blocks are escaped,
    so a body cannot reach outside its section; with *neutralise_html*, raw
    HTML outside code becomes text.
    """
    text = str(text)
    if _MAY_NEED_DEMOTING.search(text.replace("\r", "\n")) or (neutralise_html and "<" in text):
        return _demote_parsed(text, depth, neutralise_html)
    return "\n".join(text.splitlines())  # most bodies: parsing them would change nothing


def _demote_parsed(text: str, depth: int, neutralise_html: bool) -> str:
    lines = text.splitlines()
    protected: set[int] = set()
    for token in PARSER.parse(text):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("fence", "code_block"):
            protected.update(range(start, end))
        elif token.type == "heading_open":
            level = min(int(token.tag[1]) + depth, 6)
            title = lines[start].lstrip().lstrip("#").strip().rstrip("#").strip()
            lines[start] = "#" * level + " " + title
            if token.markup in ("=", "-"):
                lines[end - 1] = ""
            protected.update(range(start, end))
    for index, line in enumerate(lines):
        if index in protected and not lines[index].startswith("#"):
            continue
        if line.lstrip().startswith(":::"):
            line = line.replace(":::", "\\:::", 1)
        lines[index] = _entities(line) if neutralise_html else line
    return "\n".join(lines)
