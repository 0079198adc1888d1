"""The ``plangen`` command: a thin Click layer over the library.

Commands parse options, call the library and print; errors are PlangenError
(a ClickException), which Click shows as a message with exit code 1. Bad
command-line usage exits with 2.

The writers (python-docx, Jinja, MkDocs) are imported by the commands that
use them: `plangen validate` runs in every commit's pre-commit hook, and
importing them would make it half as slow again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import inspect
import os
import platform
import re
import sys
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import click

from .context import WIDE, WIDE_CHARACTERS, half_widths
from .errors import PlangenError
from .i18n import LANGUAGES, N_, Language, _, choose_language, language, language_of, ngettext, speaking
from .loading import LoadResult, load_plans
from .outputs import write_chosen
from .reporting import FORMATS, render
from .schema import format_reference, plan_schema_text
from .settings import SETTINGS_FILE, Project, Publish, find_root, open_project, setting_text
from .yaml_source import display_path, read_source

if TYPE_CHECKING:  # build.py is imported only by the commands that build: it is slow to load
    from .build import BuildResult

_WORD = re.compile(rf"[{WIDE_CHARACTERS}]|[^\s{WIDE_CHARACTERS}]+|\s+")
"""What a line of help text may break after: a Chinese character, a word, a space."""
_NO_LINE_START = frozenset("，。、；：！？）》」』”’")
_NO_LINE_END = frozenset("（《「『“‘")


def _wrapped(text: str, width: int) -> str:
    """*text* with its paragraphs that hold Chinese broken into lines of at most *width*
    columns and marked for Click to keep as they are: Click counts characters, which makes
    lines of Chinese twice too wide."""
    paragraphs = text.split("\n\n")
    for index, paragraph in enumerate(paragraphs):
        if not WIDE.search(paragraph) or paragraph.lstrip().startswith("\b"):
            continue
        lines: list[list[str]] = [[]]
        for token in _WORD.findall(" ".join(paragraph.split())):
            line = lines[-1]
            if line and not token.isspace() and half_widths("".join([*line, token])) > width:
                cut = _break(line, token)
                lines[-1:] = [line[:cut], line[cut:]]
            lines[-1].append(token)
        paragraphs[index] = "\n".join(["\b", *("".join(line).strip() for line in lines)])
    return "\n\n".join(paragraphs)


def _break(line: list[str], token: str) -> int:
    """Where *line* breaks when *token* does not fit on it: at its end, or before the words
    that go with *token* (a closing mark starts no line) or with what follows (an opening
    mark ends none)."""
    cut = len(line)
    while cut > 1:
        first = next(word for word in [*line[cut:], token] if not word.isspace())
        last = next((word for word in reversed(line[:cut]) if not word.isspace()), "")
        if first not in _NO_LINE_START and last not in _NO_LINE_END:
            break
        cut -= 1
    return cut


class _Day(click.ParamType):  # type: ignore[type-arg]  # generic from Click 8.2 on, not before
    """A date on the command line, written as in a plan: 2027-07-15 or 2027年7月15日."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from .model import read_date

        try:
            return read_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class _Formatter(click.HelpFormatter):
    """Click's help layout, with lines of Chinese as wide on screen as lines of English."""

    def write_text(self, text: str) -> None:
        super().write_text(_wrapped(text, self.width - self.current_indent))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(click.formatting.measure_table(rows)[0], col_max) + col_spacing
        width = max(self.width - first - 2, 10)  # what Click leaves the second column
        super().write_dl([(term, _wrapped(text, width)) for term, text in rows], col_max, col_spacing)


class _Context(click.Context):
    formatter_class = _Formatter


class _Command(click.Command):
    context_class = _Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """Click's --help, whose help text Click keeps from the first time it is made."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


class _Group(_Command, click.Group):
    command_class = _Command

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        """Run a command in the language its reader speaks (see plangen.i18n), which must be
        known before Click parses anything, as --help prints while parsing."""
        args = list(sys.argv[1:] if args is None else args)
        with speaking(choose_language(_option(args, "--lang"), _project_language(args), os.environ)):
            _translate_texts(self)
            return super().main(args, *rest, **options)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; with -C, in the project folder, as ``git -C`` does, so that paths on
        the command line (plangen -C team new plans/2027/x.yml) are the project's."""
        project = ctx.params.get("project")
        if project is not None:
            ctx.params["project"] = project = project.resolve()
        try:
            with contextlib.chdir(project) if project is not None else contextlib.nullcontext():
                return super().invoke(ctx)
        except OSError as exc:
            reason = _(_OS_REASONS[exc.errno]) if exc.errno in _OS_REASONS else exc.strerror or str(exc)
            raise PlangenError(f"{exc.filename}: {reason}" if exc.filename else reason) from None


_OS_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EEXIST: N_("something of that name is already there"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOTDIR: N_("part of the path is a file, not a folder"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.ELOOP: N_("too many levels of symbolic links"),
}
"""What the operating system most often says when a file cannot be read or written, in
words that can be translated: its own words are in its language, English on most servers."""


_GROUP_VALUES = ("-C", "--project", "--lang")
"""The group's options that take a value: the word after each is its value, not the command."""


def _option(args: list[str], *names: str, command: bool = False) -> str | None:
    """The value of the first option named *names* among the group's own *args* (those before
    the command), or with *command* among a command's own (those after its name), as Click will
    read it."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--" or not (command or arg.startswith("-")):
            return None  # the command, or the end of the options: what follows is not an option
        for name in names:
            if arg == name and index + 1 < len(args):
                return args[index + 1]
            if arg.startswith(name + "=") and name.startswith("--"):
                return arg[len(name) + 1 :]
        index += 2 if not command and arg in _GROUP_VALUES else 1
    return None


def _command(args: list[str]) -> list[str]:
    """The command's name and its own arguments among *args*, after the group's options."""
    index = 0
    while index < len(args) and args[index].startswith("-") and args[index] != "--":
        index += 2 if args[index] in _GROUP_VALUES else 1
    return args[index:]


def _project_language(args: list[str]) -> Language | None:
    """The language in the settings of the project the command works on, if they say; a
    settings file that cannot be read says nothing here (the command reports it). For
    ``plangen init --language``, the language of the project it lays out."""
    command = _command(args)
    if command[:1] == ["init"] and (given := language_of(_option(command[1:], "--language", command=True))):
        return given
    folder = _option(args, "-C", "--project")
    data = read_source(find_root(Path(folder or ".")) / SETTINGS_FILE, SETTINGS_FILE, empty={}).data
    value = data.get("language") if isinstance(data, dict) else None
    return language_of(value) if isinstance(value, str) else None


_ORIGINALS: dict[tuple[int, str], Any] = {}
_TYPE_NAMES = (N_("file"), N_("directory"), N_("path"), N_("integer range"))
"""The names of Click's parameter types that Click's messages use ("File 'x' does not exist.",
"'a' is not a valid integer range."): Click sets them, in English, when a type is made."""


def _translate_texts(command: click.Command) -> None:
    """Put the help texts, prompts and shown defaults of *command* and its subcommands, and
    the type names Click's messages use, written in English, in the language in use."""
    params: list[Any] = [command, *command.params]
    for item in params:
        for attribute in ("help", "short_help", "prompt", "show_default"):
            text = _ORIGINALS.setdefault((id(item), attribute), getattr(item, attribute, None))
            if isinstance(text, str) and text:
                setattr(item, attribute, _(inspect.cleandoc(text)))
    for param in command.params:
        name = _ORIGINALS.setdefault((id(param.type), "name"), param.type.name)
        if name in _TYPE_NAMES:
            if isinstance(param, click.Option) and param.metavar is None:
                param.metavar = name.upper()  # as Click makes it: the help texts name it, in English
            param.type.name = _(name)
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            _translate_texts(subcommand)


def _root(ctx: click.Context) -> Path:
    """The folder of the project the command works on."""
    root: Path = ctx.find_root().params["project"] or find_root(Path.cwd())
    return root


def _project(ctx: click.Context) -> Project:
    return open_project(_root(ctx))


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Click's --version (whose message Click would fix in English when the option is made), and
    the versions of what plangen found to work with, which a bug report needs."""
    if not value or ctx.resilient_parsing:
        return
    from .office import find_soffice, libreoffice_version

    click.echo(_("%(prog)s, version %(version)s") % {"prog": "plangen", "version": version("plangen")})
    click.echo(f"Python {platform.python_version()} ({sys.executable})")
    click.echo(f"MkDocs {version('mkdocs')}, Material {version('mkdocs-material')}, Pagefind {version('pagefind')}")
    program = find_soffice()
    if program is None:
        click.echo(_("LibreOffice: not found (only PDF export needs it)"))
    else:
        click.echo(f"{libreoffice_version(program)} ({program})")
    try:
        click.echo(f"pypdf {version('pypdf')}")
    except PackageNotFoundError:
        click.echo(_('pypdf: not installed (only PDF export needs it: pip install "plangen[pdf]")'))
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help=N_("Show the version and exit."),
)
@click.option(
    "-C",
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help=N_(
        "Project folder, where the command runs (as with git -C: paths after it are the project's). "
        "Default: the nearest folder holding plangen.yml, else the current one."
    ),
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    expose_value=False,
    help=N_(
        "Language of plangen's messages. Default: the LANGUAGE or LC_MESSAGES environment variable, "
        "else the project's language."
    ),
)
def main(project: Path | None) -> None:
    """plangen: customer managers' work plans as YAML, checked and rendered.

    Plans live as YAML files under plans/ (any depth). Start one with
    'plangen new', check them with 'plangen validate'.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any warning).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, github for GitHub Actions annotations, gitlab for a GitLab code-quality report, "
    "json for other tools.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report in --format to this file and print the text report.",
)
@click.option(
    "--today",
    type=_Day(),
    help="The date milestones are checked as of: one passed without an actual is warned of (default: today).",
)
@click.pass_context
def validate(
    ctx: click.Context, paths: tuple[Path, ...], strict: bool, fmt: str, report: Path | None, today: Any
) -> None:
    """Check plan files and report every problem with file:line:column.

    PATHS are plan files or folders to search (default: the project's plan
    folder). Exits 1 when any plan has an error (or, with --strict, a warning).
    """
    project = _project(ctx)
    result = load_plans(project, paths, today=today or dt.date.today())
    if report is None:
        click.echo(render(result, fmt))
    else:
        write_chosen(report, render(result, fmt) + "\n", project.root)
        click.echo(render(result, "text"))
    if result.errors or (strict and result.warnings):
        ctx.exit(1)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--markdown", is_flag=True, help="Give the format reference as Markdown tables instead.")
@click.pass_context
def schema(ctx: click.Context, output: Path | None, markdown: bool) -> None:
    """Print the JSON Schema of plan files (for editors), or write it with -o."""
    text = format_reference() if markdown else plan_schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        write_chosen(output, text, _root(ctx))
        click.echo(_("wrote {file}").format(file=display_path(output)), err=True)


@main.command()
@click.argument("key")
@click.pass_context
def setting(ctx: click.Context, key: str) -> None:
    """Print one setting as plangen sees it (default filled in), e.g. docx.pdf.

    Text is printed as it is, anything else as JSON (true, 8, null), so that
    scripts and CI pipelines can read it.
    """
    click.echo(setting_text(_project(ctx).settings, key))


def _plan_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """PATH as given, or asked for (again, until it can be a new plan's) when it was not."""
    from .scaffold import plan_path_problem

    if value is not None:
        problem = plan_path_problem(value)
        if problem:
            raise PlangenError(problem)
        return value

    def checked(answer: str) -> Path:
        path = Path(answer.strip())
        problem = plan_path_problem(path)
        if problem:
            raise click.UsageError(problem)
        return path

    return click.prompt(_("Plan file, e.g. plans/2027/wangmin.yml"), value_proc=checked)


def _owner(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.strip():
        raise click.BadParameter(_("write the owner's name, e.g. 王敏"))
    return value.strip()


def _period(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The period, if a plan can cover it: a bad answer is asked again, a bad option is an error."""
    from .scaffold import read_period

    try:
        read_period(value, ctx.params.get("language") or _project(ctx).settings.language)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path), callback=_plan_path)
@click.option("--owner", prompt=N_("Owner's name"), callback=_owner, help=N_("The plan owner's name."))
@click.option(
    "--period",
    prompt=N_("Period (2027, 2027-H1, 2027-Q2, 2027-03)"),
    default=lambda: str(dt.date.today().year + 1),
    callback=_period,
    help=N_("The period: a year, half, quarter or month. Default: next year."),
)
@click.option("--language", type=click.Choice(["zh-CN", "en"]), help=N_("Plan language. Default: the project's."))
@click.option("--unit", help=N_("Team, branch or district."))
@click.option("--title", help=N_("Plan title. Default: made from owner and period."))
@click.pass_context
def new(
    ctx: click.Context, path: Path, owner: str, period: str, language: Any, unit: str | None, title: str | None
) -> None:
    """Start a new plan file at PATH (e.g. plans/2027/wangmin.yml) from a starter.

    The file name, without .yml, is the plan's id; a name in Chinese
    characters is fine. Asks for PATH, the owner and the period when they are
    not given, and again after an answer it cannot use. An existing file is
    never overwritten.
    """
    from .scaffold import new_plan

    written = new_plan(_project(ctx), path, owner=owner, period=period, language=language, unit=unit, title=title)
    for file in written:
        click.echo(_("wrote {path}").format(path=display_path(file)))


def _revision(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A git revision as typed: one git would take for an option, or an empty one, is a usage error."""
    from .history import revision_problem

    if value is not None and (problem := revision_problem(value)):
        raise click.BadParameter(problem)
    return value


def _build_options(command: Any) -> Any:
    command = click.argument("plans", nargs=-1, type=click.Path(exists=True, path_type=Path))(command)
    command = click.option(
        "-o",
        "--output",
        type=click.Path(file_okay=False, path_type=Path),
        help="Output folder (default: the project's, out/).",
    )(command)
    return click.pass_context(command)


_pdf_option = click.option(
    "--pdf/--no-pdf",
    default=None,
    help="Also export a PDF of each plan, with page numbers in the contents (needs LibreOffice). "
    "Default: as the docx.pdf setting says (off).",
)
_jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default=N_("number of CPUs"),
    help="Render this many documents at once (and, with --pdf, run this many LibreOffice processes).",
)
_force_option = click.option("--force", is_flag=True, help="Render every document, not just the ones out of date.")
_today_option = click.option(
    "--today",
    type=_Day(),
    help="The date the site's goals stand as of and its 'coming up' list counts from (default: today), "
    "for reproducible sites.",
)


def _progress(number: int, total: int, path: Path) -> None:
    click.echo(f"[{number}/{total}] {display_path(path)}", err=True)


def _show_problems(load: LoadResult) -> None:
    if load.problems:
        click.echo(render(load, "text"), err=True)


def _waiting() -> None:
    click.echo(_("Another plangen build is writing the outputs; waiting for it to finish…"), err=True)


def _show_outputs(result: BuildResult) -> None:
    """What a build says besides its documents: its warnings, the plans it left out (only
    reviews leave any), then its PDFs."""
    for warning in result.warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)
    for skipped in result.skipped:
        click.echo(_("not reviewed: {reason}").format(reason=skipped), err=True)
    if result.pdfs:
        pdfs = ngettext("{count} PDF in {folder}", "{count} PDFs in {folder}", len(result.pdfs))
        click.echo(pdfs.format(count=len(result.pdfs), folder=display_path(result.pdfs[0].parent)), err=True)


def _build(ctx: click.Context, plans: tuple[Path, ...], output: Path | None, **parts: Any) -> None:
    today = parts.pop("today", None)
    from .build import build as build_outputs

    result = build_outputs(
        _project(ctx),
        plans,
        output,
        today=today,
        progress=_progress,
        on_loaded=_show_problems,
        waiting=_waiting,
        **parts,
    )
    load = result.load
    _show_outputs(result)
    if parts.get("docx", True):
        count, fresh = len(result.documents), len(result.documents) - result.rendered
        summary = _("{count} of {files} plans have a document ({written} written, {fresh} up to date)")
        click.echo(summary.format(count=count, files=load.files, written=result.rendered, fresh=fresh), err=True)
    if result.site:
        built = _("site built in {folder} ({plans} of {files} plans)")
        click.echo(built.format(folder=display_path(result.site), plans=len(load.plans), files=load.files), err=True)
    if load.errors:
        ctx.exit(1)


@main.command()
@_build_options
@_pdf_option
@_jobs_option
@_force_option
@click.option(
    "--changes-since",
    metavar="REV",
    callback=_revision,
    help=N_(
        "End each document with revision notes: a table of the plan's changes since this git "
        "revision, such as the commit it was submitted in (see 'plangen changes')."
    ),
)
def docx(
    ctx: click.Context,
    plans: tuple[Path, ...],
    output: Path | None,
    pdf: bool | None,
    jobs: int,
    force: bool,
    changes_since: str | None,
) -> None:
    """Render plans to Word documents, one <output>/docx/<plan id>.docx per plan.

    PLANS are plan files or folders (default: all). Invalid plans are reported
    as 'plangen validate' reports them and are not rendered; the others are.
    Exits 1 when any plan was invalid. Only documents whose plan, templates,
    reference documents or settings changed are rendered again (--force: all).
    """
    _build(ctx, plans, output, pdf=pdf, jobs=jobs, force=force, changes_since=changes_since)


def _review_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and ctx.params.get("as_of") is not None:
        raise click.UsageError(_("give --as-of or --period, not both"))
    return value


@main.command()
@_build_options
@click.option(
    "--as-of",
    type=_Day(),
    is_eager=True,
    help=N_("The date the review stands as of (default: today)."),
)
@click.option(
    "--period",
    metavar="PERIOD",
    callback=_review_date,
    help=N_(
        "Review this period of the plans instead (2027-Q2, 2027-H1, 2027-06): as of its last day, "
        "with the account written for it."
    ),
)
@_pdf_option
@_jobs_option
@_force_option
def review(
    ctx: click.Context,
    plans: tuple[Path, ...],
    output: Path | None,
    as_of: Any,
    period: str | None,
    pdf: bool | None,
    jobs: int,
    force: bool,
) -> None:
    """Render each plan's review, one <output>/review/<plan id>.docx per plan.

    The review shows, as of a date, each goal's latest actual against its
    milestone (ahead, on track, behind or no data), the actuals missing, the
    activities done, the training hours delivered and the manager's own
    account of each period (reviews: in the plan). PLANS are plan files or
    folders (default: all). Plans whose period does not hold --period are
    named and left out. Only reviews out of date are rendered (--force: all).
    """
    from .build import build_reviews
    from .review import review_date

    when = review_date(as_of, period)
    result = build_reviews(
        _project(ctx),
        plans,
        output,
        when=when,
        pdf=pdf,
        jobs=jobs,
        force=force,
        progress=_progress,
        on_loaded=_show_problems,
        waiting=_waiting,
    )
    _show_outputs(result)
    count, fresh = len(result.documents), len(result.documents) - result.rendered
    summary = _("{count} of {files} plans have a review as of {date} ({written} written, {fresh} up to date)")
    click.echo(
        summary.format(
            count=count, files=result.load.files, date=when.day.isoformat(), written=result.rendered, fresh=fresh
        ),
        err=True,
    )
    if result.load.errors or (result.skipped and not result.documents):
        ctx.exit(1)


@main.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--since",
    "revision",
    metavar="REV",
    callback=_revision,
    help=N_(
        "Compare with the plan as this git revision left it: a commit, branch or tag, such as HEAD~1 or "
        "main (default: the plan's last submission, else its last committed version unlike the file now)."
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=N_("Report as text for people, or as JSON for programs."),
)
@click.pass_context
def changes(ctx: click.Context, plan: Path, revision: str | None, fmt: str) -> None:
    """Show what changed in a plan since an earlier version of it in git.

    The two versions are compared field by field as plangen reads them (not
    line by line): goals added or removed, targets and milestones changed with
    the difference, segments and counts, activities moved, texts rewritten
    (the words that changed, as [-taken out-]{+put in+}). A plan renamed or
    moved in git is followed. The plan must be valid now; the version compared
    with must have been valid then.
    """
    import json

    from .changes import report_line, revisions
    from .context import Labels, format_date
    from .errors import InvalidFile

    project = _project(ctx)
    load = load_plans(project, [plan])
    if load.errors:
        raise InvalidFile(load.errors)
    loaded = load.plans[0]
    labels = Labels(project.templates_dir)
    found = revisions(project, [loaded], revision, labels)[loaded.id]
    if isinstance(found, str):
        raise PlangenError(found)
    if fmt == "json":
        click.echo(
            json.dumps({"plan": loaded.id, "file": display_path(plan)} | found.data(), ensure_ascii=False, indent=2)
        )
        return
    commit = found.since
    since = _("{commit} of {date} by {author} ({subject})").format(
        commit=commit.short,
        date=format_date(commit.when.date(), language()),
        author=commit.author,
        subject=commit.subject,
    )
    count = len(found.changes)
    heading = ngettext("{file}: {count} change since {since}", "{file}: {count} changes since {since}", count)
    click.echo(
        heading.format(file=display_path(plan), count=count, since=since)
        if count
        else _("{file}: no change since {since}").format(file=display_path(plan), since=since)
    )
    if found.path != found.now:
        click.echo("  " + _("(the file was {path} then)").format(path=found.path))
    plan_labels = labels[loaded.plan.language or project.settings.language]
    for change in found.changes:
        click.echo("  " + report_line(change, plan_labels))


@main.command()
@_build_options
@_today_option
def site(ctx: click.Context, plans: tuple[Path, ...], output: Path | None, today: Any) -> None:
    """Build the intranet site into site/ with MkDocs.

    Writes the pages into <output>/site-src (where mkdocs.yml points) and builds
    them strictly; Word and PDF files already built are offered as downloads.
    A failed build leaves the previous site untouched.
    """
    _build(ctx, plans, output, docx=False, site=True, today=today)


@main.command()
@_build_options
@_pdf_option
@_today_option
@_jobs_option
@_force_option
def build(
    ctx: click.Context,
    plans: tuple[Path, ...],
    output: Path | None,
    pdf: bool | None,
    today: Any,
    jobs: int,
    force: bool,
) -> None:
    """Build everything: the Word documents of all plans, then the site."""
    _build(ctx, plans, output, pdf=pdf, site=True, today=today, jobs=jobs, force=force)


@main.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on (host:port).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: out/).")
@_today_option
@click.pass_context
def serve(ctx: click.Context, dev_addr: str, output: Path | None, today: Any) -> None:
    """Serve the site locally and rebuild it on every change.

    Changes to plans, templates, plangen.yml or mkdocs.yml rebuild the site and
    reload the browser. Problems in plans are printed as they appear; invalid
    plans are left out until they are fixed. Stop with Ctrl+C.
    """
    from .build import serve_site

    serve_site(_project(ctx), dev_addr, output, today=today, on_loaded=_show_problems)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--organization", help="The organisation's name, used by plans that name none.")
@click.option("--language", type=click.Choice(["zh-CN", "en"]), default="zh-CN", show_default=True)
@click.option(
    "--period", default=lambda: str(dt.date.today().year + 1), help="Period of the starter plan. Default: next year."
)
@click.option("--with-templates", is_flag=True, help="Also copy plangen's templates into templates/ to edit.")
@click.option("--pdf", is_flag=True, help="Turn PDFs on in plangen.yml (the CI pipelines then install LibreOffice).")
@click.option(
    "--publish",
    type=click.Choice(get_args(Publish)),
    default="artifact",
    show_default=True,
    help="Where the CI pipelines put the site (site.publish in plangen.yml): kept with each CI run, "
    "or published on GitLab Pages or GitHub Pages.",
)
@click.option(
    "--plangen-spec",
    metavar="SPEC",
    help="The pip requirement the pipelines and the pre-commit hook install plangen from: plangen==1.2 from "
    "your package index, or plangen @ git+https://…/plangen.git@v1.2 from your git server. "
    "Default: this plangen's wheel, written into vendor/.",
)
@click.option("--force", is_flag=True, help="Overwrite files that are already there.")
def init(
    folder: Path,
    organization: str | None,
    language: Any,
    period: str,
    with_templates: bool,
    pdf: bool,
    publish: Any,
    plangen_spec: str | None,
    force: bool,
) -> None:
    """Lay out a plan repository in FOLDER (default: here).

    Writes plangen.yml, a starter plan, mkdocs.yml, .gitignore, CI for GitHub
    (.github/workflows/plans.yml) and GitLab (.gitlab-ci.yml), a pre-commit
    hook, requirements.txt with constraints.txt (the versions of plangen's
    dependencies installed here) and a README for managers. Overwrites nothing
    unless given --force.
    """
    from .scaffold import init_project, publish_warning

    for path in init_project(
        folder,
        organization=organization,
        language=language,
        period=period,
        force=force,
        with_templates=with_templates,
        pdf=pdf,
        plangen_spec=plangen_spec,
        publish=publish,
    ):
        click.echo(_("wrote {file}").format(file=display_path(path)))
    if warning := publish_warning(publish):
        click.echo(_("warning: {message}").format(message=warning), err=True)


class _Subgroup(_Command, click.Group):
    """A group of commands under plangen, such as plangen import."""

    command_class = _Command


@main.group(name="import", cls=_Subgroup)
def import_() -> None:
    """Bring data kept elsewhere, such as client lists in spreadsheets, into a plan."""


def _columns(ctx: click.Context, param: click.Parameter, value: str | None) -> dict[str, str]:
    from .importing import parse_columns

    try:
        return parse_columns(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@import_.command(name="clients")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--plan",
    required=True,
    metavar="PLAN",
    help="The plan to import into: its file (plans/2027/wangmin.yml) or its id.",
)
@click.option("--sheet", metavar="NAME", help="Import this sheet only. Default: every sheet with a header row.")
@click.option(
    "--columns",
    metavar="HEADER=FIELD,…",
    callback=_columns,
    help="What columns with other headers hold, e.g. Client=name,Households=count "
    "(fields: name, count, unit, service, notes, kind, tier, owner).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change and write nothing.")
@click.pass_context
def import_clients(
    ctx: click.Context, file: Path, plan: str, sheet: str | None, columns: dict[str, str], dry_run: bool
) -> None:
    """Put the client segments and key accounts in FILE (.xlsx, .xls, .ods, .csv or .tsv) into a plan.

    A sheet whose header has a count column gives the plan's segments; one
    with a kind, tier or owner column and no count gives its key accounts
    (headers in English or Chinese). Each list replaces the plan's: an entry
    already in the plan keeps what the sheet has no column for, and its
    comments; a total row is left out. The rest of the plan file stays
    as it is. Nothing is written when anything is wrong: each problem is
    shown on its cell, as FILE!Sheet!B7.
    """
    from .importing import find_plan, import_clients, summary_lines, write_result

    project = _project(ctx)
    result = import_clients(project, find_plan(project, plan), file, sheet=sheet, columns=columns)
    for line in summary_lines(result):
        click.echo(line)
    for warning in result.warnings:  # after what they are about
        click.echo(_("warning: {message}").format(message=warning), err=True)
    shown = display_path(result.plan)
    if not result.changed:
        click.echo(_("{file} already holds these clients; nothing to write").format(file=shown))
    elif dry_run:
        click.echo(_("dry run: {file} is left as it is").format(file=shown))
    else:
        write_result(result)
        click.echo(_("wrote {file}").format(file=shown))
