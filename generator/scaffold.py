"""Start things: a new plan file from the starter of its language (``plangen new``),
or a whole plan repository for an organisation (``plangen init``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from .context import chinese_number, format_date, format_span
from .errors import PlangenError
from .i18n import N_, _
from .install import constraints, source, wheel
from .model import Language, Span, parse_span, plan_id_problem, resolve_sub_period, written_in
from .outputs import write_atomic
from .schema import SCHEMA_FILE, plan_schema_text
from .settings import BUILTIN_TEMPLATES, Project, Publish, Settings
from .site_writer import site_config
from .templating import environment, render
from .yaml_source import display_path

STARTER_TARGET = 40
FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a starter plan may be for, as the schema's year allows: a year such as 999 is a
slip, and the starter's dates would not read back as a period."""


def starter_milestones(span: Span, language: Language = "en") -> dict[str, int]:
    """Quarterly milestones towards the starter goal, or one at the end of a short period,
    keyed as a plan of *language* writes them (Q1 or 一季度, 2027-05-31 or 2027年5月31日)."""
    quarters = [q for q in range(1, 5) if resolve_sub_period(f"Q{q}", span) in span]
    if span.start.year == span.end.year and quarters:
        keys = [f"{chinese_number(q)}季度" if language == "zh-CN" else f"Q{q}" for q in quarters]
    else:
        keys = [format_date(span.end, language) if language == "zh-CN" else span.end.isoformat()]
    return {key: STARTER_TARGET * (n + 1) // len(keys) for n, key in enumerate(keys)}


def period_text(span: Span, language: Language) -> str:
    """*span* as a plan of *language* writes it: 2027年上半年 or 2027-H1."""
    return format_span(span, language) if language == "zh-CN" else span.text


def default_title(owner: str, span: Span, language: Language) -> str:
    if language == "zh-CN":
        return f"{owner}{period_text(span, language)}工作计划"
    return f"Work plan {span.text}: {owner}"


def read_period(text: str, language: Language) -> Span:
    """The period a manager typed (2027, 2027-H1, 2027年上半年); a ValueError says which
    forms a plan in *language* takes."""
    with written_in(language):
        span = parse_span(int(text) if text.strip().isdigit() else text)
    if not (span.start.year >= FIRST_YEAR and span.end.year <= LAST_YEAR):
        raise ValueError(
            _("a plan's period lies between the years {first} and {last}, not in {year}").format(
                first=FIRST_YEAR, last=LAST_YEAR, year=span.start.year
            )
        )
    return span


def _plan_period(text: str, language: Language) -> Span:
    try:
        return read_period(text, language)
    except ValueError as exc:
        raise PlangenError(_("period: {problem}").format(problem=exc)) from None


def plan_path_problem(path: Path) -> str | None:
    """Why a new plan cannot be written at *path*, if it cannot: its name is the plan id."""
    file = display_path(path)
    if path.suffix not in (".yml", ".yaml"):
        return _("{file}: a plan file name must end in .yml").format(file=file)
    problem = plan_id_problem(path.stem)
    if problem:
        message = _("{file}: the file name is the plan id ({problem}); use a name such as plans/2027/wangmin.yml")
        return message.format(file=file, problem=problem)
    if os.path.lexists(path):
        return _already_there(path)
    return None


def _already_there(path: Path) -> str:
    return _("{file} already exists; plangen new never overwrites a file").format(file=display_path(path))


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
    problem = plan_path_problem(path)
    if problem:
        raise PlangenError(problem)
    language = language or project.settings.language
    span = _plan_period(period, language)
    schema = project.plans_dir / SCHEMA_FILE
    text = render(
        environment(project.templates_dir),
        f"starter/{language}.yml.j2",
        title=title or default_title(owner, span, language),
        owner=owner,
        unit=unit,
        period=int(span.text) if span.text.isdigit() and language == "en" else period_text(span, language),
        first_month=period_text(parse_span(f"{span.start.year:04d}-{span.start.month:02d}"), language),
        target=STARTER_TARGET,
        milestones=starter_milestones(span, language),
        schema=Path(os.path.relpath(schema, path.parent.resolve())).as_posix(),
    )
    try:
        write_atomic(path, text, exclusive=True)
    except FileExistsError:
        raise PlangenError(_already_there(path)) from None
    written = [path]
    if not schema.exists():
        write_atomic(schema, plan_schema_text(project.settings.language))
        written.append(schema)
    return written


# What `plangen init` writes: repository file → built-in template (rendered when it ends in .j2),
# or the function that writes it for the project.
INIT_FILES: dict[str, str | Callable[[Project], str]] = {
    "plangen.yml": "init/plangen.yml.j2",
    "requirements.txt": "init/requirements.txt.j2",
    "constraints.txt": lambda project: constraints(),
    "README.md": "init/README.md.j2",
    "mkdocs.yml": site_config,
    ".gitignore": "init/gitignore",
    ".github/workflows/plans.yml": "init/plans.yml",
    ".gitlab-ci.yml": "init/gitlab-ci.yml",
    ".pre-commit-config.yaml": "init/pre-commit-config.yaml.j2",
}
HOOK = "vendor/plangen-hook.py"
"""The pre-commit hook's plangen, beside the vendored wheel it installs (templates/init/plangen-hook.py)."""
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
    plangen_spec: str | None = None,
    publish: Publish = "artifact",
) -> list[Path]:
    """Lay out a plan repository in *folder*: settings, a starter plan, site configuration,
    CI for GitHub and GitLab, a pre-commit hook and a README for managers. With *pdf*,
    the settings turn PDFs on (and so the pipelines install LibreOffice); *publish* is where
    the pipelines put the site (site.publish).

    The pipelines and the hook install plangen as *plangen_spec* says (a pip requirement),
    or else from the wheel of this plangen, written into vendor/; constraints.txt fixes the
    versions of its dependencies as installed here.

    Refuses to overwrite any file unless *force*; nothing is written when it refuses.
    """
    settings = Settings(organization=organization, language=language)
    project = Project(folder.resolve(), settings)
    plangen = source(plangen_spec)
    targets = {folder / name: template for name, template in INIT_FILES.items()}
    copies = {}
    if with_templates:
        for name in TEMPLATE_FOLDERS:
            for source_file in sorted((BUILTIN_TEMPLATES / name).rglob("*")):
                if source_file.is_file():
                    copies[folder / "templates" / source_file.relative_to(BUILTIN_TEMPLATES)] = source_file
    vendored = [folder / plangen.wheel, folder / HOOK] if plangen.wheel else []
    starter = folder / "plans" / str(_plan_period(period, language).start.year) / "example.yml"
    existing = [p for p in [*targets, *copies, *vendored, starter] if p.exists()]
    if existing and not force:
        shown = ", ".join(display_path(p) for p in existing)
        raise PlangenError(
            _("{files}: already there; plangen init overwrites nothing unless given --force").format(files=shown)
        )
    env = environment(BUILTIN_TEMPLATES)
    values = {"organization": organization, "language": language, "pdf": pdf, "publish": publish, "source": plangen}
    contents: dict[Path, str | bytes] = {}
    for target, template in targets.items():
        if callable(template):
            contents[target] = template(project)
        elif template.endswith(".j2"):
            contents[target] = render(env, template, **values, version=version("plangen"))
        else:
            contents[target] = (BUILTIN_TEMPLATES / template).read_bytes()
    contents |= {target: source_file.read_bytes() for target, source_file in copies.items()}
    if plangen.wheel:
        contents[folder / plangen.wheel] = wheel()
        contents[folder / HOOK] = (BUILTIN_TEMPLATES / "init" / "plangen-hook.py").read_bytes()
    for target, data in contents.items():  # all made first: a template or the wheel that fails writes nothing
        write_atomic(target, data)
    if force:
        starter.unlink(missing_ok=True)
    owner = "示例" if language == "zh-CN" else "Example Manager"
    return [*contents, *new_plan(project, starter, owner=owner, period=period, language=language)]


PUBLISHED = {
    "github-pages": N_(
        "site.publish is github-pages: every push to the default branch publishes the site, with every "
        "plan's clients and the Word documents, on GitHub Pages, which is public on the internet unless "
        "your organisation's GitHub plan has private Pages and the repository's Pages visibility is set "
        "to private. Set the repository's Pages source to 'GitHub Actions' (Settings > Pages) before the "
        "first push."
    ),
    "gitlab-pages": N_(
        "site.publish is gitlab-pages: every push to the default branch publishes the site, with every "
        "plan's clients and the Word documents, on GitLab Pages. Before the first push, set the project's "
        "Pages access control to 'Only project members' (Settings > General > Visibility, project features, "
        "permissions > Pages; on your own GitLab server an administrator turns access control on first), "
        "or the site is public."
    ),
}
"""Who can read the site where site.publish has the pipelines publish it."""


def publish_warning(publish: Publish) -> str | None:
    """What a team must know before its pipelines publish the site, which names every plan's
    clients, where *publish* says they do."""
    if publish not in PUBLISHED:
        return None
    message = _(
        "{published} So plangen.yml has site: {{redact: true}}, which leaves key account names, contact "
        "details and colleagues' names out of the site and its downloads; turn it off only if everyone "
        "who can read the site may see them."
    )
    return message.format(published=_(PUBLISHED[publish]))
