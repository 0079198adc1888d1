"""Writing output files so that a reader never sees half of one."""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def temporary_prefix(name: str) -> str:
    """How the names of plangen's temporary files and folders beside *name* begin.

    They carry the id of the process that made them, so the sweep in
    :func:`exclusive` removes only what a build that has ended left behind, never
    the files another plangen (a validate, a serve) is writing at that moment.
    """
    return f".{name}.plangen-{os.getpid()}-"


_TEMPORARY = re.compile(r"\..*\.plangen-(\d+)-.*")


def write_atomic(path: Path, data: bytes | str, *, exclusive: bool = False) -> None:
    """Write *data* to a temporary file beside *path*, then move it into place.

    A crash or error at any point leaves either the old file or the new one,
    never a mixture, and no temporary file behind. With *exclusive*, an
    existing file is never replaced (FileExistsError), even one that appears
    while writing.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path.name), suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        if exclusive:
            os.link(temp, path)
        else:
            os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


def replace_folder(new: Path, target: Path) -> None:
    """Put the complete folder *new* where *target* is, keeping *target* until *new* is in place."""
    old = target.with_name(temporary_prefix(target.name) + "old")
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def sync_folder(new: Path, target: Path) -> list[Path]:
    """Make *target* hold what *new* holds, rewriting only files whose content changed
    (each atomically) and removing the ones that are gone; returns the files written.

    Unlike :func:`replace_folder`, *target* stays the same folder, so a program
    watching it (a live-reload server) sees just the files that changed.
    """
    written = []
    wanted = {path.relative_to(new) for path in new.rglob("*") if path.is_file()}
    for relative in sorted(wanted):
        data = (new / relative).read_bytes()
        destination = target / relative
        if not destination.is_file() or destination.read_bytes() != data:
            write_atomic(destination, data)
            written.append(destination)
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(target) not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written


@contextmanager
def exclusive(folder: Path, *others: Path, waiting: Callable[[], None] | None = None) -> Iterator[int]:
    """Hold the output folder's lock, so two builds started at once run one after the other;
    *waiting* is called first when another build holds it.

    Whoever holds the lock owns the temporary files of earlier builds that were
    killed before they could tidy up (in *folder*, its subfolders and *others*),
    and removes them. Yields the lock's file descriptor, which processes forked
    meanwhile must close.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".plangen.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                waiting()
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for base in (folder, *[p for p in folder.iterdir() if p.is_dir()], *others):
                for leftover in base.glob(".*.plangen-*"):
                    if not _left_behind(leftover.name):
                        continue
                    if leftover.is_dir():
                        shutil.rmtree(leftover, ignore_errors=True)
                    else:
                        leftover.unlink(missing_ok=True)
            yield lock.fileno()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _left_behind(name: str) -> bool:
    """Whether *name* is a temporary file of a plangen process that no longer runs."""
    made = _TEMPORARY.fullmatch(name)
    if made is None:
        return False
    try:
        os.kill(int(made[1]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def die_with_parent() -> None:
    """Have the kernel end this process when its parent ends (Linux), so helpers of a
    killed build do not linger. Elsewhere this does nothing."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
