"""The site's search: Pagefind indexes the built pages, and plangen's script asks it from the header.

Material's own search puts an index of every page into every reader's browser, which
rebuilds it on each page load: 26 MB and five seconds at 1,000 plans. Pagefind splits
its index into chunks and keeps each page's text in a fragment of its own, so a search
fetches only the chunks holding its words and the fragments of the results shown, about
200 KB however many plans there are.

MkDocs runs :func:`configure` and :func:`index` through the hooks in :data:`HOOKS`, which
plangen hands it in ``plangen site`` and ``plangen serve`` alike; a project's mkdocs.yml
can name none. Building the pages by hand (``mkdocs build``, ``zensical build``) gives a
site without search.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .errors import PlangenError
from .i18n import _

HOOKS = Path(__file__).with_name("mkdocs_hooks.py")
THEME = Path(__file__).with_name("theme")
"""plangen's additions to Material: main.html marks what Pagefind indexes and brings the
search box and its script (assets/plangen/search.js)."""
BUNDLE = "pagefind"
"""The folder of the site that Pagefind writes its index and scripts into."""
LANGUAGE = "zh"
"""One index for all pages, split into words as Chinese: Chinese text has no spaces, and
Pagefind keeps a separate index per language and searches only the one of the page the
reader is on. English words are found as written and by their beginning (no stemming)."""
EXCLUDED = (".headerlink", ".md-content__button", ".md-source-file")
"""Parts of an indexed page that are the theme's, not its text: the ¶ after each
heading, the edit buttons, the dates of the source file."""


def configure(config: Any) -> Any:
    """Turn Material's search off in MkDocs' *config*, whatever mkdocs.yml says (MkDocs adds
    it when mkdocs.yml names no plugins), and put plangen's theme additions before
    Material's templates."""
    material = config.plugins.get("material/search")
    if material is not None:
        material.config.enabled = False
    config.theme.dirs.insert(0, str(THEME))
    return config


def index(site: Path) -> None:
    """Index the built *site* with Pagefind into *site*/pagefind.

    Pagefind reads settings from a pagefind.yml (or .toml, .json) in the folder it runs
    in and from PAGEFIND_ variables, which could send the index elsewhere: it runs in an
    empty folder, without them."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]

        program = get_executable()
    except (ImportError, FileNotFoundError):
        message = _("the site's search needs Pagefind, which is not installed: {command}")
        raise PlangenError(message.format(command="pip install 'pagefind[extended]'")) from None
    command = [str(program), "--site", str(site), "--output-subdir", BUNDLE, "--force-language", LANGUAGE, "--quiet"]
    command += [option for selector in EXCLUDED for option in ("--exclude-selectors", selector)]
    environment = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="plangen-") as empty:
        try:
            done = subprocess.run(command, cwd=empty, env=environment, capture_output=True, text=True, errors="replace")
        except OSError as exc:
            raise PlangenError(_("Pagefind could not run: {error}").format(error=exc)) from None
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()
        message = _("Pagefind could not index the site for search (exit code {code}): {output}")
        raise PlangenError(message.format(code=done.returncode, output=output))
