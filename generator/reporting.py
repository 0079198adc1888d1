"""Show problems to people (text), to GitHub Actions (annotations) and to tools (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .errors import Problem

FORMATS = ("text", "github", "json")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(problems: Sequence[Problem], files: int) -> str:
    """``2 errors, 1 warning in 4 plan files``."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'plan file')}"


def as_text(problems: Sequence[Problem], files: int) -> str:
    """Errors first, then warnings, each as ``file:line:column: field: message``."""
    lines = []
    for severity, heading in (("error", "Errors"), ("warning", "Warnings")):
        found = [p for p in problems if p.severity == severity]
        if found:
            lines += [f"{heading}:", *map(str, found)]
    return "\n".join([*lines, summary(problems, files)])


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(problems: Sequence[Problem], files: int) -> str:
    """GitHub Actions workflow commands, which mark the lines in a pull request."""
    lines = []
    for p in problems:
        title = _escape_property(p.field or "plan file")
        where = f"file={_escape_property(p.file)},line={p.line},col={p.column},title={title}"
        lines.append(f"::{p.severity} {where}::{_escape_data(p.message)}")
    return "\n".join([*lines, summary(problems, files)])


def as_json(problems: Sequence[Problem], files: int) -> str:
    errors = sum(p.severity == "error" for p in problems)
    document = {
        "files": files,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "field": p.field,
                "severity": p.severity,
                "message": p.message,
            }
            for p in problems
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def render(problems: Sequence[Problem], files: int, fmt: str) -> str:
    return {"text": as_text, "github": as_github, "json": as_json}[fmt](problems, files)
