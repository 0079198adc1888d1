"""Atomic writes: the old file survives a failed write, exclusive writes never replace, nothing
is written through a link, and a folder swap killed at any step leaves a complete folder."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from filelock import lock_descriptor, unlock_descriptor

from conftest import posix_only, snapshot
from plangen.errors import PlangenError
from plangen.i18n import speaking
from plangen.outputs import (
    exclusive,
    is_plain_file,
    read_plain,
    refuse_link,
    refuse_unless_folder,
    sync_folder,
    write_atomic,
    write_chosen,
)


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
    (tmp_path / "site").mkdir()  # in place, so the old site set aside is no longer wanted
    running = tmp_path / f".plan.docx.plangen-{os.getpid()}-k2j4l5m6.tmp"
    running.write_text("being written", encoding="utf-8")
    (tmp_path / ".site-notes").write_text("a user's file", encoding="utf-8")
    told = threading.Event()
    with (tmp_path / ".plangen.lock").open("w") as held:
        lock_descriptor(held)

        def build() -> None:
            with exclusive(tmp_path, waiting=told.set):
                pass

        waiter = threading.Thread(target=build)
        waiter.start()
        assert told.wait(5)
        unlock_descriptor(held)
        waiter.join(5)
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name, ".plangen.lock", ".site-notes", "site"]


def outside(tmp_path: Path) -> Path:
    """A folder outside the output area with a file in it, for links to point at."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.txt").write_text("keep me", encoding="utf-8")
    return folder


@pytest.mark.parametrize("folder", ["out", "out/docx", "out/docx/deep"])
@pytest.mark.parametrize("kind", ["link-to-folder", "link-to-file", "dangling-link", "file"])
def test_folders_in_the_output_area_are_real_folders(tmp_path: Path, folder: str, kind: str) -> None:
    away = outside(tmp_path)
    before = snapshot(away)
    planted = tmp_path / folder
    planted.parent.mkdir(parents=True, exist_ok=True)
    if kind == "file":
        planted.write_text("a user's file", encoding="utf-8")
    else:
        planted.symlink_to({"link-to-folder": away, "link-to-file": away / "victim.txt"}.get(kind, away / "gone"))
    with pytest.raises(PlangenError) as caught:
        write_atomic(tmp_path / "out" / "docx" / "deep" / "plan.docx", "new", area=tmp_path / "out")
    assert caught.value.message == (
        f"{planted} is not a folder; plangen writes a folder there: move it away"
        if kind == "file"
        else f"{planted} is a symbolic link; plangen does not write through links: remove it"
    )
    assert snapshot(away) == before
    assert planted.is_symlink() or planted.read_text(encoding="utf-8") == "a user's file"


@pytest.mark.parametrize("points_to", ["victim.txt", "."])
def test_a_link_at_a_file_is_replaced_never_written_through(tmp_path: Path, points_to: str) -> None:
    away = outside(tmp_path)
    before = snapshot(away)
    target = tmp_path / "out" / "plan.docx"
    target.parent.mkdir()
    target.symlink_to(away / points_to)
    write_atomic(target, "new", area=tmp_path / "out")
    assert not target.is_symlink() and target.read_text(encoding="utf-8") == "new"
    assert snapshot(away) == before


@posix_only
def test_reading_never_follows_a_link_nor_waits_on_a_fifo(tmp_path: Path) -> None:
    away = outside(tmp_path)
    (tmp_path / "link").symlink_to(away / "victim.txt")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "plain").write_bytes(b"data")
    assert read_plain(tmp_path / "plain") == b"data"
    for name in ("link", "fifo", "missing"):
        with pytest.raises(OSError):
            read_plain(tmp_path / name)
    assert [is_plain_file(tmp_path / name) for name in ("plain", "link", "fifo", "missing")] == [
        True,
        False,
        False,
        False,
    ]


def test_sync_replaces_or_removes_links_and_never_follows_them(tmp_path: Path) -> None:
    away = outside(tmp_path)
    (away / "sub").mkdir()
    (away / "sub" / "page.md").write_text("theirs", encoding="utf-8")
    before = snapshot(away)
    new, target = tmp_path / "new", tmp_path / "out" / "site-src"
    (new / "plans").mkdir(parents=True)
    (new / "index.md").write_text("home", encoding="utf-8")
    (new / "plans" / "a.md").write_text("plan a", encoding="utf-8")
    (target / "plans").mkdir(parents=True)
    (target / "index.md").symlink_to(away / "victim.txt")  # wanted: replaced
    (target / "plans" / "a.md").symlink_to(away)  # wanted, pointing at a folder: replaced
    (target / "gone.md").symlink_to(away / "victim.txt")  # not wanted: removed
    (target / "gone").symlink_to(away)  # a linked folder not wanted: removed, not emptied
    written = sync_folder(new, target)
    assert [p.relative_to(target).as_posix() for p in written] == ["index.md", "plans/a.md"]
    assert {path: content for path, (_, content) in snapshot(target).items()} == {
        "index.md": b"home",
        "plans": None,
        "plans/a.md": b"plan a",
    }
    assert not any(p.is_symlink() for p in target.rglob("*"))
    assert snapshot(away) == before
    (target / "plans").rename(tmp_path / "plans-aside")
    (target / "plans").symlink_to(away / "sub")  # a folder the pages go into: refused
    with pytest.raises(PlangenError, match=r"site-src/plans is a symbolic link; plangen does not write through links"):
        sync_folder(new, target)
    assert snapshot(away) == before


def test_the_lock_file_is_never_opened_through_a_link(tmp_path: Path) -> None:
    away = outside(tmp_path)
    before = snapshot(away)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".plangen.lock").symlink_to(away / "victim.txt")
    with (
        pytest.raises(PlangenError, match=r"out/\.plangen\.lock is a symbolic link; plangen does not write"),
        exclusive(tmp_path / "out"),
    ):
        pass
    assert snapshot(away) == before


def test_the_sweep_never_follows_links(tmp_path: Path) -> None:
    ended = subprocess.Popen(["true"])
    ended.wait()
    away = outside(tmp_path)
    (away / f".plan.docx.plangen-{ended.pid}-ab3k9x1q.tmp").write_text("theirs", encoding="utf-8")
    (away / f".site.plangen-{ended.pid}-old").mkdir()
    (away / f".site.plangen-{ended.pid}-old" / "index.html").write_text("theirs", encoding="utf-8")
    before = snapshot(away)
    out = tmp_path / "out"
    out.mkdir()
    (out / "linked").symlink_to(away)  # a linked folder is not swept
    (out / f".x.plangen-{ended.pid}-k2j4l5m6").symlink_to(away)  # a leftover link goes, its target stays
    (tmp_path / "site").mkdir()
    (tmp_path / f".site.plangen-{ended.pid}-k2j4l5m6").symlink_to(away / f".site.plangen-{ended.pid}-old")
    with exclusive(out, tmp_path):
        pass
    assert snapshot(away) == before
    assert sorted(p.name for p in out.iterdir()) == [".plangen.lock", "linked"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "outside", "site"]


def test_an_old_folder_set_aside_is_put_back_when_nothing_took_its_place(tmp_path: Path) -> None:
    ended = subprocess.Popen(["true"])
    ended.wait()
    (tmp_path / f".site.plangen-{ended.pid}-old").mkdir()
    (tmp_path / f".site.plangen-{ended.pid}-old" / "index.html").write_text("the only copy", encoding="utf-8")
    (tmp_path / f".site.plangen-{ended.pid}-x2k9m1pq").mkdir()  # the new site it came from, half built
    with exclusive(tmp_path / "out", tmp_path):
        pass
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "the only copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


SWAP = """
import os, shutil, sys
from pathlib import Path
from plangen import outputs

kill_at, exchange = int(sys.argv[1]), sys.argv[2] == "exchange"
calls = 0


def counted(step):
    def run(*args):
        global calls
        calls += 1
        if calls == kill_at:
            os._exit(9)  # killed: no finally, no clean-up, on every system
        return step(*args)

    return run


new = Path(outputs.temporary_prefix("site") + "work") / "site"
shutil.copytree("new", new)
os.replace, shutil.rmtree = counted(os.replace), counted(shutil.rmtree)
outputs._exchange = counted(outputs._exchange) if exchange else lambda first, second: False
outputs.replace_folder(new, Path("site"))
"""


def site_generation(site: Path) -> str | None:
    """Which site is in place, "old" or "new", checking it is complete; None when there is none."""
    if not site.exists():
        return None
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    assert sorted(pages) == ["index.html", "sub/page.html"] and len(set(pages.values())) == 1
    return pages["index.html"]


@pytest.mark.parametrize(
    ("swap", "kill_at", "after_kill", "after_next_build"),
    [
        # Swapping in one step: the site is never missing.
        ("exchange", 1, "old", "old"),  # before the swap
        ("exchange", 2, "new", "new"),  # before deleting the old site
        ("exchange", 3, "new", "new"),  # not killed
        # In two steps, where the system cannot swap: the next lock holder puts the old site back.
        ("two-steps", 1, "old", "old"),  # before moving the old site aside
        ("two-steps", 2, None, "old"),  # between the two steps
        ("two-steps", 3, "new", "new"),  # before moving the old site to be deleted
        ("two-steps", 4, "new", "new"),  # before deleting it
        ("two-steps", 5, "new", "new"),  # not killed
    ],
)
def test_a_swap_killed_at_any_step_leaves_a_complete_site_and_the_next_build_keeps_one(
    tmp_path: Path, swap: str, kill_at: int, after_kill: str | None, after_next_build: str
) -> None:
    from plangen.outputs import _exchange

    for generation in ("site", "new"):
        (tmp_path / generation / "sub").mkdir(parents=True)
        for page in ("index.html", "sub/page.html"):
            (tmp_path / generation / page).write_text("old" if generation == "site" else "new", encoding="utf-8")
    probes = [tmp_path / "probe-a", tmp_path / "probe-b"]
    for probe in probes:
        probe.mkdir()
    if swap == "exchange" and not _exchange(*probes):
        pytest.skip("this system or file system cannot swap two folders in one step")
    for probe in probes:
        probe.rmdir()
    subprocess.run([sys.executable, "-c", SWAP, str(kill_at), swap], cwd=tmp_path, check=False)
    assert site_generation(tmp_path / "site") == after_kill
    with exclusive(tmp_path / "out", tmp_path):
        assert site_generation(tmp_path / "site") == after_next_build
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "out", "site"]


def test_a_failed_second_step_puts_the_old_folder_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plangen import outputs

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old", encoding="utf-8")
    (tmp_path / "new").mkdir()
    monkeypatch.setattr(outputs, "_exchange", lambda first, second: False)
    replace = os.replace
    calls: list[str] = []

    def failing_second(source: Path, destination: Path) -> None:
        calls.append(Path(source).name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        replace(source, destination)

    monkeypatch.setattr(os, "replace", failing_second)
    with pytest.raises(OSError, match="No space left"):
        outputs.replace_folder(tmp_path / "new", tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "site"]


def test_refusals_are_in_chinese_for_a_chinese_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link").symlink_to(tmp_path)
    (tmp_path / "file").write_text("a user's notes", encoding="utf-8")
    with speaking("zh-CN"):
        with pytest.raises(PlangenError) as link:
            refuse_link(tmp_path / "link")
        with pytest.raises(PlangenError) as file:
            refuse_unless_folder(tmp_path / "file")
    assert link.value.message == "link 是符号链接；plangen 不会通过链接写入文件：请删除它"
    assert file.value.message == "file 不是文件夹；plangen 要在这里写入一个文件夹：请把它移走"


@posix_only
def test_a_chosen_file_that_is_a_fifo_or_a_device_is_written_into_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_chosen(fifo, "a report\n", tmp_path)
    reader.join(timeout=10)
    assert received == [b"a report\n"] and stat.S_ISFIFO(fifo.lstat().st_mode)
    write_chosen(Path("/dev/null"), "a report\n", tmp_path)
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    with pytest.raises(OSError) as full:
        write_chosen(Path("/dev/full"), "a report\n", tmp_path)
    assert full.value.errno == errno.ENOSPC and stat.S_ISCHR(os.lstat("/dev/full").st_mode)
    with pytest.raises(IsADirectoryError):
        write_chosen(tmp_path, "a report\n", tmp_path.parent)


def test_a_chosen_file_linked_in_the_project_is_replaced_and_elsewhere_written_through(tmp_path: Path) -> None:
    project, away = tmp_path / "project", outside(tmp_path)
    project.mkdir()
    before = snapshot(away)
    (project / "report.json").symlink_to(away / "victim.txt")  # may have come with the repository
    write_chosen(project / "report.json", "new", project)
    assert not (project / "report.json").is_symlink() and snapshot(away) == before
    (tmp_path / "mine.json").symlink_to(away / "victim.txt")  # the user's own, as /dev/stdout is
    write_chosen(tmp_path / "mine.json", "new", project)
    assert (tmp_path / "mine.json").is_symlink() and (away / "victim.txt").read_text(encoding="utf-8") == "new"
    write_chosen(project / "plain.json", "new", project)
    assert (project / "plain.json").read_text(encoding="utf-8") == "new"


def test_a_file_another_program_holds_open_is_told_and_nothing_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file another program has open (a document open in Word)."""
    target = tmp_path / "plan.docx"
    target.write_bytes(b"open in Word")

    def refused(source: object, destination: object) -> None:
        raise PermissionError(errno.EACCES, "The process cannot access the file", str(destination))

    monkeypatch.setattr("plangen.outputs.os.replace", refused)
    with speaking("en"), pytest.raises(PlangenError) as held:
        write_atomic(target, b"new")
    assert held.value.message == (
        f"{target} cannot be replaced: another program has it open, or it is read-only; "
        "close it (a document open in Word, a folder open in Explorer) and build again"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["plan.docx"]
    assert target.read_bytes() == b"open in Word"
