"""The hooks plangen hands MkDocs (see :mod:`plangen.search`). MkDocs loads hooks from a
file's path, so they are here, apart from the package, which a Word build imports without
MkDocs."""

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

# mypy checks the package as the folder generator/, which is installed under the name plangen.
from plangen.search import configure, index  # type: ignore[import-not-found]

on_config = event_priority(100)(configure)  # before Material's search plugin sets itself up


def on_post_build(config: Any) -> None:
    index(Path(config.site_dir))
