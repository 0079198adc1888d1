"""Find the plan files of a project, read and validate each, and cross-check them.

This is the first step of every command: it turns ``plans/**/*.yml`` into
validated plans plus every problem found, errors and warnings together.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import LoadCache, Loaded
from .checks import check_plan, check_unique_ids
from .errors import InvalidFile, PlangenError, Problem
from .i18n import _
from .model import Plan, plan_id_problem, written_in
from .settings import Project
from .validation import validate_data
from .yaml_source import Source, display_path, name_problem, read_bytes, read_source

PLAN_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class LoadedPlan:
    """A valid plan and the file it came from."""

    id: str
    digest: str
    """The plan's content digest: its outputs are up to date when this is what they were built from."""
    source: Source
    path: Path
    found: Plan | str = field(repr=False, compare=False)
    """The plan, or its JSON text from the load cache."""
    read_again: Callable[[], Plan] = field(repr=False, compare=False)
    """Reads the plan from its file, should the load cache's copy be damaged."""

    @functools.cached_property
    def plan(self) -> Plan:
        """The plan. One from the load cache is validated again only when read, so a
        rebuild after editing one plan does not validate all the others again."""
        if isinstance(self.found, Plan):
            return self.found
        try:
            return Plan.model_validate_json(self.found)
        except ValueError:  # the cache is written atomically, so only a hand can have damaged it
            return self.read_again()


@dataclass
class LoadResult:
    """Everything the load step found: the valid plans and all problems."""

    plans: list[LoadedPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    unchecked: int = 0
    """Files whose format errors kept parts of them from being cross-checked."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def find_plan_files(paths: Iterable[Path]) -> list[Path]:
    """Plan files named directly, or found at any depth under named folders.

    Everything with a plan file's suffix but a folder is found, so that a link or a
    FIFO is reported (by :func:`~plangen.yaml_source.read_bytes`) rather than
    silently skipped. Links to folders are not followed: they could lead out of the
    project, back into a folder above (a loop), or to the same plans a second time.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))  # rglob does not follow links to folders
                if p.suffix in PLAN_SUFFIXES
                and not p.is_dir()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.abspath(path), path)  # the same file, named twice
    return list(unique.values())


def load_plans(
    project: Project, paths: Iterable[Path] = (), cache: LoadCache | None = None, today: dt.date | None = None
) -> LoadResult:
    """Load the plans at *paths* (default: the project's plan folder); with *today*, what is overdue
    by then is warned of too.

    With *cache*, plans whose file, settings and plangen are unchanged since the
    last load are taken from it instead of being parsed again; the caller saves
    it once it holds the output folder, where the cache file lives.
    """
    paths = list(paths) or [project.plans_dir]
    files = find_plan_files(paths)
    if not files:
        shown = ", ".join(display_path(p) for p in paths)
        raise PlangenError(_("no plan files (*.yml, *.yaml) found in {folders}").format(folders=shown))
    result = LoadResult(files=len(files))
    for path in files:
        file = display_path(path)
        refused = name_problem(path)
        try:
            raw: bytes | None = None if refused else read_bytes(path, project.root)
        except OSError:
            raw = None  # read_source says why
        key = cache.key(file, raw) if cache and raw is not None else None
        found = cache.get(key) if cache and key else None
        if found is None:
            if refused:
                source = Source(file, problems=[Problem(file, 1, 1, "", refused)])
            else:
                source = read_source(path, file, raw=raw, within=project.root)
            found = Loaded.of(*load_plan(project, path, source, today), source.locate(("id",)))
            if cache and key:
                cache.put(key, found)
        result.problems.extend(found.problems)
        result.unchecked += not found.checked
        if found.plan is not None:
            id_source = Source(file, values={("id",): found.id_at})
            read_again = functools.partial(_read_again, project, path, file)
            result.plans.append(LoadedPlan(found.plan_id, found.digest, id_source, path, found.plan, read_again))
    shared = check_unique_ids(result.plans)
    result.problems.extend(shared)
    left_out = {problem.file for problem in shared}
    result.plans = [loaded for loaded in result.plans if loaded.source.file not in left_out]
    result.problems.sort(key=lambda p: (p.file, p.line, p.column))
    return result


def _read_again(project: Project, path: Path, file: str) -> Plan:
    """A plan read from its file, its problems an error should it no longer be valid."""
    plan, problems, _ = load_plan(project, path, read_source(path, file, within=project.root))
    if plan is None:
        raise InvalidFile([problem for problem in problems if problem.severity == "error"])
    return plan


def load_plan(
    project: Project, path: Path, source: Source, today: dt.date | None = None
) -> tuple[Plan | None, list[Problem], bool]:
    """Validate one read plan file: the plan (None if anything is an error), the
    problems, and whether the format was right so that cross-checks could run."""
    problems = list(source.problems)
    if source.data is None:
        return None, problems, False
    data = source.data
    if isinstance(data, dict) and data.get("id") is None:
        problem = plan_id_problem(path.stem)
        # An empty id: line is an error, not the file name: it looks unfinished, and a guess
        # could give the plan another's id.
        if "id" in data:
            message = _(
                "the plan id is empty; write one, such as 'id: qingyunxi-wangmin-2027', or leave the line out to "
                "use the file name"
            )
            problems.append(source.problem(("id",), message))
        elif problem:
            message = _(
                "the file name '{name}' cannot serve as the plan id ({problem}); add a line such as "
                "'id: qingyunxi-wangmin-2027'"
            )
            problems.append(source.problem(("id",), message.format(name=path.stem, problem=problem)))
        # On with the file name as the id, or none, so that every other problem is found too.
        data = {key: value for key, value in data.items() if key != "id"}
        if not problem:
            data["id"] = path.stem
    with written_in(data.get("language") if isinstance(data, dict) else None, project.settings.language):
        plan, found = validate_data(Plan, source, data)
        problems.extend(found)
        if plan is None:
            errors = [problem for problem in found if problem.severity == "error"]
            return None, problems + _check_the_rest(project, source, data, errors, today), False
        plan = _with_defaults(project, plan)
        problems.extend(check_plan(plan, source, today=today))
    if any(p.severity == "error" for p in problems):
        return None, problems, True
    return plan, problems, True


def _with_defaults(project: Project, plan: Plan) -> Plan:
    """The plan with the project's language and organisation where it names none."""
    settings = project.settings
    return plan.model_copy(
        update={
            "language": plan.language or settings.language,
            "organization": plan.organization or settings.organization,
        }
    )


# Stand-ins for required keys with format errors, so that the rest can be cross-checked.
_STAND_INS: dict[str, Any] = {"title": "-"}


def _check_the_rest(
    project: Project, source: Source, data: Any, errors: list[Problem], today: dt.date | None
) -> list[Problem]:
    """Cross-check the parts of a plan that have no format errors, so that a manager sees
    every problem in one round: top-level keys with errors are left out (required ones
    stood in for), and the checks that read them are skipped."""
    broken = {re.split(r"[.\[]", problem.field, maxsplit=1)[0] for problem in errors}
    if not isinstance(data, dict) or "" in broken:
        return []
    rest = {key: value for key, value in data.items() if key not in broken}
    rest.update({key: value for key, value in _STAND_INS.items() if key in broken})
    plan, found = validate_data(Plan, source, rest)
    if plan is None or any(problem.severity == "error" for problem in found):
        return []
    return check_plan(_with_defaults(project, plan), source, skip=broken, today=today)
