"""What a project's mkdocs.yml may hold, checked before MkDocs reads it.

MkDocs takes mkdocs.yml as a program: hooks and plugins are Python it runs,
Markdown extensions are modules it imports (pymdownx.snippets pastes any file
into a page), ``!ENV`` puts an environment variable such as a CI token on the
site, ``INHERIT`` reads another file, the templates of a theme's ``custom_dir``
and of ``extra_templates`` run outside any sandbox, and a font's name,
analytics or ``extra_javascript`` make every reader's browser load from another
host. Anyone who can push can change the file, so plangen reads it with its own
reader (plain data, no tags), takes only the keys and values below, and MkDocs
reads a copy of the bytes plangen checked, never the repository's file itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import InvalidFile
from .i18n import N_, _
from .model import describe
from .settings import Project
from .yaml_source import FieldPath, display_path, read_bytes, read_source

Found = Iterator[tuple[FieldPath, str]]
"""Where in a value (relative to it) something is refused, and why."""
Check = Callable[[Any], Found]


def theme_language(project: Project) -> str:
    """Material's code for the language of the site's pages."""
    return "zh" if project.settings.site_language == "zh-CN" else "en"


def check_mkdocs_config(project: Project, path: Path) -> tuple[bytes, str]:
    """The bytes of the project's mkdocs.yml at *path* and the site folder it names, once
    plangen takes them; else InvalidFile naming everything it refuses, each at its line."""
    try:
        raw: bytes | None = read_bytes(path, project.root)
    except OSError:
        raw = None  # read_source says why
    source = read_source(path, display_path(path), raw=raw, within=project.root)
    refused = [*_config(source.data), *_language(project, source.data)]
    found = source.problems or [source.problem(at, why, at_key=True) for at, why in refused]
    if found or raw is None:
        raise InvalidFile(sorted(found, key=lambda problem: (problem.line, problem.column)))
    return raw, source.data.get("site_dir", "site")


def _language(project: Project, data: Any) -> Found:
    """A site whose pages are in one language and whose menus and search box are in another
    comes from an mkdocs.yml that was not told the language."""
    theme = data.get("theme") if isinstance(data, dict) else None
    code = theme.get("language", "en") if isinstance(theme, dict) else None  # en: Material's default
    wanted = theme_language(project)
    if isinstance(code, str) and code.split("-")[0] != wanted:
        message = _(
            "'{code}', but the site's pages are in {language} (plangen.yml: site.language, else language); "
            "write 'language: {wanted}' under theme:, or change the setting"
        )
        yield ("theme", "language"), message.format(code=code, language=project.settings.site_language, wanted=wanted)


def _within(at: FieldPath, found: Found) -> Found:
    for where, why in found:
        yield (*at, *where), why


def _kind(kind: type, expected: str) -> Check:
    def check(value: Any) -> Found:
        if not isinstance(value, kind):
            yield (), _("expected {expected}, got {got}").format(expected=_(expected), got=describe(value))

    return check


_flag = _kind(bool, N_("true or false"))
_list = _kind(list, N_("a list"))
_mapping = _kind(dict, N_("a mapping"))


def _text(value: Any) -> Found:
    if not isinstance(value, str):
        yield (), _("expected text, got {got}").format(got=describe(value))


def _anything(value: Any) -> Found:
    """Plain data, as plangen's reader gives it, does nothing by itself."""
    yield from ()


_SCHEME = re.compile(r"\s*([a-zA-Z][\w+.-]*):")


def _web(value: Any) -> Found:
    if not (isinstance(value, str) and re.match(r"https?://[^/\s]", value, re.IGNORECASE)):
        yield (), _("expected a web address starting with https:// or http://, got {got}").format(got=describe(value))


def _edit_uri(value: Any) -> Found:
    scheme = _SCHEME.match(value) if isinstance(value, str) else None
    if not isinstance(value, str) or (scheme and scheme[1].lower() not in ("http", "https")):
        message = _("expected a path such as edit/main/docs/ or a web address starting with https://, got {got}")
        yield (), message.format(got=describe(value))


_LOCAL = re.compile(r"[^/\\:?#\s][^\\:?#]*")


def _local(value: Any) -> Found:
    """A file of the site itself, so that no reader's browser loads it from elsewhere."""
    if not (isinstance(value, str) and _LOCAL.fullmatch(value) and ".." not in PurePosixPath(value).parts):
        message = _(
            "expected the path of a file of the site, such as assets/logo.png, got {got}; "
            "the site loads nothing from other hosts"
        )
        yield (), message.format(got=describe(value))


def _each(check: Check) -> Check:
    def each(value: Any) -> Found:
        if not isinstance(value, list):
            yield from _list(value)
            return
        for index, item in enumerate(value):
            yield from _within((index,), check(item))

    return each


def _keys(allowed: dict[str, Check], refused: dict[str, str]) -> Check:
    """A mapping of *allowed* keys, each value checked; a key of *refused* is refused saying why."""

    def check(value: Any) -> Found:
        if not isinstance(value, dict):
            yield from _mapping(value)
            return
        for key, item in value.items():
            if key in allowed:
                yield from _within((key,), allowed[key](item))
            elif key in refused:
                yield (key,), _(refused[key])
            else:
                yield (key,), _("plangen does not take this key here; it takes {keys}").format(keys=", ".join(allowed))

    return check


def _named(allowed: dict[str, tuple[str, ...]], refusal: str) -> Check:
    """Plugins or Markdown extensions as MkDocs takes them: a list of names, each alone or as a
    one-key mapping to its settings, or a mapping of names to settings. Only *allowed* names,
    each with only the settings listed; another name is refused with *refusal*."""

    def check(value: Any) -> Found:
        entries: list[tuple[FieldPath, Any, Any]] = []
        if isinstance(value, dict):
            entries = [((name,), name, settings) for name, settings in value.items()]
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict) and len(item) == 1:
                    [(name, settings)] = item.items()
                    entries.append(((index, name), name, settings))
                elif isinstance(item, str):
                    entries.append(((index,), item, None))
                else:
                    message = _("expected a name, or a name with its settings (name: {{setting: value}}), got {got}")
                    yield (index,), message.format(got=describe(item))
        else:
            yield from _list(value)
        for at, name, settings in entries:
            if name not in allowed:
                yield at, _(refusal).format(name=name, names=", ".join(allowed))
            elif settings is not None and not allowed[name]:
                yield at, _("plangen takes {name} without settings; write just its name").format(name=name)
            elif settings is not None:
                yield from _within(at, _keys(dict.fromkeys(allowed[name], _anything), {})(settings))

    return check


# Material's own search (jieba_dict and jieba_dict_user would read any file) and tags (export_file
# names where to write; tags_slugify and the *_sort_by settings are Python functions).
_PLUGINS = {
    "search": ("enabled", "lang", "separator", "pipeline", "fields"),
    "tags": ("enabled", "tags", "tags_allowed", "tags_hierarchy", "listings", "listings_toc", "export"),
}
# plangen's own (tables to toc), and a few of Python-Markdown and PyMdown that only change how the
# text of a page is read. toc's slugify would be a Python function; abbr's glossary and superfences'
# custom_fences are among the settings left out.
_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "tables": (),
    "attr_list": (),
    "md_in_html": (),
    "admonition": (),
    "toc": ("permalink", "permalink_title", "title", "toc_depth", "baselevel"),
    "abbr": (),
    "def_list": (),
    "footnotes": (),
    "sane_lists": (),
    "pymdownx.details": (),
    "pymdownx.superfences": (),
}


def _material(value: Any) -> Found:
    if value != "material":
        yield (), _("write 'name: material': plangen's site is made for the Material theme")


def _no_font(value: Any) -> Found:
    if value is not False:
        message = _(
            "write 'font: false': without it, or with a font's name, every reader's browser loads the font "
            "from Google Fonts"
        )
        yield (), message


def _palette(value: Any) -> Found:
    yield from _each(_mapping)(value) if isinstance(value, list) else _mapping(value)


_THEME = _keys(
    {
        "name": _material,
        "language": _text,
        "features": _each(_text),
        "palette": _palette,
        "font": _no_font,
        "icon": _mapping,
        "logo": _local,
        "favicon": _local,
    },
    {
        "custom_dir": N_(
            "MkDocs would run the templates in it outside plangen's sandbox; put pictures and stylesheets "
            "in templates/site/assets and name them with logo, favicon or extra_css"
        )
    },
)


def _theme(value: Any) -> Found:
    if not isinstance(value, dict):
        yield (), _("expected a mapping with 'name: material' and 'font: false', got {got}").format(got=describe(value))
        return
    yield from _THEME(value)
    for key, check in (("name", _material), ("font", _no_font)):
        if key not in value:
            yield from _within((key,), check(None))


def _extra(value: Any) -> Found:
    """Values for the theme's templates; analytics would load a tracker into every reader's browser."""
    yield from _mapping(value)
    if isinstance(value, dict) and "analytics" in value:
        yield ("analytics",), _("analytics would make every reader's browser load a tracker from another host")


_CONFIG = _keys(
    {
        "site_name": _text,
        "site_url": _web,
        "site_description": _text,
        "site_author": _text,
        "copyright": _text,
        "repo_url": _web,
        "repo_name": _text,
        "edit_uri": _edit_uri,
        "nav": _list,
        "not_in_nav": _text,
        "docs_dir": _text,
        "site_dir": _text,
        "use_directory_urls": _flag,
        "theme": _theme,
        "plugins": _named(
            _PLUGINS, N_("plangen takes only the plugins {names}: a plugin is Python code MkDocs would run")
        ),
        "markdown_extensions": _named(
            _EXTENSIONS,
            N_(
                "plangen takes only the Markdown extensions {names}: an extension is Python code MkDocs would "
                "run, and some read files into the pages"
            ),
        ),
        "extra_css": _each(_local),
        "extra": _extra,
        "validation": _mapping,
        "strict": _flag,
    },
    {
        "hooks": N_("hooks are Python code MkDocs would run on the machine that builds the site"),
        "INHERIT": N_("plangen reads no other settings file into mkdocs.yml; copy what you need into it"),
        "extra_javascript": N_("the site runs no scripts but the theme's own, and loads none from other hosts"),
        "extra_templates": N_(
            "MkDocs would run these templates outside plangen's sandbox; put hand-written pages in templates/site/pages"
        ),
    },
)


def _config(data: Any) -> Found:
    yield from _CONFIG(data)
    if isinstance(data, dict) and "theme" not in data:
        yield from _within(("theme",), _theme(None))
