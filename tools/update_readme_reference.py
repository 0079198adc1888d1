"""Regenerate the format and settings reference tables in README.md from the model.

    python tools/update_readme_reference.py

tests/test_schema.py fails when the README is out of step with the model.
"""

from __future__ import annotations

import re
from pathlib import Path

from plangen.schema import format_reference
from plangen.settings import SETTINGS_BLOCKS

ROOT = Path(__file__).resolve().parent.parent

SECTIONS = {
    "format-reference": format_reference(),
    "settings-reference": format_reference(SETTINGS_BLOCKS),
}


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    for name, content in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.DOTALL)
        block = content.strip()
        text = pattern.sub(lambda m, new=block: m[1] + new + "\n" + m[2], text)
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
