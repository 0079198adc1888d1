"""Check read data against the plan format and say, in plain words, what is wrong.

pydantic does the checking; this module turns its findings into problems a
manager understands, each placed on the line and column it is about.
"""

from __future__ import annotations

import difflib
import re
import types
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import Problem
from .i18n import _
from .model import Block, describe
from .yaml_source import Source, read_source

M = TypeVar("M", bound=Block)


def validate_file(model: type[M], path: Path, file: str) -> tuple[M | None, list[Problem]]:
    """Read and validate a file where every key is optional, so an empty one is fine.

    The instance is None when anything is an error.
    """
    source = read_source(path, file, empty={})
    if source.data is None:
        return None, source.problems
    instance, problems = validate_data(model, source)
    if any(p.severity == "error" for p in source.problems):
        instance = None
    return instance, source.problems + problems


def validate_data(model: type[M], source: Source, data: Any = None) -> tuple[M | None, list[Problem]]:
    """Validate *data* (by default the source's own) against *model*."""
    data = source.data if data is None else data
    if not isinstance(data, dict):
        return None, [source.problem((), f"the file must be a mapping of keys such as title:, got {describe(data)}")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        found = [_problem(model, source, error) for error in exc.errors()]
        return None, sorted(found, key=lambda p: (p.line, p.column))


def _problem(model: type[BaseModel], source: Source, error: ErrorDetails) -> Problem:
    path = tuple(error["loc"])
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        key = path[-1]
        fields = _fields_at(model, path[:-1])
        message = f"unknown key '{key}'" + (did_you_mean(key, fields) or f"; expected one of: {', '.join(fields)}")
        return source.problem(path, message, at_key=True)
    if kind == "invalid_key":  # e.g. {target: 4,5}: the 5 is a key of its own
        message = f"unknown key {describe(value)}; inside {{ }} a comma starts another key, so write 4.5, not 4,5"
        return source.problem(path, message, at_key=True)
    return source.problem(path, _message(kind, value, error))


def _message(kind: str, value: Any, error: ErrorDetails) -> str:
    got = describe(value)
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "required, but missing"
    if kind == "string_type":
        return f"expected text, got {got}"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    if kind == "string_too_long":
        return _(
            "the text is {length:,} characters long, more than the {most:,} a name or title may have; "
            "shorten it, or put long text in a Markdown field such as notes or detail"
        ).format(length=len(value), most=ctx.get("max_length", 0))
    if kind == "string_pattern_mismatch":
        return f"expected an id of lowercase letters, digits, '-' and '_' (e.g. new-business), got {got}"
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"expected one of {', '.join(options)}; got {got}" + did_you_mean(value, options)
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (indented 'key: value' lines), got {got}"
    return error["msg"]


def did_you_mean(word: Any, options: list[str]) -> str:
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _fields_at(model: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """The keys the model allows at *path*, for suggestions."""
    annotation: Any = model
    for part in path:
        annotation = _unwrap(annotation)
        origin = get_origin(annotation)
        if origin is list:
            annotation = get_args(annotation)[0]
        elif origin is dict:
            annotation = get_args(annotation)[1]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and part in annotation.model_fields:
            annotation = annotation.model_fields[part].annotation
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated[...]`` and ``X | None`` down to X."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation
