"""Start a new plan file from the starter template of its language."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import PlangenError
from .model import SLUG_PATTERN, Language, Span, parse_span, resolve_sub_period
from .outputs import write_atomic
from .schema import SCHEMA_FILE, plan_schema_text
from .settings import Project
from .templating import environment, render
from .yaml_source import display_path

STARTER_TARGET = 40


def starter_milestones(span: Span) -> dict[str, int]:
    """Quarterly milestones towards the starter goal, or one at the end of a short period."""
    quarters = [f"Q{q}" for q in range(1, 5) if resolve_sub_period(f"Q{q}", span) in span]
    keys = quarters if span.start.year == span.end.year and quarters else [span.end.isoformat()]
    return {key: STARTER_TARGET * (n + 1) // len(keys) for n, key in enumerate(keys)}


def default_title(owner: str, period: str, language: Language) -> str:
    if language == "zh-CN":
        return f"{owner}{period}{'年' if period.isdigit() else ''}工作计划"
    return f"Work plan {period}: {owner}"


def new_plan(
    project: Project,
    path: Path,
    *,
    owner: str,
    period: str,
    language: Language | None = None,
    unit: str | None = None,
    title: str | None = None,
) -> list[Path]:
    """Write a starter plan at *path* and return the files written.

    The plan's editor hints point at the project's JSON Schema, which is
    written too when the project has none yet. Never overwrites a file.
    """
    if path.suffix not in (".yml", ".yaml"):
        raise PlangenError(f"{display_path(path)}: a plan file name must end in .yml")
    if not re.match(SLUG_PATTERN, path.stem):
        raise PlangenError(
            f"{display_path(path)}: the file name is the plan id, so use lowercase letters, digits, "
            "'-' and '_', e.g. plans/2027/qingyunxi-wangmin.yml"
        )
    try:
        span = parse_span(int(period) if period.strip().isdigit() else period)
    except ValueError as exc:
        raise PlangenError(f"period: {exc}") from None
    language = language or project.settings.language
    schema = project.plans_dir / SCHEMA_FILE
    text = render(
        environment(project.templates_dir),
        f"starter/{language}.yml.j2",
        title=title or default_title(owner, span.text, language),
        owner=owner,
        unit=unit,
        period=int(span.text) if span.text.isdigit() else span.text,
        first_month=f"{span.start.year}-{span.start.month:02d}",
        target=STARTER_TARGET,
        milestones=starter_milestones(span),
        schema=Path(os.path.relpath(schema, path.parent.resolve())).as_posix(),
    )
    try:
        write_atomic(path, text, exclusive=True)
    except FileExistsError:
        raise PlangenError(f"{display_path(path)} already exists; plangen new never overwrites a file") from None
    written = [path]
    if not schema.exists():
        write_atomic(schema, plan_schema_text())
        written.append(schema)
    return written
