"""The JSON Schema and the README's format reference are generated, and kept in step."""

from __future__ import annotations

import json
import re
from typing import Any

from conftest import REPO
from generator.model import Criterion, Item, Owner
from generator.schema import SCHEMA_FILE, field_docs, format_reference, plan_schema, plan_schema_text
from generator.settings import SETTINGS_BLOCKS


def readme_section(name: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    return readme[readme.index(start) + len(start) : readme.index(end)].strip()


def test_committed_schema_is_current() -> None:
    committed = (REPO / "plans" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == plan_schema_text(), "run: plangen schema -o plans/plan.schema.json"


def test_readme_references_are_current() -> None:
    message = "run: python tools/update_readme_reference.py"
    assert readme_section("format-reference") == format_reference().strip(), message
    assert readme_section("settings-reference") == format_reference(SETTINGS_BLOCKS).strip(), message


def test_each_fields_docstring_is_its_description() -> None:
    assert field_docs(Item) == {"title": "The point itself, e.g. 开拓银行业务.", "detail": "Explanation in Markdown."}
    assert plan_schema()["properties"]["owner"]["description"] == "Who the plan belongs to."
    assert field_docs(Criterion)["title"] == field_docs(Item)["title"], "inherited fields keep theirs"
    assert all(field_docs(Owner)), "every field of a block is documented"


def test_schema_describes_the_plan() -> None:
    schema = plan_schema()
    assert schema["required"] == ["title", "period", "owner"]
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


def test_editors_flag_reserved_ids_and_figures_too_large() -> None:
    schema = plan_schema()
    plan_id = schema["properties"]["id"]["anyOf"][0]
    assert {"index", "search", "con", "nul", "com1", "lpt9"} <= set(plan_id["not"]["enum"])
    target = schema["$defs"]["Goal"]["properties"]["target"]
    assert (target["exclusiveMaximum"], target["exclusiveMinimum"]) == (10**15, -(10**15))
    weight = schema["$defs"]["Criterion"]["properties"]["weight"]["anyOf"][0]
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
