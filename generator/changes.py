"""What changed in a plan between two versions, field by field on the validated model.

Two plans are compared as plangen reads them, not as text: a goal moved in the file,
a count written 9,300 instead of 9300 or a comment added is no change; a target of
5,000 that became 6,000 is one, with its difference. Items of a list are matched by
what names them (a goal by its id, a segment by its name, an activity by its title),
so an item added in the middle does not make every later one "changed". Long texts
get a short word-level difference instead of both versions whole.

Every change is worded in the plan's language, with the field names of its labels
(``fields`` in templates/labels), for the report ``plangen changes`` prints, the
revision table ``plangen docx --changes-since`` appends and the site's history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from .context import Labels, count_text, format_date, format_number, format_span, sub_period_label
from .errors import PlangenError
from .history import Commit, Event, History, Repository, Version, plans_history, without_status
from .i18n import _
from .loading import LoadedPlan, load_plan
from .model import FIGURE_DIGITS, Language, Plan, Span, resolve_sub_period
from .settings import Project
from .yaml_source import display_path, read_source

Kind = Literal["added", "removed", "changed"]

_NAMED_BY = ("title", "name", "metric", "audience")
"""The field that names an item of a list to a reader, the first a block has (a goal is
matched by its id, but named by its title)."""
_TEXT_CONTEXT = 12
"""Characters (or words) kept on each side of a text difference."""
_LONG_TEXT = 40
"""Texts at least this long are shown by their difference, shorter ones whole."""
_ROUGH = ("count", "total")
"""Figures whose block says whether they are approximate."""
_TOKENS = re.compile(r"[A-Za-z0-9_'’.,%-]+|\s+|.", re.DOTALL)


@dataclass(frozen=True)
class Change:
    """One difference: where (field names and item names, outermost first), what kind, the
    value before and after as the plan's documents print them, the difference of two
    figures, and for a long text the words that changed."""

    where: tuple[str, ...]
    kind: Kind
    old: str | None = None
    new: str | None = None
    delta: str | None = None
    words: tuple[tuple[str, str], ...] = ()
    """The text's difference: ("=", kept), ("-", taken out), ("+", put in); "…" stands for what is left out."""
    path: tuple[str, ...] = ()
    """Where, for a program: field names, an item's id or name, a sub-period as a period (2027-Q2)."""

    def data(self) -> dict[str, Any]:
        """The change as JSON data."""
        data = asdict(self)
        data["where"], data["path"] = list(self.where), list(self.path)
        data["words"] = [list(pair) for pair in self.words]
        return data


Place = tuple[tuple[str, str], ...]
"""Where a change is, outermost first: (what a reader is told, what a program is told) for each step."""


def _at(place: Place, kind: Kind, key: str | None = None, **values: Any) -> Change:
    """A change at *place*; *key* names the item added or removed there, for programs."""
    path = tuple(step for _label, step in place) + ((key,) if key is not None else ())
    return Change(tuple(label for label, _step in place), kind, path=path, **values)


def compare(old: Plan, new: Plan, labels: dict[str, Any]) -> list[Change]:
    """The changes from *old* to *new*, in the order of the plan's fields, worded with *labels*
    (the labels of the plan's language)."""
    comparison = _Comparison(labels, new.language or old.language or "zh-CN", old.period, new.period)
    return list(comparison.blocks((), old, new))


class _Comparison:
    def __init__(self, labels: dict[str, Any], language: Language, *periods: Span | None) -> None:
        self.labels = labels
        self.language = language
        self.periods = periods
        self.fields: dict[str, str] = labels["fields"]

    def blocks(self, where: Place, old: BaseModel, new: BaseModel) -> Iterator[Change]:
        rough = "approximate" in type(new).model_fields  # a count or total that may be 约
        for name in type(new).model_fields:
            if (name == "id" and where) or (rough and name == "approximate"):
                continue  # an item's id names it (a changed one is another item); 约 goes with its figure
            before, after = getattr(old, name), getattr(new, name)
            field = self.fields.get(f"{type(new).__name__.lower()}_{name}") or self.fields.get(name, name)
            label = (*where, (field, name))
            roughly = (getattr(old, "approximate", False), getattr(new, "approximate", False))
            if rough and name in _ROUGH and None not in (before, after) and (before, roughly[0]) != (after, roughly[1]):
                change = self.changed(label, name, before, after)
                old_text, new_text = (
                    count_text(value, about, self.labels)
                    for value, about in ((before, roughly[0]), (after, roughly[1]))
                )
                yield dataclasses.replace(
                    change, old=old_text, new=new_text, delta=change.delta if before != after else None
                )
            elif before != after:
                yield from self.values(label, name, before, after)

    def values(self, where: Place, name: str, old: Any, new: Any) -> Iterator[Change]:
        if isinstance(old, BaseModel) and isinstance(new, BaseModel):
            yield from self.blocks(where, old, new)
        elif old is None and isinstance(new, BaseModel) and (empty := _empty(type(new))) is not None:
            yield from self.blocks(where, empty, new)  # a part written anew: what it holds, item by item
        elif isinstance(old, list) and isinstance(new, list):
            yield from self.lists(where, old, new)
        elif isinstance(old, dict) and isinstance(new, dict):
            yield from self.mappings(where, name, old, new)
        elif old in (None, [], {}):
            yield _at(where, "added", new=self.shown(name, new))
        elif new in (None, [], {}):
            yield _at(where, "removed", old=self.shown(name, old))
        else:
            yield self.changed(where, name, old, new)

    def lists(self, where: Place, old: list[Any], new: list[Any]) -> Iterator[Change]:
        before, after = _keyed(old), _keyed(new)
        for key, item in before.items():
            if key not in after:
                yield _at(where, "removed", _step(key), old=self.item(item))
        for key, item in after.items():
            if key not in before:
                yield _at(where, "added", _step(key), new=self.item(item))
            elif before[key] != item:
                if isinstance(item, BaseModel):
                    yield from self.blocks((*where, (_name(item), _step(key))), before[key], item)
                else:
                    yield self.changed((*where, (_name(item), _step(key))), "", before[key], item)

    def item(self, item: Any) -> str:
        """An item added or removed: its name, and its count if it has one (a segment)."""
        count = getattr(item, "count", None)
        if not isinstance(count, int):
            return _name(item)
        counted = count_text(count, getattr(item, "approximate", False), self.labels)
        return str(self.labels["named_count"]).format(name=_name(item), count=counted)

    def mappings(self, where: Place, name: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
        """Keys by what they mean: milestones, actuals and reviews by the part of the period they
        name (Q1 and 一季度 are one), each named as the plan's documents name it."""
        before, after = self._by_period(old, self.periods[0]), self._by_period(new, self.periods[1])
        for key in [*before, *(key for key in after if key not in before)]:
            label, _value, step = after.get(key) or before[key]
            was, now = before.get(key, ("", None, ""))[1], after.get(key, ("", None, ""))[1]
            if was != now:
                yield from self.values((*where, (label, step)), name, was, now)

    def _by_period(self, values: dict[str, Any], period: Span | None) -> dict[Any, tuple[str, Any, str]]:
        """*values* by the dates of the period each key names: (its name, the value, the period
        as plangen writes it, 2027-Q2)."""
        keyed: dict[Any, tuple[str, Any, str]] = {}
        for key, value in values.items():
            try:
                span = resolve_sub_period(key, period) if period else None
            except ValueError:
                span = None
            if span is None or period is None:
                keyed[key] = (str(key), value, str(key))
            else:
                keyed[(span.start, span.end)] = (sub_period_label(key, period, self.language), value, span.text)
        return keyed

    def changed(self, where: Place, name: str, old: Any, new: Any) -> Change:
        delta = None
        if _figure(old) and _figure(new):
            difference = Decimal(str(new)) - Decimal(str(old))
            shown = format_number(float(round(difference, FIGURE_DIGITS)))
            delta = shown if difference < 0 else f"+{shown}"
        before, after = self.shown(name, old), self.shown(name, new)
        if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) >= _LONG_TEXT:
            return _at(where, "changed", old=before, new=after, words=_word_difference(old, new))
        return _at(where, "changed", old=before, new=after, delta=delta)

    def shown(self, name: str, value: Any) -> str:
        """*value* as the plan's documents print it."""
        if isinstance(value, bool):
            return str(self.labels["yes" if value else "no"])
        if _figure(value):
            return format_number(value)
        if isinstance(value, dt.date):
            return format_date(value, self.language)
        if isinstance(value, Span):
            return format_span(value, self.language)
        if isinstance(value, BaseModel):
            return _name(value) or self.fields.get(name, name)  # a block no field names: named as its field
        if isinstance(value, list):
            return str(self.labels["list_separator"]).join(self.shown(name, item) for item in value)
        if name == "direction":
            return str(self.labels[value])
        for words in _KEYWORDS.get(name, ()):
            if value in self.labels[words]:
                return str(self.labels[words][value])
        return str(value)


_KEYWORDS = {"status": ("statuses", "states"), "method": ("methods",), "frequency": ("frequencies",)}
"""Fields whose values are keywords, and the labels that word them (a plan's status, an
activity's or a programme's state)."""


def _figure(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _empty(block: type[BaseModel]) -> BaseModel | None:
    """*block* with nothing in it, if it can be empty (the clients can, an owner cannot)."""
    try:
        return block()
    except ValidationError:
        return None


def _name(item: Any) -> str:
    """What names *item* to a reader; "" for a block without a naming field."""
    if isinstance(item, BaseModel):
        return next(
            (value for field in _NAMED_BY if isinstance(value := getattr(item, field, None), str) and value), ""
        )
    return str(item)


def _step(key: tuple[str, int]) -> str:
    """An item's key for programs: its id or name, with #2, #3… for the second and third of a name."""
    return key[0] if key[1] == 1 else f"{key[0]}#{key[1]}"


def _keyed(items: list[Any]) -> dict[tuple[str, int], Any]:
    """*items* by their name and, for items of the same name, the how-manieth they are."""
    keyed: dict[tuple[str, int], Any] = {}
    seen: dict[str, int] = {}
    for item in items:
        name = identity if isinstance(identity := getattr(item, "id", None), str) else _name(item)
        seen[name] = seen.get(name, 0) + 1
        keyed[(name, seen[name])] = item
    return keyed


def _word_difference(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """What changed from *old* to *new*, word by word (character by character in Chinese),
    with a little of the text around each change and "…" for the rest."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    for number, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            kept = "".join(a[i1:i2])
            first, last = number == 0, number == len(opcodes) - 1
            if len(kept) > 2 * _TEXT_CONTEXT or ((first or last) and len(kept) > _TEXT_CONTEXT):
                head = "" if first else kept[:_TEXT_CONTEXT]
                tail = "" if last else kept[-_TEXT_CONTEXT:]
                kept = f"{head}…{tail}"
            parts.append(("=", kept))
            continue
        if i2 > i1:
            parts.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("+", "".join(b[j1:j2])))
    return tuple(parts)


def report_line(change: Change, labels: dict[str, Any]) -> str:
    """*change* in one line of plain text: ``目标 › 存款 › 目标值：5,000 → 6,000（+1,000）``,
    with ``[-taken out-]{+put in+}`` for a text's words."""
    where = " › ".join(change.where)
    colon = labels["colon"]
    if change.kind == "added":
        return f"{where}{colon}{labels['change_added']} {change.new}"
    if change.kind == "removed":
        return f"{where}{colon}{labels['change_removed']} {change.old}"
    if change.words:
        text = "".join(
            text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}" for op, text in change.words
        )
        return f"{where}{colon}{text}"
    delta = labels["change_delta"].format(delta=change.delta) if change.delta else ""
    return f"{where}{colon}{change.old} → {change.new}{delta}"


@dataclass(frozen=True)
class Revision:
    """A plan's changes since an earlier version of it, in git."""

    since: Commit
    path: str
    """The plan's file in that version, from the repository's top."""
    now: str
    """The plan's file now, from the repository's top (another when it was renamed or moved since)."""
    changes: tuple[Change, ...]

    def data(self) -> dict[str, Any]:
        """The revision as JSON data."""
        commit = self.since
        since: dict[str, str | None] = {
            "commit": commit.id,
            "author": commit.author,
            "date": commit.when.isoformat(),
            "path": self.path,
        }
        since["renamed_to"] = self.now if self.now != self.path else None
        return {"since": since | {"subject": commit.subject}, "changes": [change.data() for change in self.changes]}


def revisions(
    project: Project, plans: list[LoadedPlan], revision: str | None, labels: Labels
) -> dict[str, Revision | str]:
    """Each plan's changes since *revision* (a git revision), or why there are none to give. With
    no *revision*, each plan's own last submission is the point to compare with, else its last
    committed version that differs from the file now.

    The plans' history is read once for all (history.py), and only the versions compared are
    validated."""
    repository = Repository.around(project.root)
    folder = project.plans_dir if all(_inside(p.path, project.plans_dir) for p in plans) else repository.top
    histories = plans_history(repository, folder, [loaded.path for loaded in plans])
    since = repository.commit(revision) if revision else None
    tree = repository.tree(since, folder) if since else {}
    names = {loaded.id: repository.relative(loaded.path) for loaded in plans}
    chosen = {
        loaded.id: _version_at(histories[loaded.path], since, tree, loaded, names[loaded.id], revision)
        for loaded in plans
    }
    texts = repository.texts(version.blob for version in chosen.values() if isinstance(version, Version))
    found: dict[str, Revision | str] = {}
    for loaded in plans:
        version = chosen[loaded.id]
        old = (
            version
            if isinstance(version, str)
            else _old_plan(project, repository, loaded, version, texts.get(version.blob))
        )
        if isinstance(version, str) or isinstance(old, str):
            found[loaded.id] = str(old)
        else:
            language = loaded.plan.language or project.settings.language
            changes = tuple(compare(old, loaded.plan, labels[language]))
            found[loaded.id] = Revision(version.commit, version.path, names[loaded.id], changes)
    return found


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _version_at(
    history: History,
    since: Commit | None,
    tree: dict[str, str],
    loaded: LoadedPlan,
    name: str,
    revision: str | None,
) -> Version | str:
    """The version of *loaded*'s file to compare with: the one *since* holds (*tree*: its files),
    under the name the file had then, whether or not *since* is in the history of the file now
    (another branch); else (no *since*) its last submission, else its last committed version
    unlike the file now, else its last committed version. *name* is the file's path from the
    repository's top."""
    file = display_path(loaded.path)
    if since is not None:
        for then in dict.fromkeys([name, *(version.path for version in history.versions)]):
            if then in tree:
                return Version(since, then, tree[then])
        if history.shallow:
            return _(
                "{file}: not found in the history this clone holds, which is shallow; fetch the whole history "
                "with 'git fetch --unshallow' and try again"
            ).format(file=file)
        return _(
            "{file}: the plan did not exist at {revision} (its first commit is later), so there is nothing to "
            "compare it with"
        ).format(file=file, revision=revision)
    if submissions := history.submissions:
        return submissions[-1].version
    data = loaded.path.read_bytes()
    now = {_blob_id(data), _blob_id(data.replace(b"\r\n", b"\n"))}  # as committed from Windows, too
    for version in history.versions:
        if version.blob not in now:
            return version
    if history.shallow:
        return _(
            "{file}: this clone is shallow (it holds only the latest commits), so the plan's last submission may be "
            "missing from it; fetch the whole history with 'git fetch --unshallow', or give a revision with --since"
        ).format(file=file)
    if not history.versions:
        return _(
            "{file}: the plan has never been committed to git, so it has no earlier version; commit it, "
            "or give a revision with --since"
        ).format(file=file)
    return history.versions[0]


def _blob_id(data: bytes) -> str:
    """The git object id of a file holding *data*, as git hashes it."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _old_plan(
    project: Project, repository: Repository, loaded: LoadedPlan, version: Version, raw: bytes | None
) -> Plan | str:
    """The plan as *version* holds it, validated as plangen validates it now, under the file name
    it had then (which gives a plan without an id its id), or why it cannot be."""
    file = display_path(loaded.path)
    if raw is None:
        return _(
            "{file}: the version of {commit} is missing from this clone; fetch the whole history with "
            "'git fetch --unshallow'"
        ).format(file=file, commit=version.commit.short)
    then = repository.top / version.path
    source = read_source(then, f"{version.commit.short}:{version.path}", raw=raw, within=project.root)
    plan, problems, _checked = load_plan(project, then, source)
    if plan is None:
        errors = "\n".join(str(problem) for problem in problems if problem.severity == "error")
        return _(
            "{file}: the version of {commit} is not a valid plan, so it cannot be compared field by field:\n{errors}"
        ).format(file=file, commit=version.commit.short, errors=errors)
    return plan


def revision_view(
    since: Commit, changes: Iterable[Change], labels: dict[str, Any], language: Language
) -> dict[str, Any]:
    """What the revision notes show of *changes* since *since* (templates/parts/revisions.md.j2)."""
    day = format_date(since.when.date(), language)
    rows = []
    for change in changes:
        before: list[tuple[str, str]] = []
        after: list[tuple[str, str]] = []
        if change.words:  # on one line, as a table cell holds it
            words = [(mark, re.sub(r"\s+", " ", text)) for mark, text in change.words]
            before = [(mark, text) for mark, text in words if mark != "+"]
            after = [(mark, text) for mark, text in words if mark != "-"]
        elif change.kind == "added":
            after = [("=", f"{labels['change_added']}{labels['colon']}{change.new}")]
        elif change.kind == "removed":
            before = [("=", change.old or "")]
            after = [("=", labels["change_removed"])]
        else:
            before = [("=", change.old or "")]
            after = [("=", change.new or "")] + (
                [("=", labels["change_delta"].format(delta=change.delta))] * bool(change.delta)
            )
        rows.append({"where": " › ".join(change.where), "before": before, "after": after})
    return {"since": labels["revision_since"].format(date=day, commit=since.short), "rows": rows}


@dataclass(frozen=True)
class PlanHistory:
    """What the site shows of a plan's history: its submissions and approvals, and the plan as
    it was at the submission before the one it stands as now, to show what changed since."""

    events: tuple[Event, ...]
    shallow: bool
    compared: tuple[Version, Plan] | None = None
    """The submission to show the changes since, and the plan as it was then."""


def site_histories(project: Project, plans: list[LoadedPlan]) -> tuple[dict[str, PlanHistory], str | None]:
    """Each plan's history for the site, from one read of git (history.py), and a warning when
    a project in git could not have its history read (git missing, say); none for a project
    outside git, whose site simply has no history.

    The submission to compare with is the last one, unless the plan now is that submission
    (changed since in nothing but its status and date, as an approval changes it): then the
    one before."""
    try:
        repository = Repository.around(project.root)
    except PlangenError as error:
        in_git = any(os.path.lexists(folder / ".git") for folder in (project.root, *project.root.parents))
        return {}, _("the site has no plan history: {why}").format(why=error.message) if in_git else None
    histories = plans_history(repository, project.plans_dir, [loaded.path for loaded in plans])
    candidates = {
        loaded.id: [event.version for event in histories[loaded.path].submissions[-2:]][::-1] for loaded in plans
    }
    texts = repository.texts(version.blob for versions in candidates.values() for version in versions)
    found = {}
    for loaded in plans:
        history = histories[loaded.path]
        compared = _compared_submission(project, repository, loaded, candidates[loaded.id], texts)
        found[loaded.id] = PlanHistory(tuple(history.events), history.shallow, compared)
    return found, None


def _compared_submission(
    project: Project, repository: Repository, loaded: LoadedPlan, candidates: list[Version], texts: dict[str, bytes]
) -> tuple[Version, Plan] | None:
    """The first of *candidates* (newest first) that is more than the plan now restated with
    another status and date, with the plan it holds; None if there is none (or none valid)."""
    now = without_status(loaded.path.read_bytes()) if candidates else b""
    for version in candidates:
        raw = texts.get(version.blob)
        if raw is not None and without_status(raw) == now:
            continue  # the plan now is this submission, approved perhaps: no need to read it
        before = _old_plan(project, repository, loaded, version, raw)
        if isinstance(before, Plan) and not _same_submission(before, loaded.plan):
            return version, before
    return None


def _same_submission(before: Plan, now: Plan) -> bool:
    """Whether *now* is *before* with at most its status and date changed."""
    return before.model_copy(update={"status": now.status, "date": now.date}) == now
