"""Reading YAML: positions, and every kind of broken or hostile file."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from pathlib import Path

import pytest

from conftest import posix_only
from plangen.i18n import Language, speaking
from plangen.yaml_source import MAX_BYTES, Location, display_path, format_path, name_problem, read_source


def read(tmp_path: Path, content: str | bytes):
    path = tmp_path / "x.yml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return read_source(path, "x.yml")


def messages(source) -> list[str]:
    return [str(p) for p in source.problems]


def test_values_and_keys_keep_their_line_and_column(tmp_path: Path) -> None:
    source = read(tmp_path, "title: 计划\ngoals:\n  - id: a\n    target: 多\n")
    assert source.data == {"title": "计划", "goals": [{"id": "a", "target": "多"}]}
    assert source.locate(("goals", 0, "target")) == Location(4, 13)
    assert source.keys[("goals", 0, "target")] == Location(4, 5)
    assert source.locate(("goals", 0, "missing")) == Location(3, 5)


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    source = read(tmp_path, "中文标题: x\n")
    assert source.locate(("中文标题",)) == Location(1, 7)


def test_plain_scalars_get_yaml_types(tmp_path: Path) -> None:
    source = read(tmp_path, "a: [1, 2.5, 2027-01-02, true, ~, '3']\n")
    assert source.data == {"a": [1, 2.5, dt.date(2027, 1, 2), True, None, "3"]}


@pytest.mark.parametrize(
    ("written", "value"),
    [
        # Numbers only when written as they print.
        ("19630", 19630), ("-3", -3), ("0", 0), ("4.5", 4.5), ("-0.25", -0.25), ("3.0", 3.0), ("1e+20", 1e20),
        ("1" + "0" * 400, 10**400),  # read exactly; the model says it is too large
        # What YAML 1.1 reads as other numbers stays text: octal, hexadecimal, binary, sexagesimal, '_'.
        ("0700", "0700"), ("+0700", "+0700"), ("0211234567", "0211234567"), ("02112345678", "02112345678"),
        ("0x1F", "0x1F"), ("-0x1F", "-0x1F"), ("0o17", "0o17"), ("0b101", "0b101"), ("1:30", "1:30"),
        ("190:20:30", "190:20:30"), ("1:30.5", "1:30.5"), ("1_000", "1_000"), ("0_7", "0_7"),
        # Other forms a figure may be written in stay text too, for the model to read or question.
        ("4,5", "4,5"), ("1,000", "1,000"), ("+5", "+5"), ("-0", "-0"), ("00", "00"), ("1e5", "1e5"),
        ("1.0e+5", "1.0e+5"), (".5", ".5"), ("5.", "5."), ("1.10", "1.10"), ("+8613800138000", "+8613800138000"),
        ("1e400", "1e400"), ("1.0e+400", "1.0e+400"), ("1" * 5000, "1" * 5000),
        (".inf", ".inf"), ("-.Inf", "-.Inf"), (".NaN", ".NaN"), ("inf", "inf"), ("nan", "nan"),
        # YAML 1.2: only true and false are yes-or-no values.
        ("true", True), ("False", False), ("TRUE", True), ("yes", "yes"), ("No", "No"), ("NO", "NO"), ("on", "on"),
        ("OFF", "OFF"), ("y", "y"), ("Y", "Y"), ("n", "n"), ("tRue", "tRue"),
        ("~", None), ("null", None), ("NULL", None), ("", None),
        ("=", "="),  # PyYAML's 'value' tag, which no constructor knows
        ("2027-01-05", dt.date(2027, 1, 5)), ("2027-1-5", "2027-1-5"),
    ],
)  # fmt: skip
def test_plain_scalars_keep_what_is_written(tmp_path: Path, written: str, value: object) -> None:
    source = read(tmp_path, f"a: {written}\n")
    assert source.problems == []
    assert source.data["a"] == value and type(source.data["a"]) is type(value)


@pytest.mark.parametrize(
    ("written", "value"),
    [("!!int 0700", "0700"), ("!!int 0x1F", "0x1F"), ("!!float 1", 1), ("!!bool yes", "yes"), ("!!null ''", ""),
     ("!!str 5", "5"), ("! 5", "5"), ('!!int "5"', "5"), ("!!timestamp 2027-01-05", dt.date(2027, 1, 5))],
)  # fmt: skip
def test_type_tags_change_nothing(tmp_path: Path, written: str, value: object) -> None:
    source = read(tmp_path, f"a: {written}\n")
    assert source.problems == []
    assert source.data["a"] == value and type(source.data["a"]) is type(value)


def test_keys_follow_the_same_rules(tmp_path: Path) -> None:
    assert read(tmp_path, "yes: 1\n0700: 2\n2027: 3\n").data == {"yes": 1, "0700": 2, 2027: 3}


def test_an_impossible_date_stays_text_for_the_model_to_explain(tmp_path: Path) -> None:
    assert read(tmp_path, "due: 2027-02-30\n").data == {"due": "2027-02-30"}


def test_duplicate_keys_are_errors_and_the_first_value_is_kept(tmp_path: Path) -> None:
    source = read(tmp_path, "title: a\nowner:\n  name: x\n  name: y\n")
    assert messages(source) == [
        "x.yml:4:3: owner.name: duplicate key 'name' (first written at line 3); only one is allowed"
    ]
    assert source.data["owner"] == {"name": "x"}


def test_merge_keys_fill_in_without_overriding(tmp_path: Path) -> None:
    source = read(tmp_path, "base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n")
    assert source.data["thing"] == {"x": 1, "y": 3}
    assert source.problems == []


def test_bom_is_accepted(tmp_path: Path) -> None:
    assert read(tmp_path, "\ufefftitle: x\n".encode()).data == {"title": "x"}


def test_a_file_from_windows_notepad_keeps_its_lines_and_columns(tmp_path: Path) -> None:
    """Notepad writes a byte-order mark and CRLF line ends; positions count neither."""
    source = read(tmp_path, "\ufefftitle: 计划\r\ngoals:\r\n  - id: a\r\n    target: 多\r\n".encode())
    assert source.data == {"title": "计划", "goals": [{"id": "a", "target": "多"}]}
    assert source.locate(("goals", 0, "target")) == Location(4, 13)
    assert source.locate(("title",)) == Location(1, 8)


def test_empty_and_comment_only_files(tmp_path: Path) -> None:
    assert messages(read(tmp_path, "  \n")) == ["x.yml:1:1: the file is empty"]
    assert messages(read(tmp_path, "# nothing yet\n")) == ["x.yml:1:1: the file holds no data, only comments"]


def test_tab_indentation_is_explained(tmp_path: Path) -> None:
    [message] = messages(read(tmp_path, "owner:\n\tname: x\n"))
    assert message.startswith("x.yml:2:1: YAML syntax error: a tab is used for indentation; indent with spaces [")


def test_syntax_errors_give_line_column_and_hint(tmp_path: Path) -> None:
    assert messages(read(tmp_path, "title: 计划: 第一版\n")) == [
        "x.yml:1:10: YAML syntax error: put text that contains ': ' in quotes, or check this line's indentation "
        "[mapping values are not allowed in this context]"
    ]
    assert messages(read(tmp_path, "goals:\n  - id: x\n  title: y\n")) == [
        "x.yml:3:3: YAML syntax error: this line's indentation does not match the list above it "
        "[did not find expected '-' indicator (while parsing a block collection)]"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            "title: ok\nowner: 王敏\n".encode("gbk"),
            "x.yml:2:8: the file is not UTF-8 text (byte 0xCD); files saved as GBK or GB2312 look like this: "
            "save it as UTF-8",
            id="gbk",
        ),
        pytest.param(
            "title: x\n".encode("utf-16"), "x.yml:1:1: the file is saved as UTF-16; save it as UTF-8", id="utf-16"
        ),
        pytest.param(
            'title: "计划\nperiod: 2027\n',
            "x.yml:1:8: YAML syntax error: the quoted text starting here is never closed "
            "[found unexpected end of stream (while scanning a quoted scalar)]",
            id="unclosed-quote-placed-where-it-opens",
        ),
        pytest.param(
            "title: ab\x07c\n",
            "x.yml:1:10: invisible control character U+0007 is not allowed (often pasted from another program); "
            "delete it",
            id="raw-control-character",
        ),
        pytest.param(
            'title: "a\\x0bb"\n',
            "x.yml:1:8: title: the text holds control character U+000B, which a Word document cannot hold; remove it",
            id="escaped-control-character",
        ),
        pytest.param(
            "title: a\n---\ntitle: b\n",
            "x.yml:2:1: the file holds a second YAML document (after '---'); put each plan in its own file",
            id="second-document",
        ),
        pytest.param(
            "a: *nowhere\n",
            "x.yml:1:4: '*nowhere' refers to an anchor '&nowhere' not defined above it; to write text that starts "
            "with '*', put it in quotes: \"*nowhere\"",
            id="undefined-alias",
        ),
    ],
)
def test_a_bad_file_gets_one_located_message(tmp_path: Path, content: str | bytes, message: str) -> None:
    assert messages(read(tmp_path, content)) == [message]


def test_python_object_tags_are_refused(tmp_path: Path) -> None:
    source = read(tmp_path, "title: !!python/object/apply:os.system ['echo hi']\n")
    assert source.data is None
    assert messages(source) == [
        "x.yml:1:8: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system': this file may hold "
        "only plain text, numbers, dates, lists and mappings"
    ]


def test_billion_laughs_stops_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    source = read(tmp_path, "\n".join(lines) + "\n")  # 9^10 values if expanded: it must stop counting
    assert source.data is None
    [message] = messages(source)
    assert message.endswith(
        "the file expands to more than 250,000 values; are anchors and aliases (&name / *name) nested inside "
        "each other?"
    )


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    assert messages(read(tmp_path, "a: " + "[" * 100 + "]" * 100 + "\n")) == [
        "x.yml:1:43: the data is nested more than 40 levels deep"
    ]
    [message] = messages(read(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert message.startswith("x.yml:1:1003: YAML syntax error: the data is nested more than 40 levels deep [")


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    source = read(tmp_path, "title: " + "x" * MAX_BYTES + "\n")
    assert messages(source) == ["x.yml:1:1: the file is larger than 2 MB; split it or move long texts out"]


def test_format_path() -> None:
    assert format_path(("goals", 2, "target")) == "goals[2].target"
    assert format_path(()) == ""


def test_paths_are_shown_relative_to_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "work" / "plans").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "work")
    monkeypatch.chdir(tmp_path / "work")
    assert display_path(Path("plans/a.yml")) == "plans/a.yml"
    assert display_path(tmp_path / "work" / "plans" / "a.yml") == "plans/a.yml"
    assert display_path(tmp_path / "link" / "plans" / "a.yml") == "plans/a.yml"
    assert display_path(tmp_path / "elsewhere.yml") == str(tmp_path / "elsewhere.yml")


def read_within(root: Path, name: str) -> list[str]:
    return messages(read_source(root / name, name, within=root))


@posix_only
def test_only_ordinary_files_are_read_and_a_fifo_never_waits(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yml")
    (tmp_path / "folder.yml").mkdir()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "socket.yml"))
        found = {}
        reader = threading.Thread(target=lambda: found.update(pipe=read_within(tmp_path, "pipe.yml")), daemon=True)
        reader.start()
        reader.join(timeout=10)
        assert not reader.is_alive(), "reading a FIFO waited for a writer"
        assert found["pipe"] == [
            "pipe.yml:1:1: cannot read the file: it is a named pipe (FIFO), not an ordinary file; "
            "only ordinary files are read"
        ]
        assert read_within(tmp_path, "socket.yml") == [
            "socket.yml:1:1: cannot read the file: it is a socket, not an ordinary file; only ordinary files are read"
        ]
    assert read_within(tmp_path, "folder.yml") == [
        "folder.yml:1:1: cannot read the file: it is a folder, not an ordinary file; only ordinary files are read"
    ]
    assert messages(read_source(Path("/dev/zero"), "zero.yml")) == [
        "zero.yml:1:1: cannot read the file: it is a device, not an ordinary file; only ordinary files are read"
    ]


@posix_only
def test_links_must_stay_inside_the_project_and_out_of_hidden_folders(tmp_path: Path) -> None:
    root, outside = tmp_path / "project", tmp_path / "secret.yml"
    (root / "plans" / "2026").mkdir(parents=True)
    (root / ".git").mkdir()
    outside.write_text("token: SECRET\n", encoding="utf-8")
    (root / ".git" / "config").write_text("token: SECRET\n", encoding="utf-8")
    (root / "plans" / "2026" / "a.yml").write_text("title: a\n", encoding="utf-8")
    links = {
        "outside.yml": outside,
        "absolute-device.yml": Path("/dev/zero"),
        "relative.yml": Path("../../secret.yml"),
        "git.yml": Path("../.git/config"),
        "inside.yml": Path("2026/a.yml"),
        "chain.yml": Path("inside.yml"),
        "chain-out.yml": Path("relative.yml"),
        "broken.yml": Path("nowhere.yml"),
        "loop.yml": Path("loop.yml"),
    }
    for name, target in links.items():
        (root / "plans" / name).symlink_to(target)
    outside_message = (
        "cannot read the file: it is a link to a file outside the project; put the file itself in the project"
    )
    assert {name: read_within(root, f"plans/{name}") for name in links} == {
        "outside.yml": [f"plans/outside.yml:1:1: {outside_message}"],
        "absolute-device.yml": [f"plans/absolute-device.yml:1:1: {outside_message}"],
        "relative.yml": [f"plans/relative.yml:1:1: {outside_message}"],
        "git.yml": [
            "plans/git.yml:1:1: cannot read the file: it is a link to a hidden file or folder, such as .git; put the "
            "file itself here"
        ],
        "inside.yml": [],
        "chain.yml": [],
        "chain-out.yml": [f"plans/chain-out.yml:1:1: {outside_message}"],
        "broken.yml": ["plans/broken.yml:1:1: cannot read the file: it is a link to nothing; put the file itself here"],
        "loop.yml": ["plans/loop.yml:1:1: cannot read the file: Too many levels of symbolic links"],
    }
    assert read_source(root / "plans" / "inside.yml", "x", within=root).data == {"title": "a"}
    # A folder on the way that is a link counts as well; a file named as it is is read where it is.
    (root / "elsewhere").symlink_to(tmp_path)
    assert read_within(root, "elsewhere/secret.yml") == [f"elsewhere/secret.yml:1:1: {outside_message}"]
    assert read_source(outside, "secret.yml", within=root).data == {"token": "SECRET"}


@pytest.mark.parametrize(
    ("name", "shown", "problem"),
    [
        (b"plans/\xff.yml", "plans/\\xff.yml", "the file name is not UTF-8 text (byte 0xFF); names made on a system "
         "using GBK look like this: rename the file"),
        ("plans/王敏.yml".encode("gbk"), "plans/\\xcd\\xf5\\xc3\\xf4.yml", "the file name is not UTF-8 text (byte "
         "0xCD); names made on a system using GBK look like this: rename the file"),
        (b"plans/a\nb.yml", "plans/a\\x0ab.yml", "the file name holds control character U+000A; rename the file"),
        (b"plans/\x1b[31mred.yml", "plans/\\x1b[31mred.yml", "the file name holds control character U+001B; "
         "rename the file"),
        ("plans/王敏.yml".encode(), "plans/王敏.yml", None),
    ],
)  # fmt: skip
def test_file_names_are_shown_printably(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: bytes, shown: str, problem: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path(os.fsdecode(name))
    assert (display_path(path), name_problem(path)) == (shown, problem)
    display_path(path).encode("utf-8")  # printable and writable anywhere


@pytest.mark.parametrize(
    ("text", "column"),
    [('m: {2027-06-30: 10, "2027-06-30": 50}', 21), ('m: {2027: 10, "2027": 50}', 15),
     ("m:\n  2027-06: 1\n  '2027-06': 2", 3), ("m: {1: a, '1': b}", 11)],
)  # fmt: skip
def test_keys_written_as_different_types_but_read_as_the_same_text_are_duplicates(
    tmp_path: Path, text: str, column: int
) -> None:
    """The model reads keys as text, so a date and the same date in quotes would be one key and
    the last figure would win without a word."""
    [problem] = read(tmp_path, text).problems
    assert problem.column == column and "duplicate key" in problem.message


def located(tmp_path: Path, content: str, language: Language) -> list[tuple[str, str]]:
    """The problems of *content*, read in *language*, as (line:column, message) and severity."""
    with speaking(language):
        return [(f"{p.line}:{p.column}", p.message) for p in read(tmp_path, content).problems]


FULL_WIDTH_COLON = (
    "the colon after '{key}' is the full-width '：'; YAML needs an ASCII colon and a space here: write '{key}: ' "
    "and then the value",
    "“{key}”后面的冒号是全角的“：”，这里需要半角冒号加一个空格；请写成 {key}: 内容",
)
FULL_WIDTH_INDENT = (
    "a full-width space (U+3000) is used for indentation; indent with ASCII spaces",
    "缩进用了全角空格；请改用半角空格缩进（可先切换到英文输入状态）",
)
NOT_A_LIST_MARK = (
    "'{char}' does not start a list item; start each item with an ASCII hyphen and a space: - ",
    "“{char}”不能作为列表项的开头；每一项请以半角减号加一个空格开头，写成 - 内容",
)
CANNOT_START = (
    "YAML does not allow '{char}' at the start of a value; to write text that starts with '{char}', put it in "
    'quotes: "{example}"',
    'YAML 不允许值以“{char}”开头；要写以“{char}”开头的文字，请给整段文字加上半角双引号，写成 "{example}"',
)
BLOCK_MARK = (
    "'{char}' at the start of a value begins a block of text on the lines below; to write text that starts with "
    "'{char}', put it in quotes: \"{example}\"",
    '值开头的“{char}”表示从下一行开始写多行文字；要写以“{char}”开头的文字，请给整段文字加上半角双引号，写成 "{example}"',
)
NOT_CLOSED = (
    "the '{char}' here is never closed with '{close}'; close it, or, to write text that starts with '{char}', put "
    'it in quotes: "{example}"',
    "这里的“{char}”后面没有对应的“{close}”；请补上“{close}”，如果它是文字的一部分，请给整段文字加上半角双引号，"
    '写成 "{example}"',
)


@pytest.mark.parametrize(
    ("content", "where", "messages", "values"),
    [
        pytest.param("title: a\nowner：王敏\nperiod: 2027\n", "2:6", FULL_WIDTH_COLON, {"key": "owner"},
                     id="full-width-colon-after-a-key"),
        pytest.param("owner：\n  name: 王敏\n", "1:6", FULL_WIDTH_COLON, {"key": "owner"},
                     id="full-width-colon-before-a-block"),
        pytest.param("goals:\n  - id：a\n    title: b\n", "2:7", FULL_WIDTH_COLON, {"key": "id"},
                     id="full-width-colon-in-a-list-item"),
        pytest.param("title：计划\nperiod: 2027\n", "1:6", FULL_WIDTH_COLON, {"key": "title"},
                     id="full-width-colon-on-the-first-line"),
        pytest.param("summary: 目标：提升服务\ngoals:\n  - id: a\n    title：b\n", "4:10", FULL_WIDTH_COLON,
                     {"key": "title"}, id="full-width-colon-after-text-that-holds-one"),
        pytest.param("title:\u3000计划\nperiod: 2027\n", "1:7", (
            "the space after 'title:' is a full-width space (U+3000); YAML needs an ASCII space after the colon",
            "“title:”后面的空格是全角空格；冒号后面需要一个半角空格",
        ), {}, id="full-width-space-after-a-colon"),
        pytest.param("owner: {name: 王敏，title: 经理}\n", "1:17", (
            "the full-width comma '，' does not separate items inside [ ] or {{ }}; type an ASCII comma ','",
            "方括号或花括号里的全角逗号“，”不能分隔各项；请改成半角逗号“,”",
        ), {}, id="full-width-comma-in-braces"),
        pytest.param("owner:\n\u3000\u3000name: 王敏\n", "2:1", FULL_WIDTH_INDENT, {}, id="full-width-indentation"),
        pytest.param("tags:\n\u3000\u3000- a\n", "2:1", FULL_WIDTH_INDENT, {}, id="full-width-indentation-of-a-list"),
        pytest.param("goals:\n  － id: a\n    title: b\n", "2:3", NOT_A_LIST_MARK, {"char": "－"},
                     id="full-width-hyphen-as-list-mark"),
        pytest.param("goals:\n  — id: a\n  — id: b\n", "2:3", NOT_A_LIST_MARK, {"char": "—"},
                     id="em-dash-as-list-mark"),
        pytest.param("title: “计划: 第一版”\n", "1:8", (
            "the Chinese quotation mark '“' does not quote text in YAML, it is part of the text; leave it out, or, "
            'to put text in quotes, use ASCII quotes: "..."',
            "中文引号“ ”在 YAML 里不起引号的作用，只是文字的一部分；请去掉它，或者，要给文字加引号，请用半角双引号，"
            '写成 "文字"',
        ), {}, id="chinese-quotes"),
        pytest.param("owner: {name: @王敏, title: 经理}\n", "1:15", CANNOT_START, {"char": "@", "example": "@王敏"},
                     id="at-sign"),
        pytest.param("title: `计划`\n", "1:8", CANNOT_START, {"char": "`", "example": "`计划`"}, id="backtick"),
        pytest.param("title: %50 完成 # 注\n", "1:8", CANNOT_START, {"char": "%", "example": "%50 完成"}, id="percent"),
        pytest.param("title: *重点* 客户\n", "1:8", (
            "'*' at the start of a value refers to an anchor (&name); to write text that starts with '*', put it in "
            'quotes: "*重点* 客户"',
            "值开头的“*”在 YAML 里表示引用锚点（&名称）；要写以“*”开头的文字，请给整段文字加上半角双引号，"
            '写成 "*重点* 客户"',
        ), {}, id="star"),
        pytest.param("title: &计划\n", "1:8", (
            "'&' at the start of a value names an anchor; to write text that starts with '&', put it in quotes: "
            '"&计划"',
            "值开头的“&”在 YAML 里表示锚点名；要写以“&”开头的文字，请给整段文字加上半角双引号，写成 \"&计划\"",
        ), {}, id="ampersand"),
        pytest.param('title: !重要 "计划"\n', "1:8", (
            "'!' at the start of a value is a type tag; to write text that starts with '!', put it in quotes: "
            '"!重要 \\"计划\\""',
            "值开头的“!”在 YAML 里表示类型标记；要写以“!”开头的文字，请给整段文字加上半角双引号，"
            '写成 "!重要 \\"计划\\""',
        ), {}, id="exclamation-mark"),
        pytest.param("title: | 计划\n", "1:8", BLOCK_MARK, {"char": "|", "example": "| 计划"}, id="bar"),
        pytest.param("summary: > 计划\n", "1:10", BLOCK_MARK, {"char": ">", "example": "> 计划"}, id="greater-than"),
        pytest.param("title: [计划\nperiod: 2027\n", "1:8", NOT_CLOSED, {"char": "[", "close": "]", "example": "[计划"},
                     id="bracket-never-closed"),
        pytest.param("title: {计划\n", "1:8", NOT_CLOSED, {"char": "{", "close": "}", "example": "{计划"},
                     id="brace-never-closed"),
        pytest.param("title: [重要] 计划\nperiod: 2027\n", "1:8", (
            "'[' at the start of a value begins a list or a mapping; to write text that starts with '[', put it in "
            'quotes: "[重要] 计划"',
            "值开头的“[”在 YAML 里表示列表（[ ]）或一组键值（{{ }}）的开始；要写以“[”开头的文字，"
            "请给整段文字加上半角双引号，写成 \"[重要] 计划\"",
        ), {}, id="bracket-then-text"),
    ],
)  # fmt: skip
def test_keyboard_slips_that_break_the_syntax_are_shown_where_the_character_is(
    tmp_path: Path, content: str, where: str, messages: tuple[str, str], values: dict[str, str]
) -> None:
    english, chinese = (message.format(**values) for message in messages)
    assert located(tmp_path, content, "en") == [(where, f"YAML syntax error: {english}")]
    assert located(tmp_path, content, "zh-CN") == [(where, f"YAML 语法错误：{chinese}")]


def test_a_word_after_an_exclamation_mark_is_an_unknown_tag_with_the_same_advice(tmp_path: Path) -> None:
    content = "title: !important 计划\n"
    assert located(tmp_path, content, "en") == [(
        "1:8",
        "unsupported YAML tag '!important': this file may hold only plain text, numbers, dates, lists and mappings; "
        "to write text that starts with '!', put it in quotes: \"!important 计划\"",
    )]  # fmt: skip
    assert located(tmp_path, content, "zh-CN") == [(
        "1:8",
        "不支持的 YAML 标记“!important”：这个文件只能包含文字、数字、日期、列表和键值；要写以“!”开头的文字，"
        "请给整段文字加上半角双引号，写成 \"!important 计划\"",
    )]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "where", "english", "chinese"),
    [
        pytest.param("tags: [网点，园区, 商铺]\n", "1:10",
                     'the full-width comma \'，\' does not separate list items, so "网点，园区" is one item; to make two, '
                     "type an ASCII comma ',' instead, or put the item in quotes to keep it as one",
                     '全角逗号“，”不能分隔列表项，所以 "网点，园区" 只算一项；要分成两项，请改成半角逗号“,”；'
                     "如果本来就是一项，请给它加上半角双引号", id="full-width-comma"),
        pytest.param("tags: [“网点, 园区”, 商铺]\n", "1:8",
                     "the Chinese quotation marks '“' and '”' do not quote text in YAML, so a comma between them "
                     'splits the text into two items; use ASCII quotes: "..."',
                     "中文引号“ ”在 YAML 里不起引号的作用，引号里的逗号把这段文字分成了两项；请改用半角双引号，"
                     '写成 "文字"', id="chinese-quotes"),
    ],
)  # fmt: skip
def test_a_list_in_brackets_that_a_keyboard_slip_changed_gets_a_warning(
    tmp_path: Path, content: str, where: str, english: str, chinese: str
) -> None:
    source = read(tmp_path, content)
    assert [p.severity for p in source.problems] == ["warning"]
    assert source.data["tags"][-1] == "商铺"
    assert located(tmp_path, content, "en") == [(where, english)]
    assert located(tmp_path, content, "zh-CN") == [(where, chinese)]


@pytest.mark.parametrize(
    "content",
    [
        "summary: 目标：提升服务\n",
        "title: 计划：第一版\n",
        "principles:\n  - 原则一：客户第一\n  - Q1：完成开户\n  - KPI： 客户数\n",
        "title: “计划”\n",
        "title: 【重要】计划\n",
        'tags: ["网点，园区", “商铺”]\n',
        "tags: [网点, 园区]\n",
        "summary: |\n  \u3000\u3000第一段：说明。\n  \u3000\u3000第二段。\n",
        "toc: 目\u3000录\n",
        "notes: — 见附件\n",
        "notes: －5%\n",
        "unit: # 待定\n",
        "owner: # 负责人\n  name: 王敏\n",
        "title: 计划 #1\n",
        "title: a@b.com\n",
        "title: 5*3 & 2|1 > 0\n",
    ],
)
def test_full_width_characters_and_marks_in_text_are_fine(tmp_path: Path, content: str) -> None:
    source = read(tmp_path, content)
    assert source.problems == [] and source.data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("summary: 目标：提升服务\ntitle: 计划: 第一版\n", "2:10: YAML syntax error: put text that contains ': ' in quotes, "
         "or check this line's indentation [mapping values are not allowed in this context]"),
        ("summary: >\n  \u3000\u3000plan: 计划\n  — 见附件\n  Q1：完成\n title: x\n",
         "5:2: YAML syntax error: did not find expected key (while parsing a block mapping)"),
        ('title: "第一行\n  Q1：完成"\n title: x\n',
         "3:2: YAML syntax error: did not find expected key (while parsing a block mapping)"),
        ("metric: “我的e家”新装用户\ntitle: 计划: 第一版\n", "2:10: YAML syntax error: put text that contains ': ' in "
         "quotes, or check this line's indentation [mapping values are not allowed in this context]"),
        ("metric: “我的e家”: 新装用户\n", "1:15: YAML syntax error: put text that contains ': ' in quotes, or check this "
         "line's indentation [mapping values are not allowed in this context]"),
    ],
)  # fmt: skip
def test_a_syntax_error_near_full_width_text_keeps_its_own_message(tmp_path: Path, content: str, message: str) -> None:
    assert messages(read(tmp_path, content)) == [f"x.yml:{message}"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title: ok\nowner: 王敏\n".encode("gbk"),
         "x.yml:2:8: 文件不是 UTF-8 编码（字节 0xCD），以 GBK 或 GB2312 编码保存的文件就会这样；请把文件另存为 UTF-8 编码"),
        ("title: x\n".encode("utf-16"), "x.yml:1:1: 文件是以 UTF-16 编码保存的；请另存为 UTF-8 编码"),
        ('title: "计划\nperiod: 2027\n', "x.yml:1:8: YAML 语法错误：从这里开始的引号没有闭合 "
         "[found unexpected end of stream (while scanning a quoted scalar)]"),
        ("owner:\n\tname: x\n", "x.yml:2:1: YAML 语法错误：缩进用了制表符（Tab）；请用空格缩进 "
         "[found character that cannot start any token (while scanning for the next token)]"),
        ("title: ab\x07c\n", "x.yml:1:10: 文件中有不可见的控制字符 U+0007（多半是从别的程序粘贴过来的），不允许出现；请删除它"),
        ('title: "a\\x0bb"\n', "x.yml:1:8: title: 文字中有控制字符 U+000B，Word 文档无法保存它；请删除"),
        ("title: a\n---\ntitle: b\n", "x.yml:2:1: 文件里有第二个 YAML 文档（在“---”之后）；每份计划请单独存为一个文件"),
        ("title: a\nowner:\n  name: x\n  name: y\n", "x.yml:4:3: owner.name: 键“name”重复了（第 3 行已经写过）；同一个键只能写一次"),
        ("  \n", "x.yml:1:1: 文件是空的"),
        ("# nothing yet\n", "x.yml:1:1: 文件里只有注释，没有内容"),
        ("title: !!python/object/apply:os.system ['echo hi']\n", "x.yml:1:8: 不支持的 YAML 标记"
         "“tag:yaml.org,2002:python/object/apply:os.system”：这个文件只能包含文字、数字、日期、列表和键值"),
        ("a: " + "[" * 100 + "]" * 100 + "\n", "x.yml:1:43: 数据嵌套超过了 40 层"),
        ("? [a]\n: b\n", "x.yml:1:3: 键必须是一个词或一段文字，不能是列表、一组键值或引用"),
        ("a: <<\n", "x.yml:1:4: “<<”只能用作键"),
        ("a:\n  <<: 5\n", "x.yml:2:7: “<<”后面必须是对一组键值的引用，例如 <<: *defaults"),
        ("a: *nowhere\n", "x.yml:1:4: “*nowhere”引用了锚点“&nowhere”，但上文没有定义这个锚点；要写以“*”开头的文字，"
         "请给整段文字加上半角双引号，写成 \"*nowhere\""),
        ("title: " + "x" * MAX_BYTES + "\n", "x.yml:1:1: 文件超过 2 MB；请拆分文件，或把长篇文字移到别处"),
    ],
)  # fmt: skip
def test_reading_problems_are_told_in_chinese(tmp_path: Path, content: str | bytes, message: str) -> None:
    with speaking("zh-CN"):
        assert messages(read(tmp_path, content)) == [message]


@posix_only
def test_files_that_cannot_be_read_are_told_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(tmp_path / "pipe.yml")
    (tmp_path / "link.yml").symlink_to(tmp_path.parent)
    (tmp_path / "inside.yml").symlink_to("nowhere.yml")
    monkeypatch.chdir(tmp_path)
    with speaking("zh-CN"):
        assert read_within(tmp_path, "pipe.yml") == [
            "pipe.yml:1:1: 无法读取文件：它是一个命名管道（FIFO），不是普通文件；只能读取普通文件"
        ]
        assert read_within(tmp_path, "link.yml") == [
            "link.yml:1:1: 无法读取文件：它是指向项目之外文件的链接；请把文件本身放进项目"
        ]
        assert read_within(tmp_path, "inside.yml") == [
            "inside.yml:1:1: 无法读取文件：它是指向不存在的文件的链接；请把文件本身放在这里"
        ]
        assert name_problem(Path(os.fsdecode(b"plans/\xff.yml"))) == (
            "文件名不是 UTF-8 文字（字节 0xFF），在使用 GBK 编码的系统上起的文件名就会这样；请给文件改名"
        )
        assert name_problem(Path("plans/a\nb.yml")) == "文件名中有控制字符 U+000A；请给文件改名"
