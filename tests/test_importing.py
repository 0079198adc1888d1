"""plangen import clients: spreadsheets made here (merged cells, empty rows, numbers stored as
text, title rows, Chinese headers, GBK and UTF-8 CSV, a hand-made .ods) into plans whose
comments, order and line endings must survive, and the plan untouched on every error."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO
from plangen.cli import main
from plangen.errors import PlangenError
from plangen.importing import merged_text, parse_columns, read_clients

PLAN = """\
# yaml-language-server: $schema=../plan.schema.json
# 顶部注释：王敏的计划
title: 测试计划   # 行内注释
period: 2027
owner: {name: 王敏}

clients:
  # 客户块里的注释
  total: 19630左右  # 所写总数
  segments:   # 分群行的注释
    - {name: 固话用户, count: 9300左右}   # 第一项
    # 两项之间
    - {name: 宽带用户, count: 400左右, notes: 老数据}
  # 列表之后的注释

  classes:
    - {name: 高端客户, service: 24小时保姆式服务}
  notes: 客户资料齐全。

# goals 之前的注释
goals:
  - id: new-business
    title: 努力发展新的业务
"""
"""A plan with comments everywhere: above, inline, inside clients, between items, after the list."""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "plangen.yml").write_text("language: zh-CN\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "wangmin.yml").write_text(PLAN, encoding="utf-8", newline="")
    monkeypatch.chdir(tmp_path)
    for name in ("LANGUAGE", "LC_MESSAGES", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]], merged: dict[str, list[str]] | None = None) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merged or {}).get(name, []):
            sheet.merge_cells(cells)
    workbook.save(path)
    return path


SEGMENTS = [
    ["青云西区域客户分群（2027年）"],  # a title row above the header
    [],
    ["序号", "名称", "户数（户）", "服务"],
    [1, "固话用户", "9,400", "上门装机"],  # a number stored as text
    [2, "小灵通用户", "约10000"],
    [],  # an empty row
    [3, "宽带用户", 450.0],
    [4, "商铺客户", "２２０左右"],  # full-width digits
]


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), prog_name="plangen")


def _state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _checked(path: Path) -> dict[str, Any]:
    """The plan read by an independent YAML reader, and valid against the editors' schema."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    schema = json.loads((REPO / "plans" / "plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    return data


def test_a_workbook_replaces_the_segments_and_adds_key_accounts_keeping_every_comment(project: Path) -> None:
    accounts = [
        ["客户名称", "类型", "等级", "负责人"],
        ["恒盛城市花园", "住宅小区", "A", "李强"],
        ["建鼎华城二期", None, "B", None],
    ]
    # the title is merged across the header's width; a merged type covers both accounts
    table = _xlsx(
        project / "客户.xlsx",
        {"客户分群": SEGMENTS, "重点客户": accounts},
        {"客户分群": ["A1:D1"], "重点客户": ["B2:B3"]},
    )
    plan = project / "plans" / "wangmin.yml"
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 0, result.output
    expected = PLAN.replace(
        "    - {name: 固话用户, count: 9300左右}   # 第一项\n"
        "    # 两项之间\n"
        "    - {name: 宽带用户, count: 400左右, notes: 老数据}\n",
        "    - {name: 固话用户, count: 9400, service: 上门装机}   # 第一项\n"
        "    - {name: 小灵通用户, count: 10000左右}\n"
        "    # 两项之间\n"
        "    - {name: 宽带用户, count: 450, notes: 老数据}\n"
        "    - {name: 商铺客户, count: 220左右}\n",
    ).replace(
        "  notes: 客户资料齐全。\n",
        "  key_accounts:\n"
        "    - {name: 恒盛城市花园, kind: 住宅小区, tier: A, owner: 李强}\n"
        "    - {name: 建鼎华城二期, kind: 住宅小区, tier: B}\n"
        "  notes: 客户资料齐全。\n",
    )
    assert plan.read_text(encoding="utf-8") == expected
    clients = _checked(plan)["clients"]
    assert [segment["name"] for segment in clients["segments"]] == ["固话用户", "小灵通用户", "宽带用户", "商铺客户"]
    assert clients["key_accounts"][1] == {"name": "建鼎华城二期", "kind": "住宅小区", "tier": "B"}
    assert result.stdout.splitlines()[:-1] == [
        "从 客户.xlsx!客户分群 读入 clients.segments（4 行）",
        "从 客户.xlsx!重点客户 读入 clients.key_accounts（2 行）",
        "  客户基础 › 客户群体 › 固话用户 › 数量：约9,300 → 9,400（+100）",
        "  客户基础 › 客户群体 › 固话用户 › 服务标准：新增 上门装机",
        "  客户基础 › 客户群体：新增 小灵通用户（约10,000）",
        "  客户基础 › 客户群体 › 宽带用户 › 数量：约400 → 450（+50）",
        "  客户基础 › 客户群体：新增 商铺客户（约220）",
        "  客户基础 › 重点客户：新增 恒盛城市花园",
        "  客户基础 › 重点客户：新增 建鼎华城二期",
    ]  # as plangen changes words them
    assert "已写入 plans/wangmin.yml" in result.output
    assert _run("validate", "plans").exit_code == 0


def test_a_dry_run_shows_the_changes_and_writes_nothing(project: Path) -> None:
    table = _xlsx(project / "客户.xlsx", {"Sheet1": [["名称", "户数"], ["固话用户", 9300], ["新群体", "12"]]})
    plan = project / "plans" / "wangmin.yml"
    before = _state(plan)
    result = _run("import", "clients", str(table), "--plan", "wangmin", "--dry-run")  # a plan id
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "  客户基础 › 客户群体：删除 宽带用户（约400）",
        "  客户基础 › 客户群体 › 固话用户 › 数量：约9,300 → 9,300",
        "  客户基础 › 客户群体：新增 新群体（12）",
        "试运行：plans/wangmin.yml 保持原样",
    ]
    assert _state(plan) == before


@pytest.mark.parametrize(
    ("rows", "cell", "message"),
    [
        ([["名称", "户数"], ["固话用户", 1], ["宽带用户", 2], ["小灵通", 3], ["a", 4], ["b", 5], ["c", "九千"]], "B7",
         "户数应为不小于 0 的整数，写成 9300 或 9300左右；这里是“九千”"),
        ([["名称", "户数"], ["固话用户", "-5"]], "B2", "户数应为不小于 0 的整数，写成 9300 或 9300左右；这里是“-5”"),
        ([["名称", "户数"], ["固话用户", 9.5]], "B2", "户数应为不小于 0 的整数，写成 9300 或 9300左右；这里是“9.5”"),
        ([["名称", "户数"], ["固话用户", None], ["宽带", 1]], "B2", "户数是空的；请写上数字，如 9300 或 9300左右"),
        ([["名称", "户数"], [None, 9]], "A2", "名称是空的"),
        ([["名称", "户数"], ["固话用户", 1], ["固话用户", 2]], "A3", "固话用户 列了两次"),
        ([["名称", "户数"], ["x" * 501, 1]], "A2", "501"),
        ([["名称", "户数"]], " 第 1 行", "表头下面没有数据行"),
        ([["名称", "户数", "类型"], ["x", 1, "y"]], "C1", "类型"),
    ],
    ids=["not-a-number", "negative", "not-whole", "empty-count", "empty-name", "twice", "too-long", "no-rows", "mixed"],
)  # fmt: skip
def test_problems_are_shown_on_their_cell_and_the_plan_is_untouched(
    project: Path, rows: list[list[Any]], cell: str, message: str
) -> None:
    table = _xlsx(project / "客户.xlsx", {"Sheet1": rows})
    plan = project / "plans" / "wangmin.yml"
    before = _state(plan)
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 1
    place = f"客户.xlsx!Sheet1{cell}" if cell.startswith(" ") else f"客户.xlsx!Sheet1!{cell}"
    assert f"{place}: " in result.output and message in result.output, result.output
    assert "Traceback" not in result.output
    assert _state(plan) == before


def test_every_problem_at_once_in_english(project: Path) -> None:
    table = _xlsx(project / "clients.xlsx", {"Sheet1": [["name", "count"], ["a", "nine"], ["b", "x"]]})
    result = _run("--lang", "en", "import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'Error: clients.xlsx!Sheet1!B2: count should be a whole number of 0 or more, written 9300 or about 9300; here it is "nine"',
        'clients.xlsx!Sheet1!B3: count should be a whole number of 0 or more, written 9300 or about 9300; here it is "x"',
    ]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8", "utf-16"])
def test_csv_files_in_the_encodings_excel_saves(project: Path, encoding: str) -> None:
    delimiter = "\t" if encoding == "utf-16" else ","
    text = "\r\n".join(delimiter.join(row) for row in [["名称", "户数", "备注"], ["固话用户", '"9,300"', "老城区"],
                                                        ["", "", ""], ["宽带用户", "400左右", ""]])  # fmt: skip
    table = project / "客户.csv"
    table.write_bytes(text.encode(encoding))
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 0, result.output
    assert _checked(project / "plans" / "wangmin.yml")["clients"]["segments"] == [
        {"name": "固话用户", "count": 9300, "notes": "老城区"},
        {"name": "宽带用户", "count": "400左右"},
    ]


def test_a_csv_problem_is_placed_without_a_sheet(project: Path) -> None:
    (project / "客户.csv").write_bytes("名称,户数\n固话用户,九千\n".encode("gbk"))
    result = _run("import", "clients", "客户.csv", "--plan", "plans/wangmin.yml")
    assert result.exit_code == 1 and "客户.csv!B2: 户数应为" in result.output, result.output


def _ods(path: Path, rows: list[list[str]], spanned: int) -> Path:
    """A minimal OpenDocument spreadsheet, its first cell spanning *spanned* rows (LibreOffice
    here may lack Calc, so it is written by hand)."""
    cells = []
    for index, row in enumerate(rows):
        parts = []
        for column, value in enumerate(row):
            span = f' table:number-rows-spanned="{spanned}"' if index == 1 and column == 0 else ""
            if index in range(2, 1 + spanned) and column == 0:
                parts.append("<table:covered-table-cell/>")
            else:
                parts.append(
                    f'<table:table-cell office:value-type="string"{span}><text:p>{value}</text:p></table:table-cell>'
                )
        cells.append("<table:table-row>" + "".join(parts) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="重点客户">'
        + "".join(cells)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def test_an_ods_sheet_of_key_accounts(project: Path) -> None:
    """calamine reports no merged cells in .ods files: a merged cell there is read in its first row only."""
    table = _ods(project / "客户.ods", [["类型", "名称", "负责人"], ["住宅小区", "恒盛城市花园", "李强"],
                                        ["", "阳光城", "王敏"]], spanned=2)  # fmt: skip
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 0, result.output
    accounts = _checked(project / "plans" / "wangmin.yml")["clients"]["key_accounts"]
    assert accounts == [{"name": "恒盛城市花园", "kind": "住宅小区", "owner": "李强"},
                        {"name": "阳光城", "owner": "王敏"}]  # fmt: skip


def test_a_windows_file_keeps_its_bom_and_crlf_and_a_plan_without_clients_gets_them(project: Path) -> None:
    plan = project / "plans" / "wangmin.yml"
    plan.write_bytes(
        b"\xef\xbb\xbf"
        + "# 计划\r\ntitle: 测试计划\r\nperiod: 2027\r\nowner: {name: 王敏}\r\n\r\ngoals: []\r\n".encode()
    )
    table = _xlsx(project / "客户.xlsx", {"Sheet1": [["名称", "户数"], ["固话用户", 5]]})
    assert _run("import", "clients", str(table), "--plan", str(plan)).exit_code == 0
    assert (
        plan.read_bytes()
        == b"\xef\xbb\xbf"
        + (
            "# 计划\r\ntitle: 测试计划\r\nperiod: 2027\r\nowner: {name: 王敏}\r\n"
            "clients:\r\n  segments:\r\n    - {name: 固话用户, count: 5}\r\n\r\ngoals: []\r\n"
        ).encode()
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("clients:\n  total: 1\n  segments: []  # none yet\nx: 1\n", "clients:\n  total: 1\n  segments:  # none yet\n    - {name: a, count: 1}\nx: 1\n"),
        ("clients:\nx: 1\n", "clients:\n  segments:\n    - {name: a, count: 1}\nx: 1\n"),
        ("clients:\n    notes: n\n", "clients:\n    segments:\n      - {name: a, count: 1}\n    notes: n\n"),
        ("clients:\n  segments:\n  - name: b\n    count: 2\n  # after\n", "clients:\n  segments:\n  - name: a\n    count: 1\n  # after\n"),
        ("clients:\n  segments:\n    - {name: b, count: 2}", "clients:\n  segments:\n    - {name: a, count: 1}\n"),
    ],
    ids=["empty-list", "empty-clients", "four-spaces", "block-items", "no-final-newline"],
)  # fmt: skip
def test_the_list_is_put_where_it_was_in_the_files_own_layout(before: str, after: str) -> None:
    assert merged_text(before, {"segments": [{"name": "a", "count": 1}]}) == after


def test_a_list_in_brackets_is_not_rewritten() -> None:
    with pytest.raises(PlangenError, match=r"^plan.yml:2:3: clients.segments"):
        merged_text("clients:\n  segments: [{name: b, count: 2}]\n", {"segments": [{"name": "a", "count": 1}]})


def test_text_that_yaml_would_misread_is_quoted_and_long_notes_are_block_text(project: Path) -> None:
    rows = [["名称", "户数", "备注"], ["yes", 1, "第一行\n第二行"], ["#1: 商铺, 小区", "0700", None], ["2024", 3, None]]
    table = _xlsx(project / "客户.xlsx", {"Sheet1": rows})
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 1 and "客户.xlsx!Sheet1!B3: 户数" in result.output  # 0700: as validate says
    rows[2][1] = 700
    _xlsx(project / "客户.xlsx", {"Sheet1": rows})
    assert _run("import", "clients", str(table), "--plan", "plans/wangmin.yml").exit_code == 0
    assert _checked(project / "plans" / "wangmin.yml")["clients"]["segments"] == [
        {"name": "yes", "count": 1, "notes": "第一行\n第二行"},
        {"name": "#1: 商铺, 小区", "count": 700},
        {"name": "2024", "count": 3},
    ]
    assert _run("validate", "plans").exit_code == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("客户.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "受密码保护"),
        ("客户.xlsx", b"PK\x03\x04 not really a zip", "无法读取"),
        ("客户.docx", b"x", ".docx"),
        ("客户.csv", "甲,乙\n1,2\n".encode(), "表头"),
        ("客户.csv", "名称,户数\n".encode("gbk") + b"\x80\xff", "既不是 UTF-8 也不是 GBK"),
    ],
    ids=["password", "damaged", "suffix", "no-header", "not-text"],
)
def test_files_that_cannot_be_read_get_one_clear_line(project: Path, name: str, content: bytes, message: str) -> None:
    (project / name).write_bytes(content)
    plan = project / "plans" / "wangmin.yml"
    before = _state(plan)
    result = _run("import", "clients", name, "--plan", "plans/wangmin.yml")
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output, result.output
    assert _state(plan) == before


def test_a_missing_file_or_plan(project: Path) -> None:
    missing = _run("import", "clients", "nothere.xlsx", "--plan", "plans/wangmin.yml")
    assert missing.output == "错误：nothere.xlsx: 文件或文件夹不存在\n"
    table = _xlsx(project / "客户.xlsx", {"Sheet1": [["名称", "户数"], ["a", 1]]})
    result = _run("import", "clients", str(table), "--plan", "nobody")
    assert result.exit_code == 1 and "nobody" in result.output


def test_an_invalid_plan_is_left_alone_and_its_own_errors_shown(project: Path) -> None:
    plan = project / "plans" / "wangmin.yml"
    plan.write_text(PLAN.replace("period: 2027", "period: 2027-13"), encoding="utf-8")
    before = _state(plan)
    table = _xlsx(project / "客户.xlsx", {"Sheet1": [["名称", "户数"], ["a", 1]]})
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 1 and "plans/wangmin.yml:4:9: period" in result.output, result.output
    assert _state(plan) == before


def test_columns_name_other_headers_and_sheet_chooses_one(project: Path) -> None:
    table = _xlsx(
        project / "客户.xlsx",
        {"说明": [["这张表是填写说明"]], "A": [["客户名", "总户数", "联系电话"], ["固话用户", 1, "123"]],
         "B": [["名称", "户数"], ["别的", 2]]},
    )  # fmt: skip
    both = _run(
        "import", "clients", str(table), "--plan", "plans/wangmin.yml", "--columns", "客户名=name，总户数=count"
    )
    assert both.exit_code == 1 and "choose" not in both.output and "--sheet" in both.output, both.output
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml", "--sheet", "A",
                  "--columns", "客户名=name，总户数=count")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "客户.xlsx!A!C1" in result.output and "联系电话" in result.output  # not imported: a warning
    assert _checked(project / "plans" / "wangmin.yml")["clients"]["segments"] == [{"name": "固话用户", "count": 1}]
    bad = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml", "--columns", "客户名=nom")
    assert bad.exit_code == 2 and "客户名=name" in bad.output


def test_parse_columns() -> None:
    assert parse_columns("客户名 = name, 总户数（户）=count") == {"客户名": "name", "总户数": "count"}
    with pytest.raises(ValueError, match="tier"):
        parse_columns("名称")


def test_read_clients_fills_merged_cells_and_skips_empty_rows(tmp_path: Path) -> None:
    rows = [["名称", "类型", "等级"], ["a", "小区", "A"], [], ["b", None, "B"]]
    table = _xlsx(tmp_path / "t.xlsx", {"S": rows}, {"S": ["B2:B4"]})
    [found], warnings = read_clients(table)
    assert (found.name, warnings) == ("key_accounts", [])
    assert [row.data for row in found.rows] == [
        {"name": "a", "kind": "小区", "tier": "A"},
        {"name": "b", "kind": "小区", "tier": "B"},
    ]
    assert [row.first.rsplit("/", 1)[-1] for row in found.rows] == ["t.xlsx!S!A2", "t.xlsx!S!A4"]


def test_the_file_is_left_alone_when_it_changed_meanwhile(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plangen import importing

    table = _xlsx(project / "客户.xlsx", {"Sheet1": [["名称", "户数"], ["a", 1]]})
    real = importing.import_clients

    def and_then_edited(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        (project / "plans" / "wangmin.yml").write_text(PLAN + "# edited\n", encoding="utf-8")
        return result

    monkeypatch.setattr(importing, "import_clients", and_then_edited)
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 1 and "导入期间" in result.output, result.output
    assert (project / "plans" / "wangmin.yml").read_text(encoding="utf-8") == PLAN + "# edited\n"
    assert not [name for name in os.listdir(project / "plans") if name != "wangmin.yml"]


@pytest.mark.parametrize(
    "word", ["合计", "合 计", "总计", "小计", "共计", "总数", "Total", "SUM", "Subtotal:", "Ｔｏｔａｌ"]
)
def test_a_total_row_is_not_a_segment(project: Path, word: str) -> None:
    rows = [["序号", "名称", "户数"], [1, "固话用户", 9300], [2, "宽带用户", 400], [None, word, 9700]]
    table = _xlsx(project / "客户.xlsx", {"客户分群": rows})
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 0, result.output
    assert f"客户.xlsx!客户分群!B4: 合计行（{word}），不导入" in result.output, result.output
    segments = _checked(project / "plans" / "wangmin.yml")["clients"]["segments"]
    assert [segment["name"] for segment in segments] == ["固话用户", "宽带用户"]


def test_a_total_row_in_any_column_of_a_csv_file_or_of_key_accounts(project: Path) -> None:
    (project / "客户.csv").write_bytes("序号,名称,户数\n1,固话用户,9300\n合 计,,9300\n".encode("gbk"))
    result = _run("import", "clients", "客户.csv", "--plan", "plans/wangmin.yml")
    assert result.exit_code == 0 and "客户.csv!A3: 合计行（合 计），不导入" in result.output, result.output
    rows = [["名称", "负责人"], ["恒盛城市花园", "李强"], ["小计", "2 户"]]
    table = _xlsx(project / "客户.xlsx", {"重点客户": rows})
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 0 and "客户.xlsx!重点客户!A3: 合计行" in result.output, result.output
    accounts = _checked(project / "plans" / "wangmin.yml")["clients"]["key_accounts"]
    assert accounts == [{"name": "恒盛城市花园", "owner": "李强"}]


def test_fields_the_sheet_has_no_column_for_are_kept_and_an_empty_cell_clears_its_field(project: Path) -> None:
    plan = project / "plans" / "wangmin.yml"
    plan.write_text(
        PLAN.replace(
            "  notes: 客户资料齐全。\n",
            "  key_accounts:\n"
            "    - {name: 恒盛城市花园, kind: 住宅小区, tier: A, owner: 李强, service: 专人维护, notes: 老客户}\n"
            "  notes: 客户资料齐全。\n",
        ).replace("{name: 固话用户, count: 9300左右}", "{name: 固话用户, count: 9300左右, unit: 户, service: 上门}"),
        encoding="utf-8",
    )
    segments = [["名称", "户数", "备注"], ["固话用户", 9400, "新数据"], ["宽带用户", 450, None]]
    accounts = [["名称", "负责人"], ["恒盛城市花园", "王敏"], ["阳光城", "王敏"]]
    table = _xlsx(project / "客户.xlsx", {"客户分群": segments, "重点客户": accounts})
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 0, result.output
    clients = _checked(plan)["clients"]
    assert clients["segments"] == [
        {"name": "固话用户", "count": 9400, "unit": "户", "service": "上门", "notes": "新数据"},  # not about 9400
        {"name": "宽带用户", "count": 450},  # its 备注 cell is empty: the notes are cleared
    ]
    assert clients["key_accounts"] == [
        {
            "name": "恒盛城市花园",
            "kind": "住宅小区",
            "tier": "A",
            "owner": "王敏",
            "service": "专人维护",
            "notes": "老客户",
        },
        {"name": "阳光城", "owner": "王敏"},
    ]


def test_comments_go_with_the_entries_they_annotate() -> None:
    before = (
        "clients:\n"
        "  segments:  # key\n"
        "    # about a\n"
        "    - name: a   # a itself\n"
        "      count: 1\n"
        "\n"
        "    # about b\n"
        "    - name: b\n"
        "      count: 2  # lost with the rest of b's lines\n"
        "    # about c, which goes\n"
        "    - name: c\n"
        "      count: 3\n"
        "  # after the list\n"
        "x: 1\n"
    )
    items = [{"name": "b", "count": 5}, {"name": "d", "count": 6}, {"name": "a", "count": 7}]
    assert merged_text(before, {"segments": items}) == (
        "clients:\n"
        "  segments:  # key\n"
        "\n"
        "    # about b\n"
        "    - name: b\n"
        "      count: 5\n"
        "    - name: d\n"
        "      count: 6\n"
        "    # about a\n"
        "    - name: a   # a itself\n"
        "      count: 7\n"
        "  # after the list\n"
        "x: 1\n"
    )
    flow = "clients:\n  segments:\n    - {name: a, count: 1}  # 'quoted' # a\n    - {name: '#b', count: 2} # b\n"
    assert merged_text(flow, {"segments": [{"name": "#b", "count": 3}, {"name": "a", "count": 4}]}) == (
        "clients:\n  segments:\n    - {name: '#b', count: 3} # b\n    - {name: a, count: 4}  # 'quoted' # a\n"
    )


def test_a_list_in_brackets_is_placed_in_the_original_file(project: Path) -> None:
    plan = project / "plans" / "wangmin.yml"
    plan.write_text(
        PLAN.replace("  notes: 客户资料齐全。\n", "  key_accounts: [{name: 恒盛城市花园}]\n  notes: 客户资料齐全。\n"),
        encoding="utf-8",
    )
    line = plan.read_text(encoding="utf-8").splitlines().index("  key_accounts: [{name: 恒盛城市花园}]") + 1
    table = _xlsx(project / "客户.xlsx", {"客户分群": SEGMENTS, "重点客户": [["名称", "负责人"], ["阳光城", "王敏"]]})
    before = _state(plan)
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 1
    assert f"plans/wangmin.yml:{line}:3: clients.key_accounts 写在方括号" in result.output, result.output
    assert _state(plan) == before


def test_two_word_english_headers_and_a_hint_quoted_for_the_shell(project: Path) -> None:
    table = _xlsx(
        project / "clients.xlsx",
        {"Segments": [["Client Name", "Count", "Service Level", "service tier"], ["a", 1, "x", "y"]],
         "Accounts": [["Account name", "Account Manager"], ["b", "Wang"]]},
    )  # fmt: skip
    result = _run("--lang", "en", "import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 0, result.output
    assert '--columns "service tier=service"' in result.output, result.output
    clients = _checked(project / "plans" / "wangmin.yml")["clients"]
    assert clients["segments"] == [{"name": "a", "count": 1, "service": "x"}]
    assert clients["key_accounts"] == [{"name": "b", "owner": "Wang"}]


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("=1/0", "户数：文件里没有保存公式的计算结果；请用 Excel 或 WPS 打开文件并保存"),
        ("#DIV/0!", "户数：公式的结果是错误值 #DIV/0!"),
        ("#N/A", "户数：公式的结果是错误值 #N/A"),
        (1e20, "户数太大：100000000000000000000"),
    ],
    ids=["no-result", "div0", "na", "too-large"],
)
def test_cells_that_are_not_empty_are_not_called_empty(project: Path, count: Any, message: str) -> None:
    table = _xlsx(project / "客户.xlsx", {"Sheet1": [["名称", "户数"], ["固话用户", count]]})
    result = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert result.exit_code == 1 and f"客户.xlsx!Sheet1!B2: {message}" in result.output, result.output
    assert "是空的" not in result.output


def test_a_hidden_sheet_named_with_sheet_is_imported_and_a_csv_file_has_no_sheets(project: Path) -> None:
    table = _xlsx(project / "客户.xlsx", {"说明": [["填写说明"]], "隐藏": [["名称", "户数"], ["固话用户", 1]]})
    workbook = openpyxl.load_workbook(table)
    workbook["隐藏"].sheet_state = "hidden"
    workbook.save(table)
    left_out = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml")
    assert left_out.exit_code == 1 and "表头" in left_out.output, left_out.output
    named = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml", "--sheet", "隐藏")
    assert named.exit_code == 0, named.output
    missing = _run("import", "clients", str(table), "--plan", "plans/wangmin.yml", "--sheet", "别的")
    assert missing.exit_code == 1 and "（隐藏的：隐藏）" in missing.output, missing.output
    (project / "客户.csv").write_text("名称,户数\n固话用户,1\n", encoding="utf-8")
    csv_sheet = _run("import", "clients", "客户.csv", "--plan", "plans/wangmin.yml", "--sheet", "Sheet1")
    assert csv_sheet.output == "错误：客户.csv：CSV 文件没有工作表；请去掉 --sheet Sheet1\n"


def test_columns_naming_a_header_the_sheet_does_not_have(project: Path) -> None:
    table = _xlsx(project / "客户.xlsx", {"Sheet1": [["客户名", "数目"], ["固话用户", 1]]})
    result = _run(
        "import", "clients", str(table), "--plan", "plans/wangmin.yml", "--columns", "客户名=name,总户数=count"
    )
    assert result.exit_code == 1, result.output
    assert "--columns 里的表头 总户数 不在前 30 行中" in result.output, result.output


def test_tsv_files_and_no_library_english(project: Path) -> None:
    (project / "客户.tsv").write_text("名称\t户数\n固话用户\t1\n", encoding="utf-8")
    assert _run("import", "clients", "客户.tsv", "--plan", "plans/wangmin.yml").exit_code == 0
    (project / "客户.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = _run("import", "clients", "客户.xlsx", "--plan", "plans/wangmin.yml")
    assert (
        result.output
        == "错误：客户.xlsx：无法读取工作簿，文件已损坏或不是 .xlsx 文件；请用 Excel 或 WPS 打开后重新保存\n"
    )
