"""What git knows of the plans: each plan file's versions, followed through renames, and
the commits in which a plan was submitted or approved.

Everything is read with one ``git log`` over the plans folder and one ``git cat-file``
for the versions' text, however many plans there are (:func:`plans_history`): the site
asks for all plans' history at once, and so does ``plangen docx --changes-since``. Renames
within the folder are followed. A status is read from a version's ``status:`` line, not by
validating the old plan, so that a version that was invalid then still counts.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import PlangenError
from .i18n import _
from .model import CHINESE_NAMES

SETTLED = ("submitted", "approved")
"""The statuses a history lists: a plan handed in, a plan accepted."""

_STATUS_LINE = re.compile(rb"^status[ \t]*(?::|\xef\xbc\x9a)[ \t]*['\"]?([^\s'\"#]+)", re.MULTILINE)
_STATUS_LINE_WHOLE = re.compile(rb"^status[ \t]*(?::|\xef\xbc\x9a)[^\n]*\n?", re.MULTILINE)
_FLOW = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s|#[^\n]*\n)*\{")
"""A document written in flow style, as JSON is: its top-level mapping opens with a brace."""
_STATUS_WORDS = {name: word for word, names in CHINESE_NAMES.items() for name in (word, *names)}
_RECORD, _FIELD = "\x1e", "\x1f"
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class Commit:
    """A commit as a history shows it."""

    id: str
    author: str
    when: dt.datetime
    subject: str

    @property
    def short(self) -> str:
        return self.id[:7]


@dataclass(frozen=True)
class Version:
    """A plan file as one commit left it."""

    commit: Commit
    path: str
    """Its path from the repository's top, as it was named then."""
    blob: str
    """The git object of its text."""
    status: str | None = None
    """Its ``status:`` keyword (draft, submitted, approved), when one could be read."""


@dataclass(frozen=True)
class Event:
    """A commit that changed a plan's status to *status*."""

    version: Version
    status: str
    before: str | None
    """The status before, None for a plan that started with this one."""


@dataclass(frozen=True)
class History:
    """One plan file's versions, newest first, and what they say of its status."""

    versions: tuple[Version, ...]
    shallow: bool
    """Whether the repository is a shallow clone, so that older versions may be missing."""

    @property
    def events(self) -> list[Event]:
        """The submissions and approvals, oldest first: each version whose status became
        submitted or approved (again after a return to draft), and each change to a plan that
        stayed submitted (``resubmitted``: a revised version handed in again)."""
        events: list[Event] = []
        before: Version | None = None
        for version in reversed(self.versions):
            was = before.status if before else None
            status = version.status or was
            if status != was and status in SETTLED:
                events.append(Event(version, status, was))
            elif status == was == "submitted" and before and version.blob != before.blob:
                events.append(Event(version, "resubmitted", was))
            before = Version(version.commit, version.path, version.blob, status)
        return events

    @property
    def submissions(self) -> list[Event]:
        """The versions handed in: submitted, or resubmitted with changes."""
        return [event for event in self.events if event.status != "approved"]


def revision_problem(revision: str) -> str | None:
    """Why *revision* cannot be a git revision as typed: empty, or taken by git for an option."""
    if revision.strip() and not revision.startswith("-"):
        return None
    return _("'{revision}' is not a git revision; give a commit, branch or tag").format(revision=revision)


class Repository:
    """A git repository plangen reads, through the ``git`` program."""

    def __init__(self, top: Path, git: str) -> None:
        self.top = top
        self.git = git
        self.read: dict[str, bytes] = {}
        """Git objects' text read so far: a history reads them all, a comparison then some again."""
        self.shallow = self.run("rev-parse", "--is-shallow-repository").strip() == "true"

    @classmethod
    def around(cls, folder: Path) -> Repository:
        """The repository *folder* is in; a plain message when git or the repository is missing."""
        git = shutil.which("git")
        if git is None:
            raise PlangenError(_("git is not installed, so plan history cannot be read; install git and try again"))
        done = _git(git, folder, "rev-parse", "--show-toplevel")
        if "dubious ownership" in done.stderr:
            raise PlangenError(
                _(
                    "git refuses to read {folder}, which belongs to another user; to trust it, run "
                    "git config --global --add safe.directory {folder}"
                ).format(folder=folder)
            )
        if done.returncode != 0:
            raise PlangenError(
                _(
                    "{folder} is not in a git repository, so it has no history to compare with; to keep one, run "
                    "'git init' there and commit the plans"
                ).format(folder=folder)
            )
        return cls(Path(done.stdout.strip()), git)

    def run(self, *args: str) -> str:
        done = _git(self.git, self.top, *args)
        if done.returncode != 0:
            raise PlangenError(_("git {command} failed: {error}").format(command=args[0], error=done.stderr.strip()))
        return done.stdout

    def commit(self, revision: str) -> Commit:
        """The commit *revision* names; a message saying why when it names none."""
        if problem := revision_problem(revision):
            raise PlangenError(problem)
        done = _git(self.git, self.top, "log", "-1", f"--format={_FORMAT}", f"{revision}^{{commit}}", "--")
        if done.returncode != 0:
            if self.shallow:
                message = _(
                    "'{revision}' is not in this clone, which is shallow (it holds only the latest commits); "
                    "fetch the whole history with 'git fetch --unshallow' and try again"
                )
            else:
                message = _("'{revision}' names no commit of this repository; give a commit, branch or tag")
            raise PlangenError(message.format(revision=revision))
        return _commit(done.stdout.strip())

    def tree(self, commit: Commit, folder: Path) -> dict[str, str]:
        """The files under *folder* as *commit* has them: path from the top → git object."""
        listed = self.run("ls-tree", "-r", "-z", "--full-name", commit.id, "--", self.relative(folder))
        return {
            path: head.split()[2]
            for head, _tab, path in (entry.partition("\t") for entry in listed.split("\0") if entry)
        }

    def relative(self, path: Path) -> str:
        """*path* from the repository's top, as git names it."""
        return Path(os.path.relpath(path.resolve(), self.top.resolve())).as_posix()

    def texts(self, blobs: Iterable[str]) -> dict[str, bytes]:
        """The text of each git object in *blobs* (those missing from a shallow clone left out),
        those not read before read by one ``git cat-file``."""
        asked = list(dict.fromkeys(blobs))
        wanted = [blob for blob in asked if blob not in self.read]
        if wanted:
            self.read.update(self._cat(wanted))
        return {blob: self.read[blob] for blob in asked if blob in self.read}

    def _cat(self, wanted: list[str]) -> dict[str, bytes]:
        done = subprocess.run(
            [self.git, "cat-file", "--batch"],
            cwd=self.top,
            input="".join(f"{blob}\n" for blob in wanted).encode(),
            capture_output=True,
            env=_ENVIRONMENT,
            check=False,
        )
        texts: dict[str, bytes] = {}
        out, at = done.stdout, 0
        for blob in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            if len(header) < 3:  # "<blob> missing": not in a shallow clone
                at = end + 1
                continue
            size = int(header[2])
            texts[blob] = out[end + 1 : end + 1 + size]
            at = end + 2 + size
        return texts

    def versions(self, folder: str) -> list[tuple[Commit, list[tuple[str, str, str, str]]]]:
        """Each commit touching *folder*, newest first, with its changes to files: (status
        letter, old path, new path, new blob)."""
        args = ["log", f"--format={_RECORD}{_FORMAT}", "--raw", "--no-abbrev", "-M", "-z", "--no-merges"]
        out = self.run(*args, "--", folder)
        found = []
        for record in out.split(_RECORD)[1:]:
            head, _sep, raw = record.partition("\n")
            found.append((_commit(head.rstrip("\0")), _raw_changes(raw)))
        return found


_FORMAT = _FIELD.join(("%H", "%an", "%aI", "%s"))
_ENVIRONMENT = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def _git(git: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [git, "-c", "core.quotepath=off", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=_ENVIRONMENT,
        check=False,
    )


def _commit(head: str) -> Commit:
    """A commit from its line of ``--format=_FORMAT``."""
    fields = head.split(_FIELD)
    return Commit(fields[0], fields[1], dt.datetime.fromisoformat(fields[2]), fields[3])


def _raw_changes(raw: str) -> list[tuple[str, str, str, str]]:
    """``git log --raw -z`` lines as (status letter, old path, new path, new blob)."""
    parts = raw.strip("\n\0").split("\0")
    changes = []
    at = 0
    while at < len(parts):
        head = parts[at].strip("\n")
        if not head.startswith(":"):
            at += 1
            continue
        fields = head[1:].split()
        letter, blob = fields[4][0], fields[3]
        if letter in "RC":
            changes.append((letter, parts[at + 1], parts[at + 2], blob))
            at += 3
        else:
            changes.append((letter, parts[at + 1], parts[at + 1], blob))
            at += 2
    return changes


def without_status(text: bytes) -> bytes:
    """A plan's text without its ``status:`` line (and with Unix line ends): two versions alike
    in this differ at most in their status."""
    return _STATUS_LINE_WHOLE.sub(b"", text.replace(b"\r\n", b"\n"))


def status_of(text: bytes) -> str | None:
    """The status keyword a plan's text states: on its top-level ``status:`` line, or, in a plan
    written another way (flow style, JSON), wherever YAML finds it."""
    if match := _STATUS_LINE.search(text):
        return _STATUS_WORDS.get(match[1].decode("utf-8", "replace"))
    if b"status" not in text or not _FLOW.match(text):
        return None  # a block-style plan without a status: line has none (its activities' are theirs)
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    status = data.get("status") if isinstance(data, dict) else None
    return _STATUS_WORDS.get(status) if isinstance(status, str) else None


def plans_history(repository: Repository, folder: Path, paths: Iterable[Path]) -> dict[Path, History]:
    """The history of each plan file in *paths*, from one log of *folder* (renames within it are
    followed)."""
    names = {repository.relative(path): path for path in paths}
    chains = _chains(repository.versions(repository.relative(folder)), list(names))
    histories = _read_all(repository, chains)
    return {names[name]: history for name, history in histories.items()}


def _chains(log: list[tuple[Commit, list[tuple[str, str, str, str]]]], names: list[str]) -> dict[str, list[Version]]:
    """Each of *names*' versions, newest first, walking *log* back through renames: those git
    finds, and a plan file added in a commit that deletes one other (a file renamed and much
    rewritten at once, which git takes for another file)."""
    chains: dict[str, list[Version]] = {name: [] for name in names}
    holding = {name: name for name in names}  # each path walked back to → the plan file whose it was
    for commit, changes in log:
        for letter, old, new, blob in _paired(changes):
            name = holding.pop(new, None)
            if name is None or letter == "D" or blob == _NO_BLOB:
                continue  # another file's, or deleted here: an older file of that path is another plan
            chains[name].append(Version(commit, new, blob))
            if letter != "A":  # added here: no older version
                holding[old] = name
    return chains


def _paired(changes: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str]]:
    """*changes*, a plan file added and another deleted as their only ones made a rename."""
    plans = [change for change in changes if change[2].endswith((".yml", ".yaml")) and change[0] in "AD"]
    letters = sorted(change[0] for change in plans)
    if letters != ["A", "D"]:
        return changes
    added, deleted = (plans[0], plans[1]) if plans[0][0] == "A" else (plans[1], plans[0])
    renamed = ("R", deleted[1], added[2], added[3])
    return [renamed if change is added else change for change in changes if change is not deleted]


def _read_all(repository: Repository, chains: dict[str, list[Version]]) -> dict[str, History]:
    texts = repository.texts(version.blob for versions in chains.values() for version in versions)
    return {
        name: History(
            tuple(
                Version(v.commit, v.path, v.blob, status_of(texts[v.blob]) if v.blob in texts else None)
                for v in versions
            ),
            repository.shallow,
        )
        for name, versions in chains.items()
    }
