"""Build a project's outputs: a Word document (and optionally a PDF) per valid
plan, and the intranet site.

The pipeline runs one way: load and validate every plan, derive each plan's
context, render the templates to Markdown, write .docx files and site pages.
Only valid plans are rendered; the others are reported and left out. Files
are written atomically and folders swapped in whole, so a failure leaves the
last good output in place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from .cache import CACHE_FILE, PLANS_CACHE_FILE, BuildCache, LoadCache, inputs_digest, plan_digest
from .changes import Revision, revision_view, revisions, site_histories
from .context import Labels, plan_context
from .docx_writer import LAYOUTS, Properties, Reference, write_docx
from .errors import PlangenError
from .i18n import _
from .loading import LoadedPlan, LoadResult, load_plans
from .model import Language, Plan
from .office import Fonts, convert, heading_pages, pdf_fonts, soffice
from .outputs import die_with_parent, exclusive, is_plain_file, make_folder, refuse_link, write_atomic
from .redaction import redact
from .review import ReviewDate, review_context, unreviewable
from .settings import BUILTIN_TEMPLATES, LayoutName, Project, misplaced, named_file_problem
from .site_writer import SITE_SOURCE, Nav, SiteWriter, mkdocs_build, serve, write_source
from .templating import environment, render
from .yaml_source import display_path

DOCX_TEMPLATE = "docx/plan.md.j2"
REVIEW_TEMPLATE = "docx/review.md.j2"
Progress = Callable[[int, int, Path], None]


@dataclass
class BuildResult:
    load: LoadResult
    documents: list[Path] = field(default_factory=list)
    rendered: int = 0
    """How many documents were stale and rendered; the others were up to date."""
    pdfs: list[Path] = field(default_factory=list)
    site: Path | None = None
    warnings: tuple[str, ...] = ()
    """What a person should know about the outputs, such as fonts the PDFs could not be set in."""
    skipped: list[str] = field(default_factory=list)
    """Valid plans that have no review for the period asked for, each as ``file: why``."""


def output_path(folder: Path, plan_id: str, suffix: str) -> Path:
    """Where a plan's file goes; a plan id can never lead outside *folder*.

    Files are replaced, never written through, so a link planted at one
    cannot lead out of *folder* either (see outputs.py).
    """
    name = f"{plan_id}{suffix}"
    if not plan_id or name != Path(name).name or plan_id in (".", "..") or "\\" in name:
        raise PlangenError(_("plan id {plan_id!r} cannot be used as a file name").format(plan_id=plan_id))
    return folder / name


def reference_for(project: Project, layout: LayoutName) -> Reference:
    """The reference document named in the settings, else the project's own, else plangen's.

    Styles an organisation's reference lacks are taken from plangen's own.
    """
    builtin = BUILTIN_TEMPLATES / "reference" / f"{layout}.docx"
    configured = project.settings.docx.references.get(layout)
    own = project.root / configured if configured else project.templates_dir / "reference" / f"{layout}.docx"
    if own.resolve() == builtin.resolve() or not (configured or os.path.lexists(own)):
        return Reference(builtin)
    if why := named_file_problem(project, own):  # the repository names it: it must be the project's own file
        raise PlangenError(f"{display_path(own)}: {why}")
    return Reference(own, fallback=builtin)


def properties(plan: Plan) -> Properties:
    day = plan.date or (plan.period.start if plan.period else dt.date(1980, 1, 1))  # the earliest a .docx can hold
    return Properties(
        title=plan.title,
        author=plan.owner.name if plan.owner else "",
        subject=" ".join(filter(None, [plan.organization, plan.unit])),
        keywords=", ".join(plan.tags),
        category=plan.status,
        language=plan.language or "zh-CN",
        created=dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC),
    )


class DocxBuilder:
    """Renders plans of one project; templates, labels and references are read once. The
    *redacted* builder makes the site's downloads, without what ``site.redact`` leaves out;
    with *review*, it renders each plan's review as of that date instead of the plan."""

    def __init__(
        self,
        project: Project,
        *,
        redacted: bool = False,
        review: ReviewDate | None = None,
        revisions: Mapping[str, Revision] | None = None,
    ) -> None:
        self.project = project
        self.env = environment(project.templates_dir)
        self.labels = Labels(project.templates_dir)
        self.references: dict[LayoutName, Reference] = {}
        self.redacted = project.settings.site.redact if redacted else []
        self.review = review
        self.revisions = revisions or {}

    def shown(self, plan: Plan) -> Plan:
        """*plan* as this builder's documents show it."""
        return redact(plan, self.redacted, self.labels[plan.language or self.project.settings.language]["withheld"])

    def markdown(self, plan: Plan) -> str:
        """The plan (as :meth:`shown` gives it) as the document template words it, with the settings
        that decide what it shows."""
        labels = self.labels[plan.language or self.project.settings.language]
        if self.review is not None:
            return render(
                self.env,
                REVIEW_TEMPLATE,
                **review_context(plan, labels, self.review),
                show_status=self.project.settings.docx.show_status,
            )
        revision = self.revisions.get(plan.id or "")
        return render(
            self.env,
            DOCX_TEMPLATE,
            **plan_context(plan, labels, redacted=self.redacted),
            show_status=self.project.settings.docx.show_status,
            revision=revision_view(revision.since, revision.changes, labels, plan.language or "zh-CN")
            if revision
            else None,
        )

    def render(self, plan: Plan, pages: Mapping[str, int] | None = None) -> bytes:
        """The plan's document; *pages* as :func:`write_docx` takes them."""
        plan = self.shown(plan)
        language: Language = plan.language or self.project.settings.language
        layout = self.project.settings.docx.layouts.get(language, "zh-official" if language == "zh-CN" else "business")
        if layout not in self.references:
            self.references[layout] = reference_for(self.project, layout)
        described = properties(plan)
        if self.review is not None:  # the review's own title, dated the day it is as of
            title = self.labels[language]["review_title"].format(title=plan.title)
            created = dt.datetime.combine(max(self.review.day, dt.date(1980, 1, 1)), dt.time(), tzinfo=dt.UTC)
            described = dataclasses.replace(described, title=title, created=created)
        return write_docx(
            self.markdown(plan),
            LAYOUTS[layout],
            self.references[layout],
            described,
            pages,
            contents=self.project.settings.docx.contents,
        )


def build(
    project: Project,
    paths: Iterable[Path] = (),
    output: Path | None = None,
    *,
    docx: bool = True,
    pdf: bool | None = None,
    site: bool = False,
    today: dt.date | None = None,
    jobs: int = 1,
    force: bool = False,
    changes_since: str | None = None,
    progress: Progress | None = None,
    on_loaded: Callable[[LoadResult], None] | None = None,
    waiting: Callable[[], None] | None = None,
) -> BuildResult:
    """Write ``<output>/docx/<plan id>.docx`` for every valid plan (and ``pdf/`` with *pdf*,
    which defaults to the ``docx.pdf`` setting), and with *site* the site's pages
    (``<output>/site-src``) and the site itself; with ``site.redact``, the site's downloads
    are copies without what it leaves out (``<output>/redacted-docx``, and ``redacted-pdf``
    with *pdf*).

    With *changes_since* (a git revision), each document ends with revision notes: the
    plan's changes since that version of it (changes.py).

    Only plans whose document is stale are rendered (all with *force*), on *jobs*
    processes. One build at a time holds the output folder. *on_loaded* is told
    what loading found before anything is written, so problems can be shown even
    if writing then fails; *waiting* when another build holds the output folder."""
    today = today or dt.date.today()
    output, pdf, fonts, known, result = _start(project, paths, output, pdf, docx, today, on_loaded)
    plans: list[LoadedPlan] = result.load.plans
    with exclusive(output, project.root, waiting=waiting) as lock:
        if known:
            known.save()
        if docx:
            kind = MANAGERS
            if changes_since is not None and plans:
                found = revisions(project, plans, changes_since, Labels(project.templates_dir))
                result.warnings += tuple(why for why in found.values() if isinstance(why, str))
                kind = dataclasses.replace(kind, revisions={k: v for k, v in found.items() if isinstance(v, Revision)})
            result.documents, result.rendered, result.pdfs, unshown = _write_documents(
                project, plans, output, kind, jobs, force, pdf, fonts, progress, lock
            )
            result.warnings += unshown
        if site:
            source = output / SITE_SOURCE
            histories, unread = site_histories(project, plans)
            result.warnings += (unread,) if unread else ()
            writer = SiteWriter(project, plans, today, histories)
            downloads = _downloads(project, plans, output, jobs, force, pdf, fonts, lock)
            result.site = mkdocs_build(project, source, write_source(writer, source, downloads))
    return result


def _start(
    project: Project,
    paths: Iterable[Path],
    output: Path | None,
    pdf: bool | None,
    documents: bool,
    today: dt.date,
    on_loaded: Callable[[LoadResult], None] | None,
) -> tuple[Path, bool, Fonts | None, LoadCache | None, BuildResult]:
    """What every build does before it writes: the output folder; whether *documents* get PDFs
    (*pdf*, by default the ``docx.pdf`` setting) and the fonts they are set in, stopping first
    if LibreOffice or a font the settings name is missing; and the plans loaded (checked as of
    *today*, through the load cache), shown to *on_loaded*."""
    output = output_folder(project, output)
    paginate = documents and (project.settings.docx.pdf if pdf is None else pdf)
    fonts = None
    if paginate:
        soffice(from_settings=pdf is None)
        fonts = pdf_fonts(project)
    make_folder(output, output)
    known = LoadCache.open(output / PLANS_CACHE_FILE, project, today)
    result = BuildResult(load_plans(project, paths, cache=known, today=today), warnings=fonts.warnings if fonts else ())
    if on_loaded:
        on_loaded(result.load)
    return output, paginate, fonts, known, result


def output_folder(project: Project, output: Path | None) -> Path:
    """The folder to write to: *output* (``-o``), else the project's (checked with the settings)."""
    if output is not None and (why := misplaced(project, output, _("output folder"), chosen_here=True)):
        raise PlangenError(why)
    return (output or project.output_dir).absolute()


@dataclass(frozen=True)
class Documents:
    """One set of documents a build writes: where, and whether redacted."""

    docx: str
    pdf: str
    cache: str
    """The file, beside the folders, recording what each document was built from."""
    redacted: bool
    review: ReviewDate | None = None
    """For reviews: the date they are as of (and the period they report on)."""
    revisions: Mapping[str, Revision] = field(default_factory=dict)
    """For plans with revision notes: each one's changes since the version compared with."""


MANAGERS = Documents("docx", "pdf", CACHE_FILE, redacted=False)
"""The managers' own documents, in full."""
REDACTED = Documents("redacted-docx", "redacted-pdf", ".plangen-redacted-cache.json", redacted=True)
"""The site's downloads when ``site.redact`` leaves something out: the same documents without it."""
REVIEW_FOLDER = "review"
"""Where the reviews go, Word files and PDFs together: ``<output>/review/<plan id>.docx``."""
REVIEW_CACHE_FILE = ".plangen-review-cache.json"


def reviews(when: ReviewDate) -> Documents:
    """The managers' reviews as of *when*, in full."""
    return Documents(REVIEW_FOLDER, REVIEW_FOLDER, REVIEW_CACHE_FILE, redacted=False, review=when)


WORKERS = multiprocessing.get_context("fork" if sys.platform == "linux" and hasattr(os, "fork") else "spawn")
"""How rendering processes start: forked on Linux, where they then begin with plangen loaded
(spawned ones take about twice as long for 40 plans: benchmarks/workers.py); started afresh
(spawned) on Windows, which cannot fork, and on macOS, where forking is unsafe."""
_worker: DocxBuilder | None = None


def _start_worker(project: Project, lock: int | None, kind: Documents) -> None:
    """Set up a rendering process. It must neither keep the build's *lock* (a forked one
    inherited the descriptor) nor outlive a build that is killed."""
    global _worker
    if lock is not None:
        os.close(lock)
    die_with_parent()
    _worker = _builder(project, kind)


def _builder(project: Project, kind: Documents) -> DocxBuilder:
    """The builder of *kind*'s documents."""
    return DocxBuilder(project, redacted=kind.redacted, review=kind.review, revisions=kind.revisions)


def _revision_key(kind: Documents, plan_id: str) -> str:
    """What a document's revision notes add to what it is built from."""
    revision = kind.revisions.get(plan_id)
    return json.dumps(revision.data(), ensure_ascii=False, sort_keys=True) if revision else ""


def _render_in_worker(plan: Plan) -> bytes:
    assert _worker is not None
    return _worker.render(plan)


def _write_documents(
    project: Project,
    plans: list[LoadedPlan],
    output: Path,
    kind: Documents,
    jobs: int,
    force: bool,
    paginate: bool,
    fonts: Fonts | None,
    progress: Progress | None,
    lock: int | None,
) -> tuple[list[Path], int, list[Path], tuple[str, ...]]:
    """Render the stale plans (all with *force*) on *jobs* processes into the folders of *kind*;
    returns every plan's document, how many were rendered and, with *paginate*, every plan's
    PDF, set in *fonts*, and for each rendered plan with characters no installed font has, a
    warning naming them. Output is the same whatever *jobs* is.

    With *paginate*, contents lists get page numbers, as LibreOffice lays the
    documents out, and each rendered document's PDF is written with it; the
    others' PDFs are made only when missing. Documents with and without page
    numbers are cached apart, and so are those laid out with other fonts (a font
    installed since, a stand-in named in the settings): their page numbers and
    PDFs change with them."""
    make_folder(output / kind.docx, output)
    if paginate:
        make_folder(output / kind.pdf, output)
    cache = BuildCache(output, kind.cache)
    inputs = inputs_digest(project) + ("with page numbers" if paginate else "") + (fonts.digest if fonts else "")
    inputs += kind.review.key if kind.review else ""
    targets = [output_path(output / kind.docx, loaded.id, ".docx") for loaded in plans]
    pdfs = [output_path(output / kind.pdf, loaded.id, ".pdf") for loaded in plans] if paginate else []
    digests = [plan_digest(inputs + _revision_key(kind, loaded.id), loaded.digest) for loaded in plans]
    stale = [i for i, loaded in enumerate(plans) if force or not cache.fresh(loaded.id, digests[i], targets[i])]
    unshown = tuple(
        _("{file}: no installed font has {characters}, so its PDF cannot show them").format(
            file=display_path(plans[i].path), characters=" ".join(lacking)
        )
        for i in stale
        if fonts and (lacking := fonts.lacking(plans[i].plan.model_dump_json()))
    )
    with ExitStack() as stack:
        rendered: Iterable[bytes]
        if jobs > 1 and len(stale) > 1:
            workers = min(jobs, len(stale))
            pool = stack.enter_context(
                ProcessPoolExecutor(
                    workers,
                    WORKERS,
                    initializer=_start_worker,
                    initargs=(project, lock if WORKERS.get_start_method() == "fork" else None, kind),
                )
            )
            rendered = pool.map(_render_in_worker, [plans[i].plan for i in stale], chunksize=4)
        else:
            builder = _builder(project, kind)
            rendered = (builder.render(plans[i].plan) for i in stale)
        documents: Iterable[tuple[bytes, bytes | None]] = (
            _with_page_numbers(project, kind, [plans[i].plan for i in stale], rendered, jobs, fonts)
            if paginate and stale
            else ((data, None) for data in rendered)
        )
        _store(stale, documents, plans, targets, pdfs, digests, cache, progress)
    cache.save()
    missing = [target for target, pdf in zip(targets, pdfs, strict=True) if not is_plain_file(pdf)] if paginate else []
    if missing:
        convert(missing, "pdf", output / kind.pdf, jobs, fonts)
    return targets, len(stale), pdfs, unshown


def _with_page_numbers(
    project: Project,
    kind: Documents,
    plans: list[Plan],
    drafts: Iterable[bytes],
    jobs: int,
    fonts: Fonts | None,
    rounds: int = 3,
) -> list[tuple[bytes, bytes | None]]:
    """The plans' documents with page numbers in their contents lists, and their PDFs (set in *fonts*).

    LibreOffice lays the *drafts* (the documents without page numbers) out; each
    document is written again with the page its headings landed on, and laid out
    again to check. A number takes the room its dotted tab had, so one round is
    enough unless a contents entry wraps once its number is added; a document
    whose pages still move after *rounds* is kept as it is then.
    """
    builder = _builder(project, kind)
    documents = list(drafts)
    shown: list[dict[str, int]] = [{} for _ in plans]
    done: dict[int, tuple[bytes, bytes | None]] = {}
    pending = list(range(len(plans)))
    with tempfile.TemporaryDirectory(prefix="plangen-pages-") as work:
        for round_ in range(rounds + 1):
            paths = [Path(work) / f"{plans[i].id}.docx" for i in pending]
            for i, path in zip(pending, paths, strict=True):
                path.write_bytes(documents[i])
            pdfs = convert(paths, "pdf", Path(work) / "pdf", jobs, fonts)
            moved = []
            for i, pdf in zip(pending, pdfs, strict=True):
                pages = heading_pages(pdf)
                if pages == shown[i] or round_ == rounds:
                    done[i] = (documents[i], pdf.read_bytes())
                else:
                    shown[i] = pages
                    documents[i] = builder.render(plans[i], pages)
                    moved.append(i)
            pending = moved
            if not pending:
                break
    return [done[i] for i in range(len(plans))]


def _store(
    stale: list[int],
    rendered: Iterable[tuple[bytes, bytes | None]],
    plans: list[LoadedPlan],
    targets: list[Path],
    pdfs: list[Path],
    digests: list[str],
    cache: BuildCache,
    progress: Progress | None,
) -> None:
    """Write each rendered document (and its PDF, which goes first: a build killed in
    between leaves the document stale, so both are made again)."""
    for number, (index, (data, pdf)) in enumerate(zip(stale, rendered, strict=True), start=1):
        if pdf is not None:
            write_atomic(pdfs[index], pdf, area=pdfs[index].parent)
        write_atomic(targets[index], data, area=targets[index].parent)
        cache.record(plans[index].id, digests[index])
        if progress:
            progress(number, len(stale), targets[index])


def build_docx(
    project: Project,
    paths: Iterable[Path] = (),
    output: Path | None = None,
    *,
    pdf: bool | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Word documents only (see :func:`build`)."""
    return build(project, paths, output, pdf=pdf, jobs=jobs, force=force, progress=progress)


def build_reviews(
    project: Project,
    paths: Iterable[Path] = (),
    output: Path | None = None,
    *,
    when: ReviewDate,
    pdf: bool | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    on_loaded: Callable[[LoadResult], None] | None = None,
    waiting: Callable[[], None] | None = None,
) -> BuildResult:
    """Write ``<output>/review/<plan id>.docx``, the review of every valid plan as of *when*
    (review.py), and with *pdf* (by default the ``docx.pdf`` setting) its PDF beside it, by
    the rules of the plans' documents (:func:`build`): atomically, only those out of date (the
    plan, templates, settings or date changed; all with *force*), on *jobs* processes. A plan
    whose period does not hold *when*'s period is left out and named in ``skipped``."""
    output, pdf, fonts, known, result = _start(project, paths, output, pdf, True, dt.date.today(), on_loaded)
    plans = []
    for loaded in result.load.plans:
        if why := unreviewable(loaded.plan, when):
            result.skipped.append(f"{display_path(loaded.path)}: {why}")
        else:
            plans.append(loaded)
    with exclusive(output, project.root, waiting=waiting) as lock:
        if known:
            known.save()
        if plans:
            result.documents, result.rendered, result.pdfs, unshown = _write_documents(
                project, plans, output, reviews(when), jobs, force, pdf, fonts, progress, lock
            )
            result.warnings += unshown
    return result


def _downloads(
    project: Project,
    plans: list[LoadedPlan],
    output: Path,
    jobs: int = 1,
    force: bool = False,
    pdf: bool = False,
    fonts: Fonts | None = None,
    lock: int | None = None,
) -> dict[str, list[Path]]:
    """The files the site offers for each plan: its Word and PDF files already built; with
    ``site.redact``, copies without what it leaves out, made here: the Word files (stale ones
    rendered, which takes milliseconds), and the PDFs only when this run makes PDFs (*pdf*,
    set in *fonts*), since one made earlier may come from other settings. A link where a
    download is taken from, which could publish any file, is refused."""
    if project.settings.site.redact:
        documents, _rendered, pdfs, _unshown = _write_documents(
            project, plans, output, REDACTED, jobs, force, pdf, fonts, None, lock
        )
        return {loaded.id: [documents[i], *pdfs[i : i + 1]] for i, loaded in enumerate(plans)}
    for folder in (output / "docx", output / "pdf"):
        refuse_link(folder)
    found = {}
    for loaded in plans:
        candidates = (output_path(output / "docx", loaded.id, ".docx"), output_path(output / "pdf", loaded.id, ".pdf"))
        for file in candidates:
            refuse_link(file)
        found[loaded.id] = [file for file in candidates if file.is_file()]
    return found


def serve_site(
    project: Project,
    address: str,
    output: Path | None = None,
    *,
    today: dt.date | None = None,
    on_loaded: Callable[[LoadResult], None] | None = None,
) -> None:
    """Serve the site on *address* (host:port), regenerating it whenever the plans,
    templates or settings change; runs until interrupted."""
    output = output_folder(project, output)

    def regenerate(source: Path) -> Nav:
        day = today or dt.date.today()
        load = load_plans(project, today=day)
        if on_loaded:
            on_loaded(load)
        writer = SiteWriter(project, load.plans, day, site_histories(project, load.plans)[0])
        return write_source(writer, source, _downloads(project, load.plans, output))

    serve(project, regenerate, output / SITE_SOURCE, address)
