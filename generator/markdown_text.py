"""Markdown as the common language of templates and writers.

Templates write Markdown; plan text goes into it through two filters: ``md``
for plain text, which must show exactly as typed (a client named ``*VIP*``
stays ``*VIP*``), and ``markdown`` for the plan's own Markdown bodies, whose
headings are moved below the section they sit in. Raw HTML is never
interpreted (the parser has it switched off), so it shows as text.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

CONTAINERS = ("title", "meta", "toc", "pagebreak", "closing")
"""Blocks a template can mark with ``::: name``; the writers give them their own look."""

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:$])")


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


def demote(text: Any, depth: int) -> str:
    """The plan's Markdown with its headings moved *depth* levels down.

    Lines that would open or close one of plangen's ``:::`` blocks are escaped,
    so a body cannot reach outside its section.
    """
    lines = str(text).splitlines()
    protected: set[int] = set()
    for token in PARSER.parse(str(text)):
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
        if index not in protected and line.lstrip().startswith(":::"):
            lines[index] = line.replace(":::", "\\:::", 1)
    return "\n".join(lines)
