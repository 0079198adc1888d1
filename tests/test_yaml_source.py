"""Reading YAML: positions, and every kind of broken or hostile file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.yaml_source import MAX_BYTES, Location, display_path, format_path, read_source


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
    source = read(tmp_path, "a: [1, 2.5, 2027-01-02, yes, ~, '3']\n")
    assert source.data == {"a": [1, 2.5, dt.date(2027, 1, 2), True, None, "3"]}


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
            "x.yml:1:4: '*nowhere' refers to an anchor '&nowhere' not defined above it",
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
        "x.yml:1:8: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system': plan files hold "
        "plain text, numbers, dates, lists and mappings only"
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
