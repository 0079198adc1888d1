"""Write the intranet site: Markdown pages from the plans, then MkDocs builds them.

The pages are plain generated Markdown in a source folder that ``mkdocs.yml``
points at (no MkDocs plugin of ours), so ``mkdocs build`` and ``zensical
build`` can build them too; plangen's hooks add only the search (search.py). Pages are rewritten only when their content
changes; the site is built into a temporary folder and swapped into place
only when complete, so a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2.sandbox import SandboxedEnvironment

from .changes import PlanHistory, compare, revision_view
from .charts import bar_chart, progress_bar, progress_chart
from .context import (
    STANDINGS,
    GoalView,
    Labels,
    Rollup,
    author,
    behind_first,
    calendar,
    count_text,
    format_date,
    format_span,
    grouped,
    horizon,
    months,
    most_behind,
    named_period,
    newest_first,
    plan_context,
    recurring,
    rollup,
    segment_totals,
    unit_key,
    upcoming,
)
from .errors import PlangenError
from .i18n import _
from .loading import LoadedPlan
from .markdown_text import in_language, one_line, safe_link
from .mkdocs_config import check_mkdocs_config, theme_language
from .model import Language, Plan, Span
from .outputs import (
    holds,
    make_folder,
    refuse_unless_folder,
    replace_folder,
    sweep,
    sync_folder,
    temporary_prefix,
    write_atomic,
)
from .redaction import redact
from .review import ReviewDate, review_context
from .search import HOOKS
from .settings import BUILTIN_TEMPLATES, Project, misplaced
from .templating import environment, render, yaml_scalar
from .yaml_source import display_path, input_problem, read_source

NAV_PLANS = 40
"""The most plans of one unit the navigation lists (see :meth:`SiteWriter.navigation`)."""
SITE_SOURCE = "site-src"
_URL_SAFE = ":/?#@!$&'*+,;=%~"
"""What stays as it is in a link to a plan's file: no space, brackets, parentheses or quotes,
which would end the Markdown link or the HTML attribute."""
_UNSAFE = re.compile(r"[^\w-]+")
Nav = dict[str, list[Any]]
"""A section of MkDocs' nav: its title and its pages and sections."""


def unit_page(unit: str) -> str:
    """A file name for a unit's page: its own letters where safe, never a path, and a digest of
    the whole name, long enough (64 bits) that no one can find another name for the same page."""
    slug = _UNSAFE.sub("-", unit).strip("-_")[:60]
    digest = hashlib.sha256(unit.encode()).hexdigest()[:16]
    return f"{slug}-{digest}" if slug else f"unit-{digest}"


def period_page(period: Span) -> str:
    """A file name for a period's page (and the anchor of its part of a page): its plangen
    form, 2027 or 2027-H1, a range's slash as an underscore."""
    return period.text.replace("/", "_")


HOME_BEHIND = 10
"""How many of each period's goals furthest behind the home page lists."""
PERIOD_BEHIND = 20
"""How many of its goals furthest behind a period's page lists; the unit pages list them all."""
HOME_UPCOMING = 20
"""How many coming activities and training the home page lists; the calendar has them all."""


@dataclass(frozen=True)
class PlanPage:
    plan: Plan
    file: Path
    unit: str
    unit_page: str
    organization: str
    org_page: str
    period: Span | None
    """The period the plan's figures roll up in (:func:`~plangen.context.named_period`); None for a
    draft that has none yet, which is listed but in no roll-up."""
    context: dict[str, Any]


def _rolled_up(page: PlanPage) -> Span:
    """The period of a page among those rolled up, which all have one."""
    assert page.period is not None
    return page.period


@dataclass(frozen=True)
class Row:
    """A row of an overview table: an organisation, unit or plan with its figures for one period."""

    name: str
    link: str
    """Its page, from the top of the site."""
    rollup: Rollup


@dataclass(frozen=True)
class Section:
    """The plans of one period on an overview page, with their figures broken down into rows."""

    label: str
    anchor: str
    link: str
    """The period's page, from the top of the site."""
    pages: list[PlanPage]
    summary: Rollup
    rows: list[Row]
    goals: list[tuple[PlanPage, GoalView]]
    """The goals the page lists, behind first."""
    behind: int
    """How many goals are behind in all, listed or not."""
    segment_chart: str
    segments: list[tuple[str, int, bool]]


class SiteWriter:
    """Renders every page of the site for one set of plans; goals stand as of *today*."""

    def __init__(
        self,
        project: Project,
        plans: list[LoadedPlan],
        today: dt.date,
        histories: Mapping[str, PlanHistory] | None = None,
    ) -> None:
        self.project = project
        self.today = today
        self.histories = histories or {}
        self.env: SandboxedEnvironment = environment(project.templates_dir, "site")
        self.env.globals["progress"] = progress_bar
        self.env.globals["standings"] = STANDINGS
        self.env.globals["author"] = author

        self.language: Language = project.settings.site_language
        self.env.filters["lang"] = self._in_language
        self.labels = Labels(project.templates_dir)
        self.pages = sorted(
            (self._page(loaded) for loaded in plans),
            key=lambda p: (
                *(newest_first(p.period) if p.period else (1, dt.date.max)),
                p.unit,
                p.context["author"],
                p.plan.id or "",
            ),
        )
        self.plans = [page.plan for page in self.pages]
        self.dated = [page for page in self.pages if page.period]

    def _page(self, loaded: LoadedPlan) -> PlanPage:
        """A plan's page, without what site.redact leaves out: every page is made from what this returns."""
        labels = self.labels[loaded.plan.language or self.language]
        redacted = self.project.settings.site.redact
        plan = redact(loaded.plan, redacted, labels["withheld"])
        context = plan_context(plan, labels, self.today, redacted)
        unit, organization = unit_key(plan), plan.organization or "—"
        return PlanPage(
            plan, loaded.path, unit, unit_page(unit), organization, unit_page(organization),
            named_period(plan.period) if plan.period else None, context,
        )  # fmt: skip

    def write(self, folder: Path, downloads: dict[str, list[Path]]) -> None:
        """Write all pages, the stylesheet and the downloads into *folder*."""
        labels = self.labels[self.language]
        for page in self.pages:
            files = downloads.get(page.plan.id or "", [])
            self._write(folder / "plans" / f"{page.plan.id}.md", "site/plan.md.j2", **self._plan_values(page, files))
            if self._reviewed(page):
                self._write(folder / "reviews" / f"{page.plan.id}.md", "site/review.md.j2", **self._review_values(page))
            if changes := self._changes(page):
                self._write(folder / "changes" / f"{page.plan.id}.md", "site/changes.md.j2", **changes)
            for file in files:
                (folder / "downloads").mkdir(exist_ok=True)
                shutil.copyfile(file, folder / "downloads" / file.name)
        common = {"L": labels, "as_of": format_date(self.today, self.language)}
        periods = grouped(self.dated, _rolled_up)
        by_organization = self._rows(lambda page: (page.organization, f"orgs/{page.org_page}.md"))
        by_unit = self._rows(lambda page: (page.unit, f"units/{page.unit_page}.md"))
        home = [self._section(period, pages, by_organization, HOME_BEHIND) for period, pages in periods.items()]
        for period, pages in periods.items():
            section = self._section(period, pages, by_unit, PERIOD_BEHIND)
            self._write(folder / section.link, "site/period.md.j2", **common, title=html.escape(section.label),
                        section=section)  # fmt: skip
        self._groups(folder / "units", lambda page: page.unit, common, kind="unit")
        self._groups(folder / "orgs", lambda page: page.organization, common, kind="organization")
        entries = calendar(self.plans, self.language)
        weeks = self.project.settings.site.upcoming_weeks
        coming = upcoming(entries, self.today, weeks)
        # The dates the home page's list runs over: from the build date (or --today) on.
        dates = format_span(Span(self.today, horizon(self.today, weeks), ""), self.language)
        self._write(folder / "index.md", "site/index.md.j2", **common, sections=home, weeks=weeks, upcoming_dates=dates,
                    upcoming=coming[:HOME_UPCOMING], more_upcoming=len(coming[HOME_UPCOMING:]))  # fmt: skip
        listing = [(section, grouped(section.pages, lambda page: page.organization)) for section in home]
        undated = [page for page in self.pages if not page.period]
        self._write(folder / "plans.md", "site/plans.md.j2", **common, periods=listing, undated=undated)
        self._write(folder / "units.md", "site/units.md.j2", **common, organizations=self._tree())
        self._write(folder / "calendar.md", "site/calendar.md.j2", L=labels, months=months(entries, self.language),
                    recurring=recurring(self.plans))  # fmt: skip
        self._write(folder / "tags.md", "site/tags.md.j2", L=labels)
        # The stylesheet and hand-written pages: plangen's, then the project's over them.
        for fixed, target in (("assets", folder / "assets"), ("pages", folder)):
            shutil.copytree(BUILTIN_TEMPLATES / "site" / fixed, target, dirs_exist_ok=True)
            own = self.project.templates_dir / "site" / fixed
            if os.path.lexists(own):
                _check_own_files(own, self.project.root)
                shutil.copytree(own, target, dirs_exist_ok=True)

    def navigation(self) -> Nav:
        """The section of MkDocs' nav that takes the place of units.md: that page, then each
        organisation, a section of its own page and its units, each unit a section of its
        page and its plans. With Material's navigation.prune a page holds the sections on
        its own path only, so a site of many plans does not repeat all of them on every page;
        a unit of more than :data:`NAV_PLANS` plans lists only its page, which lists them, or
        each of its plan pages would carry them all. Section titles reach the theme as HTML,
        so they are escaped; pages bring their own."""
        sections: list[Any] = ["units.md"]
        for organization, pages in sorted(grouped(self.pages, lambda page: page.organization).items()):
            members: list[Any] = [f"orgs/{pages[0].org_page}.md"]
            for unit, plans in grouped(pages, lambda page: page.unit).items():
                listed = [f"plans/{page.plan.id}.md" for page in plans] if len(plans) <= NAV_PLANS else []
                members.append({html.escape(plans[0].plan.unit or unit): [f"units/{plans[0].unit_page}.md", *listed]})
            sections.append({html.escape(organization): members})
        return {html.escape(self.labels[self.language]["units_heading"]): sections}

    def _groups(self, folder: Path, key: Callable[[PlanPage], str], common: dict[str, Any], kind: str) -> None:
        """A roll-up page per unit or organisation (*kind*), with a section per period."""
        if kind == "unit":
            rows = self._rows(lambda page: (page.context["author"], f"plans/{page.plan.id}.md"))
        else:
            rows = self._rows(lambda page: (page.unit, f"units/{page.unit_page}.md"))
        named: dict[str, str] = {}
        for name, everyone in grouped(self.pages, key).items():
            page_name = unit_page(name)
            pages = [page for page in everyone if page.period]
            if (other := named.setdefault(page_name, name)) != name:
                message = _("'{first}' and '{second}' would share the page {page}; rename one of them")
                raise PlangenError(message.format(first=other, second=name, page=f"{folder.name}/{page_name}"))
            sections = [
                self._section(period, members, rows, every_goal=kind == "unit", charts=True)
                for period, members in grouped(pages, _rolled_up).items()
            ]
            undated = [page for page in everyone if not page.period]
            self._write(folder / f"{page_name}.md", "site/unit.md.j2", **common, kind=kind, unit=name,
                        title=html.escape(name), sections=sections, undated=undated)  # fmt: skip

    def _tree(self) -> list[tuple[str, str, list[tuple[str, str, list[tuple[str, str, int]]]]]]:
        """Every organisation by name, and its units, each with its page and its number of plans per
        period (and of drafts without one)."""
        undated = self.labels[self.language]["undated_drafts"]
        tree = []
        for organization, pages in sorted(grouped(self.pages, lambda page: page.organization).items()):
            units = [
                (unit, f"units/{members[0].unit_page}.md", [
                    (format_span(period, self.language), f"periods/{period_page(period)}.md", len(plans))
                    for period, plans in grouped([m for m in members if m.period], _rolled_up).items()
                ] + ([(undated, "plans.md#undated", drafts)] if (drafts := sum(not m.period for m in members)) else []))
                for unit, members in sorted(grouped(pages, lambda page: page.unit).items())
            ]  # fmt: skip
            tree.append((organization, f"orgs/{pages[0].org_page}.md", units))
        return tree

    def _rows(self, key: Callable[[PlanPage], tuple[str, str]]) -> Callable[[list[PlanPage]], list[Row]]:
        """How to break the plans of a section into rows, each named and linked as *key* says."""

        def rows(pages: list[PlanPage]) -> list[Row]:
            return [Row(name, link, self._rollup(members)) for (name, link), members in grouped(pages, key).items()]

        return rows

    def _section(
        self,
        period: Span,
        pages: list[PlanPage],
        rows: Callable[[list[PlanPage]], list[Row]],
        most: int | None = None,
        every_goal: bool = False,
        charts: bool = False,
    ) -> Section:
        """The plans of *period* on a page: their figures in *rows*; the *most* goals furthest
        behind (all of them with None), or with *every_goal* every goal, behind first; and with
        *charts* the clients by segment."""
        labels = self.labels[self.language]
        goals = [(page, goal) for page in pages for goal in page.context["goals"]]
        behind = most_behind(goals)
        segments = segment_totals([page.plan for page in pages]) if charts else []
        return Section(
            label=format_span(period, self.language),
            anchor=f"period-{period_page(period)}",
            link=f"periods/{period_page(period)}.md",
            pages=pages,
            summary=self._rollup(pages),
            rows=rows(pages),
            goals=behind_first(goals) if every_goal else behind[:most],
            behind=len(behind),
            segment_chart=bar_chart(
                [(name, count) for name, count, _ in segments],
                labels["clients_by_segment"],
                [count_text(count, approximate, labels) for _, count, approximate in segments],
            ),
            segments=segments,
        )

    @staticmethod
    def _rollup(pages: list[PlanPage]) -> Rollup:
        return rollup(
            [page.plan for page in pages], [goal.standing for page in pages for goal in page.context["goals"]]
        )

    def _plan_values(self, page: PlanPage, files: list[Path]) -> dict[str, Any]:
        plan, context = page.plan, page.context
        labels = context["L"]
        named = [*plan.tags, page.unit, context["author"], context["period"], context["status"]]
        named = [tag for tag in named if tag and tag != "—"]  # no tag for what the plan does not say
        tags = list(dict.fromkeys(one_line(tag) for tag in named))
        # The theme prints page titles and tag names as HTML: they go in as escaped text.
        base = self.project.settings.site.source_url
        where = _in_project(page.file, self.project.root) if base else None
        # None for a plan outside the project; percent-encoded, so that no file name is Markdown in the link
        source = quote(f"{base.rstrip('/')}/{where}", safe=_URL_SAFE) if base and where and safe_link(base) else None
        # Counts in another unit (buildings) are no clients and have no bar among them.
        counted = [s for s in plan.clients.segments if s.unit is None] if plan.clients else []
        return {
            **context,
            "unit_page": page.unit_page,
            "title": html.escape(one_line(plan.title)),
            "tags": [html.escape(tag) for tag in tags],
            "downloads": [(labels["download_" + f.suffix[1:]], f"../downloads/{f.name}") for f in files],
            "source_url": source,
            "segment_chart": bar_chart(
                [(s.name, s.count) for s in counted],
                labels["segments"],
                [count_text(s.count, s.approximate, labels) for s in counted],
            ),
            "review": labels["review_link"].format(date=format_date(self.today, context["language"]))
            if self._reviewed(page)
            else None,
            "history": self._history(page),
        }

    def _history(self, page: PlanPage) -> dict[str, Any] | None:
        """The plan's submissions and approvals as the page lists them, and whether it has a
        changes page; None for a plan git has no submission of."""
        history = self.histories.get(page.plan.id or "")
        if history is None or not (history.events or history.shallow):
            return None
        labels, language = page.context["L"], page.context["language"]
        wording = "history_event_anonymous" if "people" in self.project.settings.site.redact else "history_event"
        events = [
            labels[wording].format(
                date=format_date(event.version.commit.when.date(), language),
                author=event.version.commit.author,  # authors are people too: withheld with them
                status=labels["history_became"][event.status],
                commit=event.version.commit.short,
            )
            for event in history.events
        ]
        return {"events": events, "changes": history.compared is not None, "shallow": history.shallow}

    def _changes(self, page: PlanPage) -> dict[str, Any] | None:
        """The changes page of a plan with an earlier submission: what changed since, without
        what site.redact leaves out of either version."""
        history = self.histories.get(page.plan.id or "")
        if history is None or history.compared is None:
            return None
        version, before = history.compared
        labels, language = page.context["L"], page.context["language"]
        found = compare(redact(before, self.project.settings.site.redact, labels["withheld"]), page.plan, labels)
        return {
            "L": labels,
            "plan": page.plan,
            "language": language,
            "title": html.escape(one_line(f"{page.plan.title}{labels['colon']}{labels['history_changes']}")),
            "revision": revision_view(version.commit, found, labels, language),
        }

    def _reviewed(self, page: PlanPage) -> bool:
        """Whether the plan has a review page: one for a period begun by the site's date."""
        return page.plan.period is not None and page.plan.period.start <= self.today

    def _review_values(self, page: PlanPage) -> dict[str, Any]:
        """A plan's review as of the site's date (review.py), with its chart drawn for the site."""
        labels = page.context["L"]
        context = review_context(page.plan, labels, ReviewDate(self.today))
        items = [
            (row.view.measure.metric, row.progress or 0.0, row.planned_progress, row.percent)
            for row in context["charted"]
        ]
        return {
            **context,
            "unit_page": page.unit_page,
            "title": html.escape(one_line(context["review_title"])),
            "chart": progress_chart(items, labels["review_chart"]),
        }

    def _in_language(self, markdown: str, language: Language) -> str:
        """A page's *markdown* in *language*, marked as such where that is not the site's."""
        return markdown if language == self.language else in_language(markdown, language)

    def _write(self, path: Path, template: str, **values: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(self.env, template, **values), encoding="utf-8")


def _in_project(file: Path, root: Path) -> str | None:
    """Where *file* is in the project, as its repository holds it; None for a file outside the
    project, which the repository does not hold (a plan named on the command line)."""
    for resolve in (os.path.abspath, os.path.realpath):  # the second for paths through links
        path, top = Path(resolve(file)), Path(resolve(root))
        if path.is_relative_to(top):
            return path.relative_to(top).as_posix()
    return None


def _check_own_files(folder: Path, root: Path) -> None:
    """Refuse to publish the project's *folder* unless it holds nothing but folders and the
    files :func:`~plangen.yaml_source.input_problem` allows: a link there could put a key
    or a password file on the site. A linked folder is refused, since it could lead anywhere."""
    if os.path.islink(folder) or not folder.is_dir():
        message = _("{folder}: expected a folder of the project's own, not a link or a file")
        raise PlangenError(message.format(folder=display_path(folder)))
    for top, folders, names in os.walk(folder):
        for name in folders:
            if os.path.islink(os.path.join(top, name)):
                message = _("{folder}: it is a link to a folder; put the files here")
                raise PlangenError(message.format(folder=display_path(Path(top, name))))
        for name in names:
            if why := input_problem(Path(top, name), root):
                raise PlangenError(f"{display_path(Path(top, name))}: {why}")


@contextmanager
def _mkdocs_log() -> Iterator[list[str]]:
    """Collect what MkDocs warns about, instead of letting it print."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler = Collect(logging.WARNING)
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def site_config(project: Project) -> str:
    """plangen's mkdocs.yml, naming the site and setting the theme's language (its menus,
    search box) and the words of the light and dark scheme buttons in the site's language."""
    language = project.settings.site_language
    labels = Labels(project.templates_dir)[language]
    name = yaml_scalar(labels["site_name"])
    text = (BUILTIN_TEMPLATES / "site" / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^site_name: .*$", lambda _: f"site_name: {name}", text, count=1, flags=re.MULTILINE)
    toggles = iter([labels["dark_scheme"], labels["light_scheme"]])  # the palette's two, in this order
    toggle = re.compile(r"^(        name: ).*$", re.MULTILINE)
    text = toggle.sub(lambda found: found[1] + yaml_scalar(next(toggles)), text, count=2)
    return re.sub(r"^  language: .*$", f"  language: {theme_language(project)}", text, count=1, flags=re.MULTILINE)


def site_config_file(project: Project, folder: Path, units: Nav) -> tuple[Path, Path]:
    """The mkdocs.yml for MkDocs to read, written into *folder*, and the site folder it names.

    It is the project's own once :func:`~plangen.mkdocs_config.check_mkdocs_config` takes
    it, else plangen's (:func:`site_config`). MkDocs never reads the repository's file
    itself, so it reads nothing plangen did not check, even when the file changes meanwhile.
    It reads that copy through a second file of plangen's, which takes everything from it
    (MkDocs' INHERIT) but the nav, where *units* (:meth:`SiteWriter.navigation`) takes the
    place of units.md.
    """
    own = project.root / "mkdocs.yml"
    if os.path.lexists(own):
        text, site_dir = check_mkdocs_config(project, own)
    else:
        text, site_dir = site_config(project).encode(), "site"
    _write_changed(folder / "mkdocs.yml", text)
    nav = _with_units(read_source(folder / "mkdocs.yml", "mkdocs.yml", raw=text).data.get("nav"), units)
    own_nav = "" if nav is None else f"nav: {json.dumps(nav, ensure_ascii=False)}\n"  # None: MkDocs makes one
    config = folder / "mkdocs-nav.yml"
    _write_changed(config, f"INHERIT: mkdocs.yml\n{own_nav}".encode())
    return config, (project.root / site_dir).absolute()  # MkDocs would take a relative one from beside *config*


def _write_changed(path: Path, data: bytes) -> None:
    """Write *data* to *path* unless it holds it: unchanged, it does not make a live-reloading
    server build again."""
    if not holds(path, data):
        write_atomic(path, data, area=path.parent)


def _with_units(nav: Any, units: Nav) -> Any:
    """*nav* (as mkdocs.yml has it) with its entry for units.md, at any depth, made the section
    *units*, which keeps the title the entry gave the page."""
    if isinstance(nav, list):
        return [_with_units(item, units) for item in nav]
    if nav == "units.md":
        return units
    if isinstance(nav, dict) and len(nav) == 1:
        [(title, item)] = nav.items()
        return {title: next(iter(units.values()))} if item == "units.md" else {title: _with_units(item, units)}
    return nav


def mkdocs_build(project: Project, docs_dir: Path, units: Nav) -> Path:
    """Build *docs_dir* strictly with the project's mkdocs.yml (plangen's own when it has none)
    and *units* in its nav (:func:`site_config_file`), and swap the result into the site
    folder; returns that folder. Called with the output folder's lock held."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file, site_dir = site_config_file(project, docs_dir.parent, units)
    with _mkdocs_log() as messages:
        try:
            config = load_config(
                str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True, hooks=[str(HOOKS)]
            )
            final = Path(config["site_dir"])
            refuse_unless_folder(final)
            if why := misplaced(project, final, _("site folder")):
                raise PlangenError(why)
            final.parent.mkdir(parents=True, exist_ok=True)
            sweep(final.parent)  # the project's mkdocs.yml may put the site where the lock's sweep does not look
            with tempfile.TemporaryDirectory(prefix=temporary_prefix(final.name), dir=final.parent) as work:
                config["site_dir"] = str(Path(work) / "site")
                build(config)
                replace_folder(Path(work) / "site", final)
        except MkDocsException as exc:
            details = "".join(f"\n  {m}" for m in messages)
            raise PlangenError(_("MkDocs could not build the site: {error}").format(error=exc) + details) from None
    return final


def _fingerprint(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*")) if p.is_dir() else [])]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


def serve(
    project: Project,
    regenerate: Callable[[Path], Nav],
    source: Path,
    address: str,
    *,
    interval: float = 1.0,
) -> None:
    """Serve the site with MkDocs' live-reloading server; whenever plans, templates or
    settings (plangen.yml, mkdocs.yml) change, *regenerate* writes the pages again (only
    changed files are rewritten) and returns the nav of units, mkdocs.yml is checked again,
    and MkDocs rebuilds and reloads the browser."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    watched = [project.plans_dir, project.templates_dir, project.root / "plangen.yml", project.root / "mkdocs.yml"]
    with tempfile.TemporaryDirectory(prefix="plangen-") as private:  # where no one else can change what MkDocs reads

        def refresh() -> Path:
            return site_config_file(project, Path(private), regenerate(source))[0]

        config_file = refresh()
        seen = _fingerprint(watched)

        def watch() -> None:
            nonlocal seen
            while True:
                time.sleep(interval)
                now = _fingerprint(watched)
                if now != seen:
                    seen = now
                    try:
                        refresh()
                    except PlangenError as exc:  # shown, and the site stays as it was until the next change
                        exc.show()

        threading.Thread(target=watch, daemon=True).start()
        checked = [str(Path(private) / "mkdocs.yml")]  # which MkDocs reads through *config_file* (INHERIT)
        mkdocs_serve(
            str(config_file), livereload=True, docs_dir=str(source), dev_addr=address, watch=checked, hooks=[str(HOOKS)]
        )


def write_source(writer: SiteWriter, target: Path, downloads: dict[str, list[Path]]) -> Nav:
    """Write the site's pages into *target*, rewriting only the files that changed, so
    MkDocs' live-reloading server (watching *target*) sees just those; returns their nav
    of units (:meth:`SiteWriter.navigation`)."""
    make_folder(target, target.parent)
    with tempfile.TemporaryDirectory(prefix=temporary_prefix(target.name), dir=target.parent) as work:
        writer.write(Path(work), downloads)
        sync_folder(Path(work), target)
    return writer.navigation()
