"""The JSON Schema and the README's format reference are generated, and kept in step; the
schema accepts what ``plangen validate`` accepts, as independent validators check."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic_core import PydanticCustomError

from conftest import FIXTURES, REPO
from plangen.cli import main
from plangen.model import Criterion, Item, Owner, _at_least_zero, _count, _number, parse_span, resolve_sub_period
from plangen.scaffold import new_plan
from plangen.schema import (
    DATE_PATTERN,
    SCHEMA_FILE,
    field_docs,
    figure_pattern,
    format_reference,
    plan_schema,
    plan_schema_text,
)
from plangen.settings import SETTINGS_BLOCKS, Project, Settings, open_project
from plangen.yaml_source import read_source

CORPUS = FIXTURES / "schema"
"""Small plans, each about one thing: valid/ holds those plangen validate accepts, invalid/ those it refuses."""

JSONSCHEMA, CHECK_JSONSCHEMA = "jsonschema", "check-jsonschema"
BOTH = frozenset({JSONSCHEMA, CHECK_JSONSCHEMA})

EXPECTED_DISAGREEMENTS: dict[str, tuple[frozenset[str], str]] = {
    # Cross-checks (checks.py): they compare values with each other, which JSON Schema cannot.
    "invalid/duplicate-goal-ids.yml": (
        BOTH,
        "goal ids must differ from each other: JSON Schema's uniqueItems compares whole items, not one key of each",
    ),
    "invalid/activity-goal-unknown.yml": (
        BOTH,
        "an activity's goal must be the id of one of the plan's goals: a reference to other data, which a schema "
        "cannot follow",
    ),
    "invalid/range-reversed.yml": (
        BOTH,
        "a date range must not end before it starts: JSON Schema compares a value with fixed bounds, never with "
        "another value",
    ),
    # The file as written, before there is data to check.
    "invalid/duplicate-key.yml": (
        frozenset({JSONSCHEMA}),
        "a key written twice: plangen refuses it while reading the YAML, and the data a schema checks holds each key "
        "once (check-jsonschema's YAML reader refuses the file too)",
    ),
    # What JSON's numbers cannot tell apart.
    "invalid/period-year-with-point.yml": (
        BOTH,
        "the validator wants a year as a whole number and refuses 2027.0; JSON makes no difference between 2027.0 "
        "and 2027, so JSON Schema counts 2027.0 as an integer",
    ),
    "invalid/target-too-precise.yml": (
        BOTH,
        "a number of 16 significant digits: a pattern counts the digits of text, JSON Schema cannot count those of "
        "a number (the same figure in quotes is refused by both: target-too-precise-as-text)",
    ),
    # Exponents: the schema checks the digits of a figure written as text, not the value its exponent makes.
    "invalid/target-exponent-too-large.yml": (
        frozenset({JSONSCHEMA}),
        "1e20 stays text in plangen's reading (it is not written as it prints), and the schema does not work out "
        "the value of text with an exponent; check-jsonschema reads a number, too large for both",
    ),
    "valid/count-with-exponent-and-point.yml": (
        frozenset({JSONSCHEMA}),
        "1.5e1 is 15, a whole number, but as text the schema takes a count with only zeros after the point, not "
        "working out exponents; check-jsonschema reads the number 15.0",
    ),
    # YAML 1.2 readers (check-jsonschema's, editors') read some forms as numbers that plangen keeps as written.
    **{
        f"invalid/target-{case}.yml": (
            frozenset({CHECK_JSONSCHEMA}),
            f"YAML 1.2 readers, check-jsonschema's and editors', read {written} as a number; plangen keeps it as "
            "text, as written, and a number field refuses it with a hint (jsonschema, given plangen's data, agrees)",
        )
        for case, written in (("leading-zero", "0700"), ("underscore", "1_000"), ("hexadecimal", "0x1F"))
    },
    # Dates the validator reads in more forms than YYYY-MM-DD, the form JSON Schema's format date has.
    "valid/date-with-time.yml": (
        BOTH,
        "a date with a time of day: YAML reads a timestamp and the validator keeps its day; the schema's dates "
        "are YYYY-MM-DD (format date)",
    ),
    "valid/date-compact.yml": (
        BOTH,
        "Python's date.fromisoformat, which the validator uses, also reads compact dates (20270105); the schema "
        "offers the YYYY-MM-DD form plangen's messages ask for",
    ),
    "valid/period-week-date.yml": (
        BOTH,
        "Python's date.fromisoformat also reads ISO week dates (2027-W13-3); the schema offers YYYY-MM-DD",
    ),
    "valid/date-spaces-around.yml": (
        BOTH,
        "the validator strips spaces around a date in quotes; format date has none",
    ),
}
"""The cases where an independent validator and ``plangen validate`` disagree, because JSON
Schema cannot say what plangen checks, with the validators that disagree and why.

Also beyond a schema, without a case of their own: plan ids shared by two files (a check
across files); digits of scripts other than ASCII and full-width ones in periods and
milestone keys, which Python's ``\\d`` reads (M٣); figures so small that a float holds
nothing of them (more than 300 zeros after the point); control characters in the spaces
around a figure or a period. Warnings are no disagreement: ``plangen validate`` accepts a
plan with warnings (milestones outside the period or going back, weights not adding up to
100, a direction against baseline and target, a client total that is not the sum of the
segments: valid/warnings-only.yml), and so does the schema; with ``--strict`` it would not."""


def readme_section(name: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    return readme[readme.index(start) + len(start) : readme.index(end)].strip()


def test_committed_schema_is_current() -> None:
    language = open_project(REPO).settings.language
    committed = (REPO / "plans" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == plan_schema_text(language), f"run: plangen --lang {language} schema -o plans/{SCHEMA_FILE}"


def test_readme_references_are_current() -> None:
    message = "run: python tools/update_readme_reference.py"
    assert readme_section("format-reference") == format_reference().strip(), message
    assert readme_section("settings-reference") == format_reference(SETTINGS_BLOCKS).strip(), message


def test_each_fields_docstring_is_its_description() -> None:
    assert field_docs(Item) == {"title": "The point itself, e.g. 开拓银行业务.", "detail": "Explanation in Markdown."}
    assert (
        plan_schema()["properties"]["title"]["description"]
        == "Title of the plan, e.g. 青云西区域客户经理2027年工作计划."
    )
    assert field_docs(Criterion)["title"] == field_docs(Item)["title"], "inherited fields keep theirs"
    assert all(field_docs(Owner)), "every field of a block is documented"


def test_schema_describes_the_plan() -> None:
    schema = plan_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["title"]
    assert schema["then"] == {"required": ["owner", "period"]}, "a plan no longer a draft names its owner and period"
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Goal"]["properties"]["direction"]["anyOf"][0]["enum"] == [
        "up", "down", "上升", "提高", "提升", "增加", "下降", "降低", "减少"
    ]  # fmt: skip


def _accepts(schema: dict[str, Any], value: object) -> bool:
    """Whether *value* fits *schema*, as far as the plan format's periods, dates and keywords use it."""
    if "anyOf" in schema:
        return any(_accepts(member, value) for member in schema["anyOf"])
    if "enum" in schema:
        return value in schema["enum"]
    if schema.get("type") == "null":
        return value is None
    if schema.get("type") == "integer":
        return isinstance(value, int) and schema["minimum"] <= value <= schema["maximum"]
    if schema.get("type") == "object":
        return isinstance(value, dict) and all(_accepts(schema["properties"][k], v) for k, v in value.items())
    if schema.get("format") == "date":
        return isinstance(value, str) and bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
    return isinstance(value, str) and re.search(schema["pattern"], value) is not None


def test_editors_accept_the_chinese_forms() -> None:
    schema = plan_schema()
    goal, program = schema["$defs"]["Goal"]["properties"], schema["$defs"]["Program"]["properties"]
    period, date = schema["properties"]["period"], schema["properties"]["date"]
    periods = ["2027年", "2027年度", "2027年上半年", "2027年下半年", "2027年第二季度", "2027年二季度", "2027年Q2",
               "2027年3月", "2027年十二月", "2027年3月31日", 2027, "2027", "2027-h1", "2027-Q2", "2027-03", "2027-03-31",
               {"start": "2027年3月1日", "end": "2027-04-30"}]  # fmt: skip
    assert [value for value in periods if not _accepts(period, value)] == []
    assert [value for value in ["明年", "2027年中", "二〇二七年", 27] if _accepts(period, value)] == []
    assert [_accepts(date, value) for value in ["2027年3月31日", "2027-03-31", "2027年3月", "2027"]] == [
        True, True, False, False
    ]  # fmt: skip
    assert all(_accepts(goal["due"], value) for value in ["2027年3月31日", "2027-03-31", None])
    assert {"草稿", "已提交", "已批准", "已审批", "draft"} <= set(schema["properties"]["status"]["enum"])
    assert {"师带徒", "内训", "外出培训", "考察学习", "轮岗", "产品培训", "自学", "course"} <= set(
        program["method"]["anyOf"][0]["enum"]
    )
    plan_id = schema["properties"]["id"]["anyOf"][0]
    assert [bool(re.search(plan_id["pattern"], v)) for v in ["王敏", "王敏-2027", "wangmin", "王 敏", "Wang"]] == [
        True, True, True, False, False
    ]  # fmt: skip
    assert all(d["additionalProperties"] is False for d in _mappings(schema)), "unknown keys are refused everywhere"


def _mappings(schema: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = [schema, *schema["$defs"].values()]
    return [b for d in blocks for b in [d, *d.get("anyOf", [])] if "properties" in b]


def test_editors_flag_reserved_ids_and_figures_too_large() -> None:
    schema = plan_schema()
    plan_id = schema["properties"]["id"]["anyOf"][0]
    assert {"index", "pagefind", "con", "nul", "com1", "lpt9", 404} <= set(plan_id["not"]["enum"])
    target = schema["$defs"]["Measure"]["properties"]["target"]
    assert (target["exclusiveMaximum"], target["exclusiveMinimum"]) == (10**15, -(10**15))
    weight = schema["$defs"]["Criterion"]["anyOf"][1]["properties"]["weight"]["anyOf"][0]
    assert (weight["minimum"], weight["exclusiveMaximum"]) == (0, 10**15)


def test_example_plans_point_editors_at_the_schema() -> None:
    for path in (REPO / "plans").rglob("*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        assert (path.parent / match[1]).resolve() == REPO / "plans" / SCHEMA_FILE
        json.loads((path.parent / match[1]).read_text(encoding="utf-8"))


def test_every_link_within_the_readme_leads_to_a_heading() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    # GitHub's anchors: the heading in lower case, punctuation dropped, spaces as hyphens.
    anchors = {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", readme, flags=re.MULTILINE)
    }
    links = set(re.findall(r"\]\(#([^)]+)\)", readme))
    assert links and links <= anchors, sorted(links - anchors)


# --- the schema against plangen validate -------------------------------------------------------

STARTER_PERIODS = ("2027", "2027-H2", "2027-Q3", "2027-03")


@pytest.fixture(scope="module")
def starters(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The starter plans of each language, for periods of each length."""
    root = tmp_path_factory.mktemp("starters")
    project = Project(root, Settings())
    return [
        new_plan(project, root / "plans" / f"{language.lower()}-{period.lower()}.yml", owner="王敏", period=period,
                 language=language)[0]
        for language in ("zh-CN", "en")
        for period in STARTER_PERIODS
    ]  # fmt: skip


def _cases() -> list[Path]:
    return sorted((REPO / "plans").rglob("*.yml")) + sorted(CORPUS.rglob("*.yml"))


def _name(path: Path) -> str:
    return (path.relative_to(CORPUS) if path.is_relative_to(CORPUS) else path.relative_to(REPO)).as_posix()


@pytest.fixture(scope="module")
def check_jsonschema_refuses(starters: list[Path]) -> set[Path]:
    """The files check-jsonschema, with its own YAML reader and ECMAScript patterns, finds invalid
    against the committed schema (the one editors read)."""
    files = [*_cases(), *starters]
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(REPO / "plans" / SCHEMA_FILE)]
    result = subprocess.run([*command, "-o", "json", *map(str, files)], capture_output=True, text=True, check=False)
    report = json.loads(result.stdout)
    return {Path(found["filename"]) for found in report["errors"] + report["parse_errors"]}


def _validator_accepts(path: Path, project: Path) -> bool:
    result = CliRunner().invoke(main, ["--project", str(project), "validate", str(path)])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code == 0


def _as_json(value: Any) -> Any:
    """*value*, data as plangen reads it, as JSON holds it: dates as their text, keys as text."""
    if isinstance(value, dict):
        return {_as_json(key) if isinstance(key, dt.date) else str(key): _as_json(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _verdicts(path: Path, project: Path, refused: set[Path]) -> dict[str, bool]:
    """Whether each validator accepts *path*: plangen, jsonschema (given the data as plangen reads it)
    and check-jsonschema."""
    validator = Draft202012Validator(plan_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return {
        "plangen": _validator_accepts(path, project),
        JSONSCHEMA: validator.is_valid(_as_json(read_source(path, path.name).data)),
        CHECK_JSONSCHEMA: path not in refused,
    }


@pytest.mark.parametrize("path", _cases(), ids=_name)
def test_the_schema_agrees_with_the_validator(path: Path, check_jsonschema_refuses: set[Path]) -> None:
    verdicts = _verdicts(path, REPO, check_jsonschema_refuses)
    name = _name(path)
    if name.startswith(("valid/", "invalid/")):
        assert verdicts["plangen"] == name.startswith("valid/"), "the case is in the folder of plangen's verdict"
    else:
        assert verdicts["plangen"], "the example plans are valid"
    disagreeing = {checker for checker in BOTH if verdicts[checker] != verdicts["plangen"]}
    expected, reason = EXPECTED_DISAGREEMENTS.get(name, (frozenset(), "none expected"))
    assert disagreeing == expected, (verdicts, reason)


def test_the_schema_accepts_the_starter_plans(starters: list[Path], check_jsonschema_refuses: set[Path]) -> None:
    for path in starters:
        assert _verdicts(path, path.parent.parent, check_jsonschema_refuses) == dict.fromkeys(
            ("plangen", *BOTH), True
        ), path.name


def test_each_expected_disagreement_is_a_case_with_a_reason() -> None:
    names = {_name(path) for path in _cases()}
    assert set(EXPECTED_DISAGREEMENTS) <= names
    assert all(checkers and reason for checkers, reason in EXPECTED_DISAGREEMENTS.values())
    assert len(list(CORPUS.glob("invalid/*.yml"))) >= 25


def test_the_examples_are_valid_values() -> None:
    schema = plan_schema()
    found = 0
    for block in [schema, *schema["$defs"].values()]:
        for prop in block.get("properties", {}).values():
            for example in prop.get("examples", []):
                Draft202012Validator({**prop, "$defs": schema["$defs"]}).validate(example)
                found += 1
    assert found >= 20


# The patterns against the functions that read the values, on values made to be close calls.


def _reads(read: Any, value: str) -> bool:
    try:
        read(value)
    except (PydanticCustomError, ValueError):
        return False
    return True


_WIDE = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
_digits = st.text(st.sampled_from("0000123456789"), max_size=18)
_grouped = st.builds(
    lambda head, groups: head + "".join("," + g for g in groups),
    st.text(st.sampled_from("123456789"), min_size=1, max_size=3),
    st.lists(st.text(st.sampled_from("0123456789"), min_size=2, max_size=4), max_size=6),
)
_figures = st.builds(
    lambda before, sign, whole, point, fraction, after, wide: (
        before + (sign + whole + point + fraction).translate(_WIDE if wide else {}) + after
    ),
    st.sampled_from(["", " ", "\u3000"]),
    st.sampled_from(["", "-", "+"]),
    st.one_of(_digits, _grouped),
    st.sampled_from(["", "."]),
    _digits,
    st.sampled_from(["", " "]),
    st.booleans(),
)


@settings(max_examples=3000, deadline=None)
@given(_figures)
def test_figures_as_text_are_read_as_the_model_reads_them(text: str) -> None:
    """Exponents aside (see EXPECTED_DISAGREEMENTS)."""
    for read, pattern in (
        (_number, figure_pattern()),
        (_at_least_zero, figure_pattern(at_least_zero=True)),
        (_count, figure_pattern(whole=True, at_least_zero=True)),
    ):
        assert bool(re.search(pattern, text)) == _reads(read, text), (read.__name__, text)


def test_dates_are_real_days() -> None:
    for year, month, day in itertools.product(
        (0, 1, 4, 100, 400, 1900, 2000, 2024, 2027, 2028, 2100, 9996, 9999), range(14), range(33)
    ):
        text = f"{year:04d}-{month:02d}-{day:02d}"
        assert bool(re.search(DATE_PATTERN, text)) == _reads(dt.date.fromisoformat, text), text


def _is_valid(schema: dict[str, Any], value: Any) -> bool:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).is_valid(value)


def _span_texts() -> list[str]:
    """Periods as text, each a close call; spaces around a date aside (see EXPECTED_DISAGREEMENTS), and
    full-width digits in a whole date, which the model reads but the schema's exact date pattern
    (leap years and month lengths in ASCII digits) does not spell out a second time."""
    years = ("2027", "0000", "0001", "1899", "２０２７", "9999", "202")
    parts = ("", "-H1", "-H2", "-H3", "-Q1", "-Q4", "-Q5", "-Q0", "-00", "-01", "-09", "-10", "-12", "-13", "-０３",
             "-1２", "-H１", "-03-31", "-02-29", "-02-30", "-3", "-M1", "/2")  # fmt: skip
    texts = []
    for year, part, case, spaces in itertools.product(years, parts, ({}, str.maketrans("HQ", "hq")), ("", " ")):
        around = "" if len(part) > len("-H1") else spaces
        if year == "２０２７" and len(part) > len("-H1"):
            continue
        texts.append(around + (year + part).translate(case) + around)
    return texts


def test_periods_as_text_are_read_as_the_model_reads_them() -> None:
    """ISO week and compact dates aside (see EXPECTED_DISAGREEMENTS)."""
    period = plan_schema()["properties"]["period"]
    for text in _span_texts():
        assert _is_valid(period, text) == _reads(parse_span, text), text


def test_milestone_keys_are_read_as_the_model_reads_them() -> None:
    keys = plan_schema()["$defs"]["Goal"]["properties"]["milestones"]["propertyNames"]
    numbers = ("0", "1", "2", "3", "4", "5", "01", "06", "09", "10", "12", "13", "00", "１", "1２", "001")
    short = [letter + number for letter in "HhQqMmXx" for number in numbers]
    for key in [*short, *(f" {key} " for key in short), *_span_texts()]:
        assert _is_valid(keys, key) == _reads(lambda k: resolve_sub_period(k, parse_span(2027)), key), key


# --- the reader's language ---------------------------------------------------------------------


def _words(node: Any) -> Any:
    """*node* without its words for people: what remains must not depend on the language."""
    if isinstance(node, dict):
        return {k: _words(v) for k, v in node.items() if k not in ("title", "description", "enumDescriptions")}
    if isinstance(node, list):
        return [_words(item) for item in node]
    return node


def _text_examples(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields whose examples are text, and so in the schema's language."""
    fields, owner = schema["properties"], schema["$defs"]["Owner"]["properties"]
    return [fields["title"], fields["unit"], owner["name"]]


def test_a_chinese_schema_differs_from_the_english_only_in_its_words() -> None:
    english, chinese = plan_schema("en"), plan_schema("zh-CN")
    assert [field.pop("examples") for field in _text_examples(english)] == [
        ["Commercial Lines Account Plan 2027, North Region"],
        ["Commercial Lines North"],
        ["Sarah Jones"],
    ]
    assert [field.pop("examples") for field in _text_examples(chinese)] == [
        ["青云西区域客户经理2027年工作计划"],
        ["青云西区域"],
        ["王敏"],
    ]
    assert _words(chinese) == _words(english)


def test_every_word_of_a_chinese_schema_is_chinese() -> None:
    english, chinese = plan_schema("en"), plan_schema("zh-CN")

    def words(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node[k] for k in ("title", "description") if isinstance(node.get(k), str)]
            return own + node.get("enumDescriptions", []) + [w for v in node.values() for w in words(v)]
        if isinstance(node, list):
            return [w for item in node for w in words(item)]
        return []

    untranslated = [e for e, c in zip(words(english), words(chinese), strict=True) if e == c]
    assert not untranslated
    assert all(re.search("[\u4e00-\u9fff]", word) for word in words(chinese))


@pytest.fixture
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_MESSAGES", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)


def test_plangen_schema_speaks_the_projects_language(project: Path, plain_environment: None) -> None:
    (project / "plangen.yml").write_text("language: zh-CN\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    assert schema["title"] == "计划"
    assert schema["properties"]["owner"]["description"] == "计划的负责人；尚未确定时，草稿可以不写。"
    assert schema["properties"]["title"]["examples"] == ["青云西区域客户经理2027年工作计划"]
    assert schema["properties"]["status"]["enumDescriptions"][:3] == [
        "正在编写，还没有提交。",
        "已提交，等待审批。",
        "已批准。",
    ]
    assert schema["$defs"]["Goal"]["properties"]["milestones"]["description"] == (
        "各阶段的目标值：键可写 Q1–Q4（一季度–四季度、第一季度）、H1/H2（上半年/下半年）、M1–M12（1月–12月、一月），或 2027-06（2027年6月）这样的期间，或一个日期。"
    )
    reference = CliRunner().invoke(main, ["schema", "--markdown"]).output
    assert "| 键 | 类型 | 必填 | 含义 |\n" in reference
    assert "| `title` | 文字 | 是 | 计划标题，例如：青云西区域客户经理2027年工作计划。 |\n" in reference
    assert (
        "| `status` | 以下之一：`draft`, `submitted`, `approved`, `草稿`, `已提交`, `待审批`, `已批准`, `已审批` |  | "
        "草稿（draft）、已提交（submitted，或 待审批）或 已批准（approved，或 已审批）。 默认：`draft`。 |" in reference
    )


def test_new_and_init_write_the_schema_in_the_projects_language(project: Path) -> None:
    """Whatever the language of the messages (English here), the schema is the project's."""
    (project / "plangen.yml").write_text("language: zh-CN\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "plans/2027/wangmin.yml", "--owner", "王敏", "--period", "2027"])
    assert result.exit_code == 0, result.output
    assert json.loads((project / "plans" / SCHEMA_FILE).read_text(encoding="utf-8"))["title"] == "计划"
    result = CliRunner().invoke(main, ["init", "english", "--language", "en", "--period", "2027"])
    assert result.exit_code == 0, result.output
    assert json.loads((project / "english" / "plans" / SCHEMA_FILE).read_text(encoding="utf-8"))["title"] == "Plan"
    result = CliRunner().invoke(main, ["init", "chinese", "--period", "2027"])
    assert json.loads((project / "chinese" / "plans" / SCHEMA_FILE).read_text(encoding="utf-8"))["title"] == "计划"
