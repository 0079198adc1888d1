"""Refresh the approved page images the visual test compares against, tests/approved/pages/.

The first pages of each example plan's Word document, laid out by LibreOffice
through plangen's own PDF export and drawn in grey at low resolution by
pdftoppm, and how many pages each document has:

    python tools/approve_pages.py

Run it after a layout change you mean, look at the images (git shows them
before and after), and commit them. The same PDF always gives the same bytes.
"""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

from PIL import Image
from pypdf import PdfReader

from plangen.build import build_docx
from plangen.office import convert
from plangen.settings import open_project

REPO = Path(__file__).resolve().parent.parent
APPROVED = REPO / "tests" / "approved" / "pages"
COUNTS = APPROVED / "pages.json"
PAGES = 3
"""How many pages of each document are drawn: the title, contents and first sections."""
DPI = 36
"""Low enough for small files, high enough that a heading's font or a line's place shows."""


class Rendering(NamedTuple):
    pages: int
    """How many pages the document has."""
    images: list[Image.Image]
    """Its first pages (at most PAGES), grey."""


def render(documents: list[Path], folder: Path) -> dict[str, Rendering]:
    """Lay *documents* out in one LibreOffice run and draw their first pages: file stem → rendering."""
    rendered = {}
    for pdf in convert(documents, "pdf", folder):
        pages = folder / pdf.stem
        pages.mkdir()
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-l", str(PAGES), str(pdf), str(pages / "page")],
            check=True,
            capture_output=True,
        )
        images = []
        for page in sorted(pages.iterdir()):
            with Image.open(page) as image:
                images.append(image.convert("L"))
        rendered[pdf.stem] = Rendering(len(PdfReader(pdf).pages), images)
    return rendered


def png(image: Image.Image) -> bytes:
    """The image as PNG, the same bytes for the same pixels (no time, no metadata)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def approved_name(plan_id: str, page: int) -> str:
    return f"{plan_id}-{page}.png"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="plangen-pages-") as work:
        documents = build_docx(open_project(REPO), output=Path(work) / "out").documents
        rendered = render(sorted(documents), Path(work))
    APPROVED.mkdir(parents=True, exist_ok=True)
    for stale in APPROVED.glob("*.png"):
        stale.unlink()
    for plan_id, rendering in rendered.items():
        for page, image in enumerate(rendering.images, start=1):
            (APPROVED / approved_name(plan_id, page)).write_bytes(png(image))
    counts = {plan_id: rendering.pages for plan_id, rendering in sorted(rendered.items())}
    COUNTS.write_text(json.dumps(counts, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {sum(len(r.images) for r in rendered.values())} pages of {len(rendered)} plans to {APPROVED}")


if __name__ == "__main__":
    main()
