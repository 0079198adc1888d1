"""Bring the message catalogs up to date: extract, merge, compile.

    python tools/messages.py          # write locale/plangen.pot, update zh_CN's .po, compile its .mo
    python tools/messages.py --check  # only say what is missing or out of date (exit 1 if anything)

The messages are plangen's own (marked with ``_`` or ``N_``, found by Babel's
Python extractor), the help texts and prompts of its commands (read off the
Click command tree, docstrings included), the titles and descriptions of the
plan format (the model's field and block docstrings, in the JSON Schema editors
read and in ``plangen schema --markdown``), and Click's own words (from the
installed Click's source), so that a Chinese reader meets no English.
Translations are written in the .po file by hand.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from plangen import cli, i18n, schema

ROOT = Path(__file__).resolve().parent.parent

LOCALE = ROOT / "generator" / "locale"
TEMPLATE = LOCALE / f"{i18n.DOMAIN}.pot"
CATALOGS = {"zh_CN": LOCALE / "zh_CN" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"}
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


Found = tuple[str | tuple[str, str], tuple[str, int | None]]


def _code_messages(folder: Path, prefix: str) -> Iterator[Found]:
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(folder), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if message and (message if isinstance(message, str) else message[0]):
            yield message, (f"{prefix}/{filename}", lineno)


def _command_texts(command: click.Command, path: str) -> Iterator[Found]:
    for item in (command, *command.params):
        for attribute in ("help", "short_help", "prompt"):
            text = getattr(item, attribute, None)
            if text:
                where = f"{path.replace(' ', '_')}.{getattr(item, 'name', '')}.{attribute}"
                yield inspect.cleandoc(text), (where, None)
    if isinstance(command, click.Group):
        for name, subcommand in command.commands.items():
            yield from _command_texts(subcommand, f"{path} {name}")


def _schema_texts() -> Iterator[Found]:
    for text, where in schema.schema_messages():
        yield text, (f"{schema.SCHEMA_FILE}{where}", None)


def template() -> Catalog:
    """Every message a person may read, with where it comes from."""
    catalog = Catalog(domain=i18n.DOMAIN, project="plangen", charset="utf-8")
    found: list[Found] = [
        *_code_messages(ROOT / "generator", "generator"),
        *_command_texts(cli.main, "plangen"),
        *_schema_texts(),
        *_code_messages(Path(click.__file__).parent, "click"),
    ]
    for message, where in found:
        catalog.add(message, locations=[where])
    return catalog


def compiled(catalog: Catalog) -> bytes:
    """The .mo of *catalog*, its header dated once for all, so it changes only with the messages."""
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def problems(pot: Catalog) -> list[str]:
    """What is missing or stale in each catalog against *pot*."""
    found = []
    for language, po_path in CATALOGS.items():
        with po_path.open("rb") as stream:
            po = read_po(stream, locale=language)
        for message in pot:
            if not message.id:
                continue
            translated = po.get(message.id)
            strings = translated.string if translated else None
            done = strings and (all(strings) if isinstance(strings, (tuple, list)) else True)
            if not done or (translated is not None and translated.fuzzy):
                found.append(f"{language}: no translation for {message.id!r} ({message.locations[0][0]})")
        if po_path.with_suffix(".mo").read_bytes() != compiled(po):
            found.append(f"{language}: {po_path.with_suffix('.mo').name} is not compiled from {po_path.name}")
    return found


def main() -> int:
    pot = template()
    if "--check" not in sys.argv:
        LOCALE.mkdir(exist_ok=True)
        with TEMPLATE.open("wb") as stream:
            write_po(stream, pot, omit_header=True, sort_output=True, width=100)
        for language, po_path in CATALOGS.items():
            po_path.parent.mkdir(parents=True, exist_ok=True)
            if po_path.exists():
                with po_path.open("rb") as stream:
                    po = read_po(stream, locale=language)
            else:
                po = Catalog(locale=language, domain=i18n.DOMAIN, project="plangen", charset="utf-8")
            po.update(pot, no_fuzzy_matching=True)
            po.obsolete.clear()
            with po_path.open("wb") as stream:
                write_po(stream, po, omit_header=True, sort_output=True, width=100, ignore_obsolete=True)
            po_path.with_suffix(".mo").write_bytes(compiled(po))
    found = problems(pot)
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
