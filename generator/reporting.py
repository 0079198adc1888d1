"""Show problems to people (text), to GitHub Actions (annotations) and to tools (JSON)."""

from __future__ import annotations

import hashlib
import json

from .i18n import _, ngettext
from .loading import LoadResult

FORMATS = ("text", "github", "gitlab", "json")


def summary(result: LoadResult) -> str:
    """``2 errors, 1 warning in 4 plan files``: three counts, each with its own plural, in
    one sentence."""
    errors, warnings, files = len(result.errors), len(result.warnings), result.files
    return _("{errors}, {warnings} in {files}").format(
        errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
        files=ngettext("{count} plan file", "{count} plan files", files).format(count=files),
    )


def as_text(result: LoadResult) -> str:
    """Errors first, then warnings, each as ``file:line:column: field: message``."""
    lines = []
    for heading, found in ((_("Errors:"), result.errors), (_("Warnings:"), result.warnings)):
        if found:
            lines += [heading, *map(str, found)]
    lines.append(summary(result))
    if result.unchecked:
        message = ngettext(
            "Parts with format errors are not yet cross-checked (client totals, goal references, dates in the "
            "period) in {count} file; fix them and validate again.",
            "Parts with format errors are not yet cross-checked (client totals, goal references, dates in the "
            "period) in {count} files; fix them and validate again.",
            result.unchecked,
        )
        lines.append(message.format(count=result.unchecked))
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(result: LoadResult) -> str:
    """GitHub Actions workflow commands, which mark the lines in a pull request."""
    lines = []
    for p in result.problems:
        title = _escape_property(p.field or _("plan file"))
        where = f"file={_escape_property(p.file)},line={p.line},col={p.column},title={title}"
        lines.append(f"::{p.severity} {where}::{_escape_data(p.message)}")
    return "\n".join([*lines, summary(result)])


def as_json(result: LoadResult) -> str:
    document = {
        "files": result.files,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "unchecked": result.unchecked,
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "field": p.field,
                "severity": p.severity,
                "message": p.message,
            }
            for p in result.problems
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def as_gitlab(result: LoadResult) -> str:
    """A GitLab code-quality report (Code Climate issues), which marks the lines in a merge request."""
    issues = [
        {
            "description": f"{p.field}: {p.message}" if p.field else p.message,
            "check_name": "plangen",
            "fingerprint": hashlib.sha1(f"{p.file}:{p.line}:{p.column}:{p.message}".encode()).hexdigest(),
            "severity": "major" if p.severity == "error" else "minor",
            "location": {"path": p.file, "lines": {"begin": p.line}},
        }
        for p in result.problems
    ]
    return json.dumps(issues, ensure_ascii=False, indent=2)


def render(result: LoadResult, fmt: str) -> str:
    return {"text": as_text, "github": as_github, "gitlab": as_gitlab, "json": as_json}[fmt](result)
