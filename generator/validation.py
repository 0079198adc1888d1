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
from .model import CHINESE_NAMES, Block, describe
from .yaml_source import Expected, Source, format_path, read_source

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
        message = _("the file must be a mapping of keys such as title:, got {got}").format(got=describe(data))
        return None, [source.slip((), "mapping") or source.problem((), message)]
    try:
        instance: M | None = model.model_validate(data)
        errors = []
    except ValidationError as exc:
        instance, errors = None, [_problem(model, source, error) for error in exc.errors()]
    found = errors + _slipped_text(model, source, {error.field for error in errors})
    return instance, sorted(found, key=lambda p: (p.line, p.column))


def _slipped_text(model: type[BaseModel], source: Source, wrong: set[str]) -> list[Problem]:
    """Warnings for text that a keyboard slip made of a mapping where the model takes text as
    well: a duty written ``- title：开发客户`` is read as a duty with that title. Only where
    the word before the full-width colon is a key the mapping has."""
    return [
        problem
        for path, slip in source.slips.items()
        if slip.key and format_path(path) not in wrong and slip.key in _fields_at(model, path)
        if (problem := source.slip(path, "mapping", "warning"))
    ]


def _problem(model: type[BaseModel], source: Source, error: ErrorDetails) -> Problem:
    path = tuple(error["loc"])
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        key = path[-1]
        fields = _fields_at(model, path[:-1])
        close = did_you_mean(key, fields)
        if close:
            message = _("unknown key '{key}'").format(key=key) + close
        else:
            message = _("unknown key '{key}'; expected one of: {keys}").format(key=key, keys=", ".join(fields))
        return source.problem(path, message, at_key=True)
    if kind == "invalid_key":  # e.g. {target: 4,5}: the 5 is a key of its own
        message = _("unknown key {got}; inside {{ }} a comma starts another key, so write 4.5, not 4,5")
        return source.problem(path, message.format(got=describe(value)), at_key=True)
    return source.slip(path, _EXPECTED.get(kind)) or source.problem(path, _message(kind, value, error))


_EXPECTED: dict[str, Expected] = {
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
}
"""The kind of value errors of these kinds expected, for a keyboard slip to explain."""


def error_message(error: ErrorDetails) -> str:
    """What pydantic's *error* says, in the plain words validation uses, without its place."""
    return _message(error["type"], error.get("input"), error)


def _message(kind: str, value: Any, error: ErrorDetails) -> str:
    got = describe(value)
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("required, but missing")
    if kind == "string_type":
        return _("expected text, got {got}").format(got=got)
    if kind in ("string_too_short", "too_short"):
        return _("must not be empty")
    if kind == "string_too_long":
        return _(
            "the text is {length:,} characters long, more than the {most:,} a name or title may have; "
            "shorten it, or put long text in a Markdown field such as notes or detail"
        ).format(length=len(value), most=ctx.get("max_length", 0))
    if kind == "string_pattern_mismatch":
        return _("expected an id of lowercase letters, digits, '-' and '_' (e.g. new-business), got {got}").format(
            got=got
        )
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        message = _("expected one of {options}; got {got}").format(options=", ".join(options), got=got)
        # A Chinese plan is shown the Chinese names, but a typo of the English keyword is worth a hint too.
        keywords = [word for word, names in CHINESE_NAMES.items() if names[0] in options]
        return message + did_you_mean(value, options + keywords)
    if kind == "list_type":
        return _("expected a list (lines starting with '- '), got {got}").format(got=got)
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("expected a mapping (indented 'key: value' lines), got {got}").format(got=got)
    return error["msg"]


def did_you_mean(word: Any, options: list[str]) -> str:
    """`` (did you mean 'summary'?)`` when one of *options* is close to *word*, to add to
    a message about it; else nothing."""
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return _(" (did you mean '{option}'?)").format(option=close[0]) if close else ""


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
