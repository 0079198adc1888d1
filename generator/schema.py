"""The plan format, described for machines (JSON Schema) and for people (Markdown tables).

Both are generated from the model, so the documentation cannot drift from
what ``plangen validate`` accepts.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import json
import textwrap
from collections.abc import Sequence
from typing import Any

from .model import BLOCKS, Block, Plan

SCHEMA_FILE = "plan.schema.json"


def plan_schema() -> dict[str, Any]:
    schema = _described(Plan)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


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
    blocks = {cls.__name__: cls for cls in _subclasses(Block)}
    for name, definition in [(block.__name__, schema), *schema.get("$defs", {}).items()]:
        docs = field_docs(blocks[name]) if name in blocks else {}
        for key, prop in definition.get("properties", {}).items():
            if key in docs:
                prop["description"] = docs[key]
    return schema


def _subclasses(cls: type[Block]) -> list[type[Block]]:
    return [cls, *(c for sub in cls.__subclasses__() for c in _subclasses(sub))]


def plan_schema_text() -> str:
    return json.dumps(plan_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _type_name(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in prop:
        members = [m for m in prop["anyOf"] if m.get("type") != "null"]
        if len(members) == 1:
            return _type_name(members[0])
        return "date" if any(member.get("format") == "date" for member in members) else "period"
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type")
    if kind == "array":
        return f"list of {_type_name(prop['items'])}"
    if kind == "object":
        keys = prop.get("propertyNames", {}).get("enum")
        of = f" of {' / '.join(f'`{k}`' for k in keys)}" if keys else ""
        return f"mapping{of} to {_type_name(prop.get('additionalProperties', {}))}"
    if kind == "string" and prop.get("contentMediaType") == "text/markdown":
        return "Markdown"
    if kind == "string":
        return {"date": "date"}.get(prop.get("format", ""), "id" if "pattern" in prop else "text")
    return {"integer": "whole number", "number": "number", "boolean": "true/false"}.get(str(kind), "value")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def format_reference(blocks: Sequence[type[Block]] = BLOCKS) -> str:
    """One Markdown table per block: key, type, required, meaning."""
    out: list[str] = []
    for block in blocks:
        schema = _described(block)
        required = set(schema.get("required", []))
        out += [f"#### {block.__name__}", "", _cell(block.__doc__ or ""), ""]
        out += ["| key | type | required | meaning |", "| --- | --- | --- | --- |"]
        for key, prop in schema["properties"].items():
            default = prop.get("default")
            referred = schema.get("$defs", {}).get(prop.get("$ref", "").rsplit("/", 1)[-1], {})
            meaning = _cell(prop.get("description") or referred.get("description", ""))
            if default not in (None, [], {}) and not isinstance(default, dict) and "default" not in meaning.lower():
                meaning += f" Default: `{default if isinstance(default, str) else json.dumps(default)}`."
            out.append(f"| `{key}` | {_type_name(prop)} | {'yes' if key in required else ''} | {meaning} |")
        out.append("")
    return "\n".join(out)
