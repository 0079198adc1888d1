"""Writing output files so that a reader never sees half of one."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str, *, exclusive: bool = False) -> None:
    """Write *data* to a temporary file beside *path*, then move it into place.

    A crash or error at any point leaves either the old file or the new one,
    never a mixture, and no temporary file behind. With *exclusive*, an
    existing file is never replaced (FileExistsError), even one that appears
    while writing.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
