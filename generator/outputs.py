"""Writing output files so that a reader never sees half of one, and nothing is written
through a symbolic link.

plangen owns its output folder and the site folder. A link planted in them (a
repository can hold links, and a build runs on whatever was checked out) must
not lead a write or a deletion out of them: folders are made here and must be
real folders, files are replaced (which replaces a link, never its target), and
nothing is read, swept or deleted through a link.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import PlangenError
from .i18n import _
from .yaml_source import NO_FOLLOW, READ_PLAIN, display_path


def temporary_prefix(name: str) -> str:
    """How the names of plangen's temporary files and folders beside *name* begin.

    They carry the id of the process that made them, so the sweep in
    :func:`exclusive` removes only what a build that has ended left behind, never
    the files another plangen (a validate, a serve) is writing at that moment.
    """
    return f".{name}.plangen-{os.getpid()}-"


_TEMPORARY = re.compile(r"\.(.*)\.plangen-(\d+)-(.*)")
_SET_ASIDE = "old"
"""The last part of the name :func:`replace_folder` gives the folder it moves aside."""


def refuse_link(path: Path) -> None:
    """Refuse a symbolic link at *path*, where plangen writes or which it copies."""
    if path.is_symlink():
        message = _("{path} is a symbolic link; plangen does not write through links: remove it")
        raise PlangenError(message.format(path=display_path(path)))


def refuse_unless_folder(path: Path) -> None:
    """Refuse anything but a real folder at *path*, where plangen keeps a folder; nothing there is fine.

    A file there is the user's, which plangen must neither hide nor delete."""
    refuse_link(path)
    if path.exists() and not path.is_dir():
        message = _("{path} is not a folder; plangen writes a folder there: move it away")
        raise PlangenError(message.format(path=display_path(path)))


def make_folder(folder: Path, area: Path) -> None:
    """Make *folder* and every folder from *area* down to it; each must be a real folder,
    so nothing written in *folder* can land outside *area*. (The folders above *area* are
    the user's to choose, links included.)"""
    area.parent.mkdir(parents=True, exist_ok=True)
    for step in (*reversed(folder.parents), folder):
        if step.is_relative_to(area):
            with contextlib.suppress(FileExistsError):
                step.mkdir()  # mkdir never follows a link: one there is "existing", and refused below
            refuse_unless_folder(step)


def is_plain_file(path: Path) -> bool:
    """Whether *path* is a regular file itself, not a link to one."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return False


def read_plain(path: Path) -> bytes:
    """The bytes of the regular file *path*; OSError for a link (never followed) or anything
    else, such as a FIFO, whose reading could block or never end."""
    if not hasattr(os, "O_NOFOLLOW") and path.is_symlink():
        raise OSError(errno.ELOOP, "a symbolic link", str(path))
    fd = os.open(path, READ_PLAIN)
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return stream.read()


def write_atomic(
    path: Path, data: bytes | str, *, exclusive: bool = False, area: Path | None = None, mode: int = 0o644
) -> None:
    """Write *data* to a temporary file beside *path*, then move it into place, with *mode*.

    A crash or error at any point leaves either the old file or the new one,
    never a mixture, and no temporary file behind. A link at *path* is replaced,
    never written through. With *exclusive*, an existing file is never replaced
    (FileExistsError), even one that appears while writing. With *area*, the
    folders from *area* down to *path* are made by :func:`make_folder`.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if area is None:
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        make_folder(path.parent, area)
    # mkstemp creates a new file (O_EXCL, O_NOFOLLOW); link() and replace() act on the name, not on a link's target.
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path.name), suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):  # not on Windows, where files have no such modes
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        if exclusive:
            os.link(temp, path)
        else:
            _replace(Path(temp), path)
    finally:
        Path(temp).unlink(missing_ok=True)


def write_chosen(path: Path, text: str, project: Path) -> None:
    """Write *text* to *path*, a file the user named on the command line (a report, the schema),
    working on the project in *project*.

    A new name, a regular file or a link in the project is written by :func:`write_atomic`
    (a link there may have come with the repository, so it is replaced, never written
    through). Anything else is written into as a stream, as a shell's ``>`` would: a
    device, FIFO or socket such as /dev/null, which replacing would break (and, for root,
    replace with a file), and a link elsewhere such as /dev/stdout, which leads to this
    process's own output, whatever that is. A folder is refused (IsADirectoryError).
    """
    try:
        mode = path.lstat().st_mode
    except (FileNotFoundError, NotADirectoryError):  # a new file, for write_atomic to make or explain
        mode = stat.S_IFREG
    linked_here = stat.S_ISLNK(mode) and Path(os.path.realpath(path.parent)).is_relative_to(project.resolve())
    if stat.S_ISREG(mode) or linked_here:
        write_atomic(path, text)
        return
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)


def replace_folder(new: Path, target: Path) -> None:
    """Put the complete folder *new* where the folder *target* is, then delete the old one.

    Where the kernel can swap two folders in one step (Linux), *target* is never
    missing. Elsewhere the old folder is moved aside for an instant first; should
    the build be killed then, the next one to hold the lock puts it back
    (:func:`sweep`). Either way *new* holds the old folder until it is deleted, so
    a build killed while deleting leaves only a temporary to sweep.
    """
    if not os.path.lexists(target):
        _replace(new, target)
        return
    if not _exchange(new, target):
        aside = target.with_name(temporary_prefix(target.name) + _SET_ASIDE)
        _replace(target, aside)
        try:
            _replace(new, target)
        except BaseException:
            os.replace(aside, target)
            raise
        os.replace(aside, new)
    shutil.rmtree(new)


def _replace(source: Path, target: Path) -> None:
    """os.replace, which Windows refuses while another program has *target* open: say so, and
    that closing it (the document in Word, the folder in Explorer) lets the build go on."""
    try:
        os.replace(source, target)
    except PermissionError as exc:
        message = _(
            "{path} cannot be replaced: another program has it open, or it is read-only; "
            "close it (a document open in Word, a folder open in Explorer) and build again"
        )
        raise PlangenError(message.format(path=display_path(target))) from exc


@functools.cache
def _libc() -> ctypes.CDLL | None:
    if sys.platform != "linux":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux's renameat2); False where the system or the file
    system cannot."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))


def sync_folder(new: Path, target: Path) -> list[Path]:
    """Make *target* hold what *new* holds, rewriting only files whose content changed
    (each atomically) and removing the ones that are gone; returns the files written.

    Unlike :func:`replace_folder`, *target* stays the same folder, so a program
    watching it (a live-reload server) sees just the files that changed. A link
    in *target* is replaced or removed, never followed.
    """
    make_folder(target, target)
    written = []
    wanted = {path.relative_to(new) for path in new.rglob("*") if path.is_file()}
    for relative in sorted(wanted):
        data = (new / relative).read_bytes()
        destination = target / relative
        if not holds(destination, data):
            write_atomic(destination, data, area=target)
            written.append(destination)
    for path in sorted(target.rglob("*"), reverse=True):  # rglob does not descend into linked folders
        if stat.S_ISDIR(path.lstat().st_mode):
            if not any(path.iterdir()):
                path.rmdir()
        elif path.relative_to(target) not in wanted:
            path.unlink()
    return written


def holds(path: Path, data: bytes) -> bool:
    """Whether *path* is a regular file holding *data*, so that writing it again would change nothing."""
    try:
        return read_plain(path) == data
    except OSError:
        return False


@contextmanager
def exclusive(folder: Path, *others: Path, waiting: Callable[[], None] | None = None) -> Iterator[int]:
    """Hold the output folder's lock, so two builds started at once run one after the other;
    *waiting* is called first when another build holds it.

    Whoever holds the lock owns the temporary files of earlier builds that were
    killed before they could tidy up (in *folder*, its subfolders and *others*),
    and sweeps them (:func:`sweep`). Yields the lock's file descriptor, which processes
    forked meanwhile must close (started ones do not inherit it).
    """
    from filelock import lock_descriptor, unlock_descriptor  # only builds lock: validate starts without it

    make_folder(folder, folder)
    path = folder / ".plangen.lock"
    refuse_link(path)  # where O_NOFOLLOW is missing (Windows); elsewhere the open refuses it too
    try:
        lock = os.open(path, os.O_RDWR | os.O_CREAT | NO_FOLLOW, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            refuse_link(path)
        raise
    try:
        if not lock_descriptor(lock, blocking=False):  # flock on POSIX, LockFileEx on Windows
            if waiting:
                waiting()
            lock_descriptor(lock)
        try:
            for base in (folder, *[p for p in folder.iterdir() if stat.S_ISDIR(p.lstat().st_mode)], *others):
                sweep(base)
            yield lock
        finally:
            unlock_descriptor(lock)
    finally:
        os.close(lock)


def sweep(folder: Path) -> None:
    """Remove what plangen processes that have ended left in *folder*, never following a link,
    and put back a folder :func:`replace_folder` had moved aside when nothing took its place.
    Only for the holder of the output folder's lock."""
    for leftover in folder.glob(".*.plangen-*"):
        made = _TEMPORARY.fullmatch(leftover.name)
        if made is None or _running(int(made[2])):
            continue
        if made[3] == _SET_ASIDE and not os.path.lexists(folder / made[1]):
            os.replace(leftover, folder / made[1])
        elif stat.S_ISDIR(leftover.lstat().st_mode):
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """Whether process *pid* may still be running; so it is taken to be when that cannot be
    told (no process id at all). Not os.kill(pid, 0), which on Windows ends the process."""
    import psutil  # only the holder of the lock sweeps: validate starts without it

    try:
        return psutil.pid_exists(pid)
    except (OverflowError, ValueError):
        return True


def die_with_parent() -> None:
    """Have the kernel end this process when its parent ends (Linux), so helpers of a
    killed build do not linger. Elsewhere this does nothing."""
    prctl = getattr(_libc(), "prctl", None)
    if sys.platform == "linux" and prctl is not None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
