"""Atomic writes: the old file survives a failed write, and exclusive writes never replace."""

from __future__ import annotations

import fcntl
import os
import subprocess
import threading
from pathlib import Path

import pytest

from generator.outputs import exclusive, write_atomic


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.txt"
    write_atomic(target, "一")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(target.parent) == ["out.txt"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_exclusive_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "plan.yml"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_atomic(target, "theirs", exclusive=True)
    assert target.read_text(encoding="utf-8") == "mine"
    assert os.listdir(tmp_path) == ["plan.yml"]


def test_sync_rewrites_only_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    from generator.outputs import sync_folder

    target, new = tmp_path / "target", tmp_path / "new"
    (target / "sub").mkdir(parents=True)
    (target / "same.md").write_text("same", encoding="utf-8")
    (target / "changed.md").write_text("old", encoding="utf-8")
    (target / "sub" / "gone.md").write_text("gone", encoding="utf-8")
    new.mkdir()
    (new / "same.md").write_text("same", encoding="utf-8")
    (new / "changed.md").write_text("new", encoding="utf-8")
    (new / "added.md").write_text("added", encoding="utf-8")
    before = (target / "same.md").stat().st_mtime_ns
    written = sync_folder(new, target)
    assert [p.name for p in written] == ["added.md", "changed.md"]
    assert sorted(p.name for p in target.iterdir()) == ["added.md", "changed.md", "same.md"]
    assert (target / "same.md").stat().st_mtime_ns == before


def test_a_second_holder_is_told_to_wait_and_leftovers_of_ended_builds_go(tmp_path: Path) -> None:
    ended = subprocess.Popen(["true"])
    ended.wait()
    (tmp_path / f".plan.docx.plangen-{ended.pid}-ab3k9x1q.tmp").write_text("half", encoding="utf-8")
    (tmp_path / f".site.plangen-{ended.pid}-old").mkdir()
    running = tmp_path / f".plan.docx.plangen-{os.getpid()}-k2j4l5m6.tmp"
    running.write_text("being written", encoding="utf-8")
    (tmp_path / ".site-notes").write_text("a user's file", encoding="utf-8")
    told = threading.Event()
    with (tmp_path / ".plangen.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)

        def build() -> None:
            with exclusive(tmp_path, waiting=told.set):
                pass

        waiter = threading.Thread(target=build)
        waiter.start()
        assert told.wait(5)
        fcntl.flock(held, fcntl.LOCK_UN)
        waiter.join(5)
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name, ".plangen.lock", ".site-notes"]
