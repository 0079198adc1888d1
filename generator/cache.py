"""What needs rebuilding: content hashes of what plans and documents depend on.

A plan's Word document is stale when the hash of its validated plan, the
templates (plangen's and the project's), the reference documents, the settings
and plangen itself (its version and code) differs from the hash recorded when
it was last written. Any change to templates or settings therefore rebuilds
everything. Likewise a plan file is parsed and validated again only when its
bytes, the settings or plangen changed. A missing or unreadable cache file
(a symbolic link is not followed: it counts as missing, and is replaced)
just means a full build.

What a cache records is signed with a secret of this user's (:func:`user_secret`):
its keys would otherwise be computed from public inputs (the plans, settings,
templates and plangen's version), so a cache committed to the repository could
pass off plans or documents of its own as read or built from the project's files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .errors import PlangenError, Problem
from .i18n import language
from .model import Plan
from .outputs import is_plain_file, read_plain, write_atomic
from .settings import BUILTIN_TEMPLATES, Project, named_file_problem
from .yaml_source import Location, display_path, input_problem

CACHE_FILE = ".plangen-cache.json"
PLANS_CACHE_FILE = ".plangen-plans.json"
SECRET_FILE = "plangen-cache.secret"
SECRET_BYTES = 32


def user_secret() -> bytes | None:
    """This user's secret for the caches, made once (readable by this user alone) in the private
    folder; None where there is no private folder, or the secret there cannot be read."""
    from .templating import private_folder  # Jinja: not for commands that only validate

    folder = private_folder()
    if folder is None:
        return None
    path = folder / SECRET_FILE
    try:
        with contextlib.suppress(FileExistsError):
            if not path.exists():
                write_atomic(path, secrets.token_bytes(SECRET_BYTES), exclusive=True, mode=0o600)
        secret = read_plain(path)
    except OSError:
        return None
    return secret if len(secret) == SECRET_BYTES else None


def _signed(secret: bytes, text: str) -> str:
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()


@functools.cache
def plangen_digest() -> str:
    """plangen's version and code: an installation from a checkout keeps its version
    number while its code changes, and a changed writer must not leave old output."""
    digest = hashlib.sha256(version("plangen").encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


def inputs_digest(project: Project) -> str:
    """The hash of everything but the plans: plangen, settings, templates, reference documents.

    Each file of the project is checked before it is read, as every file plangen reads
    from the project is (a template through a link to /proc/kmsg would keep the build
    waiting, a reference document set to /usr would have it read all of /usr)."""
    digest = hashlib.sha256(plangen_digest().encode())
    digest.update(project.settings.model_dump_json().encode())
    references = [project.root / path for path in project.settings.docx.references.values()]
    for reference in references:
        if why := named_file_problem(project, reference):
            raise PlangenError(f"{display_path(reference)}: {why}")
    for base in (BUILTIN_TEMPLATES, project.templates_dir, *references):
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []
        for file in files:
            if file.suffix in (".pyc",) or "__pycache__" in file.parts:
                continue
            if base != BUILTIN_TEMPLATES and (why := input_problem(file, project.root)):
                raise PlangenError(f"{display_path(file)}: {why}")
            digest.update(str(file.relative_to(base) if file != base else file.name).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def content_digest(plan: Plan) -> str:
    """The hash of a validated plan: a plan's outputs are built from nothing else."""
    return hashlib.sha256(plan.model_dump_json().encode()).hexdigest()


def plan_digest(inputs: str, content: str) -> str:
    """The hash a plan's document is built from: everything else, and the plan's *content* digest."""
    return hashlib.sha256((inputs + content).encode()).hexdigest()


class BuildCache:
    """Plan id → digest of what its document was last built from, kept beside the outputs and
    signed with this user's secret. Without one, a secret made for this build alone signs them, so
    every document is built."""

    def __init__(self, output: Path, name: str = CACHE_FILE) -> None:
        self.secret = user_secret() or secrets.token_bytes(SECRET_BYTES)
        self.path = output / name
        try:
            loaded = json.loads(read_plain(self.path))
            self.digests: dict[str, str] = {str(k): str(v) for k, v in loaded["docx"].items()}
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            self.digests = {}
        self.saved = dict(self.digests)

    def fresh(self, plan_id: str, digest: str, document: Path) -> bool:
        return self.digests.get(plan_id) == _signed(self.secret, digest) and is_plain_file(document)

    def record(self, plan_id: str, digest: str) -> None:
        self.digests[plan_id] = _signed(self.secret, digest)

    def save(self) -> None:
        if self.digests != self.saved:
            write_atomic(
                self.path, json.dumps({"docx": self.digests}, sort_keys=True, indent=1) + "\n", area=self.path.parent
            )


@dataclass(frozen=True)
class Loaded:
    """What reading and validating one plan file found."""

    plan: Plan | str | None
    """The valid plan; from the cache, its JSON text, to be validated only if a command reads it."""
    problems: list[Problem]
    checked: bool
    id_at: Location
    """Where the plan's id is written, for the check that ids are unique across files."""
    plan_id: str
    digest: str
    """The plan's :func:`content_digest`. Both are "" when the plan is not valid."""

    @classmethod
    def of(cls, plan: Plan | None, problems: list[Problem], checked: bool, id_at: Location) -> Loaded:
        """What was found in a plan file just read."""
        if plan is None:
            return cls(None, problems, checked, id_at, "", "")
        return cls(plan, problems, checked, id_at, plan.id or "", content_digest(plan))


class LoadCache:
    """Plan files already read and validated, by a hash of their bytes, the settings and
    the plangen version signed with this user's *secret*, so a rebuild skips parsing the
    plans that did not change (and validating them again, unless a command reads them)."""

    @classmethod
    def open(cls, path: Path, project: Project, today: dt.date | None = None) -> LoadCache | None:
        """The load cache at *path*, for plans checked as of *today*; None where this user has no
        secret: then every plan is read."""
        secret = user_secret()
        return cls(path, project, secret, today) if secret else None

    def __init__(self, path: Path, project: Project, secret: bytes, today: dt.date | None = None) -> None:
        self.path = path
        self.secret = secret
        # The problems are kept too: their language, and what was overdue on the day, are in them.
        self.salt = plangen_digest() + project.settings.model_dump_json() + language() + str(today)
        try:
            self.entries: dict[str, Any] = dict(json.loads(read_plain(path))["plans"])
        except (OSError, ValueError, KeyError, TypeError):
            self.entries = {}
        self.kept: dict[str, Any] = {}
        self.added = False

    def key(self, file: str, data: bytes) -> str:
        """The key of plan file *file* holding *data*: what it was read from is what it is kept by."""
        return hmac.new(self.secret, self.salt.encode() + file.encode() + b"\0" + data, hashlib.sha256).hexdigest()

    def get(self, key: str) -> Loaded | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            plan = entry["plan"]
            if not (plan is None or isinstance(plan, str)):
                return None
            problems = [Problem(**p) for p in entry["problems"]]
            found = Loaded(
                plan,
                problems,
                bool(entry["checked"]),
                Location(*entry["id_at"]),
                str(entry["plan_id"]),
                str(entry["digest"]),
            )
        except (ValueError, TypeError, KeyError):
            return None
        self.kept[key] = entry
        return found

    def put(self, key: str, found: Loaded) -> None:
        self.added = True
        self.kept[key] = {
            # As JSON text, which is quicker to read and write than nested data and is validated only
            # when a command reads the plan; defaults are filled in again then.
            "plan": found.plan.model_dump_json(exclude_defaults=True) if isinstance(found.plan, Plan) else found.plan,
            "problems": [asdict(p) for p in found.problems],
            "checked": found.checked,
            "id_at": [found.id_at.line, found.id_at.column],
            "plan_id": found.plan_id,
            "digest": found.digest,
        }

    def save(self) -> None:
        if not self.added and self.kept.keys() == self.entries.keys():
            return
        write_atomic(self.path, json.dumps({"plans": self.kept}, ensure_ascii=False) + "\n", area=self.path.parent)
