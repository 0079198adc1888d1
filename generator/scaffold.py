"""Start things: a new plan file from the starter of its language (``plangen new``),
or a whole plan repository for an organisation (``plangen init``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from .errors import PlangenError
from .model import Language, Span, parse_span, plan_id_problem, resolve_sub_period
from .outputs import write_atomic
from .schema import SCHEMA_FILE, plan_schema_text
from .settings import BUILTIN_TEMPLATES, Project, Settings
from .site_writer import site_config
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
    problem = plan_id_problem(path.stem)
    if problem:
        raise PlangenError(
            f"{display_path(path)}: the file name is the plan id ({problem}); use a name such as "
            "plans/2027/qingyunxi-wangmin.yml"
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


# What `plangen init` writes: repository file → built-in template (rendered when it ends in .j2),
# or the function that writes it for the project.
INIT_FILES: dict[str, str | Callable[[Project], str]] = {
    "plangen.yml": "init/plangen.yml.j2",
    "requirements.txt": "init/requirements.txt.j2",
    "README.md": "init/README.md.j2",
    "mkdocs.yml": site_config,
    ".gitignore": "init/gitignore",
    ".github/workflows/plans.yml": "init/plans.yml",
    ".gitlab-ci.yml": "init/gitlab-ci.yml",
    ".pre-commit-config.yaml": "init/pre-commit-config.yaml",
}
# Built-in template folders `plangen init --with-templates` copies for an organisation to edit.
TEMPLATE_FOLDERS = ("docx", "parts", "site", "labels", "reference", "starter")


def init_project(
    folder: Path,
    *,
    organization: str | None = None,
    language: Language = "zh-CN",
    period: str,
    force: bool = False,
    with_templates: bool = False,
    pdf: bool = False,
) -> list[Path]:
    """Lay out a plan repository in *folder*: settings, a starter plan, site configuration,
    CI for GitHub and GitLab, a pre-commit hook and a README for managers. With *pdf*,
    the settings turn PDFs on (and so the pipelines install LibreOffice).

    Refuses to overwrite any file unless *force*; nothing is written when it refuses.
    """
    settings = Settings(organization=organization, language=language)
    project = Project(folder.resolve(), settings)
    targets = {folder / name: template for name, template in INIT_FILES.items()}
    copies = {}
    if with_templates:
        for name in TEMPLATE_FOLDERS:
            for source in sorted((BUILTIN_TEMPLATES / name).rglob("*")):
                if source.is_file():
                    copies[folder / "templates" / source.relative_to(BUILTIN_TEMPLATES)] = source
    starter = folder / "plans" / period[:4] / "example.yml"
    existing = [p for p in [*targets, *copies, starter] if p.exists()]
    if existing and not force:
        shown = ", ".join(display_path(p) for p in existing)
        raise PlangenError(f"{shown}: already there; plangen init overwrites nothing unless given --force")
    env = environment(BUILTIN_TEMPLATES)
    written = []
    for target, template in targets.items():
        if callable(template):
            write_atomic(target, template(project))
        elif template.endswith(".j2"):
            text = render(
                env, template, organization=organization, language=language, pdf=pdf, version=version("plangen")
            )
            write_atomic(target, text)
        else:
            write_atomic(target, (BUILTIN_TEMPLATES / template).read_bytes())
        written.append(target)
    for target, source in copies.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    if force:
        starter.unlink(missing_ok=True)
    owner = "示例" if language == "zh-CN" else "Example Manager"
    written += new_plan(project, starter, owner=owner, period=period, language=language)
    return written
