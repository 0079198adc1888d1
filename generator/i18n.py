"""Every word plangen prints for a person, in that person's language.

Messages are English in the code, marked with :func:`_` (translated where they
are made) or :func:`N_` (marked where they are written, translated later, such
as Click's help texts, which exist before the language is known). Babel
extracts them into ``generator/locale/plangen.pot``; the Chinese catalog
``locale/zh_CN/LC_MESSAGES/plangen.po`` translates them and is compiled to the
``.mo`` file gettext reads (``python tools/messages.py`` does all three; a test
fails when a message has no translation or a catalog is out of date).

Click's own words ("Usage:", "Error:", "Show this message and exit.") go
through the standard library's global gettext, so the same catalog holds their
translations and plangen points gettext's global domain at it; gettext picks
the catalog by the ``LANGUAGE`` environment variable, which
:func:`use_language` sets for the duration of a command (:func:`speaking`).

The language is chosen in this order: ``--lang``; the ``LANGUAGE`` and
``LC_MESSAGES`` environment variables, as gettext programs do (``LANG`` and
``LC_ALL`` are left out: they are set machine-wide, to English on most CI
runners and servers, and would override every project's language); the
project's language (``plangen.yml``; for ``plangen init``, the ``--language`` of the
project it lays out, when given); Chinese.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

Language = Literal["zh-CN", "en"]
LANGUAGES: tuple[Language, ...] = ("zh-CN", "en")
DOMAIN = "plangen"
LOCALE_DIR = Path(__file__).parent / "locale"
_GETTEXT_CODES: dict[Language, str] = {"zh-CN": "zh_CN", "en": "en"}

_current: Language = "en"  # the messages as written, until a command chooses
_translations: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """*message* in the language in use."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """*singular* or *plural*, whichever the language in use says for *n* things."""
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """*message* as it is, marked for the catalog: it is translated where it is shown."""
    return message


def language() -> Language:
    """The language messages are in now."""
    return _current


def language_of(value: str | None) -> Language | None:
    """The language a ``--lang`` value or a locale name such as ``zh_CN.UTF-8``, ``zh-Hans``
    or ``en_US:en`` (LANGUAGE's list, first that plangen has) stands for; None when none."""
    for part in (value or "").split(":"):
        code = part.strip().lower().replace("_", "-")
        if code.startswith("zh"):
            return "zh-CN"
        if code.startswith("en"):
            return "en"
    return None


def choose_language(option: str | None, project: Language | None, environ: Mapping[str, str]) -> Language:
    """The language to speak: see the module's docstring for the order."""
    for value in (option, environ.get("LANGUAGE"), environ.get("LC_MESSAGES")):
        chosen = language_of(value)
        if chosen:
            return chosen
    return project or "zh-CN"


def use_language(code: Language) -> None:
    """Speak *code* from now on, in plangen's messages and in Click's."""
    global _current, _translations
    _current = code
    _translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_GETTEXT_CODES[code]], fallback=True)
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = _GETTEXT_CODES[code]


@contextmanager
def speaking(code: Language) -> Iterator[None]:
    """Speak *code* for the duration of one command, then what was spoken before (so that
    a program running several commands, such as a test, starts each one afresh)."""
    before, environ = _current, os.environ.get("LANGUAGE")
    use_language(code)
    try:
        yield
    finally:
        use_language(before)
        if environ is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = environ
