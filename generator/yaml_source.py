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
from typing import Any, Literal

import yaml
from yaml.nodes import ScalarNode

from .errors import Problem, Severity
from .i18n import N_, _

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

NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
"""Open flags that refuse a link where the system can (not Windows, where callers check for a link
first) and keep bytes as they are (Windows)."""
READ_PLAIN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | NO_FOLLOW
"""Open flags for reading what should be an ordinary file: without waiting (opening a FIFO waits
for a writer; Windows has none) and never through a link."""
_DEVICE = N_("it is a device, not an ordinary file; only ordinary files are read")
_NOT_FILES = {
    stat.S_IFDIR: N_("it is a folder, not an ordinary file; only ordinary files are read"),
    stat.S_IFIFO: N_("it is a named pipe (FIFO), not an ordinary file; only ordinary files are read"),
    stat.S_IFSOCK: N_("it is a socket, not an ordinary file; only ordinary files are read"),
    stat.S_IFCHR: _DEVICE,
    stat.S_IFBLK: _DEVICE,
}
_NOT_A_FILE = N_("it is something else, not an ordinary file; only ordinary files are read")

# Plain-language hints for the parser messages managers meet most often.
_TAB_HINT = N_("a tab is used for indentation; indent with spaces")
_TOO_DEEP = N_("the data is nested more than {depth} levels deep")
_SYNTAX_HINTS = (
    ("maximum nesting depth", _TOO_DEEP),
    ("mapping values are not allowed", N_("put text that contains ': ' in quotes, or check this line's indentation")),
    ("could not find expected ':'", N_("a key is missing its ':' or the indentation is off")),
    ("expected '-' indicator", N_("this line's indentation does not match the list above it")),
    ("while scanning a quoted scalar", N_("the quoted text starting here is never closed")),
)


@dataclass(frozen=True)
class Location:
    line: int
    column: int


Expected = Literal["list", "mapping"]


@dataclass(frozen=True)
class Slip:
    """A keyboard slip in a value: where it is, what to type instead, the kind of value whose
    absence it explains (None: any wrong value), and the key it was meant to end, if any."""

    where: Location
    message: str
    explains: Expected | None = None
    key: str | None = None


@dataclass
class Source:
    """A read file: its data (None if it could not be read), positions, problems."""

    file: str
    data: Any = None
    values: dict[FieldPath, Location] = field(default_factory=dict)
    keys: dict[FieldPath, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    slips: dict[FieldPath, Slip] = field(default_factory=dict)
    """Keyboard slips in values, kept to explain the value should it prove wrong."""

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

    def slip(self, path: FieldPath, expected: Expected | None = None, severity: Severity = "error") -> Problem | None:
        """The keyboard slip in the value at *path* as the problem with it, if there is one
        that explains why the value is not what was *expected* (None: not valid)."""
        slip = self.slips.get(tuple(path))
        if slip is None or slip.explains not in (None, expected):
            return None
        return Problem(self.file, slip.where.line, slip.where.column, format_path(path), slip.message, severity)


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
        return _(
            "the file name is not UTF-8 text (byte 0x{byte:02X}); names made on a system using GBK look like "
            "this: rename the file"
        ).format(byte=name[exc.start])
    control = _CONTROL.search(text)
    if control:
        return _("the file name holds control character U+{code:04X}; rename the file").format(code=ord(control[0]))
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
    with open(os.open(real, READ_PLAIN), "rb") as stream:
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
        where = place_in(Path(real), within)
        if where == "outside":
            return _("it is a link to a file outside the project; put the file itself in the project")
        if where == "hidden":
            return _("it is a link to a hidden file or folder, such as .git; put the file itself here")
    try:
        return _kind_problem(os.stat(real).st_mode)
    except FileNotFoundError:
        if linked:
            return _("it is a link to nothing; put the file itself here")
        raise


def place_in(real: Path, root: Path) -> Literal["outside", "hidden"] | None:
    """Where the resolved path *real* lies against the project folder *root*: outside it, in a
    hidden file or folder of it (.git, .env), or None for an ordinary place in it."""
    base = Path(os.path.realpath(root))
    if not real.is_relative_to(base):
        return "outside"
    if any(part.startswith(".") for part in real.relative_to(base).parts):
        return "hidden"
    return None


def _kind_problem(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return _(_NOT_FILES.get(stat.S_IFMT(mode), _NOT_A_FILE))


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
            why = exc.strerror or str(exc)
            return _fail(source, Location(1, 1), _("cannot read the file: {why}").format(why=why))
    if len(raw) > MAX_BYTES:
        message = _("the file is larger than {size} MB; split it or move long texts out")
        return _fail(source, Location(1, 1), message.format(size=MAX_BYTES // (1024 * 1024)))
    text = _decode(raw, source)
    if text is None:
        return source
    bad = [m.start() for m in _NOT_YAML.finditer(text)]
    for index in bad[:20]:
        message = _(
            "invisible control character U+{code:04X} is not allowed (often pasted from another program); delete it"
        )
        _fail(source, _position(text, index), message.format(code=ord(text[index])))
    if bad:
        return source
    if not text.strip() and empty is None:
        return _fail(source, Location(1, 1), _("the file is empty"))
    _Builder(source).build(text)
    if source.data is None and not source.problems:
        if empty is None:
            return _fail(source, Location(1, 1), _("the file holds no data, only comments"))
        source.data = empty
    return source


def _fail(source: Source, where: Location, message: str, path: FieldPath = ()) -> Source:
    source.problems.append(Problem(source.file, where.line, where.column, format_path(path), message))
    return source


def _warn(source: Source, where: Location, message: str, path: FieldPath) -> None:
    source.problems.append(Problem(source.file, where.line, where.column, format_path(path), message, "warning"))


def _position(text: str, index: int) -> Location:
    line_start = text.rfind("\n", 0, index) + 1
    return Location(text.count("\n", 0, index) + 1, index - line_start + 1)


def _decode(raw: bytes, source: Source) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        _fail(source, Location(1, 1), _("the file is saved as UTF-16; save it as UTF-8"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8-sig", "replace")
        message = _(
            "the file is not UTF-8 text (byte 0x{byte:02X}); files saved as GBK or GB2312 look like this: "
            "save it as UTF-8"
        )
        _fail(source, _position(head + "?", len(head)), message.format(byte=raw[exc.start]))
        return None


class _Stop(Exception):
    """Ends a read at a problem that leaves nothing sensible to go on with."""

    def __init__(self, where: Location, message: str) -> None:
        super().__init__(message)
        self.where = where
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
    flow: bool = False
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
        self.text = ""
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, text: str) -> None:
        self.text = text
        loader = _Loader(text)
        try:
            self._run(loader)
        except _Stop as stop:
            self.source.data = None
            _fail(self.source, stop.where, stop.message)
        except yaml.MarkedYAMLError as exc:
            self.source.data = None
            _fail(self.source, *_syntax_problem(text, exc))
        except yaml.YAMLError as exc:
            self.source.data = None
            _fail(self.source, Location(1, 1), _("YAML error: {detail}").format(detail=exc))
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
                    message = _("the file holds a second YAML document (after '---'); put each plan in its own file")
                    raise _Stop(_location(event), message)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self._close()
            elif self.stack and self.stack[-1].key is _NO_KEY and isinstance(self.stack[-1].container, dict):
                self._key(loader, event)
            elif isinstance(event, yaml.NodeEvent):
                self._value(loader, event)

    def _key(self, loader: Any, event: Any) -> None:
        frame = self.stack[-1]
        if not isinstance(event, yaml.ScalarEvent):
            raise _Stop(_location(event), _("a key must be a plain word or text, not a list, mapping or alias"))
        if not event.style and _SLIP_CHARACTERS.search(event.value):
            self._key_slip(event)
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
            message = _("duplicate key '{key}' (first written at line {first}); only one is allowed")
            _fail(self.source, where, message.format(key=key, first=first), path)
        else:
            frame.written[text] = key
            self.source.keys[path] = where
        frame.key = key

    def _key_slip(self, event: Any) -> None:
        """A key never starts with a full-width space, dash, quote or bracket, nor holds a
        full-width colon after a word: such a line was meant as YAML, and is read no further."""
        written = self._written(event)
        slip = _slip_at(written, 0, _SLIPS)
        if slip:
            message = _("YAML syntax error: {detail}").format(detail=slip.message)
            raise _Stop(_offset_location(event.start_mark, written, slip.offset), message)

    def _value(self, loader: Any, event: Any) -> None:
        path = self.stack[-1].child_path() if self.stack else ()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                message = _(
                    "'*{name}' refers to an anchor '&{name}' not defined above it; to write text that starts "
                    "with '*', put it in quotes: \"{example}\""
                )
                raise _Stop(_location(event), message.format(name=event.anchor, example=self._example(event)))
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
                raise _Stop(_location(event), _("'<<' can only be used as a key"))
            if not event.style and event.tag is None and (not event.value or _SLIP_CHARACTERS.search(event.value)):
                self._note_slips(event, path)
            self._remember(event.anchor, value, count_before)
            self._place(value)
            return
        tags = _MAPPING_TAGS if isinstance(event, yaml.MappingStartEvent) else _SEQUENCE_TAGS
        if event.tag not in tags:
            raise _Stop(_location(event), _tag_message(event.tag, self._example(event)))
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(_location(event), _(_TOO_DEEP).format(depth=MAX_DEPTH))
        container: dict[Any, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Frame(path, container, event.anchor, count_before, bool(event.flow_style)))

    def _note_slips(self, event: Any, path: FieldPath) -> None:
        """Remember a keyboard slip in a plain value for the check that finds the value wrong
        (the slip is then the explanation); in a list written in [ ], which is valid either
        way, warn of a full-width comma or quote that leaves one item where two were meant."""
        start, written = event.start_mark, self._written(event)
        frame = self.stack[-1] if self.stack else None
        if frame and frame.flow and isinstance(frame.container, list):
            comma = written.find("，")
            if comma >= 0:
                message = _(
                    "the full-width comma '，' does not separate list items, so \"{item}\" is one item; to make "
                    "two, type an ASCII comma ',' instead, or put the item in quotes to keep it as one"
                )
                _warn(self.source, _offset_location(start, written, comma), message.format(item=written), path)
            elif written.startswith("“") and "”" not in written:
                message = _(
                    "the Chinese quotation marks '“' and '”' do not quote text in YAML, so a comma between them "
                    'splits the text into two items; use ASCII quotes: "..."'
                )
                _warn(self.source, _location(event), message, path)
        if written:
            slip = _slip_at(written, 0, _SLIPS)
            if slip:
                where = _offset_location(start, written, slip.offset)
                self.source.slips[path] = Slip(where, slip.message, slip.kind.explains, slip.key)
        elif comment := _COMMENT.match(self.text, start.index):
            where = Location(start.line + 1, start.column + 1 + comment.start(1) - start.index)
            self.source.slips[path] = Slip(where, _quote_hint(self.text, comment.start(1)))

    def _written(self, event: Any) -> str:
        """The text of *event* as it is written in the file."""
        return self.text[event.start_mark.index : event.end_mark.index]

    def _example(self, event: Any) -> str:
        return _quote_example(self.text, event.start_mark.index)

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
                _fail(self.source, where, _("'<<' must be followed by a mapping's alias, e.g. <<: *defaults"))
            else:
                frame.merges.extend(merged)
        elif not frame.dropping:
            frame.container[frame.key] = value
        frame.key = _NO_KEY
        frame.dropping = False

    def _scalar(self, loader: Any, event: Any, path: FieldPath) -> Any:
        if event.tag not in (None, "!") and event.tag not in _SCALAR_TAGS:
            raise _Stop(_location(event), _tag_message(event.tag, self._example(event)))
        bad = NOT_IN_WORD.search(event.value)
        if bad:
            message = _("the text holds control character U+{code:04X}, which a Word document cannot hold; remove it")
            _fail(self.source, _location(event), message.format(code=ord(bad.group())), path)
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
            message = _(
                "the file expands to more than {count:,} values; are anchors and aliases (&name / *name) nested "
                "inside each other?"
            )
            raise _Stop(_location(event), message.format(count=MAX_VALUES))


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


def _mark_location(mark: Any) -> Location:
    return Location(mark.line + 1, mark.column + 1)


def _offset_location(mark: Any, written: str, offset: int) -> Location:
    """Where the character at *offset* in *written*, text that starts at *mark*, is (found
    without counting the lines of the whole file, which for every value would be slow)."""
    lines = written.count("\n", 0, offset)
    if not lines:
        return Location(mark.line + 1, mark.column + 1 + offset)
    return Location(mark.line + 1 + lines, offset - written.rfind("\n", 0, offset))


def _tag_message(tag: str | None, example: str) -> str:
    if tag and not tag.startswith(_YAML) and tag.startswith("!"):  # !重要 or !important: text, most likely
        message = _(
            "unsupported YAML tag '{tag}': this file may hold only plain text, numbers, dates, lists and mappings; "
            "to write text that starts with '!', put it in quotes: \"{example}\""
        )
    else:
        message = _(
            "unsupported YAML tag '{tag}': this file may hold only plain text, numbers, dates, lists and mappings"
        )
    return message.format(tag=tag, example=example)


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> tuple[Location, str]:
    """Where the syntax error *exc* is and what it means, in the words of a manager: a
    keyboard slip that explains it where there is one, else the parser's own words with a
    hint for the errors met most often."""
    slip = _syntax_slip(text, exc)
    if slip:
        return slip[0], _("YAML syntax error: {detail}").format(detail=slip[1])
    mark = exc.context_mark if exc.context == "while scanning a quoted scalar" else exc.problem_mark
    where = _mark_location(mark) if mark else Location(1, 1)
    lines = text.splitlines()
    at_tab = where.line <= len(lines) and lines[where.line - 1][where.column - 1 : where.column] == "\t"
    detail = exc.problem or str(exc)
    if exc.context:
        detail = f"{detail} ({exc.context})"
    hint = _TAB_HINT if at_tab else next((hint for needle, hint in _SYNTAX_HINTS if needle in detail), None)
    if hint is None:
        return where, _("YAML syntax error: {detail}").format(detail=detail)
    return where, _("YAML syntax error: {hint} [{detail}]").format(hint=_(hint).format(depth=MAX_DEPTH), detail=detail)


# --- keyboard slips ---------------------------------------------------------
# A Chinese input method types full-width characters, which YAML reads as text:
# '：' for ':', '，' for ',', '【】' for '[]', a full-width space U+3000, '－' or
# '—' for '-', '“”' for '"'. Full-width characters are also normal in text (目标：
# 提升服务), so a slip is reported only where the file fails to parse or a value has
# the wrong shape, and only where the character stands where YAML syntax goes.


@dataclass(frozen=True)
class _SlipKind:
    pattern: re.Pattern[str]
    """Matched where a line, key or value starts; the group 'char' is the slip."""
    hint: str
    explains: Expected | None
    closing: str = ""
    """For a slip that opens text, as a quote does: the character that closes it. Text may
    well start with one (“我的e家”新装用户), so on a line that does not parse it is the
    cause only where the error lies between the two."""


@dataclass(frozen=True)
class _Found:
    offset: int
    message: str
    kind: _SlipKind
    key: str | None


_WORD = "[A-Za-z_][A-Za-z0-9_-]*"  # a key, as plan files write them
_LEAD = "[ ]*(?:-[ ]+)*"  # indentation and list marks before a key or value
_QUOTE_SLIP = _SlipKind(
    re.compile(f"{_LEAD}(?P<char>“)"),
    N_(
        "the Chinese quotation mark '“' does not quote text in YAML, it is part of the text; leave it out, or, "
        'to put text in quotes, use ASCII quotes: "..."'
    ),
    None,
    "”",
)
_BRACKET_SLIP = _SlipKind(
    re.compile(f"{_LEAD}(?P<char>【)"),
    N_(
        "'【' is a full-width bracket, so YAML reads this as text, not a list; write a list with ASCII brackets: [a, b]"
    ),
    "list",
    "】",
)
_SLIPS = (
    _SlipKind(
        re.compile(f"[ ]*(?P<char>\u3000)[ \u3000]*(?=[-－—–][ \u3000]|{_WORD}(?:[:：]|$))"),
        N_("a full-width space (U+3000) is used for indentation; indent with ASCII spaces"),
        None,
    ),
    _SlipKind(
        re.compile(f"{_LEAD}(?P<key>{_WORD})[ \u3000]*(?P<char>：)"),
        N_(
            "the colon after '{key}' is the full-width '：'; YAML needs an ASCII colon and a space here: "
            "write '{key}: ' and then the value"
        ),
        "mapping",
    ),
    _SlipKind(
        re.compile(f"{_LEAD}(?P<key>{_WORD}):(?P<char>\u3000)"),
        N_("the space after '{key}:' is a full-width space (U+3000); YAML needs an ASCII space after the colon"),
        "mapping",
    ),
    _SlipKind(
        re.compile("[ ]*(?P<char>[－—–])(?=[ \u3000])"),
        N_("'{char}' does not start a list item; start each item with an ASCII hyphen and a space: - "),
        "list",
    ),
    _QUOTE_SLIP,
    _BRACKET_SLIP,
)
_SLIP_CHARACTERS = re.compile("[“【－—–\u3000：，]")
"""What a slip needs, which almost no value has: looked for first, as reading must stay quick."""
_VALUE_SLIPS = (_QUOTE_SLIP, _BRACKET_SLIP)
"""The slips looked for after 'key: ' on a line that does not parse (the others would be
normal in text there)."""
_KEY_PREFIX = re.compile(f"{_LEAD}{_WORD}:[ ]+")
_COMMENT = re.compile("[ \t]+(#)")

_SPECIAL_STARTS = {
    "*": N_(
        "'*' at the start of a value refers to an anchor (&name); to write text that starts with '*', put it in "
        'quotes: "{example}"'
    ),
    "&": N_(
        "'&' at the start of a value names an anchor; to write text that starts with '&', put it in quotes: "
        '"{example}"'
    ),
    "!": N_(
        "'!' at the start of a value is a type tag; to write text that starts with '!', put it in quotes: \"{example}\""
    ),
    "|": N_(
        "'{char}' at the start of a value begins a block of text on the lines below; to write text that starts "
        "with '{char}', put it in quotes: \"{example}\""
    ),
    "[": N_(
        "'{char}' at the start of a value begins a list or a mapping; to write text that starts with '{char}', "
        'put it in quotes: "{example}"'
    ),
    "#": N_(
        "'#' starts a comment, so the rest of the line is left out and the value is empty; to write text that "
        "starts with '#', put it in quotes: \"{example}\""
    ),
}
_SPECIAL_STARTS.update({">": _SPECIAL_STARTS["|"], "{": _SPECIAL_STARTS["["]})
_OTHER_START = N_(
    "YAML does not allow '{char}' at the start of a value; to write text that starts with '{char}', put it in "
    'quotes: "{example}"'
)
_MARK_CONTEXTS = (
    "while scanning an alias",
    "while scanning an anchor",
    "while scanning a tag",
    "while scanning a block scalar",
)
_FLOW_CONTEXTS = ("while parsing a flow sequence", "while parsing a flow mapping")
_FLOW_START = re.compile(f"(?:^{_LEAD}|:[ ]+)(?P<char>[\\[{{])")


def _slip_at(text: str, start: int, kinds: tuple[_SlipKind, ...]) -> _Found | None:
    """The first of *kinds* of slip at *start* in *text*."""
    for kind in kinds:
        found = kind.pattern.match(text, start)
        if found:
            key = found.groupdict().get("key")
            return _Found(found.start("char"), _(kind.hint).format(char=found["char"], key=key), kind, key)
    return None


def _line_slip(line: str) -> _Found | None:
    """A slip where the key or value of *line* starts."""
    value = _KEY_PREFIX.match(line)
    return _slip_at(line, 0, _SLIPS) or (_slip_at(line, value.end(), _VALUE_SLIPS) if value else None)


def _syntax_slip(text: str, exc: yaml.MarkedYAMLError) -> tuple[Location, str] | None:
    """The keyboard slip that most likely caused the syntax error *exc*, if any: a
    character YAML reads as syntax at the start of a value, or a full-width one where
    YAML needs ASCII, on the line of the error or the line(s) the parser was reading."""
    problem, context = exc.problem_mark, exc.context_mark
    if problem is None:
        return None
    if context and exc.context in _MARK_CONTEXTS:
        return _mark_location(context), _quote_hint(text, context.index)
    if "cannot start any token" in (exc.problem or "") and text[problem.index : problem.index + 1] != "\t":
        return _mark_location(problem), _quote_hint(text, problem.index)
    if context and exc.context in _FLOW_CONTEXTS:
        between = text[context.index : problem.index]
        if "，" in between:
            message = _("the full-width comma '，' does not separate items inside [ ] or { }; type an ASCII comma ','")
            return _position(text, context.index + between.index("，")), message
        opening = text[context.index]
        closing = {"[": "]", "{": "}"}.get(opening)
        if closing and closing not in between:
            message = _(
                "the '{char}' here is never closed with '{close}'; close it, or, to write text that starts with "
                "'{char}', put it in quotes: \"{example}\""
            )
            example = _quote_example(text, context.index)
            return _mark_location(context), message.format(char=opening, close=closing, example=example)
    lines = text.splitlines()
    if exc.problem == "did not find expected key" and problem.line < len(lines):
        starts = [
            m.start("char") for m in _FLOW_START.finditer(lines[problem.line]) if m.start("char") < problem.column
        ]
        if starts:  # text such as [重要] 计划, read as a list followed by more text
            index = problem.index - problem.column + starts[-1]
            return _position(text, index), _quote_hint(text, index)
    # The line of the error and the one before, or the line of the key the parser was reading.
    if context and exc.context == "while scanning a simple key":
        first = min(context.line, problem.line)
    else:
        first = max(problem.line - 1, 0)
    for number in sorted(set(range(first, min(problem.line + 1, len(lines)))) - _text_lines(text)):
        slip = _line_slip(lines[number])
        if slip and _explains(slip, lines[number], number, problem):
            return Location(number + 1, slip.offset + 1), slip.message
    return None


def _explains(slip: _Found, line: str, number: int, problem: Any) -> bool:
    """Whether *slip*, on *line* (number *number*, from 0), explains an error at *problem*:
    yes, unless it opens text, as a quote does; then only if the text is open at the error."""
    if not slip.kind.closing:
        return True
    return (
        number == problem.line
        and slip.offset < problem.column
        and slip.kind.closing not in line[slip.offset : problem.column]
    )


def _text_lines(text: str) -> set[int]:
    """The lines (from 0) of *text* that lie inside block or quoted text, as far as it can
    be read: a line such as '　　Q1：完成' is normal there."""
    inside: set[int] = set()
    loader = _Loader(text)
    try:
        while token := loader.get_token():
            if isinstance(token, yaml.ScalarToken) and token.style:
                start, end = token.start_mark, token.end_mark
                inside.update(range(start.line + 1, end.line + (1 if end.column else 0)))
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return inside


def _quote_hint(text: str, index: int) -> str:
    """Put the text in quotes: what to say of the character at *index*, which starts a value."""
    char = text[index]
    return _(_SPECIAL_STARTS.get(char, _OTHER_START)).format(char=char, example=_quote_example(text, index))


def _quote_example(text: str, index: int) -> str:
    """The value starting at *index*, as far as it goes on its line, in double quotes' escapes."""
    line_start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    rest = text[index : len(text) if end < 0 else end]
    before = text[line_start:index]
    if before.count("[") + before.count("{") > before.count("]") + before.count("}"):  # inside [ ] or { }
        rest = re.split("[,\\]}]", rest, maxsplit=1)[0]
    rest = re.split("[ \t]#", rest, maxsplit=1)[0].strip()
    return rest.replace("\\", "\\\\").replace('"', '\\"')
