"""The plan format, described for machines (JSON Schema) and for people (Markdown tables).

Both are generated from the model, so the documentation cannot drift from
what ``plangen validate`` accepts. The JSON Schema, which editors check plan
files against while they are typed, also takes every form in which the
validator reads a value: a plain string for a titled point, a number for text,
``1,000`` or ``１２０`` for a figure, ``Q2`` or ``2027-06`` for a sub-period, a
date as the text YAML turns into JSON. What JSON Schema cannot say (the
cross-checks of checks.py, among others) tests/test_schema.py lists, each with
its reason.

Both speak the reader's language: the field docstrings and the titles are
messages of the catalog (tools/messages.py collects them with
:func:`schema_messages`), and the examples are in the language the schema is
written in.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import functools
import inspect
import itertools
import json
import textwrap
from collections.abc import Iterator, Sequence
from typing import Any

from .i18n import Language, _, speaking
from .model import (
    BLOCKS,
    CHINESE_NAMES,
    CN_SUB_PERIOD,
    FIGURE_DIGITS,
    PLAN_ID_PATTERN,
    SLUG_PATTERN,
    Block,
    Item,
    Plan,
    schema_pattern,
)
from .yaml_source import NOT_IN_WORD

SCHEMA_FILE = "plan.schema.json"

_FIGURE_LIMIT = 10**FIGURE_DIGITS
_SLUG_DIGITS = 64
"""A whole number is read as its digits, and SLUG_PATTERN takes up to this many."""

# Digits and signs as model.py reads figures: ASCII, or full-width as a Chinese input method types them.
_DIGIT, _NON_ZERO, _ZERO = "[0-9０-９]", "[1-9１-９]", "[0０]"
_COMMA, _POINT, _SEPARATOR, _EXPONENT = "[,，]", "[.．]", "[,，.．]", "[eEｅＥ]"
_PLUS, _MINUS, _NOT_EXPONENT = "[+＋]", "[\\-－]", "[^eEｅＥ]"
_NOT_IN_WORD = "".join(c if c == "-" else f"\\u{ord(c):04x}" for c in NOT_IN_WORD.pattern.strip("[]"))
"""The characters no text may hold (yaml_source.py), as a character class's content."""

DATE_PATTERN = (
    r"^(?!0000)[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))$|^(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
    r"-02-29$"
)
"""A real date written YYYY-MM-DD: the days each month has, and February 29 in leap years only."""

SUB_PERIOD_PATTERN = (
    r"^\s*(?:[Hh][12１２]|[Qq][1-4１-４]|[Mm](?:[0０]?[1-9１-９]|[1１][0-2０-２])"
    + f"|{schema_pattern(CN_SUB_PERIOD)})\\s*$"
)
"""The short milestone keys model.resolve_sub_period reads against the plan's year: H1, Q3, M6, m06."""


def figure_pattern(*, whole: bool = False, at_least_zero: bool = False) -> str:
    """Figures written as text, as model._number reads them: digits, commas between thousands
    (1,000), a decimal point and an exponent (1e6), full-width too, spaces around; at most
    FIGURE_DIGITS digits before the point and FIGURE_DIGITS significant ones. *whole* numbers
    have only zeros after the point and no negative exponent; numbers *at_least_zero* have a
    minus only before zeros (-0). What an exponent makes of the digits is not checked."""
    most = FIGURE_DIGITS - 1
    integer = (
        f"{_ZERO}|{_NON_ZERO}{_DIGIT}{{0,{most}}}|{_NON_ZERO}{_DIGIT}{{0,2}}(?:{_COMMA}{_DIGIT}{{3}}){{1,{most // 3}}}"
    )
    if whole:
        number = f"(?:{integer})(?:{_POINT}{_ZERO}*)?|{_POINT}{_ZERO}+"
        exponent = f"{_EXPONENT}{_PLUS}?{_DIGIT}{{1,4}}"
        checks = ""
    else:
        number = f"(?:{integer})(?:{_POINT}{_DIGIT}*)?|{_POINT}{_DIGIT}+"
        exponent = f"{_EXPONENT}(?:{_PLUS}|{_MINUS})?{_DIGIT}{{1,4}}"
        # Two non-zero digits with FIGURE_DIGITS - 1 digits or more between them: too many significant ones.
        checks = f"(?!{_NOT_EXPONENT}*?{_NON_ZERO}(?:{_SEPARATOR}?{_DIGIT}){{{most},}}{_SEPARATOR}?{_NON_ZERO})"
    if at_least_zero:
        checks += f"(?!\\s*{_MINUS}{_NOT_EXPONENT}*?{_NON_ZERO})"
    return f"^{checks}\\s*(?:{_PLUS}|{_MINUS})?(?:{number})(?:{exponent})?\\s*$"


def plan_schema(language: Language | None = None) -> dict[str, Any]:
    """The JSON Schema of plan files, in *language* (by default the one in use)."""
    with speaking(language) if language else contextlib.nullcontext():
        schema = _as_written(_described(Plan))
        for _where, node in list(_nodes(schema)):
            for word in ("title", "description"):
                if word in node:
                    node[word] = _said(node[word])
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _said(text: str) -> str:
    """*text*, from the model, in the language in use (gettext gives its catalog's header for "")."""
    return _(text) if text else text


def plan_schema_text(language: Language | None = None) -> str:
    return json.dumps(plan_schema(language), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def schema_messages() -> Iterator[tuple[str, str]]:
    """The titles and descriptions of the plan schema, each with where it is (a JSON pointer):
    the messages the catalog translates them with."""
    for where, node in _nodes(_described(Plan)):
        for word in ("title", "description"):
            if node.get(word):
                yield node[word], f"{where}/{word}"


@functools.cache  # each block's source is parsed once, though every schema that refers to it asks
def field_docs(block: type[Block]) -> dict[str, str]:
    """The docstring under each field of *block*, including the fields it inherits."""
    docs: dict[str, str] = {}
    for cls in reversed(block.__mro__):
        if issubclass(cls, Block) and cls is not Block:
            body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
            assert isinstance(body, ast.ClassDef)
            docs |= {
                field.target.id: inspect.cleandoc(after.value.value)
                for field, after in itertools.pairwise(body.body)
                if isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            }
    return docs


def _described(block: type[Block]) -> dict[str, Any]:
    """*block*'s JSON Schema with each field's docstring as its description."""
    schema = block.model_json_schema()
    blocks = _blocks()
    for name, definition in [(block.__name__, schema), *schema.get("$defs", {}).items()]:
        docs = field_docs(blocks[name]) if name in blocks else {}
        for key, prop in definition.get("properties", {}).items():
            if key in docs:
                prop["description"] = docs[key]
    return schema


def _blocks() -> dict[str, type[Block]]:
    return {cls.__name__: cls for cls in _subclasses(Block)}


def _subclasses(cls: type[Block]) -> list[type[Block]]:
    return [cls, *(c for sub in cls.__subclasses__() for c in _subclasses(sub))]


def _nodes(schema: dict[str, Any], where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """*schema* and every schema inside it, each with its JSON pointer; not examples or defaults."""
    yield where, schema
    for keyword, value in schema.items():
        if keyword in ("properties", "$defs"):
            for name, child in value.items():
                yield from _nodes(child, f"{where}/{keyword}/{name}")
        elif keyword in ("anyOf", "oneOf", "allOf"):
            for index, child in enumerate(value):
                yield from _nodes(child, f"{where}/{keyword}/{index}")
        elif keyword in ("items", "additionalProperties", "propertyNames", "not") and isinstance(value, dict):
            yield from _nodes(value, f"{where}/{keyword}")


def _as_written(schema: dict[str, Any]) -> dict[str, Any]:
    """*schema* (of a plan) taking each value in every form the validator reads it in."""
    for _where, node in list(_nodes(schema)):
        _scalar_forms(node)
    keys = copy.deepcopy(schema["properties"]["period"])
    for word in ("title", "description"):
        keys.pop(word, None)
    for _where, node in list(_nodes(schema)):
        if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
            # The plan's mappings, milestones and actuals, are keyed by sub-periods (resolve_sub_period):
            # a short key such as Q2, else a period's text.
            node["propertyNames"] = {
                "anyOf": [{"pattern": SUB_PERIOD_PATTERN}, keys],
                "examples": ["Q1", "H2", "M3", "2027-06", "2027-06-30"],
            }
    blocks = _blocks()
    for name, definition in schema["$defs"].items():
        if issubclass(blocks[name], Item):  # a plain string (or number) is read as the title
            words = {word: definition.pop(word) for word in ("title", "description")}
            title = {k: v for k, v in definition["properties"]["title"].items() if k not in ("title", "description")}
            schema["$defs"][name] = {**words, "anyOf": [title, definition]}
    for (name, field), examples in _examples().items():
        definition = schema if name == Plan.__name__ else schema["$defs"][name]
        definition["properties"][field]["examples"] = examples
    return schema


def _scalar_forms(node: dict[str, Any]) -> None:
    """Let *node*, a value's schema, take the forms the model reads besides JSON's own type."""
    kind = node.get("type")
    if kind in ("number", "integer") and node.get("exclusiveMaximum") == _FIGURE_LIMIT:
        node["type"] = [kind, "string"]  # a figure as text
        node["pattern"] = figure_pattern(whole=kind == "integer", at_least_zero="minimum" in node)
    elif kind != "string":
        return
    elif node.get("format") == "date":
        node["pattern"] = DATE_PATTERN  # YAML's dates reach JSON as text
    elif "enum" in node:
        descriptions = _enum_descriptions()
        keyword = {name: word for word, names in CHINESE_NAMES.items() for name in names}  # a Chinese name: its word's
        node["enumDescriptions"] = [descriptions.get(keyword.get(value, value), "") for value in node["enum"]]
    elif node.get("pattern") in (SLUG_PATTERN, PLAN_ID_PATTERN):  # an id: a whole number is read as its digits
        node.update(type=["string", "integer"], minimum=0, maximum=10**_SLUG_DIGITS - 1)
        if "not" in node:
            node["not"]["enum"] += [int(value) for value in node["not"]["enum"] if value.isdigit()]
    elif "pattern" not in node:  # text: a number is read as the text it is written as
        node["type"] = ["string", "number"]
        node["pattern"] = f"^(?=[^{_NOT_IN_WORD}]*$)" + (r"\s*\S" if node.get("minLength") else "")  # not spaces alone


def _enum_descriptions() -> dict[str, str]:
    """What each value of a choice means, for editors to show beside it."""
    return {
        "draft": _("Being written; not handed in yet."),
        "submitted": _("Handed in for approval."),
        "approved": _("Approved."),
        "up": _("Higher values are better."),
        "down": _("Lower values are better."),
        "course": _("An in-house course."),
        "mentoring": _("Mentoring by an experienced colleague."),
        "lecture": _("A lecture by an expert."),
        "external": _("Training at another institution."),
        "study-tour": _("A study tour to other teams or organisations."),
        "rotation": _("Job rotation."),
        "product-briefing": _("A briefing on products."),
        "self-study": _("Self-study."),
        "planned": _("Planned; not done yet."),
        "done": _("Done."),
        "cancelled": _("Cancelled."),
        "daily": _("Every day."),
        "weekly": _("Every week."),
        "monthly": _("Every month."),
        "quarterly": _("Every quarter."),
        "half-yearly": _("Every half-year."),
        "yearly": _("Every year."),
        "irregular": _("From time to time, on no fixed days."),
        "continuous": _("All the time, throughout the period."),
        "zh-CN": _("Chinese (simplified)."),
        "en": _("English."),
    }


def _examples() -> dict[tuple[str, str], list[Any]]:
    """Example values of the fields filled in most, by block and field, in the language in use."""
    when = ["2027-03", "2027-Q2", "2027-03-15", {"start": "2027-03-01", "end": "2027-04-30"}]
    return {
        ("Plan", "title"): [_("Commercial Lines Account Plan 2027, North Region")],
        ("Plan", "period"): [2027, "2027-H1", "2027-Q2", "2027-03", {"start": "2027-03-01", "end": "2027-08-31"}],
        ("Plan", "unit"): [_("Commercial Lines North")],
        ("Plan", "status"): ["draft", "submitted", "approved"],
        ("Owner", "name"): [_("Sarah Jones")],
        ("Goal", "target"): [40, 3.5, "1,000"],
        ("Goal", "milestones"): [{"Q1": 10, "Q2": 20, "Q3": 30, "Q4": 40}, {"H1": 15, "2027-12": 40}],
        ("Goal", "actuals"): [{"Q1": 12, "Q2": 19}],
        ("Activity", "when"): when,
        ("Program", "when"): when,
    }


def _type_name(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in prop:
        members = [m for m in prop["anyOf"] if m.get("type") != "null"]
        if len(members) == 1:
            return _type_name(members[0])
        if any(member.get("type") == "boolean" for member in members):  # a setting such as site.redact
            return _("{one} or {other}").format(one=_type_name(members[0]), other=_type_name(members[1]))
        if members[0].get("type") == "integer" and not any(m.get("type") == "object" for m in members):
            return _type_name(members[0])  # a count, which may be written as approximate (约9300)
        return _("date") if any(member.get("format") == "date" for member in members) else _("period")
    if "enum" in prop:
        return _("one of {values}").format(values=", ".join(f"`{v}`" for v in prop["enum"]))
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type")
    if kind == "array":
        return _("list of {items}").format(items=_type_name(prop["items"]))
    if kind == "object":
        keys = prop.get("propertyNames", {}).get("enum")
        values = _type_name(prop.get("additionalProperties", {}))
        if keys:
            return _("mapping of {keys} to {values}").format(keys=" / ".join(f"`{k}`" for k in keys), values=values)
        return _("mapping to {values}").format(values=values)
    if kind == "string" and prop.get("contentMediaType") == "text/markdown":
        return "Markdown"
    if kind == "string":
        return {"date": _("date")}.get(prop.get("format", ""), _("id") if "pattern" in prop else _("text"))
    names = {"integer": _("whole number"), "number": _("number"), "boolean": _("true/false")}
    return names.get(str(kind), _("value"))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def format_reference(blocks: Sequence[type[Block]] = BLOCKS) -> str:
    """One Markdown table per block: key, type, required, meaning; in the language in use."""
    out: list[str] = []
    header = [_("key"), _("type"), _("required"), _("meaning")]
    for block in blocks:
        schema = _described(block)
        required = set(schema.get("required", []))
        out += [f"#### {block.__name__}", "", _cell(_said(inspect.cleandoc(block.__doc__ or ""))), ""]
        out += ["| " + " | ".join(header) + " |", "| --- | --- | --- | --- |"]
        for key, prop in schema["properties"].items():
            default = prop.get("default")
            referred = schema.get("$defs", {}).get(prop.get("$ref", "").rsplit("/", 1)[-1], {})
            description = prop.get("description") or referred.get("description", "")
            meaning = _cell(_said(description))
            if default not in (None, [], {}) and not isinstance(default, dict) and "default" not in description.lower():
                shown = default if isinstance(default, str) else json.dumps(default)
                meaning += " " + _("Default: {value}.").format(value=f"`{shown}`")
            mark = _("yes") if key in required else ""
            out.append(f"| `{key}` | {_type_name(prop)} | {mark} | {meaning} |")
        out.append("")
    return "\n".join(out)
