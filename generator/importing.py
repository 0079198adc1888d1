"""Client lists from spreadsheets: ``plangen import clients``.

A one-way pipeline, like the rest of plangen: read the workbook (.xlsx, .xlsm,
.xls, .ods through calamine) or CSV file into sheets of cells; find each
sheet's header row and what its columns are; read the rows below it into
segments or key accounts, checked by the plan format's own models; put the
lists into the plan's text; validate the result as ``plangen validate`` does;
and only then, if nothing is wrong, write it in one step.

A sheet holds segments when its header has a count column (户数), key
accounts when it has a kind, tier or owner column (类型, 等级, 负责人) and no
count. Problems are placed on their cell, ``客户.xlsx!客户分群!B7``, as
validation places them on their line.

The plan's text is changed only where the list is: the lines of the old list
are replaced by the new one, at the old one's indentation, and every other
byte (comments, order, quoting, line endings, a BOM) stays as it was. A list
the plan does not have yet is added where the format reference puts it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from yaml import ScalarNode
from yaml.resolver import Resolver

from .changes import compare, report_line
from .context import Labels
from .errors import PlangenError, Problem
from .i18n import _, ngettext
from .loading import find_plan_files, load_plan, load_plans
from .model import Clients, KeyAccount, Plan, Segment, written_in
from .outputs import refuse_link, write_atomic
from .settings import Project
from .validation import error_message
from .yaml_source import NOT_IN_WORD, display_path, read_bytes, read_source

ListName = Literal["segments", "key_accounts"]
LISTS: tuple[ListName, ...] = ("segments", "key_accounts")
MODELS: dict[ListName, type[Segment] | type[KeyAccount]] = {"segments": Segment, "key_accounts": KeyAccount}
FIELDS: dict[ListName, tuple[str, ...]] = {
    "segments": ("name", "count", "unit", "service", "notes"),
    "key_accounts": ("name", "kind", "tier", "owner", "service", "notes"),
}
"""The columns each kind of sheet may have, in the order they are written into the plan."""

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "客户名称", "单位名称", "客户", "分群", "分群名称", "客户群", "客户群体", "群体", "name",
             "segment", "client", "client name", "account", "account name"),
    "count": ("户数", "数量", "客户数", "客户数量", "用户数", "count", "number", "clients"),
    "unit": ("单位", "计量单位", "unit"),
    "service": ("服务", "服务标准", "服务内容", "service", "service level"),
    "notes": ("备注", "说明", "notes", "note", "remarks", "comments"),
    "kind": ("类型", "类别", "客户类型", "kind", "type"),
    "tier": ("等级", "级别", "客户等级", "tier", "grade", "level"),
    "owner": ("负责人", "客户经理", "维护人", "owner", "account manager"),
    "": ("序号", "编号", "no", "no.", "#"),
}  # fmt: skip
"""The header names a column is known by (compared without spaces, case, a trailing colon or a
bracketed unit such as 户数（户）); "" marks a running number, which is not imported."""

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".tsv")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
MAX_TABLE_BYTES = 20 * 1024 * 1024
HEADER_ROWS = 30
"""How far down a sheet its header row is looked for (title rows may stand above it)."""

TOTALS = ("合计", "总计", "小计", "共计", "总数", "总合计", "total", "sum", "subtotal", "grandtotal")
"""What a total row says in one of its cells (compared without spaces or case, full-width as half-width):
it adds up the rows above and is not an entry."""
MAX_COUNT = 10**15
"""A count this large or larger has more digits than the plan format keeps exactly."""

_BRACKETED = re.compile(r"[（(][^()（）]*[)）]$")


def _header_key(text: str) -> str:
    """*text* as headers and total rows are compared: without spaces, case, a trailing colon, a
    leading or trailing * and a unit in brackets (户数（户）), full-width as half-width."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold().rstrip(":*").lstrip("*")
    return _BRACKETED.sub("", key) or key


_ALIASES = {_header_key(alias): name for name, aliases in HEADERS.items() for alias in aliases}
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an OLE compound file starts: an old .xls, or an .xlsx encrypted with a password."""


# --- reading sheets ------------------------------------------------------------


@dataclass
class Sheet:
    """The cells of one sheet or CSV file, every merged cell's value filled into the cells it covers."""

    file: str
    name: str | None
    """The sheet's name; None for a CSV file, which has one and no name."""
    rows: list[list[Any]]
    filled: set[tuple[int, int]] = field(default_factory=set)
    """The cells that hold a merged cell's value, not their own."""
    formulas: dict[tuple[int, int], str | None] = field(default_factory=dict)
    """The formula cells that calamine reads as empty: the error value they give (#DIV/0!), or None
    when the file stores no result for them (as programs other than Excel may write it)."""
    hidden: bool = False

    def where(self, row: int, column: int | None = None) -> str:
        """``客户.xlsx!Sheet1!B7`` for the cell at *row*, *column* (counted from 0); without a column,
        the row: ``客户.xlsx!Sheet1, row 7``."""
        if column is None:
            return _("{sheet}, row {row}").format(sheet=self.label, row=row + 1)
        return "!".join(part for part in (self.file, self.name, _column_letter(column) + str(row + 1)) if part)

    @property
    def label(self) -> str:
        return f"{self.file}!{self.name}" if self.name is not None else self.file


def _column_letter(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_sheets(path: Path) -> list[Sheet]:
    """The sheets of the workbook or CSV file at *path*, chart sheets left out."""
    file = display_path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        message = _("{file}: cannot read a {suffix} file; save the sheet as .xlsx or .csv")
        raise PlangenError(message.format(file=file, suffix=path.suffix or _("(no suffix)")))
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise PlangenError(_("{file}: it is not an ordinary file").format(file=file))
        if os.path.getsize(path) > MAX_TABLE_BYTES:
            message = _("{file}: the file is larger than {size} MB; save only the sheet to import")
            raise PlangenError(message.format(file=file, size=MAX_TABLE_BYTES // (1024 * 1024)))
        raw = path.read_bytes()
    except OSError as exc:
        raise _unreadable(exc, file) from None
    if suffix in TEXT_SUFFIXES:
        return [Sheet(file, None, _csv_rows(raw, file))]
    return _workbook_sheets(raw, file, suffix)


def _unreadable(exc: OSError, file: str) -> OSError | PlangenError:
    """Why *file* cannot be read: the system's error, named as the user typed it, for the command
    line to say in the reader's words; else what plangen found wrong with it."""
    if exc.errno is not None:
        return OSError(exc.errno, exc.strerror, file)
    return PlangenError(_("{file}: cannot read the file: {why}").format(file=file, why=exc))


def _csv_rows(raw: bytes, file: str) -> list[list[Any]]:
    """The rows of a CSV file in UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text")
    or GBK/GB18030 (Excel's CSV on a Chinese Windows), its delimiter a comma, tab or semicolon."""
    encodings = ("utf-16",) if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            byte = raw[min(exc.start, len(raw) - 1)]
    else:
        message = _("{file}: the file is neither UTF-8 nor GBK text (byte 0x{byte:02X}); save it as CSV UTF-8")
        raise PlangenError(message.format(file=file, byte=byte))
    sample = "\n".join(text.splitlines()[:HEADER_ROWS])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise PlangenError(_("{file}: not a CSV file: {why}").format(file=file, why=exc)) from None


def _workbook_sheets(raw: bytes, file: str, suffix: str) -> list[Sheet]:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    if raw.startswith(_CFB) and suffix != ".xls":
        message = _(
            "{file}: the workbook is protected by a password (or is an old .xls file renamed); open it in Excel "
            "and save it again as .xlsx without a password"
        )
        raise PlangenError(message.format(file=file))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        sheets = []
        formulas = _formula_cells(raw) if suffix in (".xlsx", ".xlsm") else {}
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
            filled = _fill_merged(rows, sheet.merged_cell_ranges or [])
            hidden = meta.visible != SheetVisibleEnum.Visible
            sheets.append(Sheet(file, meta.name, rows, filled, formulas.get(meta.name, {}), hidden))
    except PasswordError:
        message = _("{file}: the workbook is protected by a password; save it again without one")
        raise PlangenError(message.format(file=file)) from None
    except (CalamineError, ValueError):
        message = _(
            "{file}: cannot read the workbook: it is damaged or not a {suffix} file; open it in Excel or WPS "
            "and save it again"
        )
        raise PlangenError(message.format(file=file, suffix=suffix)) from None
    return sheets


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL = re.compile(r"([A-Z]+)([0-9]+)")


def _formula_cells(raw: bytes) -> dict[str, dict[tuple[int, int], str | None]]:
    """Per sheet name, the cells of an .xlsx file that calamine reads as empty though they are not:
    those whose value is an error (#DIV/0!, #N/A), and formulas stored without their result."""
    from xml.etree import ElementTree

    found: dict[str, dict[tuple[int, int], str | None]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
            for sheet in workbook.iter(f"{_MAIN}sheet"):
                target = targets.get(sheet.get(_RELATIONSHIP), "")
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                cells: dict[tuple[int, int], str | None] = {}
                for cell in ElementTree.fromstring(archive.read(part)).iter(f"{_MAIN}c"):
                    value = cell.find(f"{_MAIN}v")
                    stored = value.text if value is not None and value.text else None
                    error = cell.get("t") == "e"
                    no_result = stored is None and cell.get("t") != "str"  # a text result may be empty
                    if error or (cell.find(f"{_MAIN}f") is not None and no_result):
                        at = _CELL.fullmatch(cell.get("r", ""))
                        if at:
                            cells[(int(at[2]) - 1, _column_index(at[1]))] = stored if error else None
                found[sheet.get("name", "")] = cells
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}  # calamine has read it: such cells are then read as empty, as calamine reads them
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _fill_merged(
    rows: list[list[Any]], merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> set[tuple[int, int]]:
    """Give every cell of a merged range the value of its first (top left) cell, as a reader sees
    it; the cells so filled."""
    filled = set()
    for (top, left), (bottom, right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for row in range(top, min(bottom, len(rows) - 1) + 1):
            for column in range(left, min(right, len(rows[row]) - 1) + 1):
                rows[row][column] = value
                filled.add((row, column))
        filled.discard((top, left))
    return filled


# --- what the columns are -------------------------------------------------------


def parse_columns(text: str | None) -> dict[str, str]:
    """``--columns "名称=name,户数=count"`` as a map of header to field; ValueError saying what is wrong."""
    columns: dict[str, str] = {}
    known = sorted({name for names in FIELDS.values() for name in names})
    for part in re.split("[,，;；]", text or ""):
        if not part.strip():
            continue
        header, equals, name = (piece.strip() for piece in part.replace("＝", "=").partition("="))
        if not equals or not header or name not in known:
            message = _(
                "write --columns as header=field pairs, such as Client=name,Households=count "
                "(fields: {fields}); got {got}"
            )
            raise ValueError(message.format(fields=", ".join(known), got=part.strip()))
        columns[_header_key(header)] = name
    return columns


@dataclass(frozen=True)
class CellProblem:
    """A problem placed on a cell, printed as ``客户.xlsx!Sheet1!B7: message``."""

    where: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Row:
    """One row read into a segment or key account: its data as the plan gets it, and where each field was."""

    data: dict[str, Any]
    where: dict[str, str]
    first: str
    """The row's name cell, where a problem of the whole row is placed."""


@dataclass
class _Header:
    row: int
    columns: dict[int, str]
    """Column index → field, for the columns imported."""
    texts: dict[int, str]
    """Column index → the header as written."""


@dataclass
class Imported:
    """One sheet's rows, read into the plan's list *name*."""

    name: ListName
    sheet: Sheet
    header: _Header
    rows: list[Row] = field(default_factory=list)


def read_clients(
    path: Path, *, sheet: str | None = None, columns: dict[str, str] | None = None, language: str | None = None
) -> tuple[list[Imported], list[CellProblem]]:
    """The segments and key accounts in the file at *path* (only in its *sheet*, if named), with
    its warnings; PlangenError listing every problem, each on its cell. Counts are read as the
    plan format reads them, in a plan of *language*."""
    sheets = read_sheets(path)
    columns = columns or {}
    if sheet is not None:
        if sheets and sheets[0].name is None:
            message = _("{file}: a CSV file has no sheets; leave out --sheet {sheet}")
            raise PlangenError(message.format(file=display_path(path), sheet=sheet))
        chosen = [found for found in sheets if found.name == sheet]
        if not chosen:
            names = ", ".join(found.name or "" for found in sheets if not found.hidden)
            hidden = [found.name or "" for found in sheets if found.hidden]
            message = _("{file}: there is no sheet named {sheet}; its sheets are: {names}")
            message = message.format(file=display_path(path), sheet=sheet, names=names)
            if hidden:
                message += _(" (hidden: {names})").format(names=", ".join(hidden))
            raise PlangenError(message)
        sheets = chosen  # a hidden sheet too, when it is named
    else:
        sheets = [found for found in sheets if not found.hidden]
    imported: list[Imported] = []
    problems: list[CellProblem] = []
    for candidate in sheets:
        result, found_problems = _read_sheet(candidate, columns, named=sheet is not None or len(sheets) == 1)
        imported.extend([result] if result else [])
        problems.extend(found_problems)
    for name in LISTS:
        holding = [found.sheet.label for found in imported if found.name == name]
        if len(holding) > 1:
            message = _("{sheets} all hold {list}; choose one with --sheet")
            problems.append(CellProblem(holding[1], message.format(sheets=", ".join(holding), list=_list_name(name))))
    if not imported and not problems:
        problems.append(CellProblem(display_path(path), _no_header_message(sheets, columns)))
    for found in imported:
        problems.extend(_read_rows(found, language))
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise PlangenError("\n".join(str(problem) for problem in errors))
    return imported, [problem for problem in problems if problem.severity == "warning"]


def _no_header_message(sheets: list[Sheet], columns: dict[str, str]) -> str:
    """Why no header row was found in *sheets*: a header named with --columns that none of them
    has, else what a header row needs."""
    written = {
        _header_key(value) for found in sheets for row in found.rows[:HEADER_ROWS] for value in row if _text(value)
    }
    missing = [header for header in columns if header not in written]
    if missing:
        message = ngettext(
            "--columns names the header {headers}, not in the first {rows} rows; write it as the sheet does",
            "--columns names the headers {headers}, not in the first {rows} rows; write them as the sheet does",
            len(missing),
        )
        return message.format(headers=", ".join(missing), rows=HEADER_ROWS)
    return _(
        "no header row found in the first {rows} rows: it needs a name column (name, client name) and a count "
        "column (count, number) for segments, or a kind, tier or owner column for key accounts; name other "
        "headers with --columns, such as --columns Client=name,Households=count"
    ).format(rows=HEADER_ROWS)


def _read_sheet(sheet: Sheet, columns: dict[str, str], named: bool) -> tuple[Imported | None, list[CellProblem]]:
    """The sheet as a list to import, if its header says which, and the problems of its header;
    a sheet without a header is skipped, with an error only when it is the one to import (*named*)."""
    header = _find_header(sheet, columns)
    if header is None:
        return None, [CellProblem(sheet.label, _no_header_message([sheet], columns))] if named else []
    problems: list[CellProblem] = []
    fields = set(header.columns.values())
    if "count" in fields:
        name: ListName = "segments"
    elif fields & {"kind", "tier", "owner"}:
        name = "key_accounts"
    else:
        message = _(
            "cannot tell whether this sheet holds segments or key accounts: give it a count column for "
            "segments, or a kind, tier or owner column for key accounts"
        )
        return None, [CellProblem(sheet.where(header.row), message)]
    seen: dict[str, int] = {}
    for column, field_name in sorted(header.columns.items()):
        if field_name not in FIELDS[name]:
            message = _("the column {header} is for {fields}, not for {list}")
            shown = _list_name("segments" if name == "key_accounts" else "key_accounts")
            problems.append(
                CellProblem(
                    sheet.where(header.row, column),
                    message.format(header=header.texts[column], fields=shown, list=_list_name(name)),
                )
            )
        elif field_name in seen:
            message = _("the columns {first} and {second} both give {field}; keep one or name them with --columns")
            first = header.texts[seen[field_name]]
            problems.append(
                CellProblem(
                    sheet.where(header.row, column),
                    message.format(first=first, second=header.texts[column], field=field_name),
                )
            )
        seen.setdefault(field_name, column)
    for column, text in sorted(header.texts.items()):
        if column not in header.columns and _ALIASES.get(_header_key(text)) != "":
            message = _("the column {header} is not imported; to import it, name its field with --columns {option}")
            option = _shell_quoted(f"{text}={_likely_field(text, name)}")
            problems.append(
                CellProblem(sheet.where(header.row, column), message.format(header=text, option=option), "warning")
            )
    written = {_header_key(text) for text in header.texts.values()}
    for key in columns:
        if key not in written:
            message = _("--columns names the header {header}, which is not in this header row")
            problems.append(CellProblem(sheet.where(header.row), message.format(header=key), "warning"))
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    return Imported(name, sheet, header), problems


def _likely_field(header: str, name: ListName) -> str:
    """The field of *name*'s list that a column headed *header* most likely holds (服务级别: service),
    else notes."""
    key = _header_key(header)
    for alias, field_name in sorted(_ALIASES.items(), key=lambda item: -len(item[0])):
        if field_name in FIELDS[name] and field_name != "name" and len(alias) > 1 and (alias in key or key in alias):
            return field_name
    return "notes"


def _shell_quoted(text: str) -> str:
    """*text* quoted for a shell: in double quotes, which every shell (cmd, PowerShell, sh) reads."""
    if not re.search(r"[\"$`\\!]", text):
        return f'"{text}"'
    return "'" + text.replace("'", "'\\''") + "'"


def _find_header(sheet: Sheet, columns: dict[str, str]) -> _Header | None:
    """The first row of the sheet with a name column and another known column."""
    for index, row in enumerate(sheet.rows[:HEADER_ROWS]):
        texts = {column: str(value).strip() for column, value in enumerate(row) if _text(value)}
        found = {}
        for column, text in texts.items():
            key = _header_key(text)
            field_name = columns.get(key) or _ALIASES.get(key)
            if field_name:
                found[column] = field_name
        if "name" in found.values() and len(set(found.values())) > 1:
            return _Header(index, found, texts)
    return None


def _read_rows(imported: Imported, language: str | None) -> list[CellProblem]:
    """Read the rows under the header into *imported*; every error, each on its cell."""
    header, sheet, model = imported.header, imported.sheet, MODELS[imported.name]
    problems: list[CellProblem] = []
    names: dict[str, str] = {}
    formula_rows = {row for row, _column in sheet.formulas}
    for index in range(header.row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        cells = {name: row[column] if column < len(row) else "" for column, name in header.columns.items() if name}
        own = [value for column, value in enumerate(row) if (index, column) not in sheet.filled]
        if not any(_text(value) for value in own) and index not in formula_rows:
            continue  # an empty row, or one with nothing but a merged cell's value
        total = next((column for column, value in enumerate(row) if _is_total(value)), None)
        if total is not None:
            message = _("a total row ({word}), not imported").format(word=_text(row[total]))
            problems.append(CellProblem(sheet.where(index, total), message, "warning"))
            continue
        where = {name: sheet.where(index, column) for column, name in header.columns.items() if name}
        unread = _unread_cells(sheet, header, index)
        problems.extend(unread)
        if unread:
            continue
        data: dict[str, Any] = {}
        for name, value in cells.items():
            if name == "count":
                data[name] = _count_cell(value)
            elif (text := _text(value)) is not None:
                data[name] = text
        bad = [name for name, value in data.items() if isinstance(value, str) and NOT_IN_WORD.search(value)]
        for name in bad:
            code = ord(NOT_IN_WORD.search(data[name])[0])  # type: ignore[index]
            message = _("invisible control character U+{code:04X} in {header}; delete it").format(
                code=code, header=header.texts[_column_of(header, name)]
            )
            problems.append(CellProblem(where[name], message))
        first = where["name"]
        found = _row_problems(model, data, where, header, language) if not bad else []
        problems.extend(found)
        name_text = data.get("name")
        if isinstance(name_text, str) and not found and not bad:
            if name_text in names:
                message = _("{name} is listed twice, here and at {other}; each name once")
                problems.append(CellProblem(first, message.format(name=name_text, other=names[name_text])))
            names.setdefault(name_text, first)
        imported.rows.append(Row(_written(model, data, language), where, first))
    if not imported.rows:
        problems.append(CellProblem(sheet.where(header.row), _("there are no rows under the header")))
    return problems


def _is_total(value: Any) -> bool:
    """Whether a cell says its row is a total (合计, 合 计, Ｔｏｔａｌ, Subtotal:)."""
    text = _text(value)
    return text is not None and len(text) <= 20 and _header_key(text) in TOTALS


def _unread_cells(sheet: Sheet, header: _Header, index: int) -> list[CellProblem]:
    """The formula cells of row *index* that are imported and hold no value to read, each on its cell."""
    problems = []
    for column in sorted(header.columns):
        if header.columns[column] and (index, column) in sheet.formulas:
            error = sheet.formulas[(index, column)]
            if error is not None:
                message = _("{header}: the formula gives an error, {error}; correct it in the workbook")
            else:
                message = _(
                    "{header}: the formula's value is not stored in the file; open the file in Excel or WPS "
                    "and save it, so the values are calculated, and import again"
                )
            problems.append(
                CellProblem(sheet.where(index, column), message.format(header=header.texts[column], error=error))
            )
    return problems


def _column_of(header: _Header, name: str) -> int:
    return next(column for column, field_name in header.columns.items() if field_name == name)


def _text(value: Any) -> str | None:
    """A cell's value as text, None when empty: whole numbers without .0, dates as 2027-03-31."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    text = str(value).replace("\r\n", "\n").strip()
    return text or None


def _count_cell(value: Any) -> Any:
    """A count cell as the plan format's count reads it: a whole float as the whole number."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def _row_problems(
    model: type[Segment] | type[KeyAccount],
    data: dict[str, Any],
    where: dict[str, str],
    header: _Header,
    language: str | None,
) -> list[CellProblem]:
    """What the plan format finds wrong with one row, each on its cell."""
    problems = []
    if data.get("count") is None and "count" in where:
        data.pop("count", None)
    with written_in(language):
        try:
            model.model_validate(data)
            return []
        except ValidationError as exc:
            errors = exc.errors()
    for error in errors:
        name = str(error["loc"][0]) if error["loc"] else "name"
        column = header.texts[_column_of(header, name)] if name in where else name
        cell = where.get(name, where["name"])
        if name == "count" and error["type"] == "missing":
            message = _("{column} is empty; write the number, such as 9300 or about 9300").format(column=column)
        elif name == "count" and isinstance(data.get("count"), (int, float)) and abs(data["count"]) >= MAX_COUNT:
            message = _("{column} is too large: {value}; a count has at most 15 digits").format(
                column=column, value=_text(data["count"])
            )
        elif name == "count":
            message = _(
                '{column} should be a whole number of 0 or more, written 9300 or about 9300; here it is "{value}"'
            )
            message = message.format(column=column, value=_text(data.get("count")))
        elif error["type"] == "missing":
            message = _("{column} is empty").format(column=column)
        else:
            message = f"{column}: {error_message(error)}"
        problems.append(CellProblem(cell, message))
    return problems


def _written(model: type[Segment] | type[KeyAccount], data: dict[str, Any], language: str | None) -> dict[str, Any]:
    """A row's data as the plan gets it: its fields in the format's order, an approximate count in
    the plan's words (9300左右, about 9300)."""
    with written_in(language):
        try:
            item = model.model_validate(data)
        except ValidationError:
            return data  # reported already
    written: dict[str, Any] = {"name": item.name}
    for name in FIELDS["segments" if model is Segment else "key_accounts"][1:]:
        value = getattr(item, name)
        if name == "count" and isinstance(item, Segment) and item.approximate:
            value = f"about {value}" if language == "en" else f"{value}左右"
        if value is not None:
            written[name] = value
    return written


def _list_name(name: ListName) -> str:
    return _("segments") if name == "segments" else _("key accounts")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


# --- into the plan's text ------------------------------------------------------


_LINE = re.compile("[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029]|$)")
"""A line and its break, as ruamel counts lines."""


def _lines(text: str) -> list[str]:
    lines = _LINE.findall(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def _rendered(items: list[dict[str, Any]], flow: bool, indent: int, newline: str) -> list[str]:
    """*items* as the lines of a YAML block list whose dashes stand at column *indent*; each item on
    one line in braces with *flow*, unless it holds text of several lines."""
    sequence = CommentedSeq()
    for item in items:
        mapping = CommentedMap()
        for key, value in item.items():
            mapping[key] = _scalar(value)
        if flow and not any(isinstance(value, LiteralScalarString) for value in mapping.values()):
            mapping.fa.set_flow_style()
        sequence.append(mapping)
    out = io.StringIO()
    _round_trip().dump(sequence, out)
    return [(" " * indent + line if line else "") + newline for line in out.getvalue().splitlines()]


def _scalar(value: Any) -> Any:
    """*value* as the plan gets it: text of several lines as a block (|), and text that a YAML 1.1
    reader would take for something else (yes, on, 1:30) in quotes, though plangen reads it as text."""
    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    implicit = Resolver().resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    if implicit != "tag:yaml.org,2002:str":
        return DoubleQuotedScalarString(value)
    return value


def merged_text(text: str, lists: dict[ListName, list[dict[str, Any]]], file: str = "plan.yml") -> str:
    """*text*, a plan's YAML (the file *file*), with its ``clients`` lists named in *lists* replaced
    by the given items (or added, where it has none), every other line as it was. PlangenError when
    the plan writes a list or the clients in braces, which cannot be changed without rewriting it,
    placed where the original text has it."""
    _refuse_braces(text, list(lists), file)
    for name, items in lists.items():
        text = _with_list(text, name, items, file)
    return text


def _refuse_braces(text: str, names: list[ListName], file: str) -> None:
    """PlangenError naming every one of the lists *names* (or the clients) that *text* writes in
    brackets or braces, at its place in *text*."""
    document = _loaded(text)
    lines = _lines(text)
    clients = document.get("clients")
    if "clients" not in document:
        return
    if not isinstance(clients, CommentedMap) or clients.fa.flow_style():
        if not _emptied(lines, document.lc.key("clients")[0], "clients"):
            raise _in_braces(document, "clients", file)
        return
    found = []
    for name in names:
        value = clients.get(name)
        if name not in clients or (isinstance(value, CommentedSeq) and value and not value.fa.flow_style()):
            continue
        if not _emptied(lines, clients.lc.key(name)[0], name):
            found.append(str(_in_braces(clients, name, file, "clients.")))
    if found:
        raise PlangenError("\n".join(found))


def _loaded(text: str) -> CommentedMap:
    try:
        document = _round_trip().load(text)
    except YAMLError as exc:
        raise PlangenError(_("cannot read the plan's YAML: {why}").format(why=exc)) from None
    if not isinstance(document, CommentedMap):
        raise PlangenError(_("the plan file must be a mapping of keys such as title:"))
    return document


def _with_list(text: str, name: ListName, items: list[dict[str, Any]], file: str) -> str:
    document = _loaded(text)
    lines = _lines(text)
    newline = next((line[len(line.rstrip("\r\n")) :] for line in lines if line.endswith(("\n", "\r"))), "\n")
    clients = document.get("clients")
    if "clients" not in document:
        at = _insertion_line(lines, document, "clients", list(Plan.model_fields), len(lines))
        block = [f"clients:{newline}", f"  {name}:{newline}", *_rendered(items, True, 4, newline)]
        return _spliced(lines, at, at, block, newline)
    if not isinstance(clients, CommentedMap) or clients.fa.flow_style():
        key_line = document.lc.key("clients")[0]
        if not _emptied(lines, key_line, "clients"):
            raise _in_braces(document, "clients", file)
        block = [f"  {name}:{newline}", *_rendered(items, True, 4, newline)]
        return _spliced(lines, key_line + 1, key_line + 1, block, newline)
    end = _end_of(lines, document, "clients")
    key_column: int = clients.lc.key(next(iter(clients)))[1] if clients else 2
    if name not in clients:
        at = _insertion_line(lines, clients, name, list(Clients.model_fields), end)
        block = [f"{' ' * key_column}{name}:{newline}", *_rendered(items, True, key_column + 2, newline)]
        return _spliced(lines, at, at, block, newline)
    value = clients[name]
    key_line = clients.lc.key(name)[0]
    if isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
        flow = isinstance(value[0], CommentedMap) and bool(value[0].fa.flow_style())
        start = key_line + 1  # the comment lines above the first entry are that entry's
        stop = _trimmed(lines, value.lc.line, _next_key_line(clients, name, end))
        block = _commented(value, lines, start, items, flow, newline)
        return _spliced(lines, start, stop, block, newline)
    if not _emptied(lines, key_line, name):
        raise _in_braces(clients, name, file, "clients.")
    return _spliced(lines, key_line + 1, key_line + 1, _rendered(items, True, key_column + 2, newline), newline)


def _commented(
    old: CommentedSeq, lines: list[str], start: int, items: list[dict[str, Any]], flow: bool, newline: str
) -> list[str]:
    """The lines of the new list *items*, in place of the lines of the *old* one from line *start*
    (the line after its key): an entry whose name the old list has keeps the comment lines (and blank
    lines) just above that entry and the comment at the end of its first line."""
    kept: dict[str, tuple[list[str], str]] = {}
    for index, entry in enumerate(old):
        line = old.lc.item(index)[0]
        if not isinstance(entry, CommentedMap) or "name" not in entry or line >= len(lines):
            continue
        above = line
        while above > start and (not lines[above - 1].strip() or lines[above - 1].lstrip().startswith("#")):
            above -= 1
        kept.setdefault(str(entry["name"]), (lines[above:line], _inline_comment(lines[line])))
    block: list[str] = []
    for item in items:
        rendered = _rendered([item], flow, old.lc.col, newline)
        above_lines, comment = kept.get(str(item.get("name")), ([], ""))
        if comment:
            first = rendered[0]
            body = first.rstrip("\r\n")
            rendered[0] = body + comment + first[len(body) :]
        block += [*above_lines, *rendered]
    return block


def _inline_comment(line: str) -> str:
    """The comment that ends *line* of YAML, with the blanks before it; "" when it has none."""
    quote = ""
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"" and (index == 0 or line[index - 1] in " \t{[,:-?"):
            quote = char
        elif char == "#" and index > 0 and line[index - 1] in " \t":
            body = line[:index].rstrip(" \t")
            return line[len(body) :].rstrip("\r\n\x85\u2028\u2029")
        index += 1
    return ""


def _in_braces(mapping: CommentedMap, key: str, file: str, prefix: str = "") -> PlangenError:
    line, column = mapping.lc.key(key)
    message = _(
        "{key} is written in brackets or braces; write it as indented lines, one entry a line "
        "(- {{name: …}}), and import again"
    )
    return PlangenError(f"{file}:{line + 1}:{column + 1}: " + message.format(key=prefix + key))


def _emptied(lines: list[str], index: int, key: str) -> bool:
    """Make the line *index*, ``key:`` with nothing, ~, null, [] or {} after it, hold only the key
    (and its comment); whether it was such a line."""
    empty = r"(?:~|null|Null|NULL|\[[ ]*\]|\{[ ]*\})?"
    found = re.fullmatch(
        rf"(?P<key>[ ]*{re.escape(key)}[ ]*:)[ ]*{empty}(?P<rest>[ ]+#.*)?(?P<end>\r\n|[\r\n]|)", lines[index]
    )
    if found is None:
        return False
    lines[index] = found["key"] + (found["rest"] or "") + found["end"]
    return True


def _end_of(lines: list[str], document: CommentedMap, key: str) -> int:
    """The line after the last of the top-level *key*'s value (before comments that follow it)."""
    start = document.lc.key(key)[0] + 1
    return _trimmed(lines, start, _next_key_line(document, key, len(lines)))


def _next_key_line(mapping: CommentedMap, key: str, end: int) -> int:
    """The line of the key after *key* in *mapping*, or *end*."""
    keys = list(mapping)
    after = keys[keys.index(key) + 1 :]
    return mapping.lc.key(after[0])[0] if after else end


def _trimmed(lines: list[str], start: int, stop: int) -> int:
    """*stop* moved up over blank and comment lines, which are about what follows, not above."""
    while stop > start and (not lines[stop - 1].strip() or lines[stop - 1].lstrip().startswith("#")):
        stop -= 1
    return stop


def _insertion_line(lines: list[str], mapping: CommentedMap, key: str, order: list[str], end: int) -> int:
    """Where *key* goes in *mapping*: right after the value before the first key there that the
    format lists after it (so the blank and comment lines above that key stay with it), else after
    the mapping's last value."""
    later = order[order.index(key) + 1 :]
    following: list[int] = [mapping.lc.key(other)[0] for other in mapping if other in later]
    if not following:
        return end
    return _trimmed(lines, 0, min(following))


def _spliced(lines: list[str], start: int, stop: int, block: list[str], newline: str) -> str:
    if start > 0 and not lines[start - 1].endswith(("\n", "\r")):
        lines[start - 1] += newline
    return "".join([*lines[:start], *block, *lines[stop:]])


# --- the whole import ----------------------------------------------------------


@dataclass
class ImportResult:
    """What importing a file into a plan gives: the plan's new bytes, what changed, what to warn of."""

    plan: Path
    lists: list[Imported]
    changes: list[str]
    """What the import changes in the plan, one line each, as ``plangen changes`` says it."""
    before: bytes
    after: bytes
    warnings: list[str]

    @property
    def changed(self) -> bool:
        return self.before != self.after


def find_plan(project: Project, plan: str) -> Path:
    """The plan file *plan* names: a path, or the id of one of the project's plans."""
    path = Path(plan)
    if path.exists() or path.suffix in (".yml", ".yaml") or "/" in plan or os.sep in plan:
        return path
    files = find_plan_files([project.plans_dir]) if project.plans_dir.is_dir() else []
    named = [file for file in files if file.stem == plan]
    if len(named) == 1:
        return named[0]
    found = [loaded.path for loaded in load_plans(project, [project.plans_dir]).plans if loaded.id == plan]
    if len(found) != 1:
        raise PlangenError(_("{plan}: no such plan file, nor a plan with that id").format(plan=plan))
    return found[0]


def import_clients(
    project: Project,
    plan: Path,
    table: Path,
    *,
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
) -> ImportResult:
    """Read the client lists in *table* and make the text of *plan* with them, validated as
    ``plangen validate`` validates it. Writes nothing (see :func:`write_result`); PlangenError
    when anything is wrong, in the spreadsheet or in the plan."""
    file = display_path(plan)
    try:
        raw = read_bytes(plan, project.root)
    except OSError as exc:
        raise _unreadable(exc, file) from None
    source = read_source(plan, file, raw=raw, within=project.root)
    data = source.data if isinstance(source.data, dict) else {}
    language = data.get("language") if data.get("language") in ("zh-CN", "en") else project.settings.language
    imported, sheet_warnings = read_clients(table, sheet=sheet, columns=columns, language=language)
    replaced = tuple(f"clients.{found.name}" for found in imported)
    old_plan, problems = load_plan(project, plan, source)[:2]
    own = [p for p in problems if p.severity == "error" and not p.field.startswith(replaced)]
    if own:
        message = _("{file} has errors of its own; fix them (plangen validate) and import again:")
        raise PlangenError("\n".join([message.format(file=file), *(str(problem) for problem in own)]))
    text = raw.decode("utf-8-sig")
    lists = {found.name: [row.data for row in found.rows] for found in imported}
    lists = _kept_fields(imported, source.data, lists)
    new_text = merged_text(text, lists, file)
    after = (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"") + new_text.encode("utf-8")
    result = read_source(plan, file, raw=after, within=project.root)
    _check_placed(source.data, result.data, lists)
    new_plan, problems = load_plan(project, plan, result)[:2]
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors or new_plan is None:
        raise PlangenError("\n".join(_placed(problem, imported) for problem in errors))
    if old_plan is None:  # its lists were what was wrong with it: all that is imported is new
        clients = new_plan.clients.model_copy(update={key: [] for key in lists}) if new_plan.clients else None
        old_plan = new_plan.model_copy(update={"clients": clients})
    labels = Labels(project.templates_dir)[new_plan.language or project.settings.language]
    found = [report_line(change, labels) for change in compare(old_plan, new_plan, labels)]
    warnings = [str(problem) for problem in sheet_warnings]
    warnings += [str(p) for p in problems if p.severity == "warning" and p.field.startswith("clients")]
    return ImportResult(plan, imported, found, raw, after, warnings)


def _kept_fields(
    imported: list[Imported], plan: Any, lists: dict[ListName, list[dict[str, Any]]]
) -> dict[ListName, list[dict[str, Any]]]:
    """*lists* with the fields that their sheet has no column for taken from the entry of the same
    name in *plan*, as written there: a sheet without a 备注 column leaves the notes as they were."""
    clients = plan.get("clients") if isinstance(plan, dict) else None
    result: dict[ListName, list[dict[str, Any]]] = {}
    for found in imported:
        old = clients.get(found.name) if isinstance(clients, dict) else None
        entries = {str(entry["name"]): entry for entry in old or [] if isinstance(entry, dict) and "name" in entry}
        sheet_fields = set(found.header.columns.values())
        if "count" in sheet_fields:
            sheet_fields.add("approximate")  # said by the count: 9300左右
        items = []
        for item in lists[found.name]:
            entry = entries.get(str(item.get("name")))
            if entry is None:
                items.append(item)
                continue
            merged = {key: value for key, value in entry.items() if key not in sheet_fields}
            merged.update(item)
            order = [*FIELDS[found.name], *entry]
            items.append({key: merged[key] for key in sorted(merged, key=order.index)})
        result[found.name] = items
    return result


def _check_placed(before: Any, after: Any, lists: dict[ListName, list[dict[str, Any]]]) -> None:
    """Make sure the new text holds the lists, and everything else as it was."""
    expected = dict(before)
    clients = dict(expected.get("clients") or {})
    clients.update({name: items for name, items in lists.items()})
    expected["clients"] = clients
    if not isinstance(after, dict) or _plain(after) != _plain(expected):
        raise PlangenError(
            _("the lists could not be put into the plan without changing something else; nothing was written")
        )


def _placed(problem: Problem, imported: list[Imported]) -> str:
    """A problem of the new plan on the cell it came from, when it is about an imported entry."""
    found = re.match(r"clients\.(segments|key_accounts)\[(\d+)\](?:\.(\w+))?", problem.field)
    for sheet in imported:
        if found and sheet.name == found[1] and int(found[2]) < len(sheet.rows):
            row = sheet.rows[int(found[2])]
            return str(CellProblem(row.where.get(found[3] or "name", row.first), problem.message))
    return str(problem)


def write_result(result: ImportResult) -> None:
    """Put the plan's new text in place in one step, unless the file changed since it was read."""
    refuse_link(result.plan)
    if result.plan.read_bytes() != result.before:
        message = _("{file} changed while importing; nothing was written, run the import again")
        raise PlangenError(message.format(file=display_path(result.plan)))
    write_atomic(result.plan, result.after, mode=stat.S_IMODE(os.stat(result.plan).st_mode))


def summary_lines(result: ImportResult) -> Iterator[str]:
    """What was read from where, then what the import changes in the plan, for a person."""
    for found in result.lists:
        rows = ngettext("{count} row", "{count} rows", len(found.rows)).format(count=len(found.rows))
        yield _("clients.{list} from {sheet} ({rows})").format(list=found.name, sheet=found.sheet.label, rows=rows)
    yield from (f"  {line}" for line in result.changes)
