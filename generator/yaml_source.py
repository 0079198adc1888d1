"""Read a YAML file into plain data and remember where every value came from.

PyYAML's loaders forget positions once the data is built, keep the last of two
duplicate keys without a word, expand aliases recursively, so a small hostile
file can keep them busy for hours, and follow YAML 1.1, which reads 0700 as 448
and no as false. This module builds the data itself from the parser's event
stream instead: in one loop, within fixed limits, with a line and column for
every key and value, with only YAML's plain data types (no Python object tags),
and by YAML 1.2's rules, so that every value keeps its written meaning. It also
reads only ordinary files, and shows file names printably.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from .errors import Problem, Severity

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_VALUES = 250_000

FieldPath = tuple[Any, ...]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("null", "bool", "int", "float", "str", "timestamp", "merge")}
# YAML 1.2's core schema: PyYAML follows YAML 1.1, where yes, no, on and off are booleans too.
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[-+][0-9]+)?")
_MAPPING_TAGS = {None, "!", _YAML + "map"}
_SEQUENCE_TAGS = {None, "!", _YAML + "seq"}

# Characters a YAML stream may not contain at all (YAML's printable set).
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NOT_IN_WORD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters a Word document (XML) cannot hold, which escapes such as "\\x07" still produce."""
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Control characters, which a file name shown in a report must not carry."""

# Read-only, without waiting (opening a FIFO waits for a writer) and never through a link, where the system has these.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_NOT_FILES = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}

# Plain-language hints for the parser messages managers meet most often.
_TAB_HINT = "a tab is used for indentation; indent with spaces"
_SYNTAX_HINTS = (
    ("maximum nesting depth", f"the data is nested more than {MAX_DEPTH} levels deep"),
    ("mapping values are not allowed", "put text that contains ': ' in quotes, or check this line's indentation"),
    ("could not find expected ':'", "a key is missing its ':' or the indentation is off"),
    ("expected '-' indicator", "this line's indentation does not match the list above it"),
    ("while scanning a quoted scalar", "the quoted text starting here is never closed"),
)


@dataclass(frozen=True)
class Location:
    line: int
    column: int


@dataclass
class Source:
    """A read file: its data (None if it could not be read), positions, problems."""

    file: str
    data: Any = None
    values: dict[FieldPath, Location] = field(default_factory=dict)
    keys: dict[FieldPath, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: FieldPath) -> Location:
        """Where the value at *path* starts, or else its nearest enclosing value."""
        for end in range(len(path), -1, -1):
            found = self.values.get(tuple(path[:end]))
            if found:
                return found
        return Location(1, 1)

    def problem(self, path: FieldPath, message: str, severity: Severity = "error", *, at_key: bool = False) -> Problem:
        """A problem about *path*, placed at its key (for unknown keys) or its value."""
        where = (self.keys.get(tuple(path)) if at_key else None) or self.locate(path)
        return Problem(self.file, where.line, where.column, format_path(path), message, severity)


def format_path(path: FieldPath) -> str:
    """``('goals', 2, 'target')`` → ``goals[2].target``."""
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def display_path(path: Path) -> str:
    """*path* as users should see it: relative to the working folder when inside it, and
    printable anywhere: bytes that are not UTF-8 and control characters (see
    :func:`name_problem`) are written as escapes such as \\xff."""
    text = os.fsencode(_shown(path)).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda found: f"\\x{ord(found[0]):02x}", text)


def name_problem(path: Path) -> str | None:
    """What keeps *path*, as users see it, from being shown as it is, if anything: bytes that
    are not UTF-8 (a name made on a system using another encoding) or control characters,
    which would garble a report or a terminal."""
    name = os.fsencode(_shown(path))
    try:
        text = name.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            f"the file name is not UTF-8 text (byte 0x{name[exc.start]:02X}); names made on a system "
            "using GBK look like this: rename the file"
        )
    control = _CONTROL.search(text)
    if control:
        return f"the file name holds control character U+{ord(control[0]):04X}; rename the file"
    return None


def _shown(path: Path) -> str:
    here = os.path.join(os.getcwd(), "")
    for resolve in (os.path.abspath, os.path.realpath):  # the second, slower, for paths through links
        candidate = resolve(path)
        if candidate.startswith(here):
            return Path(candidate[len(here) :]).as_posix()
    return str(path)


def read_bytes(path: Path, within: Path | None = None) -> bytes:
    """The bytes of *path*, but no more than one past the size a plan file may have.

    Only an ordinary file is read, and with *within* (the project folder) only one
    :func:`input_problem` finds nothing wrong with. The file is checked before it
    is opened, opened without waiting and without following a link put in its
    place since, and checked again once open. What is refused raises OSError
    saying why.
    """
    real = os.path.realpath(path)
    why = input_problem(path, within) if within is not None else _kind_problem(os.stat(real).st_mode)
    if why:
        raise OSError(why)
    with open(os.open(real, _OPEN_FLAGS), "rb") as stream:
        if why := _kind_problem(os.fstat(stream.fileno()).st_mode):
            raise OSError(why)
        return stream.read(MAX_BYTES + 1)


def input_problem(path: Path, within: Path) -> str | None:
    """Why plangen must not read *path*, a file of the project in *within*, or None.

    Only ordinary files: a FIFO would keep the reader waiting for a writer, a
    device could stream without end. Links are followed, but must end inside the
    project, and not in a hidden file or folder such as .git or .env: otherwise a
    plan, template or page could be a link to a key or a password file, which a
    CI run would quote in its reports or publish. A link to a file elsewhere in
    the project shows nothing the project does not hold, so it is fine.
    """
    real = os.path.realpath(path)
    linked = real != os.path.abspath(path)
    if linked:
        base = os.path.join(os.path.realpath(within), "")
        if not real.startswith(base):
            return "it is a link to a file outside the project; put the file itself in the project"
        if any(part.startswith(".") for part in Path(real[len(base) :]).parts):
            return "it is a link to a hidden file or folder, such as .git; put the file itself here"
    try:
        return _kind_problem(os.stat(real).st_mode)
    except FileNotFoundError:
        if linked:
            return "it is a link to nothing; put the file itself here"
        raise


def _kind_problem(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = _NOT_FILES.get(stat.S_IFMT(mode), "something else")
    return f"it is {kind}, not an ordinary file; only ordinary files are read"


def read_source(
    path: Path, file: str, *, empty: Any = None, raw: bytes | None = None, within: Path | None = None
) -> Source:
    """Read *path* (shown to users as *file*; *within* as :func:`read_bytes` takes it),
    or parse *raw*, its bytes already read; never raises for bad content.

    A file with no data is a problem unless *empty* gives the data it stands for.
    """
    source = Source(file)
    if raw is None:
        try:
            raw = read_bytes(path, within)
        except OSError as exc:
            return _fail(source, Location(1, 1), f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > MAX_BYTES:
        return _fail(
            source,
            Location(1, 1),
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it or move long texts out",
        )
    text = _decode(raw, source)
    if text is None:
        return source
    bad = [m.start() for m in _NOT_YAML.finditer(text)]
    for index in bad[:20]:
        _fail(
            source,
            _position(text, index),
            f"invisible control character U+{ord(text[index]):04X} is not allowed "
            "(often pasted from another program); delete it",
        )
    if bad:
        return source
    if not text.strip() and empty is None:
        return _fail(source, Location(1, 1), "the file is empty")
    _Builder(source).build(text)
    if source.data is None and not source.problems:
        if empty is None:
            return _fail(source, Location(1, 1), "the file holds no data, only comments")
        source.data = empty
    return source


def _fail(source: Source, where: Location, message: str, path: FieldPath = ()) -> Source:
    source.problems.append(Problem(source.file, where.line, where.column, format_path(path), message))
    return source


def _position(text: str, index: int) -> Location:
    line_start = text.rfind("\n", 0, index) + 1
    return Location(text.count("\n", 0, index) + 1, index - line_start + 1)


def _decode(raw: bytes, source: Source) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        _fail(source, Location(1, 1), "the file is saved as UTF-16; save it as UTF-8")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8-sig", "replace")
        _fail(
            source,
            _position(head + "?", len(head)),
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X}); files saved as GBK or "
            "GB2312 look like this: save it as UTF-8",
        )
        return None


class _Stop(Exception):
    """Ends a read at a problem that leaves nothing sensible to go on with."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.where = Location(mark.line + 1, mark.column + 1)
        self.message = message


_NO_KEY = object()
_MERGE = object()
_DROPPED = object()


@dataclass
class _Frame:
    path: FieldPath
    container: dict[Any, Any] | list[Any]
    anchor: str | None
    count_before: int
    key: Any = _NO_KEY
    dropping: bool = False
    merges: list[dict[Any, Any]] = field(default_factory=list)
    written: dict[str, Any] = field(default_factory=dict)
    """Each key as text (as the model reads keys) → the key, so 2027-06-30 and "2027-06-30" are one."""

    def child_path(self) -> FieldPath:
        if isinstance(self.container, list):
            return (*self.path, len(self.container))
        return (*self.path, _DROPPED if self.dropping else self.key)


class _Builder:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, text: str) -> None:
        loader = _Loader(text)
        try:
            self._run(loader)
        except _Stop as stop:
            self.source.data = None
            _fail(self.source, stop.where, stop.message)
        except yaml.MarkedYAMLError as exc:
            self.source.data = None
            quote = exc.context == "while scanning a quoted scalar"
            mark = exc.context_mark if quote else exc.problem_mark
            where = Location(mark.line + 1, mark.column + 1) if mark else Location(1, 1)
            lines = text.splitlines()
            at_tab = where.line <= len(lines) and lines[where.line - 1][where.column - 1 : where.column] == "\t"
            _fail(self.source, where, _syntax_message(exc, at_tab))
        except yaml.YAMLError as exc:
            self.source.data = None
            _fail(self.source, Location(1, 1), f"YAML error: {exc}")
        finally:
            loader.dispose()

    def _run(self, loader: Any) -> None:
        documents = 0
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Stop(
                        event.start_mark,
                        "the file holds a second YAML document (after '---'); put each plan in its own file",
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self._close()
            elif self.stack and self.stack[-1].key is _NO_KEY and isinstance(self.stack[-1].container, dict):
                self._key(loader, event)
            elif isinstance(event, yaml.NodeEvent):
                self._value(loader, event)

    def _key(self, loader: Any, event: Any) -> None:
        frame = self.stack[-1]
        if not isinstance(event, yaml.ScalarEvent):
            raise _Stop(event.start_mark, "a key must be a plain word or text, not a list, mapping or alias")
        key = self._scalar(loader, event, frame.path)
        if key is _MERGE:
            frame.key = _MERGE
            return
        where = _location(event)
        path = (*frame.path, key)
        text = key.isoformat() if isinstance(key, (dt.date, dt.datetime)) else str(key)
        frame.dropping = text in frame.written
        if frame.dropping:
            first = self.source.keys[(*frame.path, frame.written[text])].line
            message = f"duplicate key '{key}' (first written at line {first}); only one is allowed"
            _fail(self.source, where, message, path)
        else:
            frame.written[text] = key
            self.source.keys[path] = where
        frame.key = key

    def _value(self, loader: Any, event: Any) -> None:
        path = self.stack[-1].child_path() if self.stack else ()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                message = f"'*{event.anchor}' refers to an anchor '&{event.anchor}' not defined above it"
                raise _Stop(event.start_mark, message)
            value, size = self.anchors[event.anchor]
            self._count(event, size)
            self.source.values[path] = _location(event)
            self._place(value)
            return
        count_before = self.count
        self._count(event, 1)
        self.source.values[path] = _location(event)
        if isinstance(event, yaml.ScalarEvent):
            value = self._scalar(loader, event, path)
            if value is _MERGE:
                raise _Stop(event.start_mark, "'<<' can only be used as a key")
            self._remember(event.anchor, value, count_before)
            self._place(value)
            return
        tags = _MAPPING_TAGS if isinstance(event, yaml.MappingStartEvent) else _SEQUENCE_TAGS
        if event.tag not in tags:
            raise _Stop(event.start_mark, _tag_message(event.tag))
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(event.start_mark, f"the data is nested more than {MAX_DEPTH} levels deep")
        container: dict[Any, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Frame(path, container, event.anchor, count_before))

    def _close(self) -> None:
        frame = self.stack.pop()
        if isinstance(frame.container, dict):
            for merged in frame.merges:
                for key, value in merged.items():
                    frame.container.setdefault(key, value)
        self._remember(frame.anchor, frame.container, frame.count_before)
        self._place(frame.container)

    def _place(self, value: Any) -> None:
        if not self.stack:
            self.source.data = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
            return
        if frame.key is _MERGE:
            merged = value if isinstance(value, list) else [value]
            if not all(isinstance(m, dict) for m in merged):
                where = self.source.locate(frame.child_path())
                _fail(self.source, where, "'<<' must be followed by a mapping's alias, e.g. <<: *defaults")
            else:
                frame.merges.extend(merged)
        elif not frame.dropping:
            frame.container[frame.key] = value
        frame.key = _NO_KEY
        frame.dropping = False

    def _scalar(self, loader: Any, event: Any, path: FieldPath) -> Any:
        if event.tag not in (None, "!") and event.tag not in _SCALAR_TAGS:
            raise _Stop(event.start_mark, _tag_message(event.tag))
        bad = NOT_IN_WORD.search(event.value)
        if bad:
            message = (
                f"the text holds control character U+{ord(bad.group()):04X}, which a Word document cannot hold; "
                "remove it"
            )
            _fail(self.source, _location(event), message, path)
        if event.style or event.tag in ("!", _YAML + "str"):  # quoted or block text, or tagged as text
            return event.value
        return self._plain(loader, event)

    def _plain(self, loader: Any, event: Any) -> Any:
        """A plain scalar as YAML 1.2's core schema reads it, where PyYAML follows YAML 1.1
        and reads yes, no, on and off as true and false, 0700 as 448, 0x1F as 31, 1:30 as 90
        and 1_000 as 1000. Numbers are read only when written as they print, so nothing
        changes unseen: anything else stays text, which text fields keep as written (a phone
        number 02112345678) and number fields read or question (model.py). A type tag such
        as !!int changes nothing; only !!str, like quotes, makes text."""
        text = event.value
        if text in _NULLS:
            return None
        if text in _BOOLEANS:
            return _BOOLEANS[text]
        number = _number(text)
        if number is not None:
            return number
        tag = loader.resolve(ScalarNode, text, (True, False))
        if tag == _YAML + "merge":
            return _MERGE
        if tag == _YAML + "timestamp":
            try:
                return self.constructor.construct_object(ScalarNode(tag, text, event.start_mark, event.end_mark))
            except ValueError:  # e.g. 2027-02-30: left as text for the model to explain
                pass
        return text

    def _remember(self, anchor: str | None, value: Any, count_before: int) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, self.count - count_before)

    def _count(self, event: Any, size: int) -> None:
        self.count += size
        if self.count > MAX_VALUES:
            raise _Stop(
                event.start_mark,
                f"the file expands to more than {MAX_VALUES:,} values; are anchors and aliases "
                "(&name / *name) nested inside each other?",
            )


def _number(text: str) -> int | float | None:
    """*text* as a number if it is written exactly as that number prints (19630, 4.5, -0.25, 1e+20)."""
    if _NUMBER.fullmatch(text):
        try:
            number = float(text) if "." in text or "e" in text else int(text)
        except ValueError:  # more digits than Python converts
            return None
        if repr(number) == text:
            return number
    return None


def _location(event: Any) -> Location:
    return Location(event.start_mark.line + 1, event.start_mark.column + 1)


def _tag_message(tag: str | None) -> str:
    return f"unsupported YAML tag '{tag}': plan files hold plain text, numbers, dates, lists and mappings only"


def _syntax_message(exc: yaml.MarkedYAMLError, at_tab: bool) -> str:
    detail = exc.problem or str(exc)
    if exc.context:
        detail = f"{detail} ({exc.context})"
    if at_tab:
        return f"YAML syntax error: {_TAB_HINT} [{detail}]"
    for needle, hint in _SYNTAX_HINTS:
        if needle in detail:
            return f"YAML syntax error: {hint} [{detail}]"
    return f"YAML syntax error: {detail}"
