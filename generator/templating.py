"""The Jinja2 environment every template runs in: sandboxed and strict.

A project may override any built-in template by putting a file of the same
name in its own ``templates/`` folder; those files come from the plan
repository, so they run sandboxed, and a missing value is an error naming the
template and line instead of an empty string; so is any other mistake a
template makes while it runs (dividing by zero, adding text to a number).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment

from .context import format_number
from .errors import PlangenError
from .i18n import _
from .markdown_text import demote, escape, escape_site, site_html
from .settings import BUILTIN_TEMPLATES
from .yaml_source import display_path, input_problem


def yaml_scalar(value: Any) -> str:
    """A value as a YAML scalar that can hold any text (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _number(value: Any) -> Any:
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


_MAX_BITS = 100_000
"""The largest whole number a template may make, in bits (about 30,000 digits)."""


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, remembering its verdict per type of object and attribute name.

    Jinja's verdict depends on nothing else (the name, and what kind of object
    it is), and a site's templates read hundreds of thousands of attributes.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.verdicts: dict[tuple[type, str], bool] = {}

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """``**`` and ``*`` within bounds: ``10 ** 10 ** 9`` or ``"x" * 10 ** 12`` would keep a build
        busy or fill the memory, where the sandbox already stops ``range(10 ** 12)``."""
        whole = isinstance(left, int) and isinstance(right, int)
        if operator == "**" and whole and right > 0 and left.bit_length() * right > _MAX_BITS:
            raise SecurityError(_("the power is too large a number for a template (at most about 30,000 digits)"))
        if operator == "*":
            if whole and left.bit_length() + right.bit_length() > _MAX_BITS:
                raise SecurityError(_("the product is too large a number for a template (at most about 30,000 digits)"))
            times, repeated = (left, right) if isinstance(right, (str, list, tuple)) else (right, left)
            sequence = isinstance(repeated, (str, list, tuple))
            if sequence and isinstance(times, int) and len(repeated) * times > MAX_RANGE:
                raise SecurityError(_("repeating makes more than {count} items").format(count=f"{MAX_RANGE:,}"))
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self.verdicts.get(key)
        if verdict is None:
            verdict = self.verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled in an earlier run, kept in Jinja's per-user private folder (Jinja
    refuses a folder anyone else could write to) and keyed by each template's source, so
    an edited template is compiled again. Compiling is most of the time a rebuild spends
    rendering one plan. A kept file that cannot be read or written only means compiling
    again, never a failed build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file: its header is read with pickle, which raises anything
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.cache
def _compiled_templates() -> _CompiledTemplates | None:
    """The cache of compiled templates, or None where no safe folder can be had."""
    try:
        return _CompiledTemplates()
    except (RuntimeError, OSError):
        return None


def private_folder() -> Path | None:
    """A folder only this user can write in, kept between runs (the one of the compiled
    templates), for caches whose files are trusted when read; None where there is none."""
    compiled = _compiled_templates()
    return Path(compiled.directory) if compiled else None


class _Templates(jinja2.FileSystemLoader):
    """The project's templates over plangen's. A project's template is read only if it is an
    ordinary file of the project (:func:`~plangen.yaml_source.input_problem`): through
    a link to a key or to /proc/self/environ, a template would publish what it read."""

    def __init__(self, project_templates: Path) -> None:
        super().__init__([str(project_templates), str(BUILTIN_TEMPLATES)])
        self.project_templates = project_templates

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        own = self.project_templates.joinpath(*split_template_path(template))
        if os.path.lexists(own) and (why := input_problem(own, self.project_templates.parent)):
            raise PlangenError(f"{display_path(own)}: {why}")
        return super().get_source(environment, template)


def environment(project_templates: Path, flavour: str = "docx") -> SandboxedEnvironment:
    """Templates of *project_templates* over the built-in ones; ``md``/``markdown`` filters
    escape for the Markdown engine that reads the result (``docx`` or ``site``), which
    templates find as ``flavour``."""
    env = _Sandbox(
        loader=_Templates(project_templates),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=_compiled_templates(),
    )
    env.filters["yaml"] = yaml_scalar
    site = flavour == "site"
    env.filters["md"] = escape_site if site else escape
    env.filters["markdown"] = site_html if site else demote
    env.filters["number"] = _number
    env.globals["flavour"] = flavour
    return env


def render(env: SandboxedEnvironment, name: str, **values: Any) -> str:
    """Render template *name*; template mistakes become errors naming the template's file and line."""
    try:
        return env.get_template(name).render(**values)
    except jinja2.TemplateSyntaxError as exc:
        file = display_path(Path(exc.filename)) if exc.filename else name
        place = f"{file}:{exc.lineno}"
        raise PlangenError(_("{place}: template error: {message}").format(place=place, message=exc.message)) from None
    except jinja2.TemplateNotFound as exc:
        raise PlangenError(_("template not found: {name}").format(name=exc.name)) from None
    except PlangenError:
        raise
    except Exception as exc:  # whatever a template's own code raises: 1/0, "a" + 1, a range too big, recursion
        message = str(exc) or type(exc).__name__
        place = _template_place(env, exc, name)
        raise PlangenError(_("{place}: template error: {message}").format(place=place, message=message)) from None


def _template_place(env: SandboxedEnvironment, exc: BaseException, name: str) -> str:
    """The template file and line an error was raised at (in an included template, that one's),
    read off the traceback Jinja rewrites, where template code runs in frames of its file."""
    assert isinstance(env.loader, jinja2.FileSystemLoader)
    folders = tuple(os.path.join(folder, "") for folder in env.loader.searchpath)
    place = f"{name}:?"
    tb = exc.__traceback__
    while tb is not None:
        file = tb.tb_frame.f_code.co_filename
        if file.startswith(folders):
            place = f"{display_path(Path(file))}:{tb.tb_lineno}"
        tb = tb.tb_next
    return place
